/**
 * The default RBAC objects of a kubeadm ≥1.29 cluster, as data: the ClusterRoles the simulation needs
 * (complete rules for each role listed, copied in substance from Kubernetes' bootstrap policy) and
 * every ClusterRoleBinding that gives them to someone, from kube-apiserver's bootstrap policy and from
 * kubeadm's init phases. Roles kubeadm creates in namespaces are listed where they matter to the
 * join flow (anonymous read of kube-public/cluster-info).
 *
 * Rules are those of the testdata that pins the bootstrap policy of v1.29–v1.31 (feature gates at their
 * defaults; no fine-grained kubelet authorization, which adds nodes/pods, nodes/healthz and nodes/configz
 * to system:kubelet-api-admin only when KubeletFineGrainedAuthz is on).
 */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './rbac-types.js';

const READ = ['get', 'list', 'watch'] as const;
const EVENTS_WRITE = ['create', 'patch', 'update'] as const;

// kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (ClusterRoles, NodeRules),
// pinned by plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml.
export const BOOTSTRAP_CLUSTER_ROLES: readonly ClusterRole[] = [
  { kind: 'ClusterRole', name: 'cluster-admin', rules: [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ] },
  { kind: 'ClusterRole', name: 'system:basic-user', rules: [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ] },
  { kind: 'ClusterRole', name: 'system:discovery', rules: [
    { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
  ] },
  { kind: 'ClusterRole', name: 'system:public-info-viewer', rules: [
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
  ] },
  { kind: 'ClusterRole', name: 'system:kube-scheduler', rules: [
    { verbs: EVENTS_WRITE, apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
    { verbs: ['create'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
    { verbs: ['get', 'update'], apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['kube-scheduler'] },
    { verbs: READ, apiGroups: [''], resources: ['nodes'] },
    { verbs: ['delete', ...READ], apiGroups: [''], resources: ['pods'] },
    { verbs: ['create'], apiGroups: [''], resources: ['bindings', 'pods/binding'] },
    { verbs: ['patch', 'update'], apiGroups: [''], resources: ['pods/status'] },
    { verbs: READ, apiGroups: [''], resources: ['replicationcontrollers', 'services'] },
    { verbs: READ, apiGroups: ['apps', 'extensions'], resources: ['replicasets'] },
    { verbs: READ, apiGroups: ['apps'], resources: ['statefulsets'] },
    { verbs: READ, apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
    { verbs: READ, apiGroups: [''], resources: ['persistentvolumeclaims', 'persistentvolumes'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'] },
    { verbs: READ, apiGroups: ['storage.k8s.io'], resources: ['csinodes'] },
    { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
    { verbs: READ, apiGroups: ['storage.k8s.io'], resources: ['csidrivers'] },
    { verbs: READ, apiGroups: ['storage.k8s.io'], resources: ['csistoragecapacities'] },
  ] },
  { kind: 'ClusterRole', name: 'system:volume-scheduler', rules: [
    { verbs: ['get', 'list', 'patch', 'update', 'watch'], apiGroups: [''], resources: ['persistentvolumes'] },
    { verbs: READ, apiGroups: ['storage.k8s.io'], resources: ['storageclasses'] },
    { verbs: ['get', 'list', 'patch', 'update', 'watch'], apiGroups: [''], resources: ['persistentvolumeclaims'] },
  ] },
  { kind: 'ClusterRole', name: 'system:kube-controller-manager', rules: [
    { verbs: EVENTS_WRITE, apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
    { verbs: ['create'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
    { verbs: ['get', 'update'], apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['kube-controller-manager'] },
    { verbs: ['create'], apiGroups: [''], resources: ['secrets', 'serviceaccounts'] },
    { verbs: ['delete'], apiGroups: [''], resources: ['secrets'] },
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'] },
    { verbs: ['update'], apiGroups: [''], resources: ['secrets', 'serviceaccounts'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'] },
    { verbs: ['list', 'watch'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] },
  ] },
  { kind: 'ClusterRole', name: 'system:node-proxier', rules: [
    { verbs: ['list', 'watch'], apiGroups: [''], resources: ['endpoints', 'services'] },
    { verbs: READ, apiGroups: [''], resources: ['nodes'] },
    { verbs: EVENTS_WRITE, apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
    { verbs: ['list', 'watch'], apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
  ] },
  { kind: 'ClusterRole', name: 'system:node-bootstrapper', rules: [
    { verbs: ['create', ...READ], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'] },
  ] },
  { kind: 'ClusterRole', name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', rules: [
    { verbs: ['create'], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/nodeclient'] },
  ] },
  { kind: 'ClusterRole', name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', rules: [
    { verbs: ['create'], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/selfnodeclient'] },
  ] },
  { kind: 'ClusterRole', name: 'system:kubelet-api-admin', rules: [
    { verbs: READ, apiGroups: [''], resources: ['nodes'] },
    { verbs: ['proxy'], apiGroups: [''], resources: ['nodes'] },
    { verbs: ['*'], apiGroups: [''], resources: ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'] },
  ] },
  // Bound to nobody (see the system:node binding below); its rules are also the Node authorizer's static rules.
  { kind: 'ClusterRole', name: 'system:node', rules: [
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews', 'subjectaccessreviews'] },
    { verbs: READ, apiGroups: [''], resources: ['services'] },
    { verbs: ['create', ...READ], apiGroups: [''], resources: ['nodes'] },
    { verbs: ['patch', 'update'], apiGroups: [''], resources: ['nodes/status'] },
    { verbs: ['patch', 'update'], apiGroups: [''], resources: ['nodes'] },
    { verbs: EVENTS_WRITE, apiGroups: [''], resources: ['events'] },
    { verbs: READ, apiGroups: [''], resources: ['pods'] },
    { verbs: ['create', 'delete'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['patch', 'update'], apiGroups: [''], resources: ['pods/status'] },
    { verbs: ['create'], apiGroups: [''], resources: ['pods/eviction'] },
    { verbs: READ, apiGroups: [''], resources: ['configmaps', 'secrets'] },
    { verbs: ['get'], apiGroups: [''], resources: ['persistentvolumeclaims', 'persistentvolumes'] },
    { verbs: ['get'], apiGroups: [''], resources: ['endpoints'] },
    { verbs: ['create', ...READ], apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'] },
    { verbs: ['create', 'delete', 'get', 'patch', 'update'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
    { verbs: ['get'], apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'] },
    { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] },
    { verbs: ['get', 'patch', 'update'], apiGroups: [''], resources: ['persistentvolumeclaims/status'] },
    { verbs: READ, apiGroups: ['storage.k8s.io'], resources: ['csidrivers'] },
    { verbs: ['create', 'delete', 'get', 'patch', 'update'], apiGroups: ['storage.k8s.io'], resources: ['csinodes'] },
    { verbs: READ, apiGroups: ['node.k8s.io'], resources: ['runtimeclasses'] },
  ] },
];

// kubernetes/kubernetes cmd/kubeadm/app/phases/bootstraptoken/node/tlsbootstrap.go (AllowBoostrapTokensToGetNodes).
export const KUBEADM_CLUSTER_ROLES: readonly ClusterRole[] = [
  { kind: 'ClusterRole', name: 'kubeadm:get-nodes', rules: [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }] },
];

// kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (ClusterRoleBindings),
// pinned by .../bootstrappolicy/testdata/cluster-role-bindings.yaml. The system:node binding has no
// subjects: with the Node authorizer the system:nodes group is left out of it (and kubeadm removes it).
export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly ClusterRoleBinding[] = [
  { kind: 'ClusterRoleBinding', name: 'cluster-admin', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] },
  { kind: 'ClusterRoleBinding', name: 'system:basic-user', roleRef: { kind: 'ClusterRole', name: 'system:basic-user' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  { kind: 'ClusterRoleBinding', name: 'system:discovery', roleRef: { kind: 'ClusterRole', name: 'system:discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  { kind: 'ClusterRoleBinding', name: 'system:public-info-viewer', roleRef: { kind: 'ClusterRole', name: 'system:public-info-viewer' },
    subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }] },
  { kind: 'ClusterRoleBinding', name: 'system:kube-controller-manager', roleRef: { kind: 'ClusterRole', name: 'system:kube-controller-manager' },
    subjects: [{ kind: 'User', name: 'system:kube-controller-manager' }] },
  { kind: 'ClusterRoleBinding', name: 'system:kube-scheduler', roleRef: { kind: 'ClusterRole', name: 'system:kube-scheduler' }, subjects: [{ kind: 'User', name: 'system:kube-scheduler' }] },
  { kind: 'ClusterRoleBinding', name: 'system:volume-scheduler', roleRef: { kind: 'ClusterRole', name: 'system:volume-scheduler' }, subjects: [{ kind: 'User', name: 'system:kube-scheduler' }] },
  { kind: 'ClusterRoleBinding', name: 'system:node', roleRef: { kind: 'ClusterRole', name: 'system:node' }, subjects: [] },
  { kind: 'ClusterRoleBinding', name: 'system:node-proxier', roleRef: { kind: 'ClusterRole', name: 'system:node-proxier' }, subjects: [{ kind: 'User', name: 'system:kube-proxy' }] },
];

const BOOTSTRAP_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

// kubernetes/kubernetes cmd/kubeadm/app/constants/constants.go (names) and the phases that create them:
// cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go (EnsureAdminClusterRoleBindingImpl),
// cmd/kubeadm/app/phases/bootstraptoken/node/tlsbootstrap.go, cmd/kubeadm/app/phases/addons/proxy/proxy.go.
export const KUBEADM_CLUSTER_ROLE_BINDINGS: readonly ClusterRoleBinding[] = [
  { kind: 'ClusterRoleBinding', name: 'kubeadm:cluster-admins', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'kubeadm:cluster-admins' }] },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:node-proxier', roleRef: { kind: 'ClusterRole', name: 'system:node-proxier' },
    subjects: [{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: 'kube-system' }] },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:kubelet-bootstrap', roleRef: { kind: 'ClusterRole', name: 'system:node-bootstrapper' }, subjects: [{ kind: 'Group', name: BOOTSTRAP_TOKEN_GROUP }] },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:node-autoapprove-bootstrap', roleRef: { kind: 'ClusterRole', name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient' },
    subjects: [{ kind: 'Group', name: BOOTSTRAP_TOKEN_GROUP }] },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:node-autoapprove-certificate-rotation',
    roleRef: { kind: 'ClusterRole', name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient' }, subjects: [{ kind: 'Group', name: 'system:nodes' }] },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:get-nodes', roleRef: { kind: 'ClusterRole', name: 'kubeadm:get-nodes' }, subjects: [{ kind: 'Group', name: BOOTSTRAP_TOKEN_GROUP }] },
];

// kubernetes/kubernetes cmd/kubeadm/app/phases/bootstraptoken/clusterinfo/clusterinfo.go (CreateClusterInfoRBACRules).
export const KUBEADM_ROLES: readonly Role[] = [
  { kind: 'Role', name: 'kubeadm:bootstrap-signer-clusterinfo', namespace: 'kube-public', rules: [
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'] },
  ] },
];

export const KUBEADM_ROLE_BINDINGS: readonly RoleBinding[] = [
  { kind: 'RoleBinding', name: 'kubeadm:bootstrap-signer-clusterinfo', namespace: 'kube-public',
    roleRef: { kind: 'Role', name: 'kubeadm:bootstrap-signer-clusterinfo' }, subjects: [{ kind: 'User', name: 'system:anonymous' }] },
];

/** bootstrappolicy.NodeRules(): what the Node authorizer allows any node for resources it does not subdivide. */
export const NODE_RULES = BOOTSTRAP_CLUSTER_ROLES.find((r) => r.name === 'system:node')!.rules;
