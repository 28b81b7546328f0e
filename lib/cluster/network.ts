import type { ServerState } from '../clients/dial.js';
import type { ServerComponent } from '../edges/edges.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import { listFlag } from '../component-base/flags.js';
import { splitHostPort } from '../pki/cluster-config.js';
import type { ClusterConfig } from '../pki/types.js';
import { formatIP, isIP } from '../util/ip.js';

/** One spelling per address, so that 2001:db8:0:0:1::10 in a config and [2001:db8::1:0:0:10] in a URL meet. */
const routeKey = (host: string, port: number) => `${isIP(host) ? formatIP(host) : host.toLowerCase()}:${port}`;

/**
 * The node's network: every address a client may dial, mapped to the server that really listens on
 * 127.0.0.1. Returns the lookup a dial resolves host:port with.
 */
export function nodeNetwork(config: ClusterConfig, spec: ControlPlaneSpec, servers: Record<ServerComponent, ServerState>): (host: string, port: number) => ServerState | undefined {
  const network = new Map<string, ServerState>();
  const route = (host: string, port: number, server: ServerState) => network.set(routeKey(host, port), server);
  const local = ['127.0.0.1', 'localhost', config.advertiseAddress, config.nodeName];
  const apiPort = Number(spec['kube-apiserver']['--secure-port'] ?? config.bindPort);
  for (const host of local) route(host, apiPort, servers['kube-apiserver']);
  if (config.controlPlaneEndpoint) {
    const { host, port } = splitHostPort(config.controlPlaneEndpoint);
    route(host, port ?? config.bindPort, servers['kube-apiserver']);
  }
  for (const url of listFlag(spec.etcd, '--listen-client-urls')) {
    const { host, port } = splitHostPort(url.replace(/^https?:\/\//, ''));
    route(host, port ?? 2379, servers.etcd);
    if (host === '127.0.0.1') route('localhost', port ?? 2379, servers.etcd);
  }
  for (const host of local) route(host, 10250, servers.kubelet);
  // The addon's Service, as the aggregator dials it (its ClusterIP and endpoints all lead to the one metrics-server).
  const api = spec.apiService;
  if (api && servers['metrics-server']) route(`${api.service.name}.${api.service.namespace}.svc`, api.service.port, servers['metrics-server']);
  return (host, port) => network.get(routeKey(host, port));
}
