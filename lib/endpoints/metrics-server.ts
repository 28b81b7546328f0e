import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { authenticateClientCertificate } from '../authn/x509.js';
import type { AuthnResult } from '../authn/types.js';
import type { AuthorizationMode } from '../authz/types.js';
import { authorize } from '../authz/authorize.js';
import type { LoadedKeyPair } from '../component-base/files.js';
import type { IssuedCert } from '../pki/issue.js';
import { subjectFields } from '../pki/verify.js';
import { sendJson, statusBody } from './http.js';
import { requestInfo } from './request-info.js';
import { recordExchange, TlsEndpoint, type ConnectionRecord, type Endpoint } from './tls-endpoint.js';
import type { ServerSeat } from '../tls/connection-ledger.js';

type CaBundle = { certs: IssuedCert[]; file: string; field: string };

/** metrics-server's secure serving and delegated authentication, as lib/components/metrics-server.ts reads them. */
export interface MetricsServerConfig {
  serving: LoadedKeyPair;
  /** Where the serving pair came from: --tls-cert-file, or the self-signed pair it generated in --cert-dir. */
  servingField: string;
  /** k8s.io/apiserver's request-header authenticator (--requestheader-*), when a CA for it is known. */
  requestHeader?: { ca: CaBundle; allowedNames: string[]; usernameHeaders: string[]; groupHeaders: string[]; allowedNamesField: string };
  /** The x509 authenticator (--client-ca-file). */
  clientCa?: CaBundle;
  nodeName: string;
}

/**
 * metrics-server's HTTPS server. Its authenticator is the delegating one of k8s.io/apiserver: a
 * union of the request-header authenticator (the front proxy's certificate, verified with
 * --requestheader-client-ca-file and --requestheader-allowed-names, then X-Remote-User/X-Remote-Group
 * trusted) and the x509 one (--client-ca-file), wrapped so that a credential that fails is a 401 and
 * only a request with none is anonymous. Authorization is delegated to the apiserver (a
 * SubjectAccessReview): `reviewModes`.
 */
export function startMetricsServer(config: MetricsServerConfig, clock: Clock, reviewModes: readonly AuthorizationMode[], ledger?: ServerSeat<ConnectionRecord>): Endpoint {
  const cas = [config.requestHeader?.ca, config.clientCa].flatMap((b) => b?.certs ?? []);
  return new TlsEndpoint({
    name: 'metrics-server',
    ...(ledger ? { ledger } : {}),
    certPem: config.serving.certPem, keyPem: config.serving.keyPem, chain: config.serving.chain,
    ...(cas.length > 0 ? { caPem: cas.map((c) => c.pem).join('') } : {}),
    // tls.RequestClientCert: the certificate is asked for, and judged by the authenticators.
    requestCert: cas.length > 0,
    handle: (req, res, record) => handle(config, clock, reviewModes, req, res, record),
  });
}

/** headerrequest: the first non-empty header of the list (values as sent; node joins repeats with ", "). */
function header(req: IncomingMessage, names: readonly string[]): string[] {
  for (const name of names) {
    const value = req.headers[name.toLowerCase()];
    const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    if (values.length > 0) return values;
  }
  return [];
}

/** The request-header authenticator (x509.Verifier around headerrequest): null when it has no opinion. */
function requestHeaderAuthn(config: MetricsServerConfig, peer: readonly IssuedCert[], req: IncomingMessage, now: Date): AuthnResult | null {
  const rh = config.requestHeader;
  if (!rh || peer.length === 0) return null;
  const verified = authenticateClientCertificate(peer, { roots: rh.ca.certs, now });
  if (verified && !verified.ok) return verified;
  const { cn } = subjectFields(peer[0]!);
  if (rh.allowedNames.length > 0 && !rh.allowedNames.includes(cn)) {
    return { ok: false, method: 'requestheader', reason: 'FRONT_PROXY_NOT_ALLOWED', error: `x509: subject with cn=${cn} is not in the allowed list`, setting: rh.allowedNamesField };
  }
  const [name] = header(req, rh.usernameHeaders);
  // No user header: headerrequest returns nil, false, nil and the next authenticator is asked.
  if (!name) return null;
  return { ok: true, method: 'requestheader', user: { name, groups: [...header(req, rh.groupHeaders), 'system:authenticated'] } };
}

function authenticate(config: MetricsServerConfig, clock: Clock, record: ConnectionRecord, req: IncomingMessage): AuthnResult {
  const now = clock.now();
  const failures: Extract<AuthnResult, { ok: false }>[] = [];
  for (const attempt of [
    () => requestHeaderAuthn(config, record.peerChain, req, now),
    () => (config.clientCa ? authenticateClientCertificate(record.peerChain, { roots: config.clientCa.certs, now }) : null),
  ]) {
    const result = attempt();
    if (result?.ok) return result;
    if (result) failures.push(result);
  }
  if (failures.length === 0) return { ok: true, method: 'anonymous', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } };
  // union.New aggregates every error; NewFailOnError then refuses rather than falling back to anonymous.
  const parts = failures.map((f) => f.error);
  const first = failures[0]!;
  return { ...first, error: parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`, parts };
}

function handle(config: MetricsServerConfig, clock: Clock, reviewModes: readonly AuthorizationMode[], req: IncomingMessage, res: ServerResponse, record: ConnectionRecord): void {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const authn = authenticate(config, clock, record, req);
  if (!authn.ok) {
    recordExchange(record, { method, path: url, status: 401, authn, log: `"Unable to authenticate the request" err="${authn.error}"` });
    sendJson(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
    return;
  }
  const info = requestInfo(method, url);
  const decision = authorize({ user: authn.user, ...info }, { modes: reviewModes });
  if (!decision.allowed) {
    recordExchange(record, { method, path: url, status: 403, authn, authz: decision });
    sendJson(res, 403, statusBody(403, 'Forbidden', decision.message ?? 'forbidden', { group: info.apiGroup, kind: info.resource ?? '' }));
    return;
  }
  recordExchange(record, { method, path: url, status: 200, authn, authz: decision });
  sendJson(res, 200, {
    kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {},
    items: [{ metadata: { name: config.nodeName }, timestamp: clock.now().toISOString(), window: '20s', usage: { cpu: '100m', memory: '1024Mi' } }],
  });
}
