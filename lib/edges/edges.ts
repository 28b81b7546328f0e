import { KubeMtlsSimError } from '../errors.js';
import type { ClientComponent } from '../component-base/presets.js';

/**
 * The seven edges of the reference document (§1.1) and the metrics-server addon's two, as data: who dials whom, where the client's
 * credentials come from, and the request it makes (the one a real component makes first and a
 * wrong identity would be refused on).
 */
export const EDGE_NAMES = [
  'kubectl-to-apiserver', 'apiserver-to-etcd', 'scheduler-to-apiserver', 'controller-manager-to-apiserver',
  'kube-proxy-to-apiserver', 'kubelet-to-apiserver', 'apiserver-to-kubelet',
] as const;
/** The reference document's seven edges: every cluster has them, and `dialAll` dials them. */
export type ReferenceEdgeName = (typeof EDGE_NAMES)[number];
/**
 * Edges beyond the reference document's seven that need more than the default cluster starts
 * (etcd-peer: a second member in --initial-cluster): dialled by name, not by `dialAll`.
 */
export const EXTRA_EDGE_NAMES = ['etcd-peer'] as const;

/**
 * Edges of the metrics-server addon (issue 14): the aggregation layer's front-proxy connection and
 * metrics-server's scrape of the kubelet. A cluster has them only when started with `metricsServer`.
 */
export const ADDON_EDGE_NAMES = ['apiserver-to-metrics-server', 'metrics-server-to-kubelet'] as const;
export type AddonEdgeName = (typeof ADDON_EDGE_NAMES)[number];
export type EdgeName = ReferenceEdgeName | AddonEdgeName | (typeof EXTRA_EDGE_NAMES)[number];
/** Every edge the simulator knows, the reference document's first. */
export const ALL_EDGE_NAMES: readonly EdgeName[] = [...EDGE_NAMES, ...ADDON_EDGE_NAMES, ...EXTRA_EDGE_NAMES];

export type ServerComponent = 'kube-apiserver' | 'etcd' | 'kubelet' | 'metrics-server';

export interface EdgeSpec {
  name: EdgeName;
  /** Its number in the reference document's list (8 and on: the edges beyond it). */
  number: number;
  client: ClientComponent | 'kube-apiserver' | 'metrics-server' | 'etcd';
  server: ServerComponent;
  /**
   * Where the client's side of the connection is configured: a kubeconfig, the apiserver's flags
   * (for the aggregation layer: --proxy-client-* and the APIService's caBundle), metrics-server's
   * flags, or etcd's own --peer-* flags (this member dials the next member of --initial-cluster).
   */
  credentials: { kind: 'kubeconfig'; client: ClientComponent } | { kind: 'apiserver-flags'; target: 'etcd' | 'kubelet' | 'metrics-server' } | { kind: 'metrics-server-flags' }
    | { kind: 'etcd-peer-flags' };
  /** `headers`: what the client adds itself (the front proxy's X-Remote-User and X-Remote-Group). */
  request: (nodeName: string) => { method: string; path: string; body?: string; headers?: Record<string, string> };
  /** What a person would type or see to make the same request. */
  what: (nodeName: string) => string;
}

