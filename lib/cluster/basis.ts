// What a cluster starts from besides its files and flags: a generated PKI (the presets), or a node
// folder read back by loadNode. Both give the same few facts the control plane needs.
import { isKubeMtlsSimError } from '../errors.js';
import { pkiIssuers } from '../clients/issuers.js';
import type { NodeFs } from '../fs/node-fs.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import type { Pki } from '../layout/generate.js';
import type { LoadedNode } from '../node/load.js';
import type { IssuerOf } from '../verdict/observation.js';
import type { ClusterBasis } from './control-plane.js';

export interface ClusterOrigin {
  basis: ClusterBasis;
  pki?: Pki;
  node?: LoadedNode;
  /** Who really signed each certificate, where the cluster knows it (a generated PKI does; a folder does not say). */
  issuerOf?: IssuerOf;
}

export function pkiOrigin(pki: Pki): ClusterOrigin {
  const ca = pki.preset.kubeconfigs.find((k) => k.file === pki.preset.kubelet.kubeconfig)?.ca ?? pki.preset.kubelet.clientCA;
  return { pki, issuerOf: pkiIssuers(pki), basis: { config: pki.config, algorithm: pki.algorithm, kubeletRoots: [pki.certs.get(ca)!.cert] } };
}

/** A node's basis: the kubelet trusts the apiserver with its kubeconfig's CA, read from the node (none when it cannot be read). */
export function nodeOrigin(node: LoadedNode, fs: NodeFs, spec: ControlPlaneSpec): ClusterOrigin {
  let roots: ClusterBasis['kubeletRoots'] = [];
  try {
    const file = spec.kubelet.kubeconfig;
    roots = parseKubeconfig(fs.read(file, 'kubelet --kubeconfig').toString('utf8'), file, { readFile: (path, by) => fs.read(path, `${by.field} in ${by.file}`) }).ca?.certs ?? [];
  } catch (error) {
    if (!isKubeMtlsSimError(error)) throw error;
  }
  return { node, basis: { config: node.config, algorithm: 'ecdsa-p256', kubeletRoots: roots } };
}
