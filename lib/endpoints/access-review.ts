import type { UserInfo } from '../authn/types.js';
import { authorize } from '../authz/authorize.js';
import { rulesFor } from '../authz/rules-for.js';
import type { AuthorizationMode, RequestAttributes } from '../authz/types.js';
import { decodeKubernetesProtobuf, fields, WIRE_LEN } from '../csr/protobuf.js';
import { statusBody } from './http.js';
import type { ApiAnswer } from './csr-api.js';

/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview and SelfSubjectRulesReview: what `kubectl auth
 * can-i VERB RESOURCE` and `kubectl auth can-i --list` ask. The review is answered by the same
 * authorizer chain (--authorization-mode) the request itself went through, for the requesting user.
 *
 * kubectl sends the body as Kubernetes protobuf (staging/src/k8s.io/api/authorization/v1/generated.proto:
 * SelfSubjectAccessReview{1 metadata, 2 spec}, Spec{1 resourceAttributes, 2 nonResourceAttributes},
 * ResourceAttributes{1 namespace, 2 verb, 3 group, 4 version, 5 resource, 6 subresource, 7 name},
 * NonResourceAttributes{1 path, 2 verb}, SelfSubjectRulesReview{1 metadata, 2 spec}, Spec{1 namespace})
 * or JSON; both are read.
 */
type Strings = Record<string, string>;
interface ReviewSpec { resourceAttributes?: Strings; nonResourceAttributes?: Strings; namespace?: string }

const RESOURCE_FIELDS = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
const NON_RESOURCE_FIELDS = ['path', 'verb'];

function strings(raw: Buffer, names: string[]): Strings {
  const out: Strings = {};
  for (const f of fields(raw)) if (f.wireType === WIRE_LEN && names[f.field - 1]) out[names[f.field - 1]!] = f.bytes.toString('utf8');
  return out;
}

function fromProtobuf(body: Buffer, kind: string): ReviewSpec {
  const envelope = decodeKubernetesProtobuf(body);
  if (envelope.kind !== kind) throw new Error(`the object of kind ${JSON.stringify(envelope.kind)} is not a ${kind}`);
  const spec: ReviewSpec = {};
  for (const top of fields(envelope.raw)) {
    if (top.field !== 2 || top.wireType !== WIRE_LEN) continue;
    for (const f of fields(top.bytes)) {
      if (f.wireType !== WIRE_LEN) continue;
      if (kind === 'SelfSubjectRulesReview' && f.field === 1) spec.namespace = f.bytes.toString('utf8');
      else if (f.field === 1) spec.resourceAttributes = strings(f.bytes, RESOURCE_FIELDS);
      else if (f.field === 2) spec.nonResourceAttributes = strings(f.bytes, NON_RESOURCE_FIELDS);
    }
  }
  return spec;
}

function decode(body: Buffer, contentType: string, kind: string): ReviewSpec | ApiAnswer {
  try {
    if (contentType.includes('application/vnd.kubernetes.protobuf')) return fromProtobuf(body, kind);
    const parsed = JSON.parse(body.toString('utf8')) as { kind?: string; spec?: ReviewSpec };
    if (parsed.kind && parsed.kind !== kind) throw new Error(`the object of kind ${JSON.stringify(parsed.kind)} is not a ${kind}`);
    return parsed.spec ?? {};
  } catch (error) {
    return { status: 400, body: statusBody(400, 'BadRequest', `the body of the request could not be decoded: ${(error as Error).message}`) };
  }
}

const isAnswer = (x: ReviewSpec | ApiAnswer): x is ApiAnswer => 'status' in x;
const meta = (now: Date) => ({ creationTimestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z') });

export function selfSubjectAccessReview(body: Buffer, contentType: string, user: UserInfo, modes: AuthorizationMode[], now: Date): ApiAnswer {
  const spec = decode(body, contentType, 'SelfSubjectAccessReview');
  if (isAnswer(spec)) return spec;
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if (!r && !n) {
    return { status: 422, body: statusBody(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', { group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' }) };
  }
  const attrs: RequestAttributes = r
    ? { user, verb: r.verb ?? '', resourceRequest: true, apiGroup: r.group ?? '', apiVersion: r.version ?? '', resource: r.resource ?? '',
      ...(r.subresource ? { subresource: r.subresource } : {}), ...(r.name ? { name: r.name } : {}), ...(r.namespace ? { namespace: r.namespace } : {}) }
    : { user, verb: n!.verb ?? '', resourceRequest: false, path: n!.path ?? '' };
  const decision = authorize(attrs, { modes });
  const status = { allowed: decision.allowed, ...(decision.allowed ? {} : decision.decidedBy !== 'none' ? { denied: true } : {}), ...(decision.reason ? { reason: decision.reason } : {}) };
  return { status: 201, body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: meta(now), spec, status } };
}

export function selfSubjectRulesReview(body: Buffer, contentType: string, user: UserInfo, modes: AuthorizationMode[], now: Date): ApiAnswer {
  const spec = decode(body, contentType, 'SelfSubjectRulesReview');
  if (isAnswer(spec)) return spec;
  const rules = rulesFor(user, spec.namespace ?? '', modes);
  return {
    status: 201,
    body: {
      kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: meta(now), spec: { namespace: spec.namespace ?? '' },
      status: { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: rules.incomplete, ...(rules.evaluationError ? { evaluationError: rules.evaluationError } : {}) },
    },
  };
}
