import type { Cause } from './cause.js';
import { verifyFailure, type ClientFacts, type Observation } from './observation.js';
import { REASON_VERDICT, type Reason, type Side, type Stage } from './reasons.js';
import { nodeTlsReason } from './node-tls.js';
import type { EdgeResult } from './result.js';
import { kubernetesMessages } from './wording.js';
import { CONFIG_REASONS } from './config-reasons.js';

/** A verdict with its cause, the server's side of the story and what Kubernetes prints: an EdgeResult less what the dialler knows (who presented what, timings). */
export type Decision = Omit<EdgeResult, 'edge' | 'server' | 'timings' | 'client' | 'at'> & {
  server?: Partial<EdgeResult['server']>;
  client?: EdgeResult['client'];
};

/** The one place an observation becomes a verdict. */
export function decide(o: Observation): Decision {
  if (o.kind === 'config-error') return decideConfigError(o);
  if (o.kind === 'nothing-listens') {
    return {
      verdict: 'rejected', stage: 'tls', detectedBy: 'client', reason: 'CONNECTION_REFUSED', identity: null, cause: { kind: 'nothing-listens', url: o.client.url },
      summary: `${o.client.component} dials ${o.client.url}, where nothing listens.`,
      messages: kubernetesMessages({ edge: o.edge, verdict: 'rejected', reason: 'CONNECTION_REFUSED', detectedBy: 'client', nodeName: o.nodeName, url: o.client.url, clientPort: undefined }),
    };
  }
  const decided = decideExchange(o);
  return o.anonymous ? anonymousToo(o, decided, o.anonymous) : decided;
}

/** An accepted credential proves nothing if the server lets a client without one in too: the dialler then asks it, as an attacker would. */
export function needsAnonymousProbe(d: Decision, o: Extract<Observation, { kind: 'exchange' }>): boolean {
  return (d.verdict === 'ok' || d.reason === 'SERVER_NOT_VERIFIED') && o.client.hasCredential;
}

/** A side that would not start or load its configuration; the client's view is a stub (nothing was dialled). */
export function decideConfigError(o: Extract<Observation, { kind: 'config-error' }>): Decision & { client: EdgeResult['client'] } {
  const { edge, side, component, error } = o;
  const goMessage = error.goMessage ?? error.message;
  const reason = CONFIG_REASONS[error.code] ?? 'BAD_FILE';
  return {
    verdict: 'config-error', stage: 'config', detectedBy: side, reason, identity: null,
    cause: {
      kind: 'config-error', side, component, code: error.code, message: error.message, goMessage,
      ...(error.file ? { file: error.file } : {}), ...(error.field ? { field: error.field } : {}), ...(o.clientDidNotStart ? { clientDidNotStart: true as const } : {}),
    },
    summary: o.clientDidNotStart ? `${component} did not start, so it dials nothing: ${error.message}` : `${component} would not ${side === 'server' ? 'start' : 'connect'}: ${error.message}`,
    client: { component: edge.client, dialled: '', configuredBy: '', presented: null, trusts: null, saw: side === 'client' ? { code: error.code, message: error.message } : {} },
    ...(side === 'server' ? { server: { saw: { log: goMessage } } } : {}),
    messages: kubernetesMessages({
      edge, verdict: 'config-error', reason, detectedBy: side, nodeName: o.nodeName, url: '', clientPort: undefined,
      configError: { side, component, goMessage },
    }),
  };
}

/** Why the client did not verify the server: the field switched it off, or nothing configures a CA. */
export function unverifiedBecause(trust: ClientFacts['trust']): string {
  return trust.kind === 'none' && trust.switchedOff ? `${trust.field} is true` : `${trust.field} is not set`;
}

function notVerifiedToo(client: ClientFacts, server: string): string {
  return client.trust.kind === 'none' ? ` (and ${client.component} did not verify ${server}'s certificate either: ${unverifiedBecause(client.trust)})` : '';
}

