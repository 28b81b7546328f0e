import type { Clock } from '../clock.js';
import type { NodeFs } from '../fs/node-fs.js';
import type { ControlPlaneSpec } from '../components/presets.js';
import type { Flags } from '../components/flags.js';
import { isKubeMtlsSimError, KubeMtlsSimError, type ErrorCode } from '../errors.js';
import type { ConnectionRecord, Endpoint } from '../tls/connection.js';
import { goVerify } from '../x509/go-verify.js';
import type { Reason, Side, Stage, Verdict } from '../verdict/reasons.js';
import { summarizeCert, summarizeTrust, type EdgeResult, type TrustSummary } from '../verdict/result.js';
import { kubernetesMessages } from '../verdict/wording.js';
import { resolveClient, type ClientSide } from './credentials.js';
import type { EdgeSpec, ServerComponent } from '../edges/edges.js';
import { probeAnonymous, type AnonymousAnswer } from './anonymous-probe.js';
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
}

export interface DialOptions {
  /** Restrict the client's TLS versions (e.g. a client that only speaks TLS 1.2). */
  clientMaxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** How long to wait for the handshake and the answer. @default 15000 */
  timeoutMs?: number;
}

const CONFIG_REASONS: Partial<Record<ErrorCode, Reason>> = {
  ERR_PEM_SWITCHED: 'PEM_SWITCHED', ERR_KEY_MISMATCH: 'KEY_MISMATCH', ERR_FILE_NOT_FOUND: 'FILE_MISSING', ERR_KEY_UNUSABLE: 'CLIENT_KEY_UNUSABLE',
};

