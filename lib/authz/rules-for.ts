import type { UserInfo } from '../authn/types.js';
import type { PolicyRule } from './rbac-types.js';
import { rbacPolicy, subjectMatches, type RbacExtras } from './rbac.js';
import type { AuthorizationMode } from './types.js';
import { nodeIdentity } from './node.js';

/**
 * The rules a user holds in a namespace, as a SelfSubjectRulesReview reports them
 * (authorizer.RuleResolver.RulesFor over the chain): everything for `system:masters` (the
 * privileged-group authorizer), every rule of every role bound to the user by RBAC (the
 * ClusterRoleBindings, and the namespace's RoleBindings), and nothing from the Node authorizer,
 * whose answers for a node depend on the graph of objects, so it lists none (`incomplete`, with
 * node_authorizer.go's RulesFor error).
 */
export interface RulesFor {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  /** True when an authorizer in the chain cannot list the user's rules (Node for a node, Webhook). */
  incomplete: boolean;
  evaluationError?: string;
}

export function rulesFor(user: UserInfo, namespace: string, modes: readonly AuthorizationMode[], extras: RbacExtras = {}): RulesFor {
  const out: RulesFor = { resourceRules: [], nonResourceRules: [], incomplete: false };
  const add = (rules: readonly PolicyRule[]) => {
    for (const rule of rules) (rule.nonResourceURLs?.length ? out.nonResourceRules : out.resourceRules).push(rule);
  };
  const fail = (error: string) => {
    out.incomplete = true;
    out.evaluationError = out.evaluationError ? `[${out.evaluationError}, ${error}]` : error;
  };
  if (user.groups.includes('system:masters')) add([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }]);
  for (const mode of modes) {
    if (mode === 'AlwaysAllow') add([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }]);
    else if (mode === 'Node' && nodeIdentity(user).isNode) fail('node authorizer does not support user rule resolution');
    else if (mode === 'Webhook') fail('webhook authorizer does not support user rule resolution');
    else if (mode === 'RBAC') add(rbacRules(user, namespace, extras));
  }
  return out;
}

function rbacRules(user: UserInfo, namespace: string, extras: RbacExtras): PolicyRule[] {
  const policy = rbacPolicy(extras);
  const rules: PolicyRule[] = [];
  const bindings = [...policy.clusterRoleBindings, ...(namespace ? policy.roleBindings.filter((b) => b.namespace === namespace) : [])];
  for (const binding of bindings) {
    const bindingNamespace = binding.kind === 'RoleBinding' ? binding.namespace : '';
    if (!binding.subjects.some((s) => subjectMatches(user, s, bindingNamespace))) continue;
    const { kind, name } = binding.roleRef;
    const role = kind === 'ClusterRole'
      ? policy.clusterRoles.find((r) => r.name === name)
      : policy.roles.find((r) => r.name === name && binding.kind === 'RoleBinding' && r.namespace === binding.namespace);
    if (role) rules.push(...role.rules);
  }
  return rules;
}