function anonymousToo(o: Extract<Observation, { kind: 'exchange' }>, real: Decision, anonymous: NonNullable<typeof o.anonymous>): Decision {
  const { edge, client } = o;
  const who = real.identity ? ` as ${real.identity.name}` : '';
  const request = edge.request(o.nodeName);
  return {
    ...real, verdict: 'insecure', stage: 'authn', detectedBy: 'server', reason: 'ANONYMOUS_ALLOWED',
    anonymous: { status: anonymous.status, user: anonymous.user?.name ?? null },
    cause: { kind: 'unprotected', serverAskedForCert: o.record?.requestedClientCert ?? null, clientVerifiedServer: client.trust.kind !== 'none', anonymous: { status: anonymous.status, user: anonymous.user?.name ?? null } },
    summary: `${edge.server} authenticated ${client.component}${who}, but answered the same request (${request.method} ${request.path}) with ${anonymous.status} to a client with no certificate and no token${anonymous.user ? `, as ${anonymous.user.name}` : ''}: anyone who reaches ${client.url} gets the same answer${notVerifiedToo(client, edge.server)}.`,
    messages: kubernetesMessages({ edge, verdict: 'insecure', reason: 'ANONYMOUS_ALLOWED', detectedBy: 'server', nodeName: o.nodeName, url: client.url, clientPort: o.wire.localPort }),
  };
}

interface Extra { log?: string; clientVerifyError?: string; httpStatus?: number; httpMessage?: string }

function decideExchange(o: Extract<Observation, { kind: 'exchange' }>): Decision {
  const { edge, client, wire, record } = o;
  const exchangeRecord = record?.exchanges[0];
  const serverSaw = {
    ...(record ? { nodeAuthorizationError: record.nodeAuthorizationError } : {}),
    ...(record?.tlsError ? { tlsError: `${record.tlsError.code}: ${record.tlsError.message}` } : {}),
  };
  const out = (stage: Stage | null, detectedBy: Side | null, reason: Reason, cause: Cause, summary: string, extra: Extra = {}): Decision => ({
    verdict: REASON_VERDICT[reason], stage, detectedBy, reason, summary, cause,
    identity: exchangeRecord?.authn?.ok ? { ...exchangeRecord.authn.user, method: exchangeRecord.authn.method } : null,
    ...(wire.response ? { http: { status: wire.response.status, body: wire.response.body } } : {}),
    server: { requestedClientCert: record?.requestedClientCert ?? null, saw: { ...serverSaw, ...(extra.log ? { log: extra.log } : {}) } },
    messages: kubernetesMessages({
      edge, nodeName: o.nodeName, url: client.url, clientPort: wire.localPort, verdict: REASON_VERDICT[reason], reason, detectedBy,
      ...(extra.clientVerifyError ? { clientVerifyError: extra.clientVerifyError } : {}),
      ...(extra.log ? { serverLog: extra.log } : {}),
      ...(extra.httpStatus !== undefined ? { httpStatus: extra.httpStatus } : {}),
      ...(extra.httpMessage ? { httpMessage: extra.httpMessage } : {}),
    }),
  });

  if (wire.clientRefused) {
    const { reason, error, verification } = wire.clientRefused;
    const cause: Cause = { kind: 'server-certificate-refused', error, ...(verification ? { verify: verifyFailure(verification, wire.serverChain, o.issuerOf) } : {}) };
    return out('tls', 'client', reason, cause,
      `${client.component} refused ${edge.server}'s certificate: ${error}`, { clientVerifyError: error });
  }
  if (record?.rejected) {
    const { reason, log, verification } = record.rejected;
    const cause: Cause = {
      kind: 'refused-by-server-tls', alert: reason === 'NO_SERVING_CERT' ? 'internal_error' : 'bad_certificate', log,
      ...(verification ? { verify: verifyFailure(verification, record.peerChain, o.issuerOf) } : {}),
    };
    return out('tls', 'server', reason, cause, `${edge.server} closed the connection after the handshake: ${log}`, { log });
  }
  if (!wire.response) return noAnswer(o, out);
  return answered(o, out);
}

type Out = (stage: Stage | null, detectedBy: Side | null, reason: Reason, cause: Cause, summary: string, extra?: Extra) => Decision;

