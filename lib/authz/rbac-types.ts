/**
 * The rbac.authorization.k8s.io/v1 objects the RBAC authorizer reads (k8s.io/api/rbac/v1 types.go),
 * reduced to the fields authorization looks at. Names follow the API (camelCase JSON names).
 */

/** rbacv1.PolicyRule. `*` is the wildcard in verbs, apiGroups, resources and nonResourceURLs. */
export interface PolicyRule {
  verbs: readonly string[];
  apiGroups?: readonly string[];
  /** `pods`, `pods/status`, `*`, or `*\/status` (any resource's status subresource). */
  resources?: readonly string[];
  /** When present, only requests naming one of these objects match (so never a list or a create). */
  resourceNames?: readonly string[];
  /** `/healthz`, or a prefix ending in `*` such as `/apis/*`. */
  nonResourceURLs?: readonly string[];
}

export interface ClusterRole {
  kind: 'ClusterRole';
  name: string;
  rules: readonly PolicyRule[];
}

export interface Role {
  kind: 'Role';
  name: string;
  namespace: string;
  rules: readonly PolicyRule[];
}

/** rbacv1.Subject. A ServiceAccount subject matches user `system:serviceaccount:<namespace>:<name>`. */
export type Subject =
  | { kind: 'User'; name: string }
  | { kind: 'Group'; name: string }
  /** `namespace` may be omitted in a RoleBinding: it then defaults to the binding's namespace. */
  | { kind: 'ServiceAccount'; name: string; namespace?: string };

export interface ClusterRoleBinding {
  kind: 'ClusterRoleBinding';
  name: string;
  /** A ClusterRoleBinding can only refer to a ClusterRole. */
  roleRef: { kind: 'ClusterRole'; name: string };
  subjects: readonly Subject[];
}

export interface RoleBinding {
  kind: 'RoleBinding';
  name: string;
  namespace: string;
  /** A Role of the binding's namespace, or a ClusterRole whose rules then apply in that namespace only. */
  roleRef: { kind: 'ClusterRole' | 'Role'; name: string };
  subjects: readonly Subject[];
}

export type AnyRole = ClusterRole | Role;
export type AnyBinding = ClusterRoleBinding | RoleBinding;

/** What one authorizer of the chain answers (authorizer.Decision plus its reason string). */
export interface AuthorizerAnswer {
  decision: 'Allow' | 'Deny' | 'NoOpinion';
  /** Kubernetes' own reason text for a NoOpinion/Deny; for an Allow, what allowed it. */
  reason: string;
}
