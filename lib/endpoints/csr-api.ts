import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../authn/types.js';
import { authorize } from '../authz/authorize.js';
import type { AuthorizationMode } from '../authz/types.js';
import { invalidStatus } from '../csr/field-errors.js';
import { parseCsrPem } from '../csr/parse.js';
import { csrTable } from '../csr/printer.js';
import { decodeCsr, decodeKubernetesProtobuf } from '../csr/protobuf.js';
import { decodeCsrJson } from '../csr/decode.js';
import type { CsrStore } from '../csr/store.js';
import type { CertificateSigningRequest, CsrCondition } from '../csr/types.js';
import { validateCreate, validateUpdate } from '../csr/validation.js';
import { validatePathSegmentName } from '../csr/object-meta.js';
import { statusBody } from './http.js';
import type { RequestInfo } from './request-info.js';

/**
 * certificates.k8s.io/v1 certificatesigningrequests on the fake apiserver: create, get, list,
 * delete, and the /approval and /status subresources, with the registry's strategy (requester
 * fields set from the authenticated user, status wiped on create), validation, and the
 * CertificateApproval and CertificateSubjectRestriction admission plugins.
 */
export interface CsrApiContext {
  store: CsrStore;
  user: UserInfo;
  modes: AuthorizationMode[];
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  contentType?: string;
  /** A streamed answer (a watch) writes the response itself. */
  stream?: (req: IncomingMessage, res: ServerResponse) => void;
}

const RESOURCE = 'certificatesigningrequests.certificates.k8s.io';
const notFound = (name: string): ApiAnswer => ({ status: 404, body: statusBody(404, 'NotFound', `${RESOURCE} ${JSON.stringify(name)} not found`, { name, group: 'certificates.k8s.io', kind: 'certificatesigningrequests' }) });
const forbiddenAnswer = (name: string, why: string): ApiAnswer => ({ status: 403, body: statusBody(403, 'Forbidden', `${RESOURCE} ${JSON.stringify(name)} is forbidden: ${why}`, { name, group: 'certificates.k8s.io', kind: 'certificatesigningrequests' }) });
const badRequest = (message: string): ApiAnswer => ({ status: 400, body: statusBody(400, 'BadRequest', message) });

/** The request body as an object: JSON, or Kubernetes protobuf (kubectl certificate approve/deny). */
function decodeBody(body: Buffer, contentType: string): Partial<CertificateSigningRequest> | ApiAnswer {
  try {
    if (contentType.includes('application/vnd.kubernetes.protobuf')) {
      const envelope = decodeKubernetesProtobuf(body);
      if (envelope.kind !== 'CertificateSigningRequest' || envelope.apiVersion !== 'certificates.k8s.io/v1') {
        return badRequest(`the object of kind ${JSON.stringify(envelope.kind)} (${envelope.apiVersion}) is not a certificates.k8s.io/v1 CertificateSigningRequest`);
      }
      return decodeCsr(envelope.raw);
    }
    const decoded = decodeCsrJson(body);
    return decoded.ok ? decoded.csr : badRequest(decoded.message);
  } catch (error) {
    return badRequest(`the body of the request could not be decoded: ${(error as Error).message}`);
  }
}

const isAnswer = (x: unknown): x is ApiAnswer => typeof x === 'object' && x !== null && 'status' in x && typeof (x as ApiAnswer).status === 'number' && 'body' in x;

