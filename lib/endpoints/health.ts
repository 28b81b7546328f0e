/**
 * kube-apiserver's /healthz, /livez and /readyz (k8s.io/apiserver/pkg/server/healthz): `ok` as
 * text/plain; with `?verbose` one `[+]<check> ok` line per check and `<endpoint> check passed`;
 * `/<endpoint>/<check>` answers one check. The check names are kube-apiserver 1.32's; every check
 * passes, because a simulated apiserver that answers is up. RBAC's system:public-info-viewer lets
 * anyone (anonymous too) read them; the authorizer decides before this runs.
 */
const COMMON = [
  'ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer', 'poststarthook/start-apiextensions-informers', 'poststarthook/crd-informer-synced',
  'poststarthook/start-system-namespaces-controller', 'poststarthook/bootstrap-controller', 'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes', 'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/start-kube-apiserver-identity-lease-controller', 'poststarthook/aggregator-reload-proxy-client-cert',
  'poststarthook/apiservice-registration-controller', 'autoregister-completion',
];
const CHECKS: Record<string, string[]> = {
  healthz: COMMON,
  livez: COMMON,
  // readyz adds the readiness-only checks: etcd-readiness, informer-sync, shutdown.
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', ...COMMON.slice(3), 'shutdown'],
};

export interface HealthAnswer { status: number; text: string }

/** The answer for a health path, or undefined when `path` is none. */
export function health(path: string, query: string): HealthAnswer | undefined {
  const [, endpoint, ...rest] = path.split('/');
  const checks = CHECKS[endpoint ?? ''];
  if (!checks) return undefined;
  const check = rest.join('/');
  if (check) return checks.includes(check) ? { status: 200, text: 'ok' } : undefined;
  const params = new URLSearchParams(query);
  if (!params.has('verbose')) return { status: 200, text: 'ok' };
  const excluded = new Set(params.getAll('exclude'));
  const lines = checks.map((c) => (excluded.has(c) ? `[+]${c} excluded: ok` : `[+]${c} ok`));
  return { status: 200, text: `${lines.join('\n')}\n${endpoint} check passed\n` };
}
