import type { UserInfo } from '../authn/types.js';
import { statusBody } from './http.js';
import type { RequestInfo } from './request-info.js';
import type { ApiAnswer } from './csr-api.js';

/**
 * The last stop of a request the other routes did not answer: the few objects the simulated
 * clients ask for (the version, SelfSubjectReview, the controller-manager's and scheduler's
 * leases), shaped like the real ones; and for everything else kube-apiserver's own answers: 404
 * NotFound for a path or resource it does not serve, 405 MethodNotAllowed for a verb a served
 * resource does not take. The core group's objects are core-api.ts's; health checks are health.ts's.
 */

/** The component leases kube-apiserver holds in kube-system, as the leader-elected components keep them. */
const LEASES = ['kube-controller-manager', 'kube-scheduler'];

export function apiObject(info: RequestInfo, url: string, user: UserInfo, nodeName: string): ApiAnswer {
  const path = info.path;
  if (path === '/version') {
    return info.verb === 'get' ? { status: 200, body: { major: '1', minor: '32', gitVersion: 'v1.32.0-kube-mtls-sim', platform: 'linux/amd64' } } : methodNotAllowed();
  }
  if (!info.resourceRequest) return notFound();
  const gv = `${info.apiGroup}/${info.apiVersion}`;
  if (gv === 'authentication.k8s.io/v1' && info.resource === 'selfsubjectreviews' && !info.name) {
    if (info.verb !== 'create') return methodNotAllowed();
    return { status: 201, body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: { username: user.name, groups: user.groups } } } };
  }
  if (gv === 'coordination.k8s.io/v1' && info.resource === 'leases' && !info.subresource) return leases(info, nodeName);
  // Review resources take create only (authorization.k8s.io's create itself is api-routes.ts's).
  if (gv === 'authorization.k8s.io/v1' && ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'].includes(info.resource ?? '') && !info.name) return methodNotAllowed();
  return notFound();
}

function leases(info: RequestInfo, nodeName: string): ApiAnswer {
  const lease = (name: string) => ({
    kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { name, namespace: 'kube-system', resourceVersion: '1' },
    spec: { holderIdentity: `${nodeName}_${name}`, leaseDurationSeconds: 15 },
  });
  const inNamespace = !info.namespace || info.namespace === 'kube-system';
  if (info.name) {
    if (info.verb !== 'get') return methodNotAllowed();
    return inNamespace && LEASES.includes(info.name) ? { status: 200, body: lease(info.name) } : notFound('leases.coordination.k8s.io', info.name);
  }
  if (info.verb !== 'list') return methodNotAllowed();
  return { status: 200, body: { kind: 'LeaseList', apiVersion: 'coordination.k8s.io/v1', metadata: { resourceVersion: '1' }, items: inNamespace ? LEASES.map(lease) : [] } };
}

/**
 * kube-apiserver's answer for what it does not serve: go-restful's 404 turned into a Status by
 * NewGenericServerResponse (empty details), or the named object's NotFound.
 */
export function notFound(resource?: string, name?: string): ApiAnswer {
  if (resource && name) {
    const group = resource.split('.').slice(1).join('.');
    return { status: 404, body: statusBody(404, 'NotFound', `${resource} ${JSON.stringify(name)} not found`, { name, ...(group ? { group } : {}), kind: resource.split('.')[0] }) };
  }
  return { status: 404, body: statusBody(404, 'NotFound', 'the server could not find the requested resource', {}) };
}

export function methodNotAllowed(): ApiAnswer {
  return { status: 405, body: statusBody(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}) };
}
