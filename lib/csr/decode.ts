import type { CertificateSigningRequest } from './types.js';

/**
 * kube-apiserver's JSON decoding of a certificates.k8s.io/v1 CertificateSigningRequest: Go's
 * encoding/json into the typed struct (sigs.k8s.io/json, case-sensitive), so a value of the wrong
 * JSON type is refused at decode with Go's UnmarshalTypeError text, a `[]byte` field must be valid
 * standard base64, a time must be RFC 3339, and `null` is the zero value. Unknown fields are ignored.
 * The first error in document order is the one reported (encoding/json's saveError), wrapped as
 * handlers/rest.go transformDecodeError does.
 */
type GoType =
  | { kind: 'string' | 'bool' | 'bytes' | 'time'; go: string }
  | { kind: 'int'; go: string; bits: 32 | 64 }
  | { kind: 'slice' | 'map'; go: string; elem: GoType }
  | { kind: 'struct'; go: string; name: string; fields: Record<string, GoType> };

const str = (go = 'string'): GoType => ({ kind: 'string', go });
const slice = (elem: GoType): GoType => ({ kind: 'slice', go: `[]${elem.go}`, elem });
const map = (elem: GoType, go = `map[string]${elem.go}`): GoType => ({ kind: 'map', go, elem });
const struct = (name: string, pkg: string, fields: Record<string, GoType>): GoType => ({ kind: 'struct', go: `${pkg}.${name}`, name, fields });
const TIME: GoType = { kind: 'time', go: 'v1.Time' };
const BYTES: GoType = { kind: 'bytes', go: '[]uint8' };
const int = (bits: 32 | 64): GoType => ({ kind: 'int', go: `int${bits}`, bits });

const OWNER_REFERENCE = struct('OwnerReference', 'v1', {
  apiVersion: str(), kind: str(), name: str(), uid: str('types.UID'), controller: { kind: 'bool', go: 'bool' }, blockOwnerDeletion: { kind: 'bool', go: 'bool' },
});
const OBJECT_META = struct('ObjectMeta', 'v1', {
  name: str(), generateName: str(), namespace: str(), selfLink: str(), uid: str('types.UID'), resourceVersion: str(), generation: int(64),
  creationTimestamp: TIME, deletionTimestamp: TIME, deletionGracePeriodSeconds: int(64), labels: map(str()), annotations: map(str()),
  ownerReferences: slice(OWNER_REFERENCE), finalizers: slice(str()),
});
const CONDITION = struct('CertificateSigningRequestCondition', 'v1', {
  type: str('v1.RequestConditionType'), status: str('v1.ConditionStatus'), reason: str(), message: str(), lastUpdateTime: TIME, lastTransitionTime: TIME,
});
const CSR = struct('CertificateSigningRequest', 'v1', {
  apiVersion: str(), kind: str(), metadata: OBJECT_META,
  spec: struct('CertificateSigningRequestSpec', 'v1', {
    request: BYTES, signerName: str(), expirationSeconds: int(32), usages: slice(str('v1.KeyUsage')), username: str(), uid: str(), groups: slice(str()),
    extra: map(slice(str()), 'map[string]v1.ExtraValue'),
  }),
  status: struct('CertificateSigningRequestStatus', 'v1', { conditions: slice(CONDITION), certificate: BYTES }),
});

const jsonKind = (value: unknown): string => (Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value);

interface Context {
  struct: string | null;
  path: string[];
  error: string | null;
}

function typeError(ctx: Context, value: string, type: GoType): void {
  if (ctx.error) return;
  ctx.error = ctx.struct
    ? `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.path.join('.')} of type ${type.go}`
    : `json: cannot unmarshal ${value} into Go value of type ${type.go}`;
}

/** The value as the typed struct holds it (nulls are zero values), recording the first error in `ctx`. */
function walk(value: unknown, type: GoType, ctx: Context): unknown {
  if (value === null) return undefined;
  switch (type.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      return void typeError(ctx, jsonKind(value), type);
    case 'bool':
      if (typeof value === 'boolean') return value;
      return void typeError(ctx, jsonKind(value), type);
    case 'int': {
      if (typeof value !== 'number') return void typeError(ctx, jsonKind(value), type);
      const limit = 2 ** (type.bits - 1);
      if (!Number.isInteger(value) || value < -limit || value >= limit) return void typeError(ctx, `number ${value}`, type);
      return value;
    }
    case 'bytes': {
      if (typeof value !== 'string') return void typeError(ctx, jsonKind(value), type);
      const bad = base64Error(value);
      if (bad !== null && !ctx.error) ctx.error = `illegal base64 data at input byte ${bad}`;
      return bad === null ? value : undefined;
    }
    case 'time': {
      // metav1.Time.UnmarshalJSON: a JSON string, then time.Parse(time.RFC3339, …).
      if (typeof value !== 'string') {
        if (!ctx.error) ctx.error = `json: cannot unmarshal ${jsonKind(value)} into Go value of type string`;
        return undefined;
      }
      const bad = rfc3339Error(value);
      if (bad && !ctx.error) ctx.error = bad;
      return bad ? undefined : value;
    }
    case 'slice':
      if (!Array.isArray(value)) return void typeError(ctx, jsonKind(value), type);
      // A null element is the element's zero value.
      return value.map((v) => walk(v, type.elem, ctx) ?? zero(type.elem));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return void typeError(ctx, jsonKind(value), type);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = walk(v, type.elem, ctx) ?? zero(type.elem);
      return out;
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return void typeError(ctx, jsonKind(value), type);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const field = type.fields[k];
        if (!field) continue;
        const saved = { struct: ctx.struct, path: ctx.path };
        ctx.struct = type.name;
        ctx.path = [...ctx.path, k];
        const decoded = walk(v, field, ctx);
        ctx.struct = saved.struct;
        ctx.path = saved.path;
        if (decoded !== undefined) out[k] = decoded;
      }
      return out;
    }
  }
}

