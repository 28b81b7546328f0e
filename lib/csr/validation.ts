import { X509Certificate } from 'node:crypto';
import { CSR_USAGES } from './usages.js';
import { duplicate, forbidden, invalid, notSupported, required, tooLong, type FieldError } from './field-errors.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, validateObjectMeta } from './object-meta.js';
import { parseCsrPem } from './parse.js';
import type { CertificateSigningRequest, CsrCondition } from './types.js';

/**
 * pkg/apis/certificates/validation (v1): what kube-apiserver refuses on create and on the
 * /approval and /status subresources, with its field paths and messages, and its ratcheting: an
 * update may keep a defect the stored object already has.
 */
interface Options {
  allowSettingApprovalConditions: boolean;
  allowSettingCertificate: boolean;
  allowBothApprovedAndDenied: boolean;
  allowLegacySignerName: boolean;
  allowDuplicateConditionTypes: boolean;
  allowEmptyConditionType: boolean;
  allowArbitraryCertificate: boolean;
  allowUnknownUsages: boolean;
  allowDuplicateUsages: boolean;
}

const TRUE_ONLY = ['Approved', 'Denied', 'Failed'];
const hasDuplicate = (values: readonly string[]) => new Set(values).size !== values.length;
const conditionsOf = (csr: CertificateSigningRequest | undefined) => csr?.status?.conditions ?? [];
const certificateBytes = (csr: CertificateSigningRequest | undefined) => Buffer.from(csr?.status?.certificate ?? '', 'base64');

/** getValidationOptions: what the stored object (`old`, none on create) already breaks is tolerated. */
function options(next: CertificateSigningRequest, old?: CertificateSigningRequest): Options {
  const oldTypes = conditionsOf(old).map((c) => c.type);
  return {
    allowSettingApprovalConditions: false, allowSettingCertificate: false,
    allowBothApprovedAndDenied: oldTypes.includes('Approved') && oldTypes.includes('Denied'),
    allowLegacySignerName: old?.spec.signerName === 'kubernetes.io/legacy-unknown',
    allowDuplicateConditionTypes: old !== undefined && hasDuplicate(oldTypes),
    allowEmptyConditionType: old !== undefined && oldTypes.some((t) => !t),
    allowArbitraryCertificate: old !== undefined && (certificateBytes(next).equals(certificateBytes(old)) || certificateError(certificateBytes(old)) !== null),
    allowUnknownUsages: (old?.spec.usages ?? []).some((u) => !(CSR_USAGES as readonly string[]).includes(u)),
    allowDuplicateUsages: old !== undefined && hasDuplicate(old.spec.usages ?? []),
  };
}

export async function validateCreate(csr: CertificateSigningRequest): Promise<FieldError[]> {
  return validate(csr, options(csr));
}

function validate(csr: CertificateSigningRequest, opts: Options): FieldError[] {
  // The order of validateCertificateSigningRequest: metadata, request, usages, signerName,
  // expirationSeconds, conditions, certificate. CSR names themselves are free.
  const errors: FieldError[] = [];
  const name = csr.metadata?.name ?? '';
  if (!name) errors.push(required('metadata.name', 'name or generateName is required'));
  errors.push(...validateObjectMeta(csr.metadata ?? {}));
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
  if (!opts.allowUnknownUsages) {
    usages.forEach((usage, i) => {
      if (!(CSR_USAGES as readonly string[]).includes(usage)) errors.push(notSupported(`spec.usages[${i}]`, usage, [...CSR_USAGES].sort()));
    });
  }
  if (!opts.allowDuplicateUsages) {
    usages.forEach((usage, i) => {
      if (usages.indexOf(usage) < i) errors.push(duplicate(`spec.usages[${i}]`, usage));
    });
  }
  if (!opts.allowLegacySignerName && spec.signerName === 'kubernetes.io/legacy-unknown') {
    errors.push(invalid('spec.signerName', spec.signerName, 'the legacy signerName is not allowed via this API version'));
  } else errors.push(...validateSignerName(spec.signerName ?? ''));
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && spec.expirationSeconds < 600) {
    errors.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  errors.push(...validateConditions(conditionsOf(csr), opts));
  if (!opts.allowArbitraryCertificate) {
    const error = certificateError(certificateBytes(csr));
    if (error) errors.push(invalid('status.certificate', '<certificate data>', error));
  }
  return errors;
}

