/**
 * The authorizer of the fake kube-apiserver against what Kubernetes does: kubeadm's default RBAC
 * (bootstrappolicy + kubeadm phases), the Node authorizer (node_authorizer.go), the union of modes
 * (union.go), the exact 403 texts (responsewriters/errors.go + apierrors.NewForbidden) and the kubelet's
 * path mapping and 403 (pkg/kubelet/server/auth.go, server.go). Every row asserts the whole decision.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { UserInfo } from '../lib/authn/types.js';
import type { AuthorizationMode, AuthzDecision, RequestAttributes } from '../lib/authz/types.js';
import type { AnyBinding, AnyRole, PolicyRule } from '../lib/authz/rbac-types.js';
import type { FieldSelectorAttributes } from '../lib/authz/node.js';
import { authorize, kubeletForbiddenMessage, kubeletRequestAttributes } from '../lib/authz/authorize.js';
import { ruleAllows } from '../lib/authz/rbac.js';

/** Who asks: the identities a kubeadm cluster's certificates and tokens carry. */
const AUTH = 'system:authenticated';
const u = (name: string, ...groups: string[]): UserInfo => ({ name, groups });
const admin = u('kubernetes-admin', 'kubeadm:cluster-admins', AUTH);
const superAdmin = u('kubernetes-super-admin', 'system:masters', AUTH);
const scheduler = u('system:kube-scheduler', AUTH);
const kcm = u('system:kube-controller-manager', AUTH);
const kubeProxySA = u('system:serviceaccount:kube-system:kube-proxy', 'system:serviceaccounts', 'system:serviceaccounts:kube-system', AUTH);
const node = u('system:node:control-plane', 'system:nodes', AUTH);
const nodeWithoutO = u('system:node:control-plane', AUTH);
const anonymous = u('system:anonymous', 'system:unauthenticated');
const bootstrap = u('system:bootstrap:abcdef', 'system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', AUTH);
const kubeletClient = u('kube-apiserver-kubelet-client', 'kubeadm:cluster-admins', AUTH);
const prometheus = u('system:serviceaccount:monitoring:prometheus', 'system:serviceaccounts', 'system:serviceaccounts:monitoring', AUTH);

type Attrs = RequestAttributes & FieldSelectorAttributes;
interface Where { group?: string; ns?: string; name?: string; sub?: string; fieldSelector?: Record<string, string> }
const res = (user: UserInfo, verb: string, resource: string, w: Where = {}): Attrs => ({
  user, verb, resourceRequest: true, apiGroup: w.group ?? '', resource,
  ...(w.sub !== undefined && { subresource: w.sub }), ...(w.name !== undefined && { name: w.name }),
  ...(w.ns !== undefined && { namespace: w.ns }), ...(w.fieldSelector !== undefined && { fieldSelector: w.fieldSelector }),
});
const path = (user: UserInfo, p: string, verb = 'get'): Attrs => ({ user, verb, resourceRequest: false, path: p });

interface Options { modes?: AuthorizationMode[]; extraRoles?: AnyRole[]; extraBindings?: AnyBinding[] }
const KUBEADM_MODES: AuthorizationMode[] = ['Node', 'RBAC'];
const decide = (attrs: Attrs, o: Options = {}): AuthzDecision => authorize(attrs, { modes: o.modes ?? KUBEADM_MODES, extraRoles: o.extraRoles, extraBindings: o.extraBindings });

const crb = (binding: string, role: string): string => `ClusterRoleBinding "${binding}" → ClusterRole "${role}"`;
const NODE_RULES_REASON = 'Node authorizer: static node rules (ClusterRole "system:node" rules, bootstrappolicy.NodeRules)';
const PRIVILEGED = 'group "system:masters" is privileged: kube-apiserver allows it everything before asking any authorization mode';

/** One row: the request, and the whole decision expected (reason for an allow; reason and exact 403 message for a deny). */
type Row =
  | [title: string, attrs: Attrs, expect: { allow: AuthzDecision['decidedBy']; reason: string }, options?: Options]
  | [title: string, attrs: Attrs, expect: { deny: string; reason?: string; decidedBy?: AuthzDecision['decidedBy'] }, options?: Options];

