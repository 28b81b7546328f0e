// Generated PKI as the layout sees it: the issued certificates, keys and tokens, and the files they make.
import type { FaultEffect } from '../pki/faults.js';
import type { IssuedCert } from '../pki/issue.js';
import type { KeyMaterial } from '../pki/keys.js';
import type { PkiFile } from '../fs/node-fs.js';
import type { CertRecord, ClusterConfig, KeyAlgorithm, Preset } from '../pki/types.js';

export interface PkiCert {
  record: CertRecord;
  cert: IssuedCert;
  /** The key the certificate was made for. */
  certKey: KeyMaterial;
  /** The key written beside it: `certKey`, unless a `mismatched-key` fault put another one there. */
  key: KeyMaterial;
  /** Certificates written after the leaf in its file (the kubelet's throwaway CA, a sent intermediate, a non-CA issuer). */
  chain: IssuedCert[];
  /** The certificate that actually signed this one (itself when self-signed). */
  issuer: IssuedCert;
  /** Id of the record whose CA signed it, or a synthetic id (`impostor:<ca>`, `intermediate:<leaf>`, `self`). */
  issuerId: string;
  faults: FaultEffect;
}

export interface Pki {
  preset: Preset;
  config: ClusterConfig;
  algorithm: KeyAlgorithm;
  generatedAt: Date;
  certs: ReadonlyMap<string, PkiCert>;
  keyPairs: ReadonlyMap<string, KeyMaterial>;
  /** ServiceAccount tokens by token file path. */
  tokens: ReadonlyMap<string, string>;
  /** Every file of the layout, in the preset's real paths. */
  files: readonly PkiFile[];
}
