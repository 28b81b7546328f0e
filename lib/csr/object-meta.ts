import { invalid, type FieldError } from './field-errors.js';

/**
 * The parts of k8s.io/apimachinery's ObjectMeta validation that apply to what the fake registry
 * stores of a CSR's metadata (name, labels, annotations), with apimachinery's messages. A CSR's name
 * itself is free (ValidateCertificateRequestName returns nil); the registry's BeforeCreate then checks
 * it is a valid path segment (path.ValidatePathSegmentName).
 */
const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const whole = (fmt: string) => new RegExp(`^${fmt}$`);

/** validation.RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')` (Go's own double space). */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const maxLen = (n: number) => `must be no more than ${n} characters`;

/** validation.IsDNS1123Label. */
export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLen(63));
  if (!whole(LABEL_FMT).test(value)) {
    errors.push(whole(SUBDOMAIN_FMT).test(value) ? 'must not contain dots'
      : regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", LABEL_FMT, 'my-name', '123-abc'));
  }
  return errors;
}

/** validation.IsDNS1123Subdomain. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLen(253));
  if (!whole(SUBDOMAIN_FMT).test(value)) {
    errors.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", SUBDOMAIN_FMT, 'example.com'));
  }
  return errors;
}

const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** validation.IsQualifiedName. */
function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  const errors: string[] = [];
  let name = parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else if (parts.length > 2) {
    return [`a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push(`name part ${maxLen(63)}`);
  if (!whole(QUALIFIED_NAME_FMT).test(name)) errors.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errors;
}

/** validation.IsValidLabelValue. */
function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLen(63));
  if (!whole(LABEL_VALUE_FMT).test(value)) {
    errors.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errors;
}

/** apimachineryvalidation.TotalAnnotationSizeLimitB. */
const ANNOTATIONS_LIMIT = 256 * 1024;

/** ValidateObjectMeta's label and annotation checks (ValidateLabels, ValidateAnnotations). */
export function validateObjectMeta(meta: { labels?: Record<string, string>; annotations?: Record<string, string> }): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    errors.push(...qualifiedNameErrors(key).map((m) => invalid('metadata.labels', key, m)));
    errors.push(...labelValueErrors(value).map((m) => invalid('metadata.labels', value, m)));
  }
  let size = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    // "The rule is QualifiedName except that case doesn't matter".
    errors.push(...qualifiedNameErrors(key.toLowerCase()).map((m) => invalid('metadata.annotations', key, m)));
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > ANNOTATIONS_LIMIT) errors.push({ type: 'FieldValueTooLong', field: 'metadata.annotations', body: `Too long: must have at most ${ANNOTATIONS_LIMIT} bytes` });
  return errors;
}

/** path.ValidatePathSegmentName on metadata.name (BeforeCreate, after the type's own validation). */
export function validatePathSegmentName(name: string): FieldError[] {
  if (name === '.' || name === '..') return [invalid('metadata.name', name, `may not be '${name}'`)];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => invalid('metadata.name', name, `may not contain '${c}'`));
}