function zero(type: GoType): unknown {
  return type.kind === 'string' ? '' : type.kind === 'struct' ? {} : type.kind === 'int' ? 0 : type.kind === 'bool' ? false : undefined;
}

/** Go's base64.StdEncoding.Decode (CR and LF skipped, padding required): the CorruptInputError offset, or null. */
export function base64Error(text: string): number | null {
  const valid = (c: string) => /[A-Za-z0-9+/]/.test(c);
  const newline = (c: string | undefined) => c === '\n' || c === '\r';
  let si = 0;
  while (si < text.length) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === text.length) {
        if (j === 0) return null;
        return si - j;
      }
      const c = text[si++]!;
      if (valid(c)) continue;
      if (newline(c)) {
        j--;
        continue;
      }
      if (c !== '=' || j < 2) return si - 1;
      if (j === 2) {
        while (si < text.length && newline(text[si])) si++;
        if (si === text.length) return text.length;
        if (text[si] !== '=') return si - 1;
        si++;
      }
      while (si < text.length && newline(text[si])) si++;
      return si < text.length ? si : null;
    }
  }
  return null;
}

/** time.Parse(time.RFC3339, s): the error Go gives, or null. */
export function rfc3339Error(s: string): string | null {
  const layout = '2006-01-02T15:04:05Z07:00';
  const steps: [string, RegExp][] = [
    ['2006', /^\d{4}/], ['-', /^-/], ['01', /^\d{2}/], ['-', /^-/], ['02', /^\d{2}/], ['T', /^T/], ['15', /^\d{2}/], [':', /^:/], ['04', /^\d{2}/], [':', /^:/],
    ['05', /^\d{2}(\.\d+)?/], ['Z07:00', /^(Z|[+-]\d{2}:\d{2})/],
  ];
  let rest = s;
  let layoutRest = layout;
  for (const [elem, re] of steps) {
    const m = re.exec(rest);
    if (!m) {
      // A literal is reported with the rest of the layout, a number with its element only.
      const asWhat = /^[-T:]$/.test(elem) ? layoutRest : elem;
      return `parsing time ${JSON.stringify(s)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(asWhat)}`;
    }
    rest = rest.slice(m[0].length);
    layoutRest = layoutRest.slice(elem.length);
  }
  if (rest) return `parsing time ${JSON.stringify(s)}: extra text: ${JSON.stringify(rest)}`;
  const [month, day, hour, minute, second] = [5, 8, 11, 14, 17].map((i) => Number(s.slice(i, i + 2)));
  const range = month! < 1 || month! > 12 ? 'month' : day! < 1 || day! > 31 ? 'day' : hour! > 23 ? 'hour' : minute! > 59 ? 'minute' : second! > 59 ? 'second' : null;
  return range ? `parsing time ${JSON.stringify(s)}: ${range} out of range` : null;
}

/** The decoded CSR, or the message of the 400 BadRequest kube-apiserver answers. */
export function decodeCsrJson(body: Buffer): { ok: true; csr: Partial<CertificateSigningRequest> & { metadata?: { generateName?: string } } } | { ok: false; message: string } {
  const text = body.toString('utf8');
  const summary = summarize(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // SimpleMetaFactory.Interpret fails first, before any kind is known.
    return { ok: false, message: `the object provided is unrecognized (must be of type CertificateSigningRequest): couldn't get version/kind; json parse error: ${goSyntaxError(text, error as Error)} (${summary})` };
  }
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    const findKind = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
    return { ok: false, message: `the object provided is unrecognized (must be of type CertificateSigningRequest): couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(value)} into Go value of type ${findKind} (${summary})` };
  }
  const ctx: Context = { struct: null, path: [], error: null };
  const csr = (walk(value, CSR, ctx) ?? {}) as Partial<CertificateSigningRequest>;
  if (ctx.error) return { ok: false, message: `CertificateSigningRequest in version "v1" cannot be handled as a CertificateSigningRequest: ${ctx.error}` };
  return { ok: true, csr };
}

/** handlers/rest.go summarizeData(body, 30). */
function summarize(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  if (body[0] === 0x7b) return body.length > 30 ? `${body.subarray(0, 30).toString('utf8')} ...` : body.toString('utf8');
  return body.length > 30 ? `${body.subarray(0, 30).toString('hex')} ...` : body.toString('hex');
}

/** encoding/json's SyntaxError texts for the common cases. */
function goSyntaxError(text: string, error: Error): string {
  if (text.trim() === '') return 'unexpected end of JSON input';
  const at = /position (\d+)/.exec(error.message);
  const c = at ? text[Number(at[1])] : undefined;
  if (c === undefined) return 'unexpected end of JSON input';
  return `invalid character ${goQuoteChar(c)} looking for beginning of value`;
}

const goQuoteChar = (c: string) => (c === "'" ? "'\\''" : c === '"' ? `'"'` : `'${c}'`);
