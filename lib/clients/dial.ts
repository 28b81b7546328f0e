import type { Clock } from '../clock.js';
import type { NodeFs } from '../fs/node-fs.js';
import type { ControlPlaneSpec } from '../component-base/presets.js';
import type { Flags } from '../component-base/flags.js';
import { isKubeMtlsSimError, KubeMtlsSimError } from '../errors.js';
import type { Endpoint } from '../tls/connection.js';
import { decide, decideConfigError, needsAnonymousProbe } from '../verdict/decide.js';
import type { ClientFacts, IssuerOf, Observation, ServerView } from '../verdict/observation.js';
import type { ClientSeat } from '../tls/connection-ledger.js';
import { summarizeCert, summarizeTrust, type EdgeResult, type TrustSummary } from '../verdict/result.js';
import { resolveClient, type ClientSide } from './credentials.js';
import type { EdgeSpec, ServerComponent } from '../edges/edges.js';
import { probeAnonymous } from './anonymous-probe.js';
import { exchange, type WireOutcome } from './exchange.js';

/** A server as the cluster started it: running, or refused to start with a typed error. */
export interface ServerState {
  component: ServerComponent;
  endpoint?: Endpoint;
  startupError?: KubeMtlsSimError;
  /** What it presents, and what it verifies clients with (for the report). */
  presents?: EdgeResult['server']['presented'];
  verifiesClientsWith?: TrustSummary | null;
  /** The lowest TLS version it accepts, when a flag sets one. */
  minVersion?: string;
}

export interface DialContext {
  clock: Clock;
  fs: NodeFs;
  spec: ControlPlaneSpec;
  apiserverFlags: Flags;
  node: { name: string; address: string };
  servers: Record<ServerComponent, ServerState>;
  /** Which running server answers at host:port (the cluster's "network"); everything really listens on 127.0.0.1. */
  lookup(host: string, port: number): ServerState | undefined;
  signal: AbortSignal;
  /** The cluster's connection ledger: the client announces what it sends and reads the server's record of its connection. */
  ledger: ClientSeat<ServerView>;
  /** The etcd-peer edge dials this member's own peer URL (a cluster started from a node folder, which holds one member's files). */
  etcdPeerDialsSelf?: boolean;
  /** The certificate that really signed one the cluster issued (the PKI's own record), so a result can say an intermediate was not sent. */
  issuerOf?: IssuerOf;
}

export interface DialOptions {
  /** Restrict the client's TLS versions (e.g. a client that only speaks TLS 1.2). */
  clientMaxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** How long to wait for the handshake and the answer. @default 15000 */
  timeoutMs?: number;
  /** The request to send instead of the edge's own (the apiserver proxying a user's `kubectl logs` or `exec` to the kubelet). */
  request?: { method: string; path: string; body?: string; headers?: Record<string, string> };
  /** Told what the client saw on the wire (the answer included), when a connection was made. */
  onWire?: (wire: WireOutcome) => void;
}

