// `check DIR` as data: a node folder read by loadNode, its components started from what was read,
// every edge dialled, and kubeadm's static checks over the same files, at one time.
import type { Clock } from '../clock.js';
import { KubeMtlsSimError } from '../errors.js';
import { EDGE_NAMES } from '../edges/edges.js';
import { loadNode, type LoadedNode, type NodeProblem, type UnmodelledFlag } from '../node/load.js';
import { staticChecks, type StaticChecks } from '../node/static-checks.js';
import type { EdgeResult } from '../verdict/result.js';
import { defineCluster } from './cluster.js';

export interface NodeCheck {
  root: string;
  at: string;
  node: LoadedNode;
  /** Every edge the node has, dialled. */
  edges: EdgeResult[];
  /** Servers that did not start, with why (the file and flag their error names). */
  notStarted: { component: string; code: string; message: string; file?: string; field?: string }[];
  problems: NodeProblem[];
  unmodelledFlags: UnmodelledFlag[];
  static: StaticChecks;
}

/** The folder runs at least one component (a manifest, a unit, or the kubelet's files): it is a node's root. */
export function isNode(node: LoadedNode): boolean {
  return Object.values(node.components).some((c) => c.how !== 'absent');
}

/** A folder that holds no component is refused by name: seven config-errors would hide that the wrong folder was given. */
export function notANode(root: string): KubeMtlsSimError {
  return new KubeMtlsSimError('ERR_NODE_NOT_FOUND', `${root}: not a node folder: no etc/kubernetes/manifests/*.yaml, no etc/systemd/system/kube-*.service or etcd.service, no kubelet unit or var/lib/kubelet/kubeadm-flags.env (copy the node's /etc/kubernetes, /var/lib/kubelet and systemd folders into it, as docs/check.md shows)`, { file: root });
}

/** Reads the node under `root`, starts it at the clock's time, dials every edge, and stops it. */
export async function checkNode(root: string, clock: Clock): Promise<NodeCheck> {
  const node = await loadNode(root);
  if (!isNode(node)) throw notANode(root);
  const checks = staticChecks(node, clock);
  await using cluster = await defineCluster({ node, clock }).start();
  const edges = await Promise.all(EDGE_NAMES.map((edge) => cluster.dial(edge)));
  const notStarted = Object.entries(cluster.servers).flatMap(([component, s]) => (s.startupError ? [{
    component, code: s.startupError.code, message: s.startupError.message,
    ...(s.startupError.file ? { file: s.startupError.file } : {}), ...(s.startupError.field ? { field: s.startupError.field } : {}),
  }] : []));
  return { root, at: clock.now().toISOString(), node, edges, notStarted, problems: node.problems, unmodelledFlags: node.unmodelledFlags, static: checks };
}