/** The connection ended without an HTTP answer: a handshake that failed, or a transport that gave up. */
function noAnswer({ client, wire, record }: Extract<Observation, { kind: 'exchange' }>, out: Out): Decision {
  const transport = (event: 'aborted' | 'timeout' | 'reset' | 'closed'): Cause => ({ kind: 'transport', event, ...(wire.error ? { error: wire.error } : {}) });
  const handshake: Cause = { kind: 'handshake', ...(wire.error ? { clientError: wire.error } : {}), ...(record?.tlsError ? { serverError: record.tlsError } : {}) };
  if (wire.aborted) return out(null, null, 'CONNECTION_CLOSED', transport('aborted'), 'The cluster stopped while the edge was being dialled.');
  if (wire.error?.code === 'ETIMEDOUT') return out(null, null, 'TIMEOUT', transport('timeout'), `No answer: ${wire.error.message}.`);
  if (nodeTlsReason(wire.error?.code) === 'TLS_VERSION' || nodeTlsReason(record?.tlsError?.code) === 'TLS_VERSION') {
    return out('tls', 'server', 'TLS_VERSION', handshake, `No common TLS version: ${wire.error?.message ?? record?.tlsError?.message}`);
  }
  if (!record && wire.error?.code === 'ECONNREFUSED') {
    return out('tls', 'client', 'CONNECTION_REFUSED', { kind: 'nothing-listens', url: client.url, error: wire.error },
      `${client.component} dials ${client.url}, where nothing listens (${wire.error.message}).`);
  }
  if (!record && wire.error?.code === 'ECONNRESET') {
    return out(null, null, 'CONNECTION_CLOSED', transport('reset'), `The connection was reset before the server saw it (${wire.error.message}).`);
  }
  if (wire.serverChain.length === 0 && wire.error) {
    return out('tls', 'server', 'HANDSHAKE_FAILED', handshake, `The TLS handshake failed: ${wire.error.code} ${wire.error.message}`);
  }
  return out(null, null, 'CONNECTION_CLOSED', transport('closed'), `The connection closed without an answer${wire.error ? ` (${wire.error.code})` : ''}.`);
}

/** An HTTP answer: authentication, authorization, the request itself, or a success that should not have been. */
function answered(o: Extract<Observation, { kind: 'exchange' }>, out: Out): Decision {
  const { edge, client, wire, record } = o;
  const exchangeRecord = record?.exchanges[0];
  const status = wire.response!.status;
  const message = statusMessage(wire.response!.body);
  const log = exchangeRecord?.log;
  if (status === 401) {
    const authn = exchangeRecord?.authn;
    const failed = authn && !authn.ok ? authn : undefined;
    const error = failed ? failed.detail ?? failed.error : 'Unauthorized';
    const cause: Cause = {
      kind: 'http', status, message, ...(log ? { log } : {}),
      ...(failed ? {
        authn: {
          method: failed.method, error,
          ...(failed.verification ? { verify: verifyFailure(failed.verification, record?.peerChain ?? [], o.issuerOf) } : {}),
          ...(failed.anonymousResetBecause ? { anonymousResetBecause: failed.anonymousResetBecause } : {}),
          ...(failed.setting ? { setting: failed.setting } : {}),
        },
      } : {}),
    };
    return out('authn', 'server', failed ? failed.reason : 'NO_CREDENTIALS', cause, `${edge.server} completed the handshake, then answered 401: ${error}`,
      { httpStatus: 401, ...(log ? { log } : {}) });
  }
  const http: Cause = { kind: 'http', status, message, ...(log ? { log } : {}) };
  if (status === 403) {
    const user = exchangeRecord?.authn?.ok ? exchangeRecord.authn.user.name : 'the client';
    return out('authz', 'server', 'FORBIDDEN', http, `${edge.server} authenticated ${user}, then answered 403: ${message}`, { httpStatus: 403, httpMessage: message });
  }
  if (status >= 300) return out('request', 'server', 'HTTP_ERROR', http, `${edge.server} answered ${status}: ${message}`, { httpStatus: status, httpMessage: message });
  const unprotected: Cause = { kind: 'unprotected', serverAskedForCert: record?.requestedClientCert ?? null, clientVerifiedServer: client.trust.kind !== 'none' };
  if (exchangeRecord?.authn?.ok && exchangeRecord.authn.user.name === 'system:anonymous') {
    return out('authn', 'server', 'ANONYMOUS_ALLOWED', unprotected,
      `${edge.server} checked no credential and let the request in as system:anonymous: anyone who reaches ${client.url} gets the same answer${notVerifiedToo(client, edge.server)}.`);
  }
  if (client.trust.kind === 'none') {
    return out('tls', 'client', 'SERVER_NOT_VERIFIED', unprotected,
      `${client.component} got an answer, but never verified ${edge.server}'s certificate (${unverifiedBecause(client.trust)}).`);
  }
  if (record && !record.requestedClientCert && edge.server === 'etcd') {
    return out('tls', 'server', 'NO_CLIENT_AUTH', unprotected,
      `${edge.server} never asked ${client.component} for a certificate: with neither --trusted-ca-file nor --client-cert-auth, anyone who reaches the port gets in.`);
  }
  const who = exchangeRecord?.authn?.ok ? ` as ${exchangeRecord.authn.user.name}` : '';
  return out(null, null, 'OK', { kind: 'ok' }, `${client.component} verified ${edge.server}'s certificate, ${edge.server} authenticated ${client.component}${who}, and the request was allowed.`);
}

function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    return parsed.message ?? body;
  } catch {
    return body.trim();
  }
}