/** apivalidation.ValidateSignerName: `<domain>/<path>`, each part checked with its own message. */
export function validateSignerName(signerName: string): FieldError[] {
  const at = 'spec.signerName';
  if (!signerName) return [required(at)];
  const segments = signerName.split('/');
  if (segments.length !== 2) return [invalid(at, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const [domain, path] = segments as [string, string];
  const errors: FieldError[] = [];
  if (domain.length > 253) errors.push(tooLong(at, 253));
  const labels = domain.split('.');
  for (const label of labels) {
    const messages = dns1123LabelErrors(label);
    // Only the first bad label: the others would repeat the same messages.
    if (messages.length > 0) {
      errors.push(...messages.map((m) => invalid(at, domain, `validating label ${JSON.stringify(label)}: ${m}`)));
      break;
    }
  }
  if (labels.length < 2) errors.push(invalid(at, domain, 'should be a domain with at least two segments separated by dots'));
  for (const label of path.split('.')) {
    const messages = dns1123SubdomainErrors(label);
    if (messages.length > 0) {
      errors.push(...messages.map((m) => invalid(at, path, `validating label ${JSON.stringify(label)}: ${m}`)));
      break;
    }
  }
  if (signerName.length > 571) errors.push(tooLong(at, 571));
  return errors;
}

function validateConditions(conditions: readonly CsrCondition[], opts: Options): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditions.forEach((c, i) => {
    const at = `status.conditions[${i}]`;
    const type = c.type ?? '';
    const status = c.status ?? '';
    if (!opts.allowEmptyConditionType && !type) errors.push(required(`${at}.type`));
    const allowed = TRUE_ONLY.includes(type) ? ['True'] : ['False', 'True', 'Unknown'];
    if (!status) errors.push(required(`${at}.status`));
    else if (!allowed.includes(status)) errors.push(notSupported(`${at}.status`, status, allowed));
    if (!opts.allowBothApprovedAndDenied) {
      // Reported on each one that follows a condition of the other type.
      if (type === 'Approved') {
        approved = true;
        if (denied) errors.push(invalid(`${at}.type`, type, 'Approved and Denied conditions are mutually exclusive'));
      } else if (type === 'Denied') {
        denied = true;
        if (approved) errors.push(invalid(`${at}.type`, type, 'Approved and Denied conditions are mutually exclusive'));
      }
    }
    if (!opts.allowDuplicateConditionTypes) {
      if (seen.has(type)) errors.push(duplicate(`${at}.type`, type));
      seen.add(type);
    }
  });
  return errors;
}

/** validateCertificate: only CERTIFICATE blocks, without headers, each holding certificates, at least one. */
export function certificateError(pem: Buffer): string | null {
  if (pem.length === 0) return null;
  const text = pem.toString('latin1');
  const block = /-----BEGIN ([^\r\n]*?)-----\r?\n([\s\S]*?)-----END \1-----/g;
  let blocks = 0;
  for (const m of text.matchAll(block)) {
    if (m[1] !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(m[1])}`;
    const lines = m[2]!.split(/\r?\n/);
    if (lines[0]?.includes(':')) return 'no PEM block headers are permitted';
    blocks++;
    const der = Buffer.from(lines.join(''), 'base64');
    if (der.length === 0) return 'found CERTIFICATE PEM block containing 0 certificates';
    try {
      new X509Certificate(der);
    } catch {
      return 'x509: malformed certificate';
    }
  }
  return blocks === 0 ? 'must contain at least one CERTIFICATE PEM block' : null;
}

/**
 * validateCertificateSigningRequestUpdate, for /approval (`approval`) and /status: the whole new
 * object is validated again (with ratcheting), no Approved/Denied/Failed condition may disappear,
 * Approved/Denied change only through /approval, and an issued certificate never changes.
 */
export function validateUpdate(next: CertificateSigningRequest, old: CertificateSigningRequest, subresource: 'approval' | 'status'): FieldError[] {
  const opts = { ...options(next, old), allowSettingApprovalConditions: subresource === 'approval', allowSettingCertificate: subresource === 'status' };
  const errors = validate(next, opts);
  const ofType = (csr: CertificateSigningRequest, type: string) => conditionsOf(csr).filter((c) => c.type === type);
  for (const type of ['Approved', 'Denied', 'Failed']) {
    if (ofType(next, type).length < ofType(old, type).length) errors.push(forbidden('status.conditions', `updates may not remove a condition of type ${JSON.stringify(type)}`));
  }
  if (!opts.allowSettingApprovalConditions) {
    for (const type of ['Approved', 'Denied']) {
      const [before, after] = [ofType(old, type), ofType(next, type)];
      // (A changed one cannot reach here: the status strategy puts the stored ones back when the counts match.)
      if (after.length > before.length) errors.push(forbidden('status.conditions', `updates may not add a condition of type ${JSON.stringify(type)}`));
    }
  }
  if (!certificateBytes(next).equals(certificateBytes(old))) {
    if (!opts.allowSettingCertificate) errors.push(forbidden('status.certificate', 'updates may not set certificate content'));
    else if (certificateBytes(old).length > 0) errors.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return errors;
}
