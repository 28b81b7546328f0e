/**
 * How the kubelet turns a request to its own HTTPS API into authorization attributes
 * (kubernetes/kubernetes pkg/kubelet/server/auth.go, nodeAuthorizerAttributesGetter.GetRequestAttributes)
 * and the text of its 403 (pkg/kubelet/server/server.go, InstallAuthFilter).
 *
 * Modelled with KubeletFineGrainedAuthz off (its default before v1.33): one attribute set per request,
 * so /pods, /runningpods, /healthz and /configz all map to nodes/proxy.
 */
import type { UserInfo } from '../authn/types.js';
import type { RequestAttributes } from './types.js';

/** The HTTP methods the kubelet maps; any other (HEAD, OPTIONS) gets an empty verb, as in auth.go. */
const VERBS: ReadonlyMap<string, string> = new Map([['POST', 'create'], ['GET', 'get'], ['PUT', 'update'], ['PATCH', 'patch'], ['DELETE', 'delete']]);

/** Paths with their own subresource (server.go: statsPath, metricsPath, logsPath, checkpointPath); the rest is `proxy`. */
const SUBRESOURCES: readonly (readonly [string, string])[] = [
  ['/stats/', 'stats'],
  ['/metrics', 'metrics'],
  ['/logs/', 'log'],
  ['/checkpoint/', 'checkpoint'],
];

/** auth.go isSubpath: `path` itself (trailing slash ignored) or anything below it. */
function isSubpath(subpath: string, path: string): boolean {
  const base = path.replace(/\/$/, '');
  return subpath === base || (subpath.startsWith(base) && subpath[base.length] === '/');
}

/**
 * The attributes the kubelet authorizes (through a SubjectAccessReview in Webhook mode): resource
 * `nodes`, name = the kubelet's node, API group "", subresource from the path. `path` may carry a query.
 */
export function kubeletRequestAttributes(user: UserInfo, method: string, path: string, nodeName: string): RequestAttributes {
  const requestPath = path.split('?')[0] ?? '';
  const subresource = SUBRESOURCES.find(([prefix]) => isSubpath(requestPath, prefix))?.[1] ?? 'proxy';
  return {
    user,
    verb: VERBS.get(method) ?? '',
    resourceRequest: true,
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'nodes',
    subresource,
    name: nodeName,
    namespace: '',
    path: requestPath,
  };
}

/** The body of the kubelet's 403: `Forbidden (user=…, verb=…, resource=…, subresource=…)` (no reason). */
export function kubeletForbiddenMessage(attrs: RequestAttributes): string {
  return `Forbidden (user=${attrs.user.name}, verb=${attrs.verb}, resource=${attrs.resource ?? ''}, subresource=${attrs.subresource ?? ''})`;
}