const decision = test.macro((t: ExecutionContext, attrs: Attrs, expect: Row[2], options?: Options) => {
  const got = decide(attrs, options);
  if ('allow' in expect) {
    t.deepEqual(got, { allowed: true, decidedBy: expect.allow, reason: expect.reason });
  } else {
    t.deepEqual(got, { allowed: false, decidedBy: expect.decidedBy ?? 'none', reason: expect.reason ?? '', message: expect.deny });
  }
});

const ROWS: Row[] = [
  // Administrators
  ['kubernetes-admin (kubeadm:cluster-admins) deletes a secret', res(admin, 'delete', 'secrets', { ns: 'kube-system', name: 'x' }),
    { allow: 'RBAC', reason: crb('kubeadm:cluster-admins', 'cluster-admin') }],
  ['kubernetes-admin gets a non-resource URL (/metrics)', path(admin, '/metrics'), { allow: 'RBAC', reason: crb('kubeadm:cluster-admins', 'cluster-admin') }],
  ['kubernetes-super-admin (system:masters) is allowed by the privileged group before any mode', res(superAdmin, 'delete', 'nodes', { name: 'worker-1' }),
    { allow: 'AlwaysAllow', reason: PRIVILEGED }],
  ['system:masters is allowed even when RBAC is not a mode', res(superAdmin, 'create', 'pods', { ns: 'default' }), { allow: 'AlwaysAllow', reason: PRIVILEGED }, { modes: ['Node'] }],
  ['kubernetes-admin is not privileged: with only the Node mode it is refused', res(admin, 'list', 'pods', { ns: 'default' }),
    { deny: 'pods is forbidden: User "kubernetes-admin" cannot list resource "pods" in API group "" in the namespace "default"' }, { modes: ['Node'] }],
  // Scheduler and controller-manager
  ['system:kube-scheduler lists pods cluster-wide', res(scheduler, 'list', 'pods'), { allow: 'RBAC', reason: crb('system:kube-scheduler', 'system:kube-scheduler') }],
  ['system:kube-scheduler cannot list secrets', res(scheduler, 'list', 'secrets'),
    { deny: 'secrets is forbidden: User "system:kube-scheduler" cannot list resource "secrets" in API group "" at the cluster scope' }],
  ['system:kube-scheduler binds a pod (pods/binding)', res(scheduler, 'create', 'pods', { ns: 'default', name: 'web-0', sub: 'binding' }),
    { allow: 'RBAC', reason: crb('system:kube-scheduler', 'system:kube-scheduler') }],
  ['system:kube-scheduler updates its own leader-election lease', res(scheduler, 'update', 'leases', { group: 'coordination.k8s.io', ns: 'kube-system', name: 'kube-scheduler' }),
    { allow: 'RBAC', reason: crb('system:kube-scheduler', 'system:kube-scheduler') }],
  ['system:kube-scheduler cannot get the controller-manager lease (resourceNames)', res(scheduler, 'get', 'leases', { group: 'coordination.k8s.io', ns: 'kube-system', name: 'kube-controller-manager' }),
    { deny: 'leases.coordination.k8s.io "kube-controller-manager" is forbidden: User "system:kube-scheduler" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"' }],
  ['system:kube-scheduler patches PVs through system:volume-scheduler', res(scheduler, 'patch', 'persistentvolumes', { name: 'pv-1' }),
    { allow: 'RBAC', reason: crb('system:volume-scheduler', 'system:volume-scheduler') }],
  ['system:kube-controller-manager gets its lease in kube-system', res(kcm, 'get', 'leases', { group: 'coordination.k8s.io', ns: 'kube-system', name: 'kube-controller-manager' }),
    { allow: 'RBAC', reason: crb('system:kube-controller-manager', 'system:kube-controller-manager') }],
  ['system:kube-controller-manager cannot update the scheduler lease (resourceNames)', res(kcm, 'update', 'leases', { group: 'coordination.k8s.io', ns: 'kube-system', name: 'kube-scheduler' }),
    { deny: 'leases.coordination.k8s.io "kube-scheduler" is forbidden: User "system:kube-controller-manager" cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"' }],
  ['system:kube-controller-manager lists every resource (secrets too)', res(kcm, 'list', 'secrets'), { allow: 'RBAC', reason: crb('system:kube-controller-manager', 'system:kube-controller-manager') }],
  ['system:kube-controller-manager cannot delete a pod itself', res(kcm, 'delete', 'pods', { ns: 'default', name: 'web-0' }),
    { deny: 'pods "web-0" is forbidden: User "system:kube-controller-manager" cannot delete resource "pods" in API group "" in the namespace "default"' }],
  // kube-proxy
  ['kube-proxy ServiceAccount lists services', res(kubeProxySA, 'list', 'services'), { allow: 'RBAC', reason: crb('kubeadm:node-proxier', 'system:node-proxier') }],
  ['kube-proxy ServiceAccount watches endpointslices', res(kubeProxySA, 'watch', 'endpointslices', { group: 'discovery.k8s.io' }),
    { allow: 'RBAC', reason: crb('kubeadm:node-proxier', 'system:node-proxier') }],
  ['kube-proxy ServiceAccount cannot create pods', res(kubeProxySA, 'create', 'pods', { ns: 'default' }),
    { deny: 'pods is forbidden: User "system:serviceaccount:kube-system:kube-proxy" cannot create resource "pods" in API group "" in the namespace "default"' }],
  ['a kube-proxy client certificate (user system:kube-proxy) is bound by the bootstrap policy', res(u('system:kube-proxy', AUTH), 'get', 'nodes', { name: 'worker-1' }),
    { allow: 'RBAC', reason: crb('system:node-proxier', 'system:node-proxier') }],
  // Kubelets and the Node authorizer
  ['node control-plane gets its own Node', res(node, 'get', 'nodes', { name: 'control-plane' }),
    { allow: 'Node', reason: 'Node authorizer: node "control-plane" may get its own Node object' }],
  ['node control-plane cannot get node worker-1 (AuthorizeNodeWithSelectors)', res(node, 'get', 'nodes', { name: 'worker-1' }), {
    reason: "node 'control-plane' cannot read 'worker-1', only its own Node object",
    deny: 'nodes "worker-1" is forbidden: User "system:node:control-plane" cannot get resource "nodes" in API group "" at the cluster scope: node \'control-plane\' cannot read \'worker-1\', only its own Node object' }],
  ['node control-plane cannot list all nodes', res(node, 'list', 'nodes'), {
    reason: "node 'control-plane' cannot read all nodes, only its own Node object",
    deny: 'nodes is forbidden: User "system:node:control-plane" cannot list resource "nodes" in API group "" at the cluster scope: node \'control-plane\' cannot read all nodes, only its own Node object' }],
  ['node control-plane watches its own Node (metadata.name field selector → name)', res(node, 'watch', 'nodes', { name: 'control-plane' }),
    { allow: 'Node', reason: 'Node authorizer: node "control-plane" may watch its own Node object' }],
  ['node patches nodes/status', res(node, 'patch', 'nodes', { name: 'control-plane', sub: 'status' }),
    { allow: 'Node', reason: 'Node authorizer: nodes may patch nodes/status (NodeRestriction limits them to their own)' }],
  ['node lists services (static node rules)', res(node, 'list', 'services'), { allow: 'Node', reason: NODE_RULES_REASON }],
  ['node gets an Endpoints object (static node rules)', res(node, 'get', 'endpoints', { ns: 'default', name: 'kubernetes' }), { allow: 'Node', reason: NODE_RULES_REASON }],
  ['node cannot list endpoints (system:node only has get)', res(node, 'list', 'endpoints'),
    { deny: 'endpoints is forbidden: User "system:node:control-plane" cannot list resource "endpoints" in API group "" at the cluster scope' }],
  ['node creates a CSR (static node rules)', res(node, 'create', 'certificatesigningrequests', { group: 'certificates.k8s.io' }), { allow: 'Node', reason: NODE_RULES_REASON }],
  ['node renews its client certificate (selfnodeclient, from RBAC)', res(node, 'create', 'certificatesigningrequests', { group: 'certificates.k8s.io', sub: 'selfnodeclient' }),
    { allow: 'RBAC', reason: crb('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient') }],
  ['node lists its pods with spec.nodeName=control-plane', res(node, 'list', 'pods', { fieldSelector: { 'spec.nodeName': 'control-plane' } }),
    { allow: 'Node', reason: 'Node authorizer: pods selected by spec.nodeName=control-plane' }],
  ['node cannot list pods without the spec.nodeName field selector', res(node, 'list', 'pods', { fieldSelector: { 'spec.nodeName': 'worker-1' } }), {
    reason: 'can only list/watch pods with spec.nodeName field selector',
    deny: 'pods is forbidden: User "system:node:control-plane" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector' }],
  ['node cannot get a secret no pod of it uses', res(node, 'get', 'secrets', { ns: 'kube-system', name: 'bootstrap-token-abcdef' }), {
    reason: "no relationship found between node 'control-plane' and this object",
    deny: 'secrets "bootstrap-token-abcdef" is forbidden: User "system:node:control-plane" cannot get resource "secrets" in API group "" in the namespace "kube-system": no relationship found between node \'control-plane\' and this object' }],
  ['node renews its own lease in kube-node-lease', res(node, 'update', 'leases', { group: 'coordination.k8s.io', ns: 'kube-node-lease', name: 'control-plane' }),
    { allow: 'Node', reason: 'Node authorizer: node "control-plane" may update its own Lease in kube-node-lease' }],
  ["node cannot update another node's lease", res(node, 'update', 'leases', { group: 'coordination.k8s.io', ns: 'kube-node-lease', name: 'worker-1' }), {
    reason: 'can only access node lease with the same name as the requesting node',
    deny: 'leases.coordination.k8s.io "worker-1" is forbidden: User "system:node:control-plane" cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only access node lease with the same name as the requesting node' }],
  ['node: a resource the Node authorizer does not know falls through to RBAC', res(node, 'delete', 'namespaces', { name: 'default' }),
    { deny: 'namespaces "default" is forbidden: User "system:node:control-plane" cannot delete resource "namespaces" in API group "" at the cluster scope' }],
  ['node without the Node mode: system:node is bound to nobody', res(node, 'get', 'nodes', { name: 'control-plane' }),
    { deny: 'nodes "control-plane" is forbidden: User "system:node:control-plane" cannot get resource "nodes" in API group "" at the cluster scope' }, { modes: ['RBAC'] }],
  ['a kubelet certificate without O=system:nodes is no node: RBAC refuses its own Node', res(nodeWithoutO, 'get', 'nodes', { name: 'control-plane' }),
    { deny: 'nodes "control-plane" is forbidden: User "system:node:control-plane" cannot get resource "nodes" in API group "" at the cluster scope' }],
  ['user "system:node:" in system:nodes names no node', res(u('system:node:', 'system:nodes'), 'get', 'nodes', { name: 'x' }), {
    reason: 'unknown node for user "system:node:"',
    deny: 'nodes "x" is forbidden: User "system:node:" cannot get resource "nodes" in API group "" at the cluster scope: unknown node for user "system:node:"' }],
  // Anonymous
  ['system:anonymous gets /version', path(anonymous, '/version'), { allow: 'RBAC', reason: crb('system:public-info-viewer', 'system:public-info-viewer') }],
  ['system:anonymous gets /healthz', path(anonymous, '/healthz'), { allow: 'RBAC', reason: crb('system:public-info-viewer', 'system:public-info-viewer') }],
  ['system:anonymous cannot get /api (system:discovery is for authenticated users)', path(anonymous, '/api'),
    { deny: 'forbidden: User "system:anonymous" cannot get path "/api"' }],
  ['system:anonymous cannot get /healthz/etcd (no trailing * in public-info-viewer)', path(anonymous, '/healthz/etcd'),
    { deny: 'forbidden: User "system:anonymous" cannot get path "/healthz/etcd"' }],
  ['system:anonymous cannot list pods in kube-system', res(anonymous, 'list', 'pods', { ns: 'kube-system' }),
    { deny: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "kube-system"' }],
  ['system:anonymous reads kube-public/cluster-info (kubeadm join discovery)', res(anonymous, 'get', 'configmaps', { ns: 'kube-public', name: 'cluster-info' }),
    { allow: 'RBAC', reason: 'RoleBinding "kube-public/kubeadm:bootstrap-signer-clusterinfo" → Role "kubeadm:bootstrap-signer-clusterinfo"' }],
  ['system:anonymous cannot read another ConfigMap of kube-public', res(anonymous, 'get', 'configmaps', { ns: 'kube-public', name: 'kubeadm-config' }),
    { deny: 'configmaps "kubeadm-config" is forbidden: User "system:anonymous" cannot get resource "configmaps" in API group "" in the namespace "kube-public"' }],
  ['an authenticated user gets /apis/apps through system:discovery', path(scheduler, '/apis/apps'), { allow: 'RBAC', reason: crb('system:discovery', 'system:discovery') }],
  ['the path is HTML-escaped in the message, as responsewriters does', path(anonymous, '/<b>&'), { deny: 'forbidden: User "system:anonymous" cannot get path "/&lt;b&gt;&amp;"' }],
  // Bootstrap tokens
  ['bootstrap token creates a CSR', res(bootstrap, 'create', 'certificatesigningrequests', { group: 'certificates.k8s.io' }),
    { allow: 'RBAC', reason: crb('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper') }],
  ['bootstrap token CSRs are auto-approved (nodeclient)', res(bootstrap, 'create', 'certificatesigningrequests', { group: 'certificates.k8s.io', sub: 'nodeclient' }),
    { allow: 'RBAC', reason: crb('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient') }],
  ['bootstrap token gets a node (kubeadm:get-nodes)', res(bootstrap, 'get', 'nodes', { name: 'worker-1' }), { allow: 'RBAC', reason: crb('kubeadm:get-nodes', 'kubeadm:get-nodes') }],
  ['bootstrap token cannot list secrets', res(bootstrap, 'list', 'secrets', { ns: 'kube-system' }),
    { deny: 'secrets is forbidden: User "system:bootstrap:abcdef" cannot list resource "secrets" in API group "" in the namespace "kube-system"' }],
  ['a bootstrap token outside the kubeadm token group cannot create a CSR', res(u('system:bootstrap:abcdef', 'system:bootstrappers', AUTH), 'create', 'certificatesigningrequests', { group: 'certificates.k8s.io' }),
    { deny: 'certificatesigningrequests.certificates.k8s.io is forbidden: User "system:bootstrap:abcdef" cannot create resource "certificatesigningrequests" in API group "certificates.k8s.io" at the cluster scope' }],
  // The apiserver's kubelet client
  ['kube-apiserver-kubelet-client (kubeadm:cluster-admins) is allowed nodes/proxy', res(kubeletClient, 'get', 'nodes', { name: 'control-plane', sub: 'proxy' }),
    { allow: 'RBAC', reason: crb('kubeadm:cluster-admins', 'cluster-admin') }],
  // Mode semantics
  ['AlwaysDeny has no opinion: RBAC after it still allows', res(admin, 'get', 'pods', { ns: 'default', name: 'p' }),
    { allow: 'RBAC', reason: crb('kubeadm:cluster-admins', 'cluster-admin') }, { modes: ['AlwaysDeny', 'RBAC'] }],
  ['AlwaysDeny alone: its reason ends the 403 message', res(scheduler, 'list', 'pods'), {
    reason: 'Everything is forbidden.',
    deny: 'pods is forbidden: User "system:kube-scheduler" cannot list resource "pods" in API group "" at the cluster scope: Everything is forbidden.' }, { modes: ['AlwaysDeny'] }],
  ['the reasons of every authorizer are joined with a newline', res(node, 'get', 'nodes', { name: 'worker-1' }), {
    reason: "node 'control-plane' cannot read 'worker-1', only its own Node object\nEverything is forbidden.",
    deny: 'nodes "worker-1" is forbidden: User "system:node:control-plane" cannot get resource "nodes" in API group "" at the cluster scope: node \'control-plane\' cannot read \'worker-1\', only its own Node object\nEverything is forbidden.' },
    { modes: ['Node', 'AlwaysDeny'] }],
  ['AlwaysAllow allows system:anonymous anything', res(anonymous, 'delete', 'namespaces', { name: 'kube-system' }), { allow: 'AlwaysAllow', reason: 'AlwaysAllow authorizer' }, { modes: ['AlwaysAllow'] }],
  ['Webhook mode asks the cluster (Node then RBAC) and reports who decided', res(node, 'get', 'nodes', { name: 'control-plane' }),
    { allow: 'Node', reason: 'Node authorizer: node "control-plane" may get its own Node object' }, { modes: ['Webhook'] }],
];

for (const [title, attrs, expect, options] of ROWS) test(title, decision, attrs, expect, options);

// Extra roles and bindings
const MISSING: AnyBinding = { kind: 'ClusterRoleBinding', name: 'alice-missing', roleRef: { kind: 'ClusterRole', name: 'does-not-exist' }, subjects: [{ kind: 'User', name: 'alice' }] };
const MISSING_ROLE: AnyBinding = { kind: 'RoleBinding', name: 'alice-gone', namespace: 'team-a', roleRef: { kind: 'Role', name: 'gone' }, subjects: [{ kind: 'User', name: 'alice' }] };
const POD_READER: AnyRole = { kind: 'Role', name: 'pod-reader', namespace: 'team-a', rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] };
const CI_READS_PODS: AnyBinding = { kind: 'RoleBinding', name: 'ci', namespace: 'team-a', roleRef: { kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'ci' }] };
const ci = u('system:serviceaccount:team-a:ci', 'system:serviceaccounts', 'system:serviceaccounts:team-a', AUTH);

