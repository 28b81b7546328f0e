import test from 'ava';
import { apiObject } from '../lib/endpoints/objects.js';
import { requestInfo } from '../lib/endpoints/request-info.js';

/**
 * What kube-apiserver answers for what it does not serve: 404 with a metav1.Status (go-restful's
 * NotFound through NewGenericServerResponse), and 405 for a verb a served resource does not take.
 * Before issue 13 an unmodelled resource answered an empty list, even to a POST.
 */
const user = { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
const ask = (method: string, url: string) => apiObject(requestInfo(method, url), url, user, 'control-plane');
const NOT_FOUND = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 };

test('an unmodelled resource, group or path is 404 NotFound with the Status body, for every verb', (t) => {
  for (const [method, url] of [
    ['GET', '/api/v1/namespaces/default/configmaps'], ['POST', '/api/v1/namespaces/default/configmaps'], ['GET', '/apis/nope.example.com/v1'],
    ['GET', '/apis/apps/v1/deployments'], ['DELETE', '/apis/apps/v1/namespaces/default/deployments/web'], ['GET', '/nope'],
  ] as const) {
    t.deepEqual(ask(method, url), { status: 404, body: NOT_FOUND }, `${method} ${url}`);
  }
});

test('a modelled resource answers its verbs and 405 MethodNotAllowed for the others', (t) => {
  t.is(ask('GET', '/version').status, 200);
  t.is(ask('POST', '/version').status, 405);
  t.is(ask('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews').status, 201);
  t.is(ask('GET', '/apis/authentication.k8s.io/v1/selfsubjectreviews').status, 405);
  t.is(ask('GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews').status, 405);
  const lease = ask('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager');
  t.is((lease.body as { spec: { holderIdentity: string } }).spec.holderIdentity, 'control-plane_kube-controller-manager');
  t.is(ask('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases').status, 200);
  t.is(ask('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/other').status, 404);
  const put = ask('PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager');
  t.deepEqual(put, { status: 405, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server does not allow this method on the requested resource', reason: 'MethodNotAllowed', details: {}, code: 405 } });
});
