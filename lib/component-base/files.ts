import type { KeyObject } from 'node:crypto';
import type { NodeFs } from '../fs/node-fs.js';
import type { IssuedCert } from '../pki/issue.js';
import { checkKeyPair, readCertificates, readPrivateKey } from '../pki/pem.js';
import { requireGoParsableBundle, requireGoParsableLeaf } from '../x509/go-load.js';

/** A serving or client identity as Go's tls.LoadX509KeyPair loads it: the cert chain file and its key. */
export interface LoadedKeyPair {
  chain: IssuedCert[];
  key: KeyObject;
  /** The cert file's certificates as PEM (leaf first), and the key as PEM, ready for node:tls. */
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
}

/**
 * The PKCS #8 PEM node:tls is given, per key: the keys themselves are parsed once per distinct file
 * contents (pem.ts), and each export is an OpenSSL encoder run (~0.3 ms) that a cluster's components
 * would otherwise repeat for the same key at every start.
 */
const pkcs8Pems = new WeakMap<KeyObject, string>();
function pkcs8Pem(key: KeyObject): string {
  let pem = pkcs8Pems.get(key);
  if (pem === undefined) pkcs8Pems.set(key, (pem = key.export({ type: 'pkcs8', format: 'pem' }) as string));
  return pem;
}

/** tls.LoadX509KeyPair: read both files, refuse swapped, mismatched or unparsable input with Go's wording. */
export function loadKeyPair(fs: NodeFs, certFile: string, keyFile: string, certField: string, keyField: string): LoadedKeyPair {
  const chain = readCertificates(fs.read(certFile, certField), { file: certFile, field: certField });
  const { keyObject } = readPrivateKey(fs.read(keyFile, keyField), { file: keyFile, field: keyField });
  requireGoParsableLeaf(chain, { file: certFile, field: certField });
  checkKeyPair(chain[0]!, keyObject, { file: certFile, field: certField }, { file: keyFile, field: keyField });
  return {
    chain, key: keyObject, certFile, keyFile,
    certPem: chain.map((c) => c.pem).join(''),
    keyPem: pkcs8Pem(keyObject),
  };
}

/** A CA bundle file (`--client-ca-file`, `--etcd-cafile`, `clientCAFile`, …): every certificate in it is a root. */
export function loadCaBundle(fs: NodeFs, file: string, field: string): { certs: IssuedCert[]; file: string; field: string } {
  const certs = readCertificates(fs.read(file, field), { file, field });
  requireGoParsableBundle(certs, { file, field });
  return { certs, file, field };
}
