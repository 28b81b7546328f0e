import { CSR_USAGES } from './usages.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { parseCsrPem } from './parse.js';
import type { CertificateSigningRequest, CsrCondition } from './types.js';

/**
 * pkg/apis/certificates/validation (v1): what kube-apiserver refuses on create and on the
 * /approval and /status subresources, with its field paths and messages.
 */
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SIGNER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export async function validateCreate(csr: CertificateSigningRequest): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const name = csr.metadata?.name ?? '';
  if (!name) errors.push(required('metadata.name', 'name or generateName is required'));
  else if (!DNS1123.test(name) || name.length > 253) errors.push(invalid('metadata.name', name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
  const spec = csr.spec ?? ({} as CertificateSigningRequest['spec']);
  const request = typeof spec.request === 'string' ? Buffer.from(spec.request, 'base64') : Buffer.alloc(0);
  if (request.length === 0) {
    errors.push(required('spec.request'));
  } else {
    const parsed = parseCsrPem(request);
    if (!parsed.ok) errors.push(invalid('spec.request', request, parsed.error));
    else if (!(await parsed.csr.verifySignature())) errors.push(invalid('spec.request', request, 'x509: signature verification failure'));
  }
  if (!spec.signerName) errors.push(required('spec.signerName'));
  else if (spec.signerName === 'kubernetes.io/legacy-unknown') errors.push(invalid('spec.signerName', spec.signerName, 'the legacy signerName is not allowed via this API version'));
  else if (!SIGNER_NAME.test(spec.signerName)) errors.push(invalid('spec.signerName', spec.signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && spec.expirationSeconds < 600) {
    errors.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  const usages = spec.usages ?? [];
  if (usages.length === 0) errors.push(required('spec.usages'));
  const seen = new Set<string>();
  usages.forEach((usage, i) => {
    if (!(CSR_USAGES as readonly string[]).includes(usage)) errors.push(notSupported(`spec.usages[${i}]`, usage, CSR_USAGES));
    else if (seen.has(usage)) errors.push(duplicate(`spec.usages[${i}]`, usage));
    seen.add(usage);
  });
  errors.push(...validateConditions(csr.status?.conditions ?? []));
  return errors;
}

function validateConditions(conditions: readonly CsrCondition[]): FieldError[] {
  const errors: FieldError[] = [];
  const types = new Set<string>();
  conditions.forEach((c, i) => {
    const at = `status.conditions[${i}]`;
    if (!c.type) errors.push(required(`${at}.type`));
    if (['Approved', 'Denied', 'Failed'].includes(c.type)) {
      if (types.has(c.type)) errors.push(duplicate(`${at}.type`, c.type));
      if (c.status !== 'True') errors.push(notSupported(`${at}.status`, c.status ?? '', ['True']));
    }
    types.add(c.type);
  });
  if (types.has('Approved') && types.has('Denied')) {
    errors.push(invalid('status.conditions', 'Approved', 'Approved and Denied conditions are mutually exclusive'));
  }
  return errors;
}

/** /approval: only conditions change; none may disappear; Approved and Denied exclude each other. */
export function validateApprovalUpdate(next: CsrCondition[], previous: readonly CsrCondition[]): FieldError[] {
  const errors = validateConditions(next);
  for (const old of previous) {
    if (!next.some((c) => c.type === old.type)) errors.push(forbidden('status.conditions', `updates may not remove a condition of type ${JSON.stringify(old.type)}`));
  }
  return errors;
}

/** /status: conditions as above, and an issued certificate never changes. */
export function validateStatusUpdate(next: CertificateSigningRequest['status'], previous: CertificateSigningRequest['status']): FieldError[] {
  const errors = validateApprovalUpdate(next.conditions ?? [], previous.conditions ?? []);
  if (previous.certificate && next.certificate !== previous.certificate) {
    errors.push(invalid('status.certificate', '<certificate>', 'updates may not modify existing certificate content'));
  }
  return errors;
}
