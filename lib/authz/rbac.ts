/**
 * The RBAC authorizer (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go) over the default
 * tables of rbac-defaults.ts plus any extra roles and bindings. Rule matching follows
 * pkg/apis/rbac/v1/evaluation_helpers.go; which bindings apply to whom follows
 * pkg/registry/rbac/validation/rule.go (VisitRulesFor, appliesToUser, GetRoleReferenceRules).
 *
 * RBAC never denies: when no rule allows, it has no opinion, with a reason only when a binding it
 * needed refers to a role that does not exist (`RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`).
 */
import type { UserInfo } from '../authn/types.js';
import type { RequestAttributes } from './types.js';
import type { AnyBinding, AnyRole, AuthorizerAnswer, ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from './rbac-types.js';
import {
  BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES, KUBEADM_CLUSTER_ROLE_BINDINGS, KUBEADM_CLUSTER_ROLES, KUBEADM_ROLE_BINDINGS, KUBEADM_ROLES,
} from './rbac-defaults.js';
import { goQuote } from './go-format.js';

export interface RbacPolicy {
  clusterRoles: readonly ClusterRole[];
  roles: readonly Role[];
  clusterRoleBindings: readonly ClusterRoleBinding[];
  roleBindings: readonly RoleBinding[];
}

export interface RbacExtras {
  /** Added to the defaults; one with the kind, name (and namespace) of a default replaces it. */
  extraRoles?: readonly AnyRole[] | undefined;
  extraBindings?: readonly AnyBinding[] | undefined;
}

const key = (o: { kind: string; name: string; namespace?: string }): string => `${o.kind}/${o.namespace ?? ''}/${o.name}`;

function merge<T extends { kind: string; name: string; namespace?: string }>(base: readonly T[], extra: readonly T[]): T[] {
  const byKey = new Map(base.map((o) => [key(o), o] as const));
  for (const o of extra) byKey.set(key(o), o);
  return [...byKey.values()];
}

/** The RBAC objects of a kubeadm cluster, with `extras` added (or replacing defaults of the same name). */
export function rbacPolicy(extras: RbacExtras = {}): RbacPolicy {
  const roles = extras.extraRoles ?? [];
  const bindings = extras.extraBindings ?? [];
  return {
    clusterRoles: merge([...BOOTSTRAP_CLUSTER_ROLES, ...KUBEADM_CLUSTER_ROLES], roles.filter((r): r is ClusterRole => r.kind === 'ClusterRole')),
    roles: merge(KUBEADM_ROLES, roles.filter((r): r is Role => r.kind === 'Role')),
    clusterRoleBindings: merge([...BOOTSTRAP_CLUSTER_ROLE_BINDINGS, ...KUBEADM_CLUSTER_ROLE_BINDINGS],
      bindings.filter((b): b is ClusterRoleBinding => b.kind === 'ClusterRoleBinding')),
    roleBindings: merge(KUBEADM_ROLE_BINDINGS, bindings.filter((b): b is RoleBinding => b.kind === 'RoleBinding')),
  };
}

const has = (list: readonly string[] | undefined, value: string): boolean => (list ?? []).some((v) => v === '*' || v === value);

/** ResourceMatches: `*`, the exact `resource[/subresource]`, or `*\/subresource` for a subresource request. */
function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some((r) =>
    r === '*' || r === combined || (subresource !== '' && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)));
}

/** NonResourceURLMatches: `*`, the exact path, or a rule ending in `*` whose stem (all trailing `*` removed) prefixes the path. */
function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}

/** rbac.RuleAllows: does this one rule allow the request? */
export function ruleAllows(attrs: RequestAttributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceURLMatches(rule, attrs.path ?? '');
  const subresource = attrs.subresource ?? '';
  const combined = subresource ? `${attrs.resource ?? ''}/${subresource}` : (attrs.resource ?? '');
  const names = rule.resourceNames ?? [];
  return has(rule.apiGroups, attrs.apiGroup ?? '')
    && resourceMatches(rule, combined, subresource)
    && (names.length === 0 || names.includes(attrs.name ?? ''));
}

/** appliesToUser: `namespace` is the binding's (empty for a ClusterRoleBinding), the default for a ServiceAccount subject. */
export function subjectMatches(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return ns !== '' && user.name === `system:serviceaccount:${ns}:${subject.name}`;
    }
  }
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several (deduplicated) in brackets. */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

function describe(binding: AnyBinding): string {
  const name = binding.kind === 'RoleBinding' ? `${binding.namespace}/${binding.name}` : binding.name;
  return `${binding.kind} ${goQuote(name)} → ${binding.roleRef.kind} ${goQuote(binding.roleRef.name)}`;
}

function referencedRules(policy: RbacPolicy, binding: AnyBinding): readonly PolicyRule[] | string {
  const { kind, name } = binding.roleRef;
  const role = kind === 'ClusterRole'
    ? policy.clusterRoles.find((r) => r.name === name)
    : policy.roles.find((r) => r.name === name && binding.kind === 'RoleBinding' && r.namespace === binding.namespace);
  return role ? role.rules : `${kind.toLowerCase()}.rbac.authorization.k8s.io ${goQuote(name)} not found`;
}

/**
 * RBACAuthorizer.Authorize: ClusterRoleBindings first, then the RoleBindings of the request's namespace,
 * stopping at the first rule that allows. An allow's reason names the binding and role, e.g.
 * `ClusterRoleBinding "kubeadm:cluster-admins" → ClusterRole "cluster-admin"`.
 */
export function rbacAuthorize(attrs: RequestAttributes, extras: RbacExtras = {}): AuthorizerAnswer {
  const policy = rbacPolicy(extras);
  const namespace = attrs.namespace ?? '';
  const candidates: AnyBinding[] = [
    ...policy.clusterRoleBindings,
    ...(namespace ? policy.roleBindings.filter((b) => b.namespace === namespace) : []),
  ];
  const errors: string[] = [];
  for (const binding of candidates) {
    const bindingNamespace = binding.kind === 'RoleBinding' ? binding.namespace : '';
    if (!binding.subjects.some((s) => subjectMatches(attrs.user, s, bindingNamespace))) continue;
    const rules = referencedRules(policy, binding);
    if (typeof rules === 'string') {
      errors.push(rules);
      continue;
    }
    if (rules.some((rule) => ruleAllows(attrs, rule))) return { decision: 'Allow', reason: describe(binding) };
  }
  return { decision: 'NoOpinion', reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : '' };
}