export async function handleCsrApi(ctx: CsrApiContext, info: RequestInfo, accept: string, contentType: string, body: Buffer): Promise<ApiAnswer> {
  const { store } = ctx;
  const name = info.name;
  if (!name) {
    if (info.verb === 'list') {
      const items = store.list();
      if (/as=Table/.test(accept)) return { status: 200, contentType: 'application/json;as=Table;v=v1;g=meta.k8s.io', body: csrTable(items, store.clock.now(), store.resourceVersion) };
      return { status: 200, body: { kind: 'CertificateSigningRequestList', apiVersion: 'certificates.k8s.io/v1', metadata: { resourceVersion: store.resourceVersion }, items } };
    }
    if (info.verb === 'create') return create(ctx, body, contentType);
    return { status: 405, body: statusBody(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`) };
  }
  const current = store.get(name);
  if (!current) return notFound(name);
  if (info.verb === 'get') {
    if (/as=Table/.test(accept) && !info.subresource) return { status: 200, contentType: 'application/json;as=Table;v=v1;g=meta.k8s.io', body: csrTable([current], store.clock.now(), store.resourceVersion) };
    return { status: 200, body: current };
  }
  if (info.verb === 'delete' && !info.subresource) {
    store.delete(name);
    return { status: 200, body: current };
  }
  if (info.verb !== 'update' || (info.subresource !== 'approval' && info.subresource !== 'status')) {
    return { status: 405, body: statusBody(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource') };
  }
  const decoded = decodeBody(body, contentType);
  if (isAnswer(decoded)) return decoded;
  const sentVersion = decoded.metadata?.resourceVersion;
  if (sentVersion && sentVersion !== current.metadata.resourceVersion) {
    return { status: 409, body: statusBody(409, 'Conflict', `Operation cannot be fulfilled on ${RESOURCE} ${JSON.stringify(name)}: the object has been modified; please apply your changes to the latest version and try again`, { name, group: 'certificates.k8s.io', kind: 'certificatesigningrequests' }) };
  }
  const conditions = decoded.status?.conditions ?? [];
  if (info.subresource === 'approval') {
    // CertificateApproval admission checks every update of /approval.
    if (!mayOnSigner(ctx, 'approve', current.spec.signerName)) {
      return forbiddenAnswer(name, `user not permitted to approve requests with signerName ${JSON.stringify(current.spec.signerName)}`);
    }
    // The approval strategy: only conditions change (spec and certificate stay as stored).
    const next: CertificateSigningRequest = { ...current, status: { ...current.status, conditions } };
    const errors = validateUpdate(next, current, 'approval');
    if (errors.length > 0) return { status: 422, body: invalidStatus(name, errors) };
    return { status: 200, body: store.updateStatus(name, next.status) };
  }
  // The status strategy: spec stays as stored; stored Approved/Denied conditions are kept when their counts match.
  const status: CertificateSigningRequest['status'] = {
    conditions: preserveConditions(conditions, current.status.conditions ?? []),
    ...(decoded.status?.certificate ? { certificate: decoded.status.certificate } : {}),
  };
  // CertificateSigning admission: setting a certificate needs `sign` on the signer.
  if (status.certificate && status.certificate !== current.status.certificate && !mayOnSigner(ctx, 'sign', current.spec.signerName)) {
    return forbiddenAnswer(name, `user not permitted to sign requests with signerName ${JSON.stringify(current.spec.signerName)}`);
  }
  const errors = validateUpdate({ ...current, status }, current, 'status');
  if (errors.length > 0) return { status: 422, body: invalidStatus(name, errors) };
  return { status: 200, body: store.updateStatus(name, status) };
}

/** preserveConditionInstances for Approved and Denied. */
function preserveConditions(next: CsrCondition[], stored: readonly CsrCondition[]): CsrCondition[] {
  const out = [...next];
  for (const type of ['Approved', 'Denied']) {
    const oldAt = stored.flatMap((c, i) => (c.type === type ? [i] : []));
    const newAt = out.flatMap((c, i) => (c.type === type ? [i] : []));
    if (oldAt.length === newAt.length) newAt.forEach((at, k) => (out[at] = stored[oldAt[k]!]!));
  }
  return out;
}

async function create(ctx: CsrApiContext, body: Buffer, contentType: string): Promise<ApiAnswer> {
  const decoded = decodeBody(body, contentType);
  if (isAnswer(decoded)) return decoded;
  const csr = decoded as CertificateSigningRequest & { metadata: { generateName?: string } };
  if (csr.kind && csr.kind !== 'CertificateSigningRequest') return badRequest(`the kind ${JSON.stringify(csr.kind)} does not match CertificateSigningRequest`);
  // generateName: the registry appends five characters (derived here, not random).
  const name = csr.metadata?.name || (csr.metadata?.generateName ? `${csr.metadata.generateName}${ctx.store.nameSuffix()}` : '');
  // The registry strategy: requester fields come from the authenticated user; status never comes from the client.
  const prepared: CertificateSigningRequest = {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest',
    metadata: { name, ...(csr.metadata?.labels ? { labels: csr.metadata.labels } : {}), ...(csr.metadata?.annotations ? { annotations: csr.metadata.annotations } : {}) },
    spec: {
      request: csr.spec?.request ?? '', signerName: csr.spec?.signerName ?? '', usages: csr.spec?.usages ?? [],
      ...(csr.spec?.expirationSeconds !== undefined ? { expirationSeconds: csr.spec.expirationSeconds } : {}),
      username: ctx.user.name, groups: ctx.user.groups, ...(ctx.user.uid ? { uid: ctx.user.uid } : {}), ...(ctx.user.extra ? { extra: ctx.user.extra } : {}),
    },
    status: {},
  };
  const errors = await validateCreate(prepared);
  if (errors.length > 0) return { status: 422, body: invalidStatus(name, errors) };
  // BeforeCreate: the name must be usable as a URL path segment (checked after the type's own validation).
  const nameErrors = validatePathSegmentName(name);
  if (nameErrors.length > 0) return { status: 422, body: invalidStatus(name, nameErrors) };
  // CertificateSubjectRestriction admission.
  if (prepared.spec.signerName === 'kubernetes.io/kube-apiserver-client') {
    const parsed = parseCsrPem(Buffer.from(prepared.spec.request, 'base64'));
    if (parsed.ok && parsed.csr.o.includes('system:masters')) {
      return forbiddenAnswer(name, 'use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed');
    }
  }
  // Storage comes last: validation and admission answer first, as in kube-apiserver.
  if (ctx.store.has(name)) {
    return { status: 409, body: statusBody(409, 'AlreadyExists', `${RESOURCE} ${JSON.stringify(name)} already exists`, { name, group: 'certificates.k8s.io', kind: 'certificatesigningrequests' }) };
  }
  return { status: 201, body: ctx.store.create(prepared) };
}

/** CertificateApproval / CertificateSigning admission: `approve` or `sign` on `signers`, for the signer name or `<domain>/*`. */
function mayOnSigner(ctx: CsrApiContext, verb: 'approve' | 'sign', signerName: string): boolean {
  const domain = signerName.split('/')[0];
  return [signerName, `${domain}/*`].some((resourceName) => authorize({
    user: ctx.user, verb, resourceRequest: true, apiGroup: 'certificates.k8s.io', resource: 'signers', name: resourceName,
  }, { modes: ctx.modes }).allowed);
}
