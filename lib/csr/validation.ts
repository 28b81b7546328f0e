import { CSR_USAGES } from './usages.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { parseCsrPem } from './parse.js';
import type { CertificateSigningRequest, CsrCondition } from './types.js';

/**
 * pkg/apis/certificates/validation (v1): what kube-apiserver refuses on create and on the
 * /approval and /status subresources, with its field paths and messages.
 */
const SIGNER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export async function validateCreate(csr: CertificateSigningRequest): Promise<FieldError[]> {
  // The order of pkg/apis/certificates/validation: request, usages, signerName, expirationSeconds,
  // conditions. CSR names are not validated ("We don't care what you call your certificate requests").
  const errors: FieldError[] = [];
  const name = csr.metadata?.name ?? '';
  if (!name) errors.push(required('metadata.name', 'name or generateName is required'));
  const spec = csr.spec ?? ({} as CertificateSigningRequest['spec']);
  const request = typeof spec.request === 'string' ? Buffer.from(spec.request, 'base64') : Buffer.alloc(0);
  const parsed = parseCsrPem(request);
  if (!parsed.ok) errors.push(invalid('spec.request', request, parsed.error));
  else {
    const signature = parsed.csr.checkSignature();
    if (signature) errors.push(invalid('spec.request', request, signature));
  }
  const usages = spec.usages ?? [];
  if (usages.length === 0) errors.push(required('spec.usages'));
  const seen = new Set<string>();
  usages.forEach((usage, i) => {
    if (!(CSR_USAGES as readonly string[]).includes(usage)) errors.push(notSupported(`spec.usages[${i}]`, usage, [...CSR_USAGES].sort()));
    else if (seen.has(usage)) errors.push(duplicate(`spec.usages[${i}]`, usage));
    seen.add(usage);
  });
  if (!spec.signerName) errors.push(required('spec.signerName'));
  else if (spec.signerName === 'kubernetes.io/legacy-unknown') errors.push(invalid('spec.signerName', spec.signerName, 'the legacy signerName is not allowed via this API version'));
  else if (!SIGNER_NAME.test(spec.signerName)) errors.push(invalid('spec.signerName', spec.signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && spec.expirationSeconds < 600) {
    errors.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
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
  // Reported on whichever of the two comes second, as validateConditions does.
  const approved = conditions.findIndex((c) => c.type === 'Approved');
  const denied = conditions.findIndex((c) => c.type === 'Denied');
  if (approved >= 0 && denied >= 0) {
    const later = Math.max(approved, denied);
    errors.push(invalid(`status.conditions[${later}].type`, conditions[later]!.type, 'Approved and Denied conditions are mutually exclusive'));
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

/**
 * /status: conditions as above, but Approved and Denied are only added through /approval; the
 * certificate must be PEM CERTIFICATE blocks, and once issued never changes.
 */
export function validateStatusUpdate(next: CertificateSigningRequest['status'], previous: CertificateSigningRequest['status']): FieldError[] {
  const errors = validateApprovalUpdate(next.conditions ?? [], previous.conditions ?? []);
  for (const type of ['Approved', 'Denied']) {
    if ((next.conditions ?? []).some((c) => c.type === type) && !(previous.conditions ?? []).some((c) => c.type === type)) {
      errors.push(forbidden('status.conditions', `updates may not add a condition of type ${JSON.stringify(type)}`));
    }
  }
  if (next.certificate && !Buffer.from(next.certificate, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    errors.push(invalid('status.certificate', '<certificate data>', 'must contain at least one CERTIFICATE PEM block'));
  }
  if (previous.certificate && next.certificate !== previous.certificate) {
    errors.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return errors;
}
