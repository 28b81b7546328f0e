import { humanDuration } from '../csr/printer.js';

/**
 * The server side of `kubectl get nodes|pods|namespaces|services|endpoints`: the meta.k8s.io/v1 Table
 * kube-apiserver returns for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, with the columns
 * and cells of pkg/printers/internalversion/printers.go (printNode, printPod, printNamespace,
 * printService, printEndpoints). Columns of priority 1 are the ones `-o wide` adds. Each row carries
 * the object's metadata (PartialObjectMetadata), which kubectl reads for `-A`'s NAMESPACE column.
 */
type Cell = string | number;
interface Column { name: string; type: string; format: string; description: string; priority: number }
// Loose on purpose: the builders in core-objects.ts are the only callers, and each printer reads its own fields.
type Obj = any;

const col = (name: string, description: string, priority = 0, type = 'string', format = ''): Column => ({ name, type, format, description, priority });
const NAME = col('Name', 'Name must be unique within a namespace.', 0, 'string', 'name');
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

function age(obj: Obj, now: Date): string {
  const created = Date.parse(obj.metadata?.creationTimestamp ?? '');
  return Number.isNaN(created) ? '<unknown>' : humanDuration(now.getTime() - created);
}

/** printNode's ROLES: every `node-role.kubernetes.io/<role>` label (and the legacy `kubernetes.io/role`). */
function roles(labels: Record<string, string> = {}): string {
  const found = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith('node-role.kubernetes.io/')) found.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value) found.add(value);
  }
  return found.size ? [...found].sort().join(',') : '<none>';
}

const orUnknown = (s: string | undefined) => (s ? s : '<unknown>');

const PRINTERS: Record<string, { columns: Column[]; cells: (o: Obj, now: Date) => Cell[] }> = {
  nodes: {
    columns: [
      NAME, col('Status', 'The status of the node'), col('Roles', 'The roles of the node'), AGE, col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1), col('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
      col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1), col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
      col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
    ],
    cells: (o, now) => {
      const ready = (o.status.conditions as Obj[]).find((c) => c.type === 'Ready');
      const address = (type: string) => (o.status.addresses as Obj[]).find((a) => a.type === type)?.address ?? '<none>';
      const info = o.status.nodeInfo;
      return [o.metadata.name, ready?.status === 'True' ? 'Ready' : 'NotReady', roles(o.metadata.labels), age(o, now), info.kubeletVersion,
        address('InternalIP'), address('ExternalIP'), orUnknown(info.osImage), orUnknown(info.kernelVersion), orUnknown(info.containerRuntimeVersion)];
    },
  },
  pods: {
    columns: [
      NAME, col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'), col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'), AGE,
      col('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1), col('Node', "NodeName is a request to schedule this pod onto a specific node.", 1),
      col('Nominated Node', "nominatedNodeName is set only when this pod preempts other pods on the node.", 1), col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
    ],
    cells: (o, now) => {
      const statuses = o.status.containerStatuses as Obj[];
      const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
      return [o.metadata.name, `${statuses.filter((c) => c.ready).length}/${o.spec.containers.length}`, o.status.phase, restarts, age(o, now),
        o.status.podIP ?? '<none>', o.spec.nodeName ?? '<none>', '<none>', '<none>'];
    },
  },
  namespaces: {
    columns: [NAME, col('Status', 'The status of the namespace'), AGE],
    cells: (o, now) => [o.metadata.name, o.status.phase, age(o, now)],
  },
  services: {
    columns: [
      NAME, col('Type', 'The type of the service'), col('Cluster-IP', 'The IP address of the service'), col('External-IP', 'The external IP address of the service'),
      col('Port(s)', 'The ports of the service'), AGE, col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
    ],
    cells: (o, now) => [o.metadata.name, o.spec.type, o.spec.clusterIP, '<none>', (o.spec.ports as Obj[]).map((p) => `${p.port}/${p.protocol}`).join(','), age(o, now),
      o.spec.selector ? Object.entries(o.spec.selector).map(([k, v]) => `${k}=${v}`).join(',') : '<none>'],
  },
  endpoints: {
    columns: [NAME, col('Endpoints', 'Endpoints of the service'), AGE],
    cells: (o, now) => [o.metadata.name, (o.subsets as Obj[]).flatMap((s) => (s.addresses as Obj[]).flatMap((a) => (s.ports as Obj[]).map((p) => `${a.ip}:${p.port}`))).join(',') || '<none>', age(o, now)],
  },
};

export function coreTable(resource: string, items: Obj[], now: Date, resourceVersion = '1') {
  const printer = PRINTERS[resource];
  if (!printer) return undefined;
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion },
    columnDefinitions: printer.columns,
    rows: items.map((o) => ({ cells: printer.cells(o, now), object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } })),
  };
}
