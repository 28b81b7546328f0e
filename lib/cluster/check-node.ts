// `check DIR` as data: a node folder read by loadNode, its components started from what was read,
// every edge dialled, and kubeadm's static checks over the same files, at one time.
import type { Clock } from '../clock.js';
import { isKubeMtlsSimError, KubeMtlsSimError } from '../errors.js';
import { etcdMembers, peerPair } from '../component-base/etcd-peer.js';
import { EDGE_NAMES, type EdgeName } from '../edges/edges.js';
import { KUBE_PROXY_KUBECONFIG } from '../node/paths.js';
import { loadNode, type LoadedNode, type NodeProblem, type UnmodelledFlag } from '../node/load.js';
import { staticChecks, type StaticChecks } from '../node/static-checks.js';
import type { EdgeResult } from '../verdict/result.js';
import { defineCluster } from './cluster.js';
import { kubeletFallback, type KubeletFallback } from './check-kubelet-fallback.js';
import { metricsServerKubelet, type MetricsServerKubelet } from './check-metrics-server-kubelet.js';
import { METRICS_SERVER_CERT, METRICS_SERVER_KEY, type MetricsServerAddon } from './metrics-server-addon.js';
import { NodeFs } from '../fs/node-fs.js';
import { readCertificates, readPrivateKey } from '../pki/pem.js';

export interface NodeCheck {
  root: string;
  at: string;
  node: LoadedNode;
  /** Every edge the node has, dialled. */
  edges: EdgeResult[];
  /** Edges the node's files do not hold, with why (kube-proxy as a kubeadm DaemonSet), and why in Chinese where the report has it. */
  skipped: { edge: EdgeName; why: string; zh?: string }[];
  /** Servers that did not start, with why (the file and flag their error names). */
  notStarted: { component: string; code: string; message: string; file?: string; field?: string }[];
  problems: NodeProblem[];
  unmodelledFlags: UnmodelledFlag[];
  static: StaticChecks;
  /** kubelet.conf's client certificate is past its time: what the kubelet does on its next start (its bootstrap token, or not). */
  kubeletFallback?: KubeletFallback;
  /** metrics-server → this node's kubelet, if metrics-server runs with its defaults (an assumption: the addon is not in the folder); never counted in `edges`. */
  metricsServerKubelet: MetricsServerKubelet;
}

/** The folder runs at least one component (a manifest, a unit, or the kubelet's files): it is a node's root. */
export function isNode(node: LoadedNode): boolean {
  return Object.values(node.components).some((c) => c.how !== 'absent');
}

/** A folder that holds no component is refused by name: seven config-errors would hide that the wrong folder was given. */
export function notANode(root: string): KubeMtlsSimError {
  return new KubeMtlsSimError('ERR_NODE_NOT_FOUND', `${root}: not a node folder: no etc/kubernetes/manifests/*.yaml, no etc/systemd/system/kube-*.service or etcd.service, no kubelet unit or var/lib/kubelet/kubeadm-flags.env (copy the node's /etc/kubernetes, /var/lib/kubelet and systemd folders into it, as docs/check.md shows)`, { file: root });
}

/**
 * On a kubeadm node kube-proxy is a DaemonSet: no unit, and its kubeconfig lives in the kube-proxy
 * ConfigMap, not on the node's disk. A copy of the node without it lacks that edge; it is not a
 * broken kube-proxy. (A kube-proxy with a unit, as the Hard Way installs it, is checked.)
 */
function daemonSetProxy(node: LoadedNode): NodeCheck['skipped'] {
  const proxy = node.components['kube-proxy'];
  const missing = node.problems.some((p) => p.component === 'kube-proxy' && p.error.code === 'ERR_FILE_NOT_FOUND');
  if (proxy.how !== 'absent' || !missing || node.spec.clients['kube-proxy'].kubeconfig !== KUBE_PROXY_KUBECONFIG) return [];
  return [{ edge: 'kube-proxy-to-apiserver', why: `kube-proxy has no unit and no ${KUBE_PROXY_KUBECONFIG}: on a kubeadm node it runs as a DaemonSet whose kubeconfig is in the kube-proxy ConfigMap (kubectl -n kube-system get configmap kube-proxy), not on the node` }];
}

/**
 * The front-proxy edge, when the apiserver's manifest sets the aggregation flags: dialled against a
 * metrics-server set up as it should be (a serving certificate from the cluster CA, that CA as the
 * APIService's caBundle, the request-header settings read from the apiserver's flags), so that what
 * is left to fail is the node's own: --proxy-client-cert-file against --requestheader-client-ca-file
 * and --requestheader-allowed-names. Without the cluster CA's key in the folder there is nothing to
 * give that metrics-server a certificate with, and the edge is skipped with why.
 */
