import { stringifyYaml as stringify } from '../util/lazy.js';
import { BoundedCache } from '../util/bounded-cache.js';
import type { Kubeconfig, KubeconfigCluster, KubeconfigUser } from './types.js';
import { goStringOrder } from '../util/order.js';
import { plainYaml } from '../util/plain-yaml.js';

export interface KubeconfigSpec {
  clusterName: string;
  cluster: KubeconfigCluster;
  userName: string;
  user: KubeconfigUser;
  contextName: string;
}

/** One cluster, one user, one context, current: the shape kubeadm writes. */
export function buildKubeconfig(spec: KubeconfigSpec): Kubeconfig {
  return {
    apiVersion: 'v1',
    clusters: [{ cluster: sortKeys(spec.cluster), name: spec.clusterName }],
    contexts: [{ context: { cluster: spec.clusterName, user: spec.userName }, name: spec.contextName }],
    'current-context': spec.contextName,
    kind: 'Config',
    preferences: {},
    users: [{ name: spec.userName, user: sortKeys(spec.user) }],
  };
}

/** YAML as client-go writes it: keys in alphabetical order, block style, no line folding. */
export function stringifyKubeconfig(config: Kubeconfig | Record<string, unknown>): string {
  // The same kubeconfig is written again and again (every node of a cluster gets the same kubelet.conf): YAML once per content.
  // Most are maps of plain strings, written directly (lib/util/plain-yaml.ts): the same text, without yaml's writer.
  return written.getOrCreate(JSON.stringify(config), () => plainYaml(config) ?? stringify(config, { lineWidth: 0, minContentWidth: 0, indentSeq: false, sortMapEntries: true }));
}

const written = new BoundedCache<string, string>(256);

function sortKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => goStringOrder(a, b))) as T;
}
