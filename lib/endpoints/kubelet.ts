import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { authenticateClientCertificate } from '../authn/x509.js';
import type { AuthnResult } from '../authn/types.js';
import type { AuthorizationMode } from '../authz/types.js';
import { authorize, kubeletForbiddenMessage, kubeletRequestAttributes } from '../authz/authorize.js';
import type { LoadedKeyPair } from '../component-base/files.js';
import type { KubeletConfiguration } from '../kubeletconfig/config.js';
import type { IssuedCert } from '../pki/issue.js';
import { sendJson, sendText } from './http.js';
import { recordExchange, TlsEndpoint, type ConnectionRecord, type Endpoint } from './tls-endpoint.js';
import type { ServerSeat } from '../tls/connection-ledger.js';
import { NoCertEndpoint } from './no-cert-endpoint.js';

/** The kubelet's HTTPS server on 10250 as its KubeletConfiguration and --cert-dir make it (lib/components/kubelet.ts reads them). */
export interface KubeletConfig {
  configFile: string;
  config: KubeletConfiguration;
  /** Where the serving identity came from: the config's TLS files, the self-signed pair in --cert-dir, or a kubelet-serving CSR (serverTLSBootstrap). */
  servingSource: 'tlsCertFile' | 'cert-dir' | 'serverTLSBootstrap';
  /** Absent while a serverTLSBootstrap kubelet waits for its serving CSR to be approved. */
  serving?: LoadedKeyPair;
  clientCa?: { certs: IssuedCert[]; file: string };
  anonymous: boolean;
  authorizationMode: 'Webhook' | 'AlwaysAllow';
  nodeName: string;
}

/** `reviewModes`: the --authorization-mode of the kube-apiserver the Webhook authorizer sends its SubjectAccessReviews to. */
export function startKubelet(config: KubeletConfig, clock: Clock, reviewModes: readonly AuthorizationMode[] = ['Node', 'RBAC'], ledger?: ServerSeat<ConnectionRecord>): Endpoint {
  if (!config.serving) return new NoCertEndpoint('kubelet', 'no serving certificate available for the kubelet', ledger);
  return new TlsEndpoint({
    name: 'kubelet',
    ...(ledger ? { ledger } : {}),
    certPem: config.serving.certPem,
    chain: config.serving.chain,
    keyPem: config.serving.keyPem,
    ...(config.clientCa ? { caPem: config.clientCa.certs.map((c) => c.pem).join('') } : {}),
    // The kubelet requests client certificates when it has a client CA and checks them in its authenticator.
    requestCert: config.clientCa !== undefined,
    handle: (req, res, record) => handle(config, clock, reviewModes, req, res, record),
  });
}

function authenticate(config: KubeletConfig, clock: Clock, record: ConnectionRecord): AuthnResult {
  const x509 = config.clientCa ? authenticateClientCertificate(record.peerChain, { roots: config.clientCa.certs, now: clock.now() }) : null;
  if (x509) return x509;
  if (config.anonymous) return { ok: true, method: 'anonymous', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } };
  // The kubelet's authenticator returns nil, false, nil: 401 "Unauthorized", nothing logged.
  return { ok: false, method: 'anonymous', reason: 'NO_CREDENTIALS', error: 'no client certificate and anonymous requests are disabled (authentication.anonymous.enabled: false)', silent: true };
}

function handle(config: KubeletConfig, clock: Clock, reviewModes: readonly AuthorizationMode[], req: IncomingMessage, res: ServerResponse, record: ConnectionRecord): void {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const authn = authenticate(config, clock, record);
  if (!authn.ok) {
    recordExchange(record, { method, path: url, status: 401, authn, ...(authn.silent ? {} : { log: `Unable to authenticate the request due to an error: ${authn.error}` }) });
    sendText(res, 401, 'Unauthorized');
    return;
  }
  const attrs = kubeletRequestAttributes(authn.user, method, url, config.nodeName);
  const decision = config.authorizationMode === 'AlwaysAllow'
    ? { allowed: true, decidedBy: 'AlwaysAllow' as const, reason: 'authorization.mode: AlwaysAllow' }
    : authorize(attrs, { modes: reviewModes });
  if (!decision.allowed) {
    const message = kubeletForbiddenMessage(attrs);
    recordExchange(record, { method, path: url, status: 403, authn, authz: { ...decision, message } });
    sendText(res, 403, message);
    return;
  }
  recordExchange(record, { method, path: url, status: 200, authn, authz: decision });
  const path = url.split('?')[0]!;
  if (path === '/pods') return sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] });
  if (path.startsWith('/containerLogs/')) return sendText(res, 200, containerLog(path.slice('/containerLogs/'.length), clock.now()));
  // This kubelet runs no container runtime, so the runtime has no container to exec in or attach to
  // (Kubelet.findContainer), nor a pod sandbox to forward to; the server writes such errors as
  // streaming.WriteError does: 500 and the error's text.
  const stream = /^\/(?:exec|attach)\/[^/]+\/[^/]+\/([^/]+)$/.exec(path);
  if (stream) return sendText(res, 500, `container not found (${JSON.stringify(stream[1]!)})`);
  const forward = /^\/portForward\/([^/]+)\/([^/]+)$/.exec(path);
  if (forward) return sendText(res, 500, `pod not found (${JSON.stringify(`${forward[2]!}_${forward[1]!}`)})`);
  return sendText(res, 200, 'ok');
}

/**
 * A container's log as the kubelet streams it: klog lines (`I<MMDD> <time> <pid> <file:line>] <msg>`)
 * stamped with the cluster clock. This kubelet runs no containers, and its log says so rather than
 * inventing what a component would have logged.
 */
function containerLog(which: string, now: Date): string {
  const [namespace = '', pod = '', container = ''] = which.split('/');
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())} ${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}.${pad(now.getUTCMilliseconds(), 3)}000`;
  const line = (file: string, msg: string) => `I${stamp}       1 ${file}] ${msg}\n`;
  return line('server.go:160', `"Starting" component=${JSON.stringify(container)} pod="${namespace}/${pod}" version="v1.32.0"`)
    + line('server.go:161', '"This log is served by kube-mtls-sim\'s simulated kubelet: no container runs on this node, the request reached the kubelet over the apiserver-to-kubelet edge"');
}