function frontProxy(node: LoadedNode): { addon?: MetricsServerAddon; skipped: NodeCheck['skipped'] } {
  const apiserver = node.spec['kube-apiserver'];
  if (!apiserver['--proxy-client-cert-file'] || !apiserver['--requestheader-client-ca-file']) return { skipped: [] };
  const signer = node.spec['kube-controller-manager'];
  const [ca, key] = [signer['--cluster-signing-cert-file'], signer['--cluster-signing-key-file']];
  const fs = new NodeFs([], node.root);
  if (!ca || !key || !readable(fs, ca, key)) {
    return { skipped: [{ edge: 'apiserver-to-metrics-server', why: `the front-proxy flags are set, but the cluster CA (kube-controller-manager --cluster-signing-cert-file/--cluster-signing-key-file) is not in the folder to give a simulated metrics-server a serving certificate` }] };
  }
  return { addon: { flags: { '--tls-cert-file': METRICS_SERVER_CERT, '--tls-private-key-file': METRICS_SERVER_KEY }, apiService: { caBundleFile: ca } }, skipped: [] };
}

/** A CA pair that can sign: both files there and parsing (a broken one is the controller-manager's finding, not this edge's). */
function readable(fs: NodeFs, certFile: string, keyFile: string): boolean {
  try {
    return readCertificates(fs.read(certFile, 'CA'), { file: certFile }).length > 0 && readPrivateKey(fs.read(keyFile, 'CA key'), { file: keyFile }) !== undefined;
  } catch (error) {
    if (error instanceof KubeMtlsSimError) return false;
    throw error;
  }
}

/**
 * The etcd peer edge exists when --initial-cluster names two members or more. A folder holds one
 * member's files, so the edge is dialled as another member made the same way dials this one: this
 * member's peer certificate on both ends, at its own peer URL (see cluster.ts). A one-member etcd
 * has no peer to dial: the edge is absent, and the report says so. A --initial-cluster that etcd
 * itself refuses is dialled all the same: the edge then shows etcd's error.
 */
function etcdPeer(node: LoadedNode): { dial: boolean; skipped: NodeCheck['skipped'] } {
  if (node.components.etcd.how === 'absent' || node.spec.problems?.etcd) return { dial: false, skipped: [] };
  try {
    if (peerPair(node.spec.etcd)) return { dial: true, skipped: [] };
  } catch (error) {
    if (isKubeMtlsSimError(error)) return { dial: true, skipped: [] };
    throw error;
  }
  const flags = node.spec.etcd;
  const one = etcdMembers(flags).map((m) => `${m.name}=${m.url}`).join(',');
  const [named, zhNamed] = flags['--initial-cluster'] ? [`etcd --initial-cluster names one member (${one})`, `etcd --initial-cluster 只有一个成员（${one}）`]
    : [`etcd has no --initial-cluster: it is one member (${one})`, `etcd 没有设置 --initial-cluster：它只有一个成员（${one}）`];
  return { dial: false, skipped: [{ edge: 'etcd-peer',
    why: `${named}: a one-member etcd dials no peer on its peer port, so there is no member-to-member edge (a second member, added with etcdctl member add or kubeadm join --control-plane, brings it)`,
    zh: `${zhNamed}：单成员的 etcd 不会通过 peer 端口连接其他成员，因此没有成员之间的连接（用 etcdctl member add 或 kubeadm join --control-plane 加入第二个成员后才有）` }] };
}

/** Reads the node under `root`, starts it at the clock's time, dials every edge, and stops it. */
export async function checkNode(root: string, clock: Clock): Promise<NodeCheck> {
  const node = await loadNode(root);
  if (!isNode(node)) throw notANode(root);
  const proxySkipped = daemonSetProxy(node);
  const problems = proxySkipped.length ? node.problems.filter((p) => p.component !== 'kube-proxy') : node.problems;
  const checks = staticChecks(node, clock);
  const aggregation = frontProxy(node);
  const peers = etcdPeer(node);
  const skipped = [...proxySkipped, ...aggregation.skipped, ...peers.skipped];
  await using cluster = await defineCluster({ node, clock, ...(aggregation.addon ? { metricsServer: aggregation.addon } : {}) }).start();
  const dialled: EdgeName[] = [...EDGE_NAMES, ...(aggregation.addon ? ['apiserver-to-metrics-server' as const] : []), ...(peers.dial ? ['etcd-peer' as const] : [])];
  const edges = await Promise.all(dialled.filter((e) => !skipped.some((s) => s.edge === e)).map((edge) => cluster.dial(edge)));
  // An assumption about the addon, beside the edges and not among them: it does not change check's verdict.
  const scraped = await metricsServerKubelet(node, cluster, aggregation.addon !== undefined, aggregation.skipped.length > 0);
  // Once every edge has its answer as the node is now: the fallback changes the kubelet's files.
  const fallback = await kubeletFallback(node, cluster, clock);
  const notStarted = Object.entries(cluster.servers).flatMap(([component, s]) => (s.startupError ? [{
    component, code: s.startupError.code, message: s.startupError.message,
    ...(s.startupError.file ? { file: s.startupError.file } : {}), ...(s.startupError.field ? { field: s.startupError.field } : {}),
  }] : []));
  return { root, at: clock.now().toISOString(), node, edges, skipped, notStarted, problems, unmodelledFlags: node.unmodelledFlags, static: checks, metricsServerKubelet: scraped, ...(fallback ? { kubeletFallback: fallback } : {}) };
}
