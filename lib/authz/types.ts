import type { UserInfo } from '../authn/types.js';

/** authorizer.Attributes: what a request asks to do. */
export interface RequestAttributes {
  user: UserInfo;
  verb: string;
  /** True for API resources, false for non-resource URLs (`/version`, `/healthz`). */
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  /** For non-resource requests. */
  path?: string;
}

export type AuthorizationMode = 'Node' | 'RBAC' | 'AlwaysAllow' | 'AlwaysDeny' | 'Webhook';

export interface AuthzDecision {
  allowed: boolean;
  /** Which authorizer decided (`none` when every one had no opinion). */
  decidedBy: 'Node' | 'RBAC' | 'AlwaysAllow' | 'AlwaysDeny' | 'none';
  /** For an allow: the binding and role that allowed it, e.g. `ClusterRoleBinding "kubeadm:cluster-admins" → ClusterRole "cluster-admin"`. For a deny: the authorizer's reason (may be empty). */
  reason: string;
  /** For a deny: the message kube-apiserver returns in the 403 Status, exactly as Kubernetes words it. */
  message?: string;
}