const EXTRA_ROWS: Row[] = [
  ['a binding to a missing ClusterRole: RBAC says why in the reason', res(u('alice', AUTH), 'list', 'pods', { ns: 'default' }), {
    reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found',
    deny: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found' },
    { extraBindings: [MISSING] }],
  ['two missing roles are aggregated in brackets', res(u('alice', AUTH), 'list', 'pods', { ns: 'team-a' }), {
    reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "does-not-exist" not found, role.rbac.authorization.k8s.io "gone" not found]',
    deny: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "team-a": RBAC: [clusterrole.rbac.authorization.k8s.io "does-not-exist" not found, role.rbac.authorization.k8s.io "gone" not found]' },
    { extraBindings: [MISSING, MISSING_ROLE] }],
  ['a RoleBinding ServiceAccount subject without namespace means the binding namespace', res(ci, 'list', 'pods', { ns: 'team-a' }),
    { allow: 'RBAC', reason: 'RoleBinding "team-a/ci" → Role "pod-reader"' }, { extraRoles: [POD_READER], extraBindings: [CI_READS_PODS] }],
  ['a RoleBinding grants nothing in another namespace', res(ci, 'list', 'pods', { ns: 'team-b' }),
    { deny: 'pods is forbidden: User "system:serviceaccount:team-a:ci" cannot list resource "pods" in API group "" in the namespace "team-b"' },
    { extraRoles: [POD_READER], extraBindings: [CI_READS_PODS] }],
  ['an extra role replaces the default of the same name', res(kubeProxySA, 'list', 'services'),
    { deny: 'services is forbidden: User "system:serviceaccount:kube-system:kube-proxy" cannot list resource "services" in API group "" at the cluster scope' },
    { extraRoles: [{ kind: 'ClusterRole', name: 'system:node-proxier', rules: [] }] }],
];
for (const [title, attrs, expect, options] of EXTRA_ROWS) test(title, decision, attrs, expect, options);

// The kubelet's side: attributes from its API paths, and its own 403 wording.
const KUBELET_PATHS: [method: string, path: string, verb: string, subresource: string][] = [
  ['GET', '/stats/summary', 'get', 'stats'],
  ['GET', '/stats', 'get', 'stats'],
  ['GET', '/metrics/cadvisor', 'get', 'metrics'],
  ['GET', '/metrics', 'get', 'metrics'],
  ['GET', '/metricsfoo', 'get', 'proxy'],
  ['GET', '/logs/', 'get', 'log'],
  ['GET', '/logs', 'get', 'log'],
  ['POST', '/checkpoint/default/web-0/app', 'create', 'checkpoint'],
  ['GET', '/pods', 'get', 'proxy'],
  ['GET', '/containerLogs/kube-system/etcd-control-plane/etcd?tailLines=10', 'get', 'proxy'],
  ['POST', '/exec/default/web-0/app?command=sh', 'create', 'proxy'],
  ['GET', '/spec/', 'get', 'proxy'],
  ['PUT', '/run/default/web-0/app', 'update', 'proxy'],
  ['PATCH', '/x', 'patch', 'proxy'],
  ['DELETE', '/x', 'delete', 'proxy'],
  ['HEAD', '/healthz', '', 'proxy'],
];

for (const [method, p, verb, subresource] of KUBELET_PATHS) {
  test(`kubelet maps ${method} ${p} to ${verb || '(no verb)'} nodes/${subresource}`, (t) => {
    const attrs = kubeletRequestAttributes(anonymous, method, p, 'worker-1');
    t.like(attrs, { verb, resourceRequest: true, apiGroup: '', apiVersion: 'v1', resource: 'nodes', subresource, name: 'worker-1', path: p.split('?')[0] });
    t.falsy(attrs.namespace);
  });
}

test('kubelet (Webhook): kube-apiserver-kubelet-client may GET /pods (nodes/proxy)', (t) => {
  const got = authorize(kubeletRequestAttributes(kubeletClient, 'GET', '/pods', 'control-plane'), { modes: ['Webhook'] });
  t.deepEqual(got, { allowed: true, decidedBy: 'RBAC', reason: crb('kubeadm:cluster-admins', 'cluster-admin') });
});

test('kubelet (Webhook): system:anonymous gets the kubelet 403 for /pods', (t) => {
  const attrs = kubeletRequestAttributes(anonymous, 'GET', '/pods', 'control-plane');
  const got = authorize(attrs, { modes: ['Webhook'] });
  t.false(got.allowed);
  t.is(kubeletForbiddenMessage(attrs), 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)');
  t.is(got.message, 'nodes "control-plane" is forbidden: User "system:anonymous" cannot get resource "nodes/proxy" in API group "" at the cluster scope');
});

test('kubelet: system:kubelet-api-admin gives nodes/stats but not nodes/checkpoint', (t) => {
  const extraBindings: AnyBinding[] = [{ kind: 'ClusterRoleBinding', name: 'prometheus-kubelet', roleRef: { kind: 'ClusterRole', name: 'system:kubelet-api-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }] }];
  const stats = authorize(kubeletRequestAttributes(prometheus, 'GET', '/stats/summary', 'worker-1'), { modes: ['Webhook'], extraBindings });
  t.deepEqual(stats, { allowed: true, decidedBy: 'RBAC', reason: crb('prometheus-kubelet', 'system:kubelet-api-admin') });
  const checkpoint = kubeletRequestAttributes(prometheus, 'POST', '/checkpoint/default/web-0/app', 'worker-1');
  t.false(authorize(checkpoint, { modes: ['Webhook'], extraBindings }).allowed);
  t.is(kubeletForbiddenMessage(checkpoint), 'Forbidden (user=system:serviceaccount:monitoring:prometheus, verb=create, resource=nodes, subresource=checkpoint)');
});

// Rule matching (evaluation_helpers.go), directly.
const RULES: [title: string, rule: PolicyRule, attrs: Attrs, allows: boolean][] = [
  ['*/status matches pods/status', { verbs: ['update'], apiGroups: [''], resources: ['*/status'] }, res(admin, 'update', 'pods', { sub: 'status', name: 'p' }), true],
  ['*/status does not match pods', { verbs: ['update'], apiGroups: [''], resources: ['*/status'] }, res(admin, 'update', 'pods', { name: 'p' }), false],
  ['pods does not match pods/log', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res(admin, 'get', 'pods', { sub: 'log', name: 'p' }), false],
  ['resourceNames never match a list', { verbs: ['list'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }, res(admin, 'list', 'pods'), false],
  ['apiGroups must match', { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }, res(admin, 'get', 'deployments', { group: 'extensions' }), false],
  ['verb * matches any verb', { verbs: ['*'], apiGroups: ['apps'], resources: ['deployments'] }, res(admin, 'deletecollection', 'deployments', { group: 'apps' }), true],
  ['/apis/* matches below /apis/', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path(admin, '/apis/apps/v1'), true],
  ['/apis/* does not match /apis itself', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path(admin, '/apis'), false],
  ['a resource rule never matches a path', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, path(admin, '/healthz'), false],
];

for (const [title, rule, attrs, allows] of RULES) test(`rule: ${title}`, (t) => t.is(ruleAllows(attrs, rule), allows));

test('a user name is quoted as Go quotes it', (t) => {
  t.is(decide(res(u('a"b\\c', AUTH), 'get', 'pods', { ns: 'default', name: 'p' })).message,
    'pods "p" is forbidden: User "a\\"b\\\\c" cannot get resource "pods" in API group "" in the namespace "default"');
});

test('modes are validated as kube-apiserver validates them', (t) => {
  t.throws(() => authorize(path(admin, '/'), { modes: [] }), { message: 'at least one authorization mode must be passed' });
  t.throws(() => authorize(path(admin, '/'), { modes: ['RBAC', 'Node', 'RBAC'] }), { message: 'Authorization mode RBAC specified more than once' });
});