/** Dials one edge for real and says, as Kubernetes would, whether mutual authentication held. */
export async function dialEdge(ctx: DialContext, edge: EdgeSpec, options: DialOptions = {}): Promise<EdgeResult> {
  const started = performance.now();
  const server = ctx.servers[edge.server];
  const base = {
    edge: edge.name,
    server: {
      component: edge.server, presented: server.presents ?? null, requestedClientCert: null as boolean | null,
      verifiesClientsWith: server.verifiesClientsWith ?? null, saw: {},
      ...(server.endpoint ? { listening: `127.0.0.1:${server.endpoint.port}` } : {}),
      ...(server.minVersion ? { minVersion: server.minVersion } : {}),
    },
  };
  const at = ctx.clock.now().toISOString();
  const finish = (r: Omit<EdgeResult, 'edge' | 'server' | 'timings' | 'at'> & { server?: Partial<EdgeResult['server']> }, handshakeMs?: number): EdgeResult => ({
    ...r, edge: edge.name, at, server: { ...base.server, ...r.server },
    timings: { totalMs: performance.now() - started, ...(handshakeMs !== undefined ? { handshakeMs } : {}) },
  });

  const configError = (side: 'client' | 'server', component: string, error: KubeMtlsSimError, clientDidNotStart = false) =>
    decideConfigError({ kind: 'config-error', edge, nodeName: ctx.node.name, side, component, error, ...(clientDidNotStart ? { clientDidNotStart } : {}) });
  // A component that could not start dials nothing (the apiserver exits before it opens its etcd
  // or kubelet connections): its edge ends with its own startup error, on the client's side.
  const clientStartup = edge.client === 'kube-apiserver' || edge.client === 'metrics-server' ? ctx.servers[edge.client]?.startupError : undefined;
  if (clientStartup) return finish(configError('client', edge.client, clientStartup, true));
  let client: ClientSide;
  try {
    client = cachedClient(ctx, edge);
  } catch (error) {
    if (!isKubeMtlsSimError(error)) throw error;
    return finish(configError('client', edge.client, error));
  }
  const clientView = {
    component: client.component, dialled: client.url, configuredBy: client.configuredBy,
    ...(client.trust.kind !== 'none' ? { checksName: { name: client.verifyName, from: client.verifyName !== client.host ? 'tls-server-name' as const : 'url' as const } } : {}),
    ...(options.clientMaxVersion ? { maxVersion: options.clientMaxVersion } : {}),
    presented: client.cert ? summarizeCert(client.cert.chain[0]!, client.cert) : client.token ? { token: redact(client.token.value), field: client.token.field, file: client.token.file } : null,
    trusts: summarizeTrust(client.trust.kind, client.trust.field, client.trust.kind === 'ca' ? client.trust.certs : [],
      client.trust.kind === 'ca' ? client.trust.file : undefined, client.trust.kind === 'none' && client.trust.switchedOff === true),
    saw: {},
  };
  if (server.startupError) return finish({ ...configError('server', edge.server, server.startupError), client: clientView });
  const facts = clientFacts(client);
  const target = ctx.lookup(client.host, client.port);
  if (!target?.endpoint) {
    const { verdict, stage, detectedBy, reason, ...rest } = decide({ kind: 'nothing-listens', edge, nodeName: ctx.node.name, client: facts });
    // The client's view right after the reason, where results have always had it (JSON key order).
    return finish({ verdict, stage, detectedBy, reason, client: clientView, ...rest });
  }
  const wire = await dialOnce(ctx, edge, client, target.endpoint, options);
  options.onWire?.(wire);
  if (wire.contextError) {
    const error = new KubeMtlsSimError('ERR_KEY_UNUSABLE',
      `${client.cert?.file ?? client.configuredBy}: the TLS library refuses ${client.component}'s client certificate or key: ${wire.contextError.code} ${wire.contextError.message}`,
      { ...(client.cert ? { file: client.cert.file, field: client.cert.field } : {}) });
    return finish({ ...configError('client', client.component, error), client: { ...clientView, saw: wire.contextError } });
  }
  const record = wire.localPort !== undefined ? ctx.ledger.take({ serverPort: target.endpoint.port, clientPort: wire.localPort }) : undefined;
  let observation: Extract<Observation, { kind: 'exchange' }> = {
    kind: 'exchange', edge, nodeName: ctx.node.name, client: facts, wire, ...(record ? { record } : {}), ...(ctx.issuerOf ? { issuerOf: ctx.issuerOf } : {}),
  };
  let decided = decide(observation);
  if (needsAnonymousProbe(decided, observation)) {
    const request = edge.request(ctx.node.name);
    const anonymous = await probeAnonymous(target.endpoint, {
      ledger: ctx.ledger, servername: client.verifyName, host: `${client.host}:${client.port}`, request, timeoutMs: options.timeoutMs ?? 15_000, signal: ctx.signal,
    });
    if (anonymous?.allowed) decided = decide((observation = { ...observation, anonymous }));
  }
  return finish({ ...decided, client: { ...clientView, saw: clientSaw(wire) } }, wire.handshakeMs);
}

/** One real connection and request from the client, as configured, to the endpoint it reached. */
function dialOnce(ctx: DialContext, edge: EdgeSpec, client: ClientSide, endpoint: Endpoint, options: DialOptions): Promise<WireOutcome> {
  const now = ctx.clock.now();
  const request = options.request ?? edge.request(ctx.node.name);
  return exchange({
    port: endpoint.port, servername: client.verifyName,
    ...(client.cert ? { certPem: client.cert.certPem, keyPem: client.cert.keyPem } : {}),
    ...(options.clientMaxVersion ? { maxVersion: options.clientMaxVersion } : {}),
    serverSends: endpoint.chain,
    ledger: ctx.ledger, keep: true,
    ...(client.cert ? { sends: () => client.cert?.chain } : {}),
    verify: client.trust.kind === 'none' ? null : { roots: client.trust.certs, host: client.verifyName, now: () => now },
    request: {
      method: request.method, path: request.path, host: `${client.host}:${client.port}`,
      ...(client.token || request.headers ? { headers: { ...request.headers, ...(client.token ? { Authorization: `Bearer ${client.token.value}` } : {}) } } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    timeoutMs: options.timeoutMs ?? 15_000,
    signal: ctx.signal,
  });
}

function clientFacts(client: ClientSide): ClientFacts {
  const trust = client.trust;
  return {
    component: client.component, url: client.url, hasCredential: !!(client.cert || client.token),
    trust: { kind: trust.kind, field: trust.field, ...(trust.kind === 'none' && trust.switchedOff ? { switchedOff: true } : {}) },
  };
}

/**
 * A client's side is read from its kubeconfig or flags and their files; re-read only when a node
 * file changed since (a kubelet rotation, a scenario's edit), as a restarted component would.
 */
const clientCache = new WeakMap<DialContext, Map<string, { version: number; client: ClientSide }>>();

function cachedClient(ctx: DialContext, edge: EdgeSpec): ClientSide {
  let cache = clientCache.get(ctx);
  if (!cache) clientCache.set(ctx, (cache = new Map()));
  const hit = cache.get(edge.name);
  if (hit && hit.version === ctx.fs.version) return hit.client;
  const client = resolveClient(edge, ctx.fs, ctx.spec, ctx.apiserverFlags, ctx.node, ctx.etcdPeerDialsSelf);
  cache.set(edge.name, { version: ctx.fs.version, client });
  return client;
}

function redact(token: string): string {
  return token.length > 16 ? `${token.slice(0, 10)}…(${token.length} chars)` : '<token>';
}

function clientSaw(wire: WireOutcome): EdgeResult['client']['saw'] {
  return {
    ...(wire.error ? { code: wire.error.code, message: wire.error.message } : {}),
    ...(wire.clientRefused ? { verification: wire.clientRefused.error } : {}),
  };
}
