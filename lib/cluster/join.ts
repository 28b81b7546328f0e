import { KubeMtlsSimError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import type { Endpoint } from '../endpoints/tls-endpoint.js';
import type { KubeletCertificates } from '../kubelet/certificates.js';
import { runFleet, type NodeJoin } from '../kubelet/fleet.js';
import type { ClusterConfig, KeyAlgorithm } from '../pki/types.js';
import type { JoinNodesOptions } from './options.js';

/** What joining nodes needs from a started cluster. */
export interface JoinContext {
  config: ClusterConfig;
  algorithm: KeyAlgorithm;
  spec: ControlPlaneSpec;
  clock: Clock;
  kubelet: KubeletCertificates;
  apiserver(): Endpoint | undefined;
  stopped(): boolean;
  register(name: string): void;
  signal: AbortSignal;
  /** Fleets in flight: stop() waits for their workers to end. */
  fleets: Set<Promise<NodeJoin[]>>;
}

function whole(field: 'workers' | 'concurrency', value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new KubeMtlsSimError('ERR_USAGE', `joinNodes: ${field} must be a whole number ≥ 1, not ${value}`, { field });
  return value;
}

/** StartedCluster.joinNodes: many kubelets bootstrapping on worker threads against the running apiserver. */
export async function joinNodes(ctx: JoinContext, names: readonly string[], token: string, options: JoinNodesOptions = {}): Promise<NodeJoin[]> {
  const endpoint = ctx.apiserver();
  if (ctx.stopped()) throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', 'cannot join nodes: the cluster was stopped');
  if (!endpoint) throw new KubeMtlsSimError('ERR_CLUSTER_STOPPED', 'cannot join nodes: kube-apiserver is not running', { field: 'kube-apiserver' });
  const workers = whole('workers', options.workers ?? 1);
  const concurrency = whole('concurrency', options.concurrency ?? 32);
  if (names.length === 0) return [];
  const { config, spec } = ctx;
  const fleet = runFleet({
    names: [...names], token, port: endpoint.port, apiPort: config.bindPort,
    serverAddress: config.advertiseAddress, nodeAddress: config.advertiseAddress,
    rootsPem: ctx.kubelet.ctx.roots.map((c) => c.pem).join(''), apiserverChainPem: endpoint.chain.map((c) => c.pem).join(''),
    algorithm: ctx.algorithm, certDir: spec.kubelet.certDir, kubeconfig: spec.kubelet.kubeconfig,
    nowMs: ctx.clock.now().getTime(), concurrency,
    ...(options.request ? { request: options.request } : {}),
  }, workers, ctx.register, ctx.signal);
  ctx.fleets.add(fleet);
  try {
    return await fleet;
  } finally {
    ctx.fleets.delete(fleet);
  }
}
