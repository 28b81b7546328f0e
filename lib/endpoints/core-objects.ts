import { createHash } from 'node:crypto';

/**
 * The read-only core objects `serve` shows kubectl: the cluster's Nodes (the control-plane node and
 * the nodes that joined), the control plane's static Pods in kube-system (kubeadm names them
 * `<component>-<node>`), the four namespaces a kubeadm cluster starts with, and the `kubernetes`
 * Service and its Endpoints. Shaped like kube-apiserver's objects, with the fields kubectl's
 * printers and `-o wide` read; the values are what this simulation runs, not guesses about a host.
 */
export interface CoreContext {
  /** The control-plane node (kubeadm's nodeRegistration.name). */
  nodeName: string;
  /** Every registered Node (the control-plane node and the joined ones). */
  nodes: ReadonlySet<string>;
  /** The nodes' InternalIP (the advertise address: every simulated node runs on this host). */
  nodeAddress: string;
  /** The control-plane kubelet's listening port (Node.status.daemonEndpoints), when it serves. */
  kubeletPort?: number | undefined;
  /** The apiserver's advertised port (the `kubernetes` Endpoints). */
  apiPort: number;
  /** When the cluster started: the objects' creationTimestamp. */
  since: Date;
}

export const KUBERNETES_VERSION = 'v1.32.0';
/** The components kubeadm runs as static Pods on a control-plane node, with their images. */
export const STATIC_PODS: ReadonlyArray<readonly [component: string, image: string]> = [
  ['etcd', 'registry.k8s.io/etcd:3.5.16-0'],
  ['kube-apiserver', `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`],
  ['kube-controller-manager', `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`],
  ['kube-scheduler', `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`],
];
export const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** Go's RFC 3339 without fractional seconds, as metav1.Time marshals. */
export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A stable UID per object, so repeated reads agree (as they would against etcd). */
function uid(kind: string, name: string): string {
  const h = createHash('sha256').update(`${kind}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function meta(kind: string, name: string, ctx: CoreContext, namespace?: string, labels?: Record<string, string>) {
  return {
    name, ...(namespace ? { namespace } : {}), uid: uid(kind, `${namespace ?? ''}/${name}`), resourceVersion: '1',
    creationTimestamp: rfc3339(ctx.since), ...(labels ? { labels } : {}),
  };
}

export function nodeObject(name: string, ctx: CoreContext) {
  const controlPlane = name === ctx.nodeName;
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
    ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
  };
  const since = rfc3339(ctx.since);
  const condition = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: since, lastTransitionTime: since, reason, message });
  return {
    kind: 'Node', apiVersion: 'v1', metadata: meta('Node', name, ctx, undefined, labels),
    // kubeadm taints the control-plane node so workloads go elsewhere.
    spec: controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    status: {
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: ctx.nodeAddress }, { type: 'Hostname', address: name }],
      // Joined nodes are simulated kubelets without a listener: the port they would serve on.
      daemonEndpoints: { kubeletEndpoint: { Port: controlPlane && ctx.kubeletPort !== undefined ? ctx.kubeletPort : 10250 } },
      nodeInfo: { kubeletVersion: KUBERNETES_VERSION, kubeProxyVersion: KUBERNETES_VERSION, operatingSystem: 'linux', architecture: 'amd64', osImage: '', kernelVersion: '', containerRuntimeVersion: '' },
    },
  };
}

export function staticPod(component: string, image: string, ctx: CoreContext) {
  const node = ctx.nodeName;
  const since = rfc3339(ctx.since);
  const ready = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: since });
  return {
    kind: 'Pod', apiVersion: 'v1',
    metadata: {
      ...meta('Pod', `${component}-${node}`, ctx, 'kube-system', { component, tier: 'control-plane' }),
      annotations: { 'kubernetes.io/config.source': 'file' },
      // A mirror Pod is owned by its Node.
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: uid('Node', `/${node}`), controller: true }],
    },
    spec: {
      nodeName: node, hostNetwork: true, priorityClassName: 'system-node-critical', priority: 2000001000, restartPolicy: 'Always',
      containers: [{ name: component, image, command: [component] }],
    },
    status: {
      phase: 'Running', qosClass: 'Burstable', hostIP: ctx.nodeAddress, podIP: ctx.nodeAddress, podIPs: [{ ip: ctx.nodeAddress }], startTime: since,
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(ready),
      containerStatuses: [{ name: component, ready: true, started: true, restartCount: 0, image, imageID: '', state: { running: { startedAt: since } } }],
    },
  };
}

export function namespaceObject(name: string, ctx: CoreContext) {
  return { kind: 'Namespace', apiVersion: 'v1', metadata: meta('Namespace', name, ctx, undefined, { 'kubernetes.io/metadata.name': name }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

export function kubernetesService(ctx: CoreContext) {
  return {
    kind: 'Service', apiVersion: 'v1',
    metadata: meta('Service', 'kubernetes', ctx, 'default', { component: 'apiserver', provider: 'kubernetes' }),
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: ctx.apiPort }], sessionAffinity: 'None' },
    status: { loadBalancer: {} },
  };
}

export function kubernetesEndpoints(ctx: CoreContext) {
  return {
    kind: 'Endpoints', apiVersion: 'v1',
    metadata: meta('Endpoints', 'kubernetes', ctx, 'default', { 'endpointslice.kubernetes.io/skip-mirror': 'true' }),
    subsets: [{ addresses: [{ ip: ctx.nodeAddress }], ports: [{ name: 'https', port: ctx.apiPort, protocol: 'TCP' }] }],
  };
}

/** Every object of a core resource, across namespaces (the caller narrows by namespace and selector). */
export function coreObjects(resource: string, ctx: CoreContext): Array<{ metadata: { name: string; namespace?: string; labels?: Record<string, string> } }> {
  switch (resource) {
    case 'nodes': return [...ctx.nodes].sort().map((n) => nodeObject(n, ctx));
    case 'pods': return STATIC_PODS.map(([c, image]) => staticPod(c, image, ctx));
    case 'namespaces': return NAMESPACES.map((n) => namespaceObject(n, ctx));
    case 'services': return [kubernetesService(ctx)];
    case 'endpoints': return [kubernetesEndpoints(ctx)];
    default: return [];
  }
}
