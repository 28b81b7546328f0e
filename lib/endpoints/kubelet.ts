import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import type { NodeFs } from '../fs/node-fs.js';
import { authenticateClientCertificate } from '../authn/x509.js';
import type { AuthnResult } from '../authn/types.js';
import type { AuthorizationMode } from '../authz/types.js';
import { authorize, kubeletForbiddenMessage, kubeletRequestAttributes } from '../authz/authorize.js';
import { loadCaBundle, loadKeyPair, type LoadedKeyPair } from '../components/files.js';
import { parseKubeletConfiguration, type KubeletConfiguration } from '../kubeletconfig/config.js';
import type { IssuedCert } from '../pki/issue.js';
import { sendJson, sendText } from './http.js';
import { recordExchange, TlsEndpoint, type ConnectionRecord, type Endpoint } from './tls-endpoint.js';
import { NoCertEndpoint } from './no-cert-endpoint.js';

/** The kubelet's HTTPS server on 10250 as its KubeletConfiguration and --cert-dir make it. */
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

/** Fields to merge into a KubeletConfiguration, at any depth; `null` removes a field. */
type Overrides<T> = { [K in keyof T]?: (NonNullable<T[K]> extends readonly unknown[] ? T[K] : NonNullable<T[K]> extends object ? Overrides<NonNullable<T[K]>> : T[K]) | null };
export type KubeletConfigOverrides = Overrides<KubeletConfiguration>;

/** Deep-merges overrides into the config file's document; `null` removes a field. */
export function mergeKubeletConfig(base: KubeletConfiguration, overrides: KubeletConfigOverrides | undefined): KubeletConfiguration {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      if (v === null) delete out[k];
      else if (typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' && out[k] !== null) out[k] = merge(out[k] as Record<string, unknown>, v as Record<string, unknown>);
      else out[k] = v;
    }
    return out;
  };
  return merge(base as Record<string, unknown>, (overrides ?? {}) as Record<string, unknown>) as KubeletConfiguration;
}

export function configureKubelet(fs: NodeFs, spec: { config: string; certDir: string }, nodeName: string, overrides?: KubeletConfigOverrides): KubeletConfig {
  const config = mergeKubeletConfig(parseKubeletConfiguration(fs.read(spec.config, 'kubelet --config').toString('utf8'), spec.config), overrides);
  const explicit = Boolean(config.tlsCertFile) && Boolean(config.tlsPrivateKeyFile);
  const bootstrapped = `${spec.certDir}/kubelet-server-current.pem`;
  // Only with both fields empty does the kubelet use (or create) the self-signed pair in --cert-dir,
  // and only without serverTLSBootstrap; with it, the kubelet serves what its CSR got, or nothing yet.
  const servingSource = explicit ? 'tlsCertFile' : config.serverTLSBootstrap ? 'serverTLSBootstrap' : 'cert-dir';
  const serving = servingSource === 'tlsCertFile'
    ? loadKeyPair(fs, config.tlsCertFile!, config.tlsPrivateKeyFile!, `KubeletConfiguration tlsCertFile (${spec.config})`, `KubeletConfiguration tlsPrivateKeyFile (${spec.config})`)
    : servingSource === 'cert-dir'
      ? loadKeyPair(fs, `${spec.certDir}/kubelet.crt`, `${spec.certDir}/kubelet.key`, 'kubelet --cert-dir (kubelet.crt)', 'kubelet --cert-dir (kubelet.key)')
      : fs.exists(bootstrapped) ? loadKeyPair(fs, bootstrapped, bootstrapped, 'kubelet --cert-dir (kubelet-server-current.pem)', 'kubelet --cert-dir (kubelet-server-current.pem)') : undefined;
  const caFile = config.authentication?.x509?.clientCAFile;
  return {
    configFile: spec.config, config, nodeName, servingSource,
    ...(serving ? { serving } : {}),
    ...(caFile ? { clientCa: loadCaBundle(fs, caFile, `KubeletConfiguration authentication.x509.clientCAFile (${spec.config})`) } : {}),
    // kubelet.config.k8s.io/v1beta1 defaults: anonymous disabled, Webhook authorization.
    anonymous: config.authentication?.anonymous?.enabled ?? false,
    authorizationMode: config.authorization?.mode ?? 'Webhook',
  };
}

/** `reviewModes`: the --authorization-mode of the kube-apiserver the Webhook authorizer sends its SubjectAccessReviews to. */
export function startKubelet(config: KubeletConfig, clock: Clock, reviewModes: readonly AuthorizationMode[] = ['Node', 'RBAC']): Endpoint {
  if (!config.serving) return new NoCertEndpoint('kubelet', 'no serving certificate available for the kubelet');
  return new TlsEndpoint({
    name: 'kubelet',
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
  if (path.startsWith('/containerLogs/')) return sendText(res, 200, `I1129 00:00:00.000000       1 server.go:123] kube-mtls-sim: log of ${path.slice('/containerLogs/'.length)}\n`);
  return sendText(res, 200, 'ok');
}
