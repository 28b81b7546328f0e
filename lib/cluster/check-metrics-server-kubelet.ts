// `check DIR` and metrics-server → kubelet (issue 14; kubeadm issue 1602): a default metrics-server
// verifies the kubelet's serving certificate with the in-cluster CA at the node's InternalIP. The
// addon is a Deployment in the API, not a file of the node, so what it runs with is an assumption
// (components.yaml's defaults), and the report labels it so: the edge never changes check's verdict.
import { IN_CLUSTER_CA } from '../clients/addon-credentials.js';
import type { LoadedNode } from '../node/load.js';
import type { EdgeResult } from '../verdict/result.js';
import type { StartedCluster } from './cluster.js';

/** Whether the edge was dialled, or why not. */
export type MetricsServerKubeletCase =
  /** The addon was started (front-proxy flags, the cluster CA pair in the folder) and the kubelet dialled. */
  | 'dialled'
  /** kube-apiserver has no --proxy-client-cert-file or --requestheader-client-ca-file: no aggregation layer, no addon started. */
  | 'no-front-proxy-flags'
  /** The front-proxy flags are set but the cluster CA pair is not in the folder: no serving certificate for a simulated metrics-server. */
  | 'no-cluster-ca'
  /** The node runs no kubelet: nothing for metrics-server to scrape on it. */
  | 'no-kubelet';

export interface MetricsServerKubelet {
  edge: 'metrics-server-to-kubelet';
  /** metrics-server as components.yaml ships it: no --kubelet-certificate-authority (the in-cluster CA), no --kubelet-insecure-tls. */
  assumption: 'metrics-server-defaults';
  case: MetricsServerKubeletCase;
  /**
   * The file metrics-server's in-cluster CA was taken from: the folder's own
   * /var/run/secrets/kubernetes.io/serviceaccount/ca.crt, or (a node copy holds no Pod's volumes)
   * kube-controller-manager --root-ca-file, which the kube-root-ca.crt ConfigMap publishes to every Pod.
   */
  inClusterCa?: string;
  /** The edge, dialled (case dialled). */
  result?: EdgeResult;
}

/** The in-cluster CA a Pod would see, when the folder holds none: the controller-manager's --root-ca-file (else the signing CA). */
function inClusterCa(node: LoadedNode, cluster: StartedCluster): string {
  if (cluster.fs.exists(IN_CLUSTER_CA)) return IN_CLUSTER_CA;
  const kcm = node.spec['kube-controller-manager'];
  const root = [kcm['--root-ca-file'], kcm['--cluster-signing-cert-file']].find((f): f is string => Boolean(f) && cluster.fs.exists(f!));
  if (!root) return IN_CLUSTER_CA;
  cluster.fs.write(IN_CLUSTER_CA, cluster.fs.read(root, 'kube-controller-manager --root-ca-file'));
  return root;
}

/**
 * The edge as a default metrics-server would see it, or why it is not dialled. `addon`: whether
 * check started the addon; `caMissing`: the front-proxy flags are set but the CA pair is not there.
 * Run before the kubelet fallback, which restarts the kubelet.
 */
export async function metricsServerKubelet(node: LoadedNode, cluster: StartedCluster, addon: boolean, caMissing: boolean): Promise<MetricsServerKubelet> {
  const base = { edge: 'metrics-server-to-kubelet' as const, assumption: 'metrics-server-defaults' as const };
  if (node.components.kubelet.how === 'absent') return { ...base, case: 'no-kubelet' };
  if (!addon) return { ...base, case: caMissing ? 'no-cluster-ca' : 'no-front-proxy-flags' };
  const ca = inClusterCa(node, cluster);
  return { ...base, case: 'dialled', inClusterCa: ca, result: await cluster.dial('metrics-server-to-kubelet') };
}