export const EDGES: Readonly<Record<EdgeName, EdgeSpec>> = {
  'kubectl-to-apiserver': {
    name: 'kubectl-to-apiserver', number: 1, client: 'kubectl', server: 'kube-apiserver', credentials: { kind: 'kubeconfig', client: 'kubectl' },
    request: () => ({ method: 'GET', path: '/api/v1/namespaces/kube-system/pods?limit=500' }),
    what: () => 'kubectl get pods -n kube-system',
  },
  'apiserver-to-etcd': {
    name: 'apiserver-to-etcd', number: 2, client: 'kube-apiserver', server: 'etcd', credentials: { kind: 'apiserver-flags', target: 'etcd' },
    // The JSON gateway's Range, as the apiserver's storage reads /registry/namespaces/default.
    request: () => ({ method: 'POST', path: '/v3/kv/range', body: JSON.stringify({ key: Buffer.from('/registry/namespaces/default').toString('base64') }) }),
    what: () => 'kube-apiserver reads /registry/namespaces/default from etcd',
  },
  'scheduler-to-apiserver': {
    name: 'scheduler-to-apiserver', number: 3, client: 'kube-scheduler', server: 'kube-apiserver', credentials: { kind: 'kubeconfig', client: 'kube-scheduler' },
    request: () => ({ method: 'GET', path: '/api/v1/pods?limit=500&resourceVersion=0' }),
    what: () => 'kube-scheduler lists pods (its informer)',
  },
  'controller-manager-to-apiserver': {
    name: 'controller-manager-to-apiserver', number: 4, client: 'kube-controller-manager', server: 'kube-apiserver', credentials: { kind: 'kubeconfig', client: 'kube-controller-manager' },
    request: () => ({ method: 'GET', path: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager' }),
    what: () => 'kube-controller-manager reads its leader-election lease',
  },
  'kube-proxy-to-apiserver': {
    name: 'kube-proxy-to-apiserver', number: 5, client: 'kube-proxy', server: 'kube-apiserver', credentials: { kind: 'kubeconfig', client: 'kube-proxy' },
    request: () => ({ method: 'GET', path: '/api/v1/services?limit=500&resourceVersion=0' }),
    what: () => 'kube-proxy lists services (its informer)',
  },
  'kubelet-to-apiserver': {
    name: 'kubelet-to-apiserver', number: 6, client: 'kubelet', server: 'kube-apiserver', credentials: { kind: 'kubeconfig', client: 'kubelet' },
    request: (node) => ({ method: 'GET', path: `/api/v1/nodes/${node}` }),
    what: (node) => `kubelet reads its Node object "${node}" to update its status`,
  },
  'apiserver-to-kubelet': {
    name: 'apiserver-to-kubelet', number: 7, client: 'kube-apiserver', server: 'kubelet', credentials: { kind: 'apiserver-flags', target: 'kubelet' },
    request: (node) => ({ method: 'GET', path: `/containerLogs/kube-system/kube-apiserver-${node}/kube-apiserver` }),
    what: (node) => `kubectl logs -n kube-system kube-apiserver-${node} (the apiserver fetches the log from the kubelet)`,
  },
  'apiserver-to-metrics-server': {
    name: 'apiserver-to-metrics-server', number: 8, client: 'kube-apiserver', server: 'metrics-server', credentials: { kind: 'apiserver-flags', target: 'metrics-server' },
    // kube-aggregator's proxy: the user kubectl authenticated as travels in the request headers
    // (--requestheader-username-headers / --requestheader-group-headers), the connection carries --proxy-client-cert-file.
    request: () => ({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/nodes', headers: { 'X-Remote-User': 'kubernetes-admin', 'X-Remote-Group': 'kubeadm:cluster-admins' } }),
    what: () => 'kubectl top node (the apiserver proxies GET /apis/metrics.k8s.io/v1beta1/nodes to metrics-server)',
  },
  'metrics-server-to-kubelet': {
    name: 'metrics-server-to-kubelet', number: 9, client: 'metrics-server', server: 'kubelet', credentials: { kind: 'metrics-server-flags' },
    request: () => ({ method: 'GET', path: '/metrics/resource' }),
    what: (node) => `metrics-server scrapes the kubelet of "${node}" (GET /metrics/resource)`,
  },
  'etcd-peer': {
    name: 'etcd-peer', number: 10, client: 'etcd', server: 'etcd', credentials: { kind: 'etcd-peer-flags' },
    // rafthttp's first request to a peer is a GET on its peer URL (the member list, the version, /raft/probing): any of them needs the peer TLS.
    request: () => ({ method: 'GET', path: '/members' }),
    what: () => 'an etcd member asks another member for the member list on its peer URL (rafthttp, port 2380)',
  },
};

export function edgeSpec(name: string): EdgeSpec {
  if ((ALL_EDGE_NAMES as readonly string[]).includes(name)) return EDGES[name as EdgeName];
  throw new KubeMtlsSimError('ERR_EDGE_UNKNOWN', `unknown edge "${name}" (one of: ${ALL_EDGE_NAMES.join(', ')})`, { field: 'edge' });
}
