import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { authenticateClientCertificate } from '../authn/x509.js';
import { aggregateError, authenticateServiceAccountToken } from '../authn/tokens.js';
import { authenticateBootstrapToken, type BootstrapTokenSecret } from '../authn/bootstrap-tokens.js';
import type { AuthnResult, UserInfo } from '../authn/types.js';
import { authorize } from '../authz/authorize.js';
import type { AuthorizationMode } from '../authz/types.js';
import type { Flags } from '../component-base/flags.js';
import type { LoadedKeyPair } from '../component-base/files.js';
import type { IssuedCert } from '../pki/issue.js';
import { sendJson, sendText, statusBody } from './http.js';
import { requestInfo } from './request-info.js';
import { recordExchange, TlsEndpoint, type ConnectionRecord } from './tls-endpoint.js';
import type { ServerSeat } from '../tls/connection-ledger.js';
import { apiObject } from './objects.js';
import { handleCsrApi, type ApiAnswer } from './csr-api.js';
import { discovery } from './discovery.js';
import { route, type RouteState } from './api-routes.js';
import { watchCsrs } from './watch.js';
import type { CsrStore } from '../csr/store.js';

/** kube-apiserver as configured by its flags (lib/components/kube-apiserver.ts reads them): serving identity, client CA, token authenticators, authorizer. */
export interface ApiServerConfig {
  flags: Flags;
  serving: LoadedKeyPair;
  clientCa?: { certs: IssuedCert[]; file: string };
  serviceAccountKeys: KeyObject[];
  serviceAccountIssuers: string[];
  bootstrapTokenAuth: boolean;
  anonymous: boolean;
  authorizationModes: AuthorizationMode[];
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  nodeName: string;
}

const C = 'kube-apiserver';

/** The apiserver's state: what its routes read (RouteState), and what only the apiserver itself keeps. */
export interface ApiServerState extends RouteState {
  bootstrapTokens: BootstrapTokenSecret[];
  /** CertificateSigningRequests (certificates.k8s.io/v1). */
  csrs: CsrStore;
  /** Registered Node objects. */
  nodes: Set<string>;
}

/** The union authenticator: client certificate, then bootstrap token, then ServiceAccount token; then anonymous. */
export function authenticateRequest(config: ApiServerConfig, state: ApiServerState, record: ConnectionRecord, authorization: string | undefined): AuthnResult {
  const now = state.clock.now();
  const failures: AuthnResult[] = [];
  if (config.clientCa) {
    const x509 = authenticateClientCertificate(record.peerChain, { roots: config.clientCa.certs, now });
    if (x509?.ok) return x509;
    if (x509) failures.push(x509);
  }
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token) {
    const candidates = [
      config.bootstrapTokenAuth ? authenticateBootstrapToken(token, { secrets: state.bootstrapTokens, now }) : null,
      // --api-audiences defaults to the issuers, as kube-apiserver does when the flag is unset.
      authenticateServiceAccountToken(token, { publicKeys: config.serviceAccountKeys, now, ...(config.serviceAccountIssuers.length ? { issuers: config.serviceAccountIssuers, audiences: config.serviceAccountIssuers } : {}) }),
    ];
    const success = candidates.find((c) => c?.ok);
    if (success) return success;
    const failed = candidates.filter((c): c is AuthnResult => c !== null);
    failures.push(...(failed.length > 0 ? failed : [{ ok: false, method: 'serviceaccount-token', reason: 'INVALID_TOKEN', error: 'invalid bearer token' } as const]));
  }
  if (failures.length > 0) {
    // The union authenticator's utilerrors aggregate: nested aggregates flattened, duplicates dropped. Silent
    // refusals (bootstrap tokens) add nothing; a token nobody accepted and nobody erred on is bearertoken's
    // "invalid bearer token".
    const parts = failures.flatMap((f) => (f.ok || f.silent ? [] : f.parts ?? [f.error]));
    if (token && !failures.some((f) => !f.ok && !f.silent && f.method !== 'x509')) parts.push('invalid bearer token');
    const first = failures.find((f) => !f.ok && !f.silent) ?? failures[0]!;
    const detail = failures.find((f): f is Extract<AuthnResult, { ok: false }> => !f.ok && f.detail !== undefined)?.detail;
    const verification = failures.find((f): f is Extract<AuthnResult, { ok: false }> => !f.ok && f.verification !== undefined)?.verification;
    return {
      ok: false, method: first.method, reason: first.ok ? 'INVALID_TOKEN' : first.reason, error: aggregateError(parts),
      ...(detail !== undefined ? { detail } : {}), ...(verification ? { verification } : {}),
    };
  }
  if (config.anonymous) return { ok: true, method: 'anonymous', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } };
  const resetBecause = config.authorizationModes.includes('AlwaysAllow') && config.flags['--anonymous-auth'] !== 'false'
    ? '--authorization-mode includes AlwaysAllow' : undefined;
  const why = resetBecause ? `--anonymous-auth is reset to false because ${resetBecause}` : '--anonymous-auth=false';
  // The union returns nil, false, nil: kube-apiserver answers 401 and logs nothing.
  return {
    ok: false, method: 'anonymous', reason: 'NO_CREDENTIALS', error: `no credentials and anonymous requests are disabled (${why})`, silent: true,
    ...(resetBecause ? { anonymousResetBecause: resetBecause } : {}),
  };
}

