import type { UserInfo } from '../authn/types.js';
import { statusBody } from './http.js';
import type { RequestInfo } from './request-info.js';

/**
 * The few API objects the simulated clients ask for, shaped like the real ones: enough for a
 * learner (or kubectl) to see a real answer, not a database. The core group's nodes, pods,
 * namespaces, services and endpoints are core-api.ts's; health checks are health.ts's.
 */
export function apiObject(info: RequestInfo, url: string, user: UserInfo, nodeName: string): { status: number; body: unknown } {
  const path = info.path;
  if (path === '/version') {
    return { status: 200, body: { major: '1', minor: '32', gitVersion: 'v1.32.0-kube-mtls-sim', platform: 'linux/amd64' } };
  }
  if (path === '/apis/authentication.k8s.io/v1/selfsubjectreviews' && info.verb === 'create') {
    return { status: 201, body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: { username: user.name, groups: user.groups } } } };
  }
  if (!info.resourceRequest) return notFound(url);
  const group = info.apiGroup ? `${info.apiGroup}/${info.apiVersion}` : info.apiVersion;
  const list = (kind: string, items: unknown[]) => ({ status: 200, body: { kind: `${kind}List`, apiVersion: group, metadata: { resourceVersion: '1' }, items } });
  switch (info.resource) {
    case 'leases':
      if (info.name && info.namespace === 'kube-system' && ['kube-controller-manager', 'kube-scheduler'].includes(info.name)) {
        return { status: 200, body: { kind: 'Lease', apiVersion: group, metadata: { name: info.name, namespace: 'kube-system' }, spec: { holderIdentity: `${nodeName}_${info.name}`, leaseDurationSeconds: 15 } } };
      }
      return info.name ? notFound(url, 'leases.coordination.k8s.io', info.name) : list('Lease', []);
    default:
      return info.name ? notFound(url, info.resource ?? '', info.name) : list(kindOf(info.resource ?? ''), []);
  }
}

function kindOf(resource: string): string {
  const singular = resource.replace(/ies$/, 'y').replace(/s$/, '');
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

function notFound(url: string, resource?: string, name?: string) {
  const message = resource && name ? `${resource} "${name}" not found` : 'the server could not find the requested resource';
  return { status: 404, body: statusBody(404, 'NotFound', message, resource && name ? { name, kind: resource } : undefined) };
}
