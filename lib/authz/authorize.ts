/**
 * kube-apiserver's authorizer chain and its 403 message.
 *
 * The chain (pkg/kubeapiserver/authorizer/reload.go, newForConfig) is the privileged-group authorizer
 * for `system:masters` followed by the --authorization-mode list, combined by the union authorizer
 * (staging/src/k8s.io/apiserver/pkg/authorization/union/union.go): the first Allow or Deny wins,
 * NoOpinion moves on, and when nobody decides the reasons collected on the way are joined with "\n".
 * AlwaysDeny is, as in authorizerfactory/builtin.go, a NoOpinion with reason "Everything is forbidden."
 *
 * `Webhook` is modelled as the webhook the kubelet uses (`authorization.mode: Webhook`): a
 * SubjectAccessReview sent to this cluster's kube-apiserver, which answers with its own chain
 * (privileged group, Node, RBAC). Its answer carries the deciding authorizer and its reason through.
 *
 * The 403 message is the Status message kube-apiserver writes: responsewriters.Forbidden and
 * forbiddenMessage (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go)
 * wrapped by apierrors.NewForbidden (staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go).
 */
import type { AuthorizationMode, AuthzDecision, RequestAttributes } from './types.js';
import type { AnyBinding, AnyRole, AuthorizerAnswer } from './rbac-types.js';
import { rbacAuthorize } from './rbac.js';
import { nodeAuthorize, type FieldSelectorAttributes } from './node.js';
import { goQuote } from './go-format.js';

export { kubeletForbiddenMessage, kubeletRequestAttributes } from './kubelet.js';

export interface AuthorizeOptions {
  /** --authorization-mode, in order (kubeadm: `['Node', 'RBAC']`). */
  modes: readonly AuthorizationMode[];
  /** Roles and bindings on top of kubeadm's defaults (one named like a default replaces it). */
  extraRoles?: readonly AnyRole[] | undefined;
  extraBindings?: readonly AnyBinding[] | undefined;
}

type Decider = AuthzDecision['decidedBy'];
type Attrs = RequestAttributes & FieldSelectorAttributes;
/** An authorizer's answer; `by` overrides the step's name (a webhook reports who decided behind it). */
type Answer = AuthorizerAnswer & { by?: Decider };
type Step = { by: Decider; answer: (attrs: Attrs) => Answer };

/** authorizerfactory.NewPrivilegedGroups("system:masters"), ahead of every mode. Reported as an AlwaysAllow for that group. */
const privilegedGroup: Step = {
  by: 'AlwaysAllow',
  answer: (attrs) => attrs.user.groups.includes('system:masters')
    ? { decision: 'Allow', reason: 'group "system:masters" is privileged: kube-apiserver allows it everything before asking any authorization mode' }
    : { decision: 'NoOpinion', reason: '' },
};

/** union.Authorize over the steps. */
function union(steps: readonly Step[], attrs: Attrs): { decision: AuthorizerAnswer['decision']; decidedBy: Decider; reason: string } {
  const reasons: string[] = [];
  for (const s of steps) {
    const { decision, reason, by } = s.answer(attrs);
    if (decision !== 'NoOpinion') return { decision, decidedBy: by ?? s.by, reason };
    if (reason) reasons.push(reason);
  }
  return { decision: 'NoOpinion', decidedBy: 'none', reason: reasons.join('\n') };
}

/** One --authorization-mode. */
function step(mode: AuthorizationMode, options: AuthorizeOptions): Step {
  switch (mode) {
    case 'AlwaysAllow': return { by: 'AlwaysAllow', answer: () => ({ decision: 'Allow', reason: 'AlwaysAllow authorizer' }) };
    case 'AlwaysDeny': return { by: 'AlwaysDeny', answer: () => ({ decision: 'NoOpinion', reason: 'Everything is forbidden.' }) };
    case 'Node': return { by: 'Node', answer: nodeAuthorize };
    case 'RBAC': return { by: 'RBAC', answer: (attrs) => rbacAuthorize(attrs, options) };
    case 'Webhook': {
      // A SubjectAccessReview to the cluster's kube-apiserver; the webhook authorizer maps status.allowed to
      // Allow, status.denied to Deny and anything else to NoOpinion with status.reason.
      const apiserver = [privilegedGroup, step('Node', options), step('RBAC', options)];
      return { by: 'none', answer: (attrs) => {
        const review = union(apiserver, attrs);
        return { decision: review.decision, reason: review.reason, by: review.decidedBy };
      } };
    }
  }
}

/** The chain kube-apiserver builds for `modes`; like kube-apiserver, refuse an empty or repeated mode list. */
function chain(options: AuthorizeOptions): Step[] {
  if (options.modes.length === 0) throw new Error('at least one authorization mode must be passed');
  if (new Set(options.modes).size !== options.modes.length) {
    const twice = options.modes.find((m, i) => options.modes.indexOf(m) !== i);
    throw new Error(`Authorization mode ${twice} specified more than once`);
  }
  return [privilegedGroup, ...options.modes.map((mode) => step(mode, options))];
}

/**
 * Authorize a request the way kube-apiserver does with `--authorization-mode=<modes>`.
 * A deny carries `message`, the 403 Status message word for word, ending in `: <reason>` when the
 * authorizers gave one (several are joined with "\n", as the union authorizer joins them).
 */
export function authorize(attrs: Attrs, options: AuthorizeOptions): AuthzDecision {
  const result = union(chain(options), attrs);
  if (result.decision === 'Allow') return { allowed: true, decidedBy: result.decidedBy, reason: result.reason };
  return { allowed: false, decidedBy: result.decidedBy, reason: result.reason, message: forbiddenStatusMessage(attrs, result.reason) };
}

// Avoid emitting errors that look like valid HTML (responsewriters' sanitizer; quotes are kept).
const sanitize = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** responsewriters.forbiddenMessage. */
function forbiddenMessage(attrs: RequestAttributes): string {
  const user = goQuote(attrs.user.name);
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${goQuote(attrs.path ?? '')}`;
  const resource = attrs.subresource ? `${attrs.resource ?? ''}/${attrs.subresource}` : (attrs.resource ?? '');
  const what = `User ${user} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup ?? '')}`;
  return attrs.namespace ? `${what} in the namespace ${goQuote(attrs.namespace)}` : `${what} at the cluster scope`;
}

/**
 * The message of the 403 Status: apierrors.NewForbidden(GroupResource{group, resource}, name, err) where
 * err is forbiddenMessage plus `: <reason>`. The qualified resource leaves out the subresource.
 */
export function forbiddenStatusMessage(attrs: RequestAttributes, reason: string): string {
  const msg = sanitize(forbiddenMessage(attrs));
  const err = reason ? `${msg}: ${reason}` : msg;
  const resource = attrs.resourceRequest ? (attrs.resource ?? '') : '';
  const group = attrs.resourceRequest ? (attrs.apiGroup ?? '') : '';
  if (resource === '' && group === '') return `forbidden: ${err}`;
  const qualified = group ? `${resource}.${group}` : resource;
  return attrs.name ? `${qualified} ${goQuote(attrs.name)} is forbidden: ${err}` : `${qualified} is forbidden: ${err}`;
}