export function startApiServer(config: ApiServerConfig, state: ApiServerState, ledger?: ServerSeat<ConnectionRecord>): TlsEndpoint {
  return new TlsEndpoint({
    name: C,
    ...(ledger ? { ledger } : {}),
    certPem: config.serving.certPem,
    chain: config.serving.chain,
    keyPem: config.serving.keyPem,
    ...(config.clientCa ? { caPem: config.clientCa.certs.map((c) => c.pem).join('') } : {}),
    // kube-apiserver: tls.RequestClientCert when --client-ca-file is set; certificates are checked by the authenticator.
    requestCert: config.clientCa !== undefined,
    ...(config.minVersion ? { minVersion: config.minVersion } : {}),
    handle: (req, res, record) => handle(config, state, req, res, record),
  });
}

/**
 * k8s.io/apiserver's MaxRequestBodyBytes default (server/config.go: 3 * 1024 * 1024): a handler reads at
 * most this much of a body, and answers 413 past it (handlers/rest.go limitedReadBody).
 */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Authentication and authorization come first (filters, before any handler reads a body): a refused
 * request is answered without its body being read, and its connection closed so the rest is not read
 * either (Go's server does not drain a large unread body). An admitted request's body is read up to
 * MAX_REQUEST_BODY_BYTES only.
 */
function handle(config: ApiServerConfig, state: ApiServerState, req: IncomingMessage, res: ServerResponse, record: ConnectionRecord): void {
  const fail = (error: unknown) => sendJson(res, 500, statusBody(500, 'InternalError', `kube-mtls-sim: ${(error as Error).message}`));
  let admitted: Admitted | ApiAnswer;
  try {
    admitted = admit(config, state, req, record);
  } catch (error) {
    return fail(error);
  }
  if (!('info' in admitted)) return sendEarly(req, res, admitted);
  readLimitedBody(req, MAX_REQUEST_BODY_BYTES).then((body) => {
    if (body === null) {
      recordExchange(record, { method: admitted.method, path: admitted.url, status: 413, authn: admitted.authn, authz: admitted.decision });
      return sendEarly(req, res, { status: 413, body: statusBody(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`) });
    }
    return respond(config, state, req, body, record, admitted).then((answer) => sendAnswer(req, res, answer));
  }).catch(fail);
}

/** A streamed answer (a watch), text (health checks) or JSON. */
function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: ApiAnswer): void {
  if (answer.stream) return answer.stream(req, res);
  if (typeof answer.body === 'string' && answer.contentType?.startsWith('text/plain')) return sendText(res, answer.status, answer.body);
  sendJson(res, answer.status, answer.body, answer.contentType);
}

/** An answer given before the body was read: the connection closes after it, so the unread rest is never read. */
function sendEarly(req: IncomingMessage, res: ServerResponse, answer: ApiAnswer): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.complete) res.setHeader('Connection', 'close');
  sendJson(res, answer.status, answer.body, answer.contentType);
}

/** The body, or null once it is longer than `limit` (reading stops there). */
function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        return resolve(null);
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

interface Admitted {
  method: string;
  url: string;
  authn: Extract<AuthnResult, { ok: true }>;
  info: ReturnType<typeof requestInfo>;
  decision: ReturnType<typeof authorize>;
}

function admit(config: ApiServerConfig, state: ApiServerState, req: IncomingMessage, record: ConnectionRecord): Admitted | ApiAnswer {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const authn = authenticateRequest(config, state, record, req.headers.authorization);
  if (!authn.ok) {
    recordExchange(record, { method, path: url, status: 401, authn, ...(authn.silent ? {} : { log: `Unable to authenticate the request due to an error: ${authn.error}` }) });
    return { status: 401, body: statusBody(401, 'Unauthorized', 'Unauthorized') };
  }
  const info = requestInfo(method, url);
  const decision = authorize({ user: authn.user, ...info }, { modes: config.authorizationModes });
  if (!decision.allowed) {
    recordExchange(record, { method, path: url, status: 403, authn, authz: decision });
    return { status: 403, body: statusBody(403, 'Forbidden', decision.message ?? 'forbidden', forbiddenDetails(info)) };
  }
  return { method, url, authn, info, decision };
}

async function respond(config: ApiServerConfig, state: ApiServerState, req: IncomingMessage, body: Buffer, record: ConnectionRecord, admitted: Admitted): Promise<ApiAnswer> {
  const { method, url, authn, info, decision } = admitted;
  const accept = req.headers.accept ?? '';
  let answer: ApiAnswer;
  if (info.resourceRequest && info.apiGroup === 'certificates.k8s.io' && info.resource === 'certificatesigningrequests') {
    answer = info.verb === 'watch'
      ? watchCsrs(state.csrs, accept, new URLSearchParams(url.split('?')[1] ?? ''))
      : await handleCsrApi({ store: state.csrs, user: authn.user, modes: config.authorizationModes }, info, accept, req.headers['content-type'] ?? '', body);
  } else {
    // What kubectl's everyday commands read: core objects, health checks, access reviews.
    const routed = await route({ info, url, accept, body, contentType: req.headers['content-type'] ?? '', user: authn.user, modes: config.authorizationModes, nodeName: config.nodeName, state });
    answer = routed ?? discovery(info.path, accept) ?? apiObject(info, url, authn.user as UserInfo, config.nodeName);
  }
  recordExchange(record, { method, path: url, status: answer.status, authn, authz: decision });
  return answer;
}

function forbiddenDetails(info: ReturnType<typeof requestInfo>) {
  if (!info.resourceRequest) return undefined;
  return { ...(info.name ? { name: info.name } : {}), ...(info.apiGroup ? { group: info.apiGroup } : {}), kind: info.resource };
}
