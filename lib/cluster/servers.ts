import { isKubeMtlsSimError } from '../errors.js';
import type { ServerState } from '../clients/dial.js';
import type { ServerComponent } from '../edges/edges.js';
import type { ConfigureEnv, ServerComponentModule, StartContext } from '../components/component.js';
import { etcd } from '../components/etcd.js';
import { kubeApiserver } from '../components/kube-apiserver.js';
import { kubelet, kubeletFlags } from '../components/kubelet.js';
import { metricsServer } from '../components/metrics-server.js';
import type { Flags } from '../component-base/flags.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import type { Endpoint } from '../endpoints/tls-endpoint.js';
import type { NodeFs } from '../fs/node-fs.js';

/** The servers of a control plane, in the order they start: the cluster loops over this table. */
export const SERVER_COMPONENTS: readonly ServerComponentModule[] = [kubeApiserver, etcd, kubelet, metricsServer];

/** An addon's server runs only in a cluster whose spec has its command line. */
const runs = (spec: ControlPlaneSpec, module: ServerComponentModule) => module.name !== 'metrics-server' || spec['metrics-server'] !== undefined;

/** A server's command line in a spec (the kubelet's is its three path flags). */
export function commandLine(spec: ControlPlaneSpec, component: ServerComponent): Flags {
  return component === 'kubelet' ? kubeletFlags(spec.kubelet) : spec[component] ?? {};
}

/** A server's configuration as `configure` made it, and its endpoint (built, not yet listening). */
export type Built = { module: ServerComponentModule; config: unknown; endpoint: Endpoint };

/**
 * Configures one server, records on `state` what it presents and verifies with, and builds its
 * endpoint; a typed error is the server refusing to start (kept on `state`; undefined is returned).
 */
export function buildServer(state: ServerState, module: ServerComponentModule, fs: NodeFs, flags: Flags, env: ConfigureEnv, ctx: StartContext, spec?: ControlPlaneSpec): Built | undefined {
  try {
    const problem = spec?.problems?.[module.name];
    if (problem) throw problem;
    const config = module.configure(fs, flags, env);
    const described = module.describe(config);
    state.presents = described.presents;
    state.verifiesClientsWith = described.verifiesClientsWith;
    if (described.minVersion) state.minVersion = described.minVersion;
    return { module, config, endpoint: module.start(config, ctx) };
  } catch (error) {
    if (!isKubeMtlsSimError(error)) throw error;
    state.startupError = error;
    return undefined;
  }
}

/** Every server the table holds, configured and built (not yet listening). */
export function startServers(fs: NodeFs, spec: ControlPlaneSpec, env: ConfigureEnv, ctx: StartContext) {
  const servers = {} as Record<ServerComponent, ServerState>;
  const built: Partial<Record<ServerComponent, Built>> = {};
  for (const module of SERVER_COMPONENTS.filter((m) => runs(spec, m))) {
    const state: ServerState = { component: module.name };
    servers[module.name] = state;
    const server = buildServer(state, module, fs, commandLine(spec, module.name), env, ctx, spec);
    if (server) {
      state.endpoint = server.endpoint;
      built[module.name] = server;
    }
  }
  return { servers, built };
}

/** Listens on every built endpoint; if one cannot, closes them all and throws its error. */
export async function listenAll(servers: Record<ServerComponent, ServerState>): Promise<Endpoint[]> {
  const endpoints = Object.values(servers).flatMap((s) => (s.endpoint ? [s.endpoint] : []));
  const listened = await Promise.allSettled(endpoints.map((e) => e.listen()));
  const failed = listened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(endpoints.map((e) => e.close()));
    throw failed.reason;
  }
  return endpoints;
}