function configReason(error: KubeMtlsSimError): Reason {
  return CONFIG_REASONS[error.code] ?? 'BAD_FILE';
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

  let client: ClientSide;
  try {
    client = cachedClient(ctx, edge);
  } catch (error) {
    if (!isKubeMtlsSimError(error)) throw error;
    return finish(configError(edge, 'client', edge.client, error, ctx));
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
  if (server.startupError) {
    return finish({ ...configError(edge, 'server', edge.server, server.startupError, ctx), client: clientView });
  }
  const target = ctx.lookup(client.host, client.port);
  if (!target?.endpoint) {
    return finish({
      verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'CONNECTION_REFUSED', client: clientView, identity: null,
      summary: `${client.component} dials ${client.url}, where nothing listens.`,
      messages: kubernetesMessages({ edge, verdict: 'rejected', reason: 'CONNECTION_REFUSED', detectedBy: 'client', nodeName: ctx.node.name, url: client.url, clientPort: undefined }),
    });
  }
  const now = ctx.clock.now();
  const request = edge.request(ctx.node.name);
  const wire = await exchange({
    port: target.endpoint.port, servername: client.verifyName,
    ...(client.cert ? { certPem: client.cert.certPem, keyPem: client.cert.keyPem } : {}),
    ...(options.clientMaxVersion ? { maxVersion: options.clientMaxVersion } : {}),
    serverSends: target.endpoint.chain,
    onConnect: (port: number) => {
      target.endpoint!.keepRecord(port);
      if (client.cert) target.endpoint!.announceClientChain(port, client.cert.chain);
    },
    checkServer: (chain) => {
      if (client.trust.kind === 'none') return null;
      const result = goVerify(chain[0]!, { roots: client.trust.certs, intermediates: chain.slice(1), now, keyUsages: ['serverAuth'], host: client.verifyName });
      return result.ok ? null : { reason: result.reason, error: result.error };
    },
    request: {
      method: request.method, path: request.path, host: `${client.host}:${client.port}`,
      ...(client.token ? { headers: { Authorization: `Bearer ${client.token.value}` } } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    timeoutMs: options.timeoutMs ?? 15_000,
    signal: ctx.signal,
  });
  if (wire.contextError) {
    const error = new KubeMtlsSimError('ERR_KEY_UNUSABLE',
      `${client.cert?.file ?? client.configuredBy}: the TLS library refuses ${client.component}'s client certificate or key: ${wire.contextError.code} ${wire.contextError.message}`,
      { ...(client.cert ? { file: client.cert.file, field: client.cert.field } : {}) });
    return finish({ ...configError(edge, 'client', client.component, error, ctx), client: { ...clientView, saw: wire.contextError } });
  }
  const record = wire.localPort !== undefined ? target.endpoint.takeRecord(wire.localPort) : undefined;
  let classified = classify(edge, client, wire, record, ctx);
  // An accepted credential proves nothing if the server lets a client without one in too: ask it, as an attacker would.
  if ((classified.verdict === 'ok' || classified.reason === 'SERVER_NOT_VERIFIED') && (client.cert || client.token)) {
    const anonymous = await probeAnonymous(target.endpoint, {
      servername: client.verifyName, host: `${client.host}:${client.port}`, request, timeoutMs: options.timeoutMs ?? 15_000, signal: ctx.signal,
    });
    if (anonymous?.allowed) classified = anonymousToo(edge, client, classified, anonymous, ctx, wire.localPort);
  }
  return finish({ ...classified, client: { ...clientView, saw: clientSaw(wire) } }, wire.handshakeMs);
}

function anonymousToo(edge: EdgeSpec, client: ClientSide, real: Classified, anonymous: AnonymousAnswer, ctx: DialContext, clientPort: number | undefined): Classified {
  const who = real.identity ? ` as ${real.identity.name}` : '';
  const request = edge.request(ctx.node.name);
  return {
    ...real, verdict: 'insecure', stage: 'authn', detectedBy: 'server', reason: 'ANONYMOUS_ALLOWED',
    anonymous: { status: anonymous.status, user: anonymous.user?.name ?? null },
    summary: `${edge.server} authenticated ${client.component}${who}, but answered the same request (${request.method} ${request.path}) with ${anonymous.status} to a client with no certificate and no token${anonymous.user ? `, as ${anonymous.user.name}` : ''}: anyone who reaches ${client.url} gets the same answer${client.trust.kind === 'none' ? ` (and ${client.component} did not verify ${edge.server}'s certificate either: ${unverifiedBecause(client.trust)})` : ''}.`,
    messages: kubernetesMessages({ edge, verdict: 'insecure', reason: 'ANONYMOUS_ALLOWED', detectedBy: 'server', nodeName: ctx.node.name, url: client.url, clientPort }),
  };
}

/** Why the client did not verify the server: the field switched it off, or nothing configures a CA. */
function unverifiedBecause(trust: ClientSide['trust']): string {
  return trust.kind === 'none' && trust.switchedOff ? `${trust.field} is true` : `${trust.field} is not set`;
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
  const client = resolveClient(edge, ctx.fs, ctx.spec, ctx.apiserverFlags, ctx.node);
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

type Classified = Omit<EdgeResult, 'edge' | 'server' | 'timings' | 'client' | 'at'> & { server?: Partial<EdgeResult['server']>; client?: EdgeResult['client'] };

function configError(edge: EdgeSpec, side: Side, component: string, error: KubeMtlsSimError, ctx: DialContext): Classified & { client: EdgeResult['client'] } {
  const goMessage = error.goMessage ?? error.message;
  return {
    verdict: 'config-error', stage: 'config', detectedBy: side, reason: configReason(error), identity: null,
    summary: `${component} would not ${side === 'server' ? 'start' : 'connect'}: ${error.message}`,
    client: { component: edge.client, dialled: '', configuredBy: '', presented: null, trusts: null, saw: side === 'client' ? { code: error.code, message: error.message } : {} },
    ...(side === 'server' ? { server: { saw: { log: goMessage } } } : {}),
    messages: kubernetesMessages({
      edge, verdict: 'config-error', reason: configReason(error), detectedBy: side, nodeName: ctx.node.name, url: '', clientPort: undefined,
      configError: { side, component, goMessage },
    }),
  };
}

function classify(edge: EdgeSpec, client: ClientSide, wire: WireOutcome, record: ConnectionRecord | undefined, ctx: DialContext): Classified {
  const serverSaw = {
    ...(record ? { nodeAuthorizationError: record.nodeAuthorizationError } : {}),
    ...(record?.tlsError ? { tlsError: `${record.tlsError.code}: ${record.tlsError.message}` } : {}),
  };
  const exchangeRecord = record?.exchanges[0];
  const base = { nodeName: ctx.node.name, url: client.url, clientPort: wire.localPort, edge };
  const out = (verdict: Verdict, stage: Stage | null, detectedBy: Side | null, reason: Reason, summary: string, extra: { log?: string; clientVerifyError?: string; httpStatus?: number; httpMessage?: string } = {}): Classified => ({
    verdict, stage, detectedBy, reason, summary,
    identity: exchangeRecord?.authn?.ok ? { ...exchangeRecord.authn.user, method: exchangeRecord.authn.method } : null,
    ...(wire.response ? { http: { status: wire.response.status, body: wire.response.body } } : {}),
    server: { requestedClientCert: record?.requestedClientCert ?? null, saw: { ...serverSaw, ...(extra.log ? { log: extra.log } : {}) } },
    messages: kubernetesMessages({
      ...base, verdict, reason, detectedBy,
      ...(extra.clientVerifyError ? { clientVerifyError: extra.clientVerifyError } : {}),
      ...(extra.log ? { serverLog: extra.log } : {}),
      ...(extra.httpStatus !== undefined ? { httpStatus: extra.httpStatus } : {}),
      ...(extra.httpMessage ? { httpMessage: extra.httpMessage } : {}),
    }),
  });

  if (wire.clientRefused) {
    return out('rejected', 'tls', 'client', wire.clientRefused.reason as Reason,
      `${client.component} refused ${edge.server}'s certificate: ${wire.clientRefused.error}`, { clientVerifyError: wire.clientRefused.error });
  }
  if (record?.rejected) {
    return out('rejected', 'tls', 'server', record.rejected.reason, `${edge.server} closed the connection after the handshake: ${record.rejected.log}`, { log: record.rejected.log });
  }
  if (!wire.response) {
    if (wire.aborted) return out('rejected', null, null, 'CONNECTION_CLOSED', 'The cluster stopped while the edge was being dialled.');
    if (wire.error?.code === 'ETIMEDOUT') return out('rejected', null, null, 'TIMEOUT', `No answer: ${wire.error.message}.`);
    const code = wire.error?.code ?? record?.tlsError?.code ?? '';
    if (/PROTOCOL|VERSION/.test(code) || /protocol|version/i.test(`${wire.error?.message} ${record?.tlsError?.message}`)) {
      return out('rejected', 'tls', 'server', 'TLS_VERSION', `No common TLS version: ${wire.error?.message ?? record?.tlsError?.message}`);
    }
    if (!record && wire.error?.code === 'ECONNREFUSED') {
      return out('rejected', 'tls', 'client', 'CONNECTION_REFUSED', `${client.component} dials ${client.url}, where nothing listens (${wire.error.message}).`);
    }
    if (!record && wire.error?.code === 'ECONNRESET') {
      return out('rejected', null, null, 'CONNECTION_CLOSED', `The connection was reset before the server saw it (${wire.error.message}).`);
    }
    if (wire.serverChain.length === 0 && wire.error) {
      return out('rejected', 'tls', 'server', 'HANDSHAKE_FAILED', `The TLS handshake failed: ${wire.error.code} ${wire.error.message}`);
    }
    return out('rejected', null, null, 'CONNECTION_CLOSED', `The connection closed without an answer${wire.error ? ` (${wire.error.code})` : ''}.`);
  }
  const status = wire.response.status;
  const message = statusMessage(wire.response.body);
  if (status === 401) {
    const authn = exchangeRecord?.authn;
    const reason: Reason = authn && !authn.ok ? authn.reason : 'NO_CREDENTIALS';
    return out('rejected', 'authn', 'server', reason, `${edge.server} completed the handshake, then answered 401: ${authn && !authn.ok ? authn.detail ?? authn.error : 'Unauthorized'}`,
      { httpStatus: 401, ...(exchangeRecord?.log ? { log: exchangeRecord.log } : {}) });
  }
  if (status === 403) {
    const user = exchangeRecord?.authn?.ok ? exchangeRecord.authn.user.name : 'the client';
    return out('rejected', 'authz', 'server', 'FORBIDDEN', `${edge.server} authenticated ${user}, then answered 403: ${message}`, { httpStatus: 403, httpMessage: message });
  }
  if (status >= 300) return out('rejected', 'request', 'server', 'HTTP_ERROR', `${edge.server} answered ${status}: ${message}`, { httpStatus: status, httpMessage: message });
  if (exchangeRecord?.authn?.ok && exchangeRecord.authn.user.name === 'system:anonymous') {
    return out('insecure', 'authn', 'server', 'ANONYMOUS_ALLOWED',
      `${edge.server} checked no credential and let the request in as system:anonymous: anyone who reaches ${client.url} gets the same answer${client.trust.kind === 'none' ? ` (and ${client.component} did not verify ${edge.server}'s certificate either: ${unverifiedBecause(client.trust)})` : ''}.`);
  }
  if (client.trust.kind === 'none') {
    return out('insecure', 'tls', 'client', 'SERVER_NOT_VERIFIED',
      `${client.component} got an answer, but never verified ${edge.server}'s certificate (${unverifiedBecause(client.trust)}).`);
  }
  if (record && !record.requestedClientCert && edge.server === 'etcd') {
    return out('insecure', 'tls', 'server', 'NO_CLIENT_AUTH',
      `${edge.server} never asked ${client.component} for a certificate: with neither --trusted-ca-file nor --client-cert-auth, anyone who reaches the port gets in.`);
  }
  const who = exchangeRecord?.authn?.ok ? ` as ${exchangeRecord.authn.user.name}` : '';
  return out('ok', null, null, 'OK', `${client.component} verified ${edge.server}'s certificate, ${edge.server} authenticated ${client.component}${who}, and the request was allowed.`);
}

function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    return parsed.message ?? body;
  } catch {
    return body.trim();
  }
}
