/** k8s.io/apimachinery field.Error: one validation error, rendered as kube-apiserver renders it. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong';
  field: string;
  /** The error body after the field, e.g. `Required value` or `Invalid value: 599: may not specify …`. */
  body: string;
}

/** Go's %#v-ish rendering of a value in an error body. */
function repr(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.length === 0 ? '[]byte(nil)' : `[]byte{${[...value].map((b) => `0x${b.toString(16)}`).join(', ')}}`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, body: `Required value${detail ? `: ${detail}` : ''}` });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, body: `Invalid value: ${repr(value)}: ${detail}` });
export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported', field, body: `Unsupported value: ${repr(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, body: `Duplicate value: ${repr(value)}` });
/** field.TooLong: the value is never shown. */
export const tooLong = (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, body: `Too long: must have at most ${max} bytes` });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, body: `Forbidden: ${detail}` });

/** The 422 Status kube-apiserver returns for a CSR that fails validation. */
export function invalidStatus(name: string, errors: readonly FieldError[]) {
  const texts = errors.map((e) => `${e.field}: ${e.body}`);
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: `CertificateSigningRequest.certificates.k8s.io ${JSON.stringify(name)} is invalid: ${texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`}`,
    reason: 'Invalid',
    details: { name, group: 'certificates.k8s.io', kind: 'CertificateSigningRequest', causes: errors.map((e) => ({ reason: e.type, message: e.body, field: e.field })) },
    code: 422,
  };
}
