import type { BootstrapTokenSecret } from '../authn/bootstrap-tokens.js';
import type { FlagOverrides } from '../component-base/flags.js';
import type { ClientComponent, ComponentSpecs } from '../component-base/presets.js';
import type { KubeletConfigOverrides } from '../kubeletconfig/config.js';
import type { GeneratePkiOptions, Pki } from '../layout/generate.js';
import type { LoadedNode } from '../node/load.js';
import type { FileChanges } from '../node/file-changes.js';
import type { MetricsServerAddon } from './metrics-server-addon.js';

export interface ClusterOptions extends Omit<GeneratePkiOptions, 'preset'>, Omit<FileChanges, 'files'> {
  /** @default 'kubeadm' */
  preset?: 'kubeadm' | 'reference';
  /** Use this PKI instead of generating one (with it, `faults` is ERR_USAGE: give them to `generatePki`). */
  pki?: Pki;
  /**
   * Start from a node folder read by `loadNode(dir)`: the components' flags and files are the
   * node's (no PKI is generated; `preset`, `pki` and key options are not used). Flag and file
   * changes below still apply on top.
   */
  node?: LoadedNode;
  /** Changes to the node's files after generation: contents, or `null` to delete. */
  files?: Readonly<Record<string, string | Buffer | null>>;
  /** kube-apiserver flag changes, e.g. `{ '--kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt' }`; `null` removes a flag. */
  apiserver?: FlagOverrides;
  etcd?: FlagOverrides;
  /** kube-controller-manager flag changes (the CSR signer's `--cluster-signing-*`). */
  controllerManager?: FlagOverrides;
  /** KubeletConfiguration fields merged into the config file's; `null` removes a field. */
  kubelet?: KubeletConfigOverrides;
  /** The components' flags and files for this cluster's preset, from its records' paths (default: those of the built-in preset of the same name). */
  components?: ComponentSpecs;
  /** Point a client at another kubeconfig. */
  clients?: Partial<Record<ClientComponent, { kubeconfig: string }>>;
  /** Bootstrap token Secrets in kube-system. */
  bootstrapTokens?: BootstrapTokenSecret[];
  /** Run the metrics-server addon: its server, its APIService and the two edges it adds (apiserver-to-metrics-server, metrics-server-to-kubelet). */
  metricsServer?: MetricsServerAddon;
}

export interface JoinNodesOptions {
  /** Worker threads the kubelets run on. @default 1 */
  workers?: number;
  /** Kubelets bootstrapping at once on each worker. @default 32 */
  concurrency?: number;
  /** The first request each node makes with its new certificate; `{node}` in the path is its name. */
  request?: { method: string; path: string };
}
