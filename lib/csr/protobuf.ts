/**
 * A small, strict protobuf wire-format reader, enough to decode the `application/vnd.kubernetes.protobuf`
 * body kubectl sends with `kubectl certificate approve|deny` (PUT .../certificatesigningrequests/NAME/approval).
 *
 * Modelled on Kubernetes:
 * - staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go: the `k8s\0` prefix and
 *   its error texts ("empty data", "provided data does not appear to be a protobuf message, …", "empty body")
 * - staging/src/k8s.io/apimachinery/pkg/runtime/generated.proto: Unknown{1 typeMeta, 2 raw,
 *   3 contentEncoding, 4 contentType}, TypeMeta{1 apiVersion, 2 kind}
 * - staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto: ObjectMeta{1 name, 5 uid,
 *   6 resourceVersion, 8 creationTimestamp, 11 labels, 12 annotations}, Time{1 seconds, 2 nanos}
 * - staging/src/k8s.io/api/certificates/v1/generated.proto: CertificateSigningRequest{1 metadata, 2 spec,
 *   3 status}, Spec{1 request, 2 username, 3 uid, 4 groups, 5 usages, 6 extra, 7 signerName,
 *   8 expirationSeconds}, Status{1 conditions, 2 certificate}, Condition{1 type, 2 reason, 3 message,
 *   4 lastUpdateTime, 5 lastTransitionTime, 6 status}, ExtraValue{1 items}
 * Fields not listed are skipped. Wire-format problems throw `ProtobufError` (the caller answers 400).
 */
import type { CertificateSigningRequest, CsrCondition } from './types.js';

export class ProtobufError extends Error {
  override name = 'ProtobufError';
}

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export interface ProtobufField {
  field: number;
  wireType: 0 | 1 | 2 | 5;
  /** The value of a varint field. */
  varint: bigint;
  /** The payload of a length-delimited field, or the raw 8/4 bytes of a fixed64/fixed32 field. */
  bytes: Buffer;
}

/** Reads a base-128 varint (at most 10 bytes, fitting in 64 bits) at `pos`. */
export function readVarint(buf: Buffer, pos: number): { value: bigint; next: number } {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    const b = buf[pos + i];
    if (b === undefined) throw new ProtobufError(`truncated varint at byte ${pos}`);
    if (i === 9 && b > 1) throw new ProtobufError(`varint at byte ${pos} overflows 64 bits`);
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  throw new ProtobufError(`varint at byte ${pos} is longer than 10 bytes`);
}

/** Iterates the fields of one message. Groups (wire types 3, 4) and wire types 6, 7 are rejected. */
export function* fields(buf: Buffer): Generator<ProtobufField> {
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const tag = readVarint(buf, pos);
    pos = tag.next;
    const field = tag.value >> 3n;
    const wireType = Number(tag.value & 7n);
    if (field === 0n || field > 0x1fffffffn) throw new ProtobufError(`invalid field number ${field} at byte ${start}`);
    const common = { field: Number(field), varint: 0n, bytes: Buffer.alloc(0) };
    if (wireType === WIRE_VARINT) {
      const v = readVarint(buf, pos);
      pos = v.next;
      yield { ...common, wireType, varint: v.value };
    } else if (wireType === WIRE_I64 || wireType === WIRE_I32) {
      const size = wireType === WIRE_I64 ? 8 : 4;
      if (pos + size > buf.length) throw new ProtobufError(`truncated fixed${size * 8} field ${field} at byte ${start}`);
      yield { ...common, wireType, bytes: buf.subarray(pos, pos + size) };
      pos += size;
    } else if (wireType === WIRE_LEN) {
      const len = readVarint(buf, pos);
      pos = len.next;
      if (len.value > BigInt(buf.length - pos)) {
        throw new ProtobufError(`field ${field} at byte ${start} claims ${len.value} bytes, only ${buf.length - pos} left`);
      }
      yield { ...common, wireType, bytes: buf.subarray(pos, pos + Number(len.value)) };
      pos += Number(len.value);
    } else {
      throw new ProtobufError(`unsupported wire type ${wireType} (field ${field}) at byte ${start}`);
    }
  }
}

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];

function expect(f: ProtobufField, wireType: number, path: string): void {
  if (f.wireType !== wireType) {
    throw new ProtobufError(`${path} (field ${f.field}) has wire type ${f.wireType} (${WIRE_NAMES[f.wireType]}), expected ${wireType} (${WIRE_NAMES[wireType]})`);
  }
}
const str = (f: ProtobufField, path: string): string => (expect(f, WIRE_LEN, path), f.bytes.toString('utf8'));
const bytes = (f: ProtobufField, path: string): Buffer => (expect(f, WIRE_LEN, path), f.bytes);
function int64(f: ProtobufField, path: string): number {
  expect(f, WIRE_VARINT, path);
  const v = BigInt.asIntN(64, f.varint);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new ProtobufError(`${path} ${v} is out of range`);
  return Number(v);
}
const int32 = (f: ProtobufField, path: string): number => (expect(f, WIRE_VARINT, path), Number(BigInt.asIntN(32, f.varint)));

/** Walks one message, handing each field to its handler by number; fields without a handler are skipped. */
function each(buf: Buffer, onField: Record<number, (f: ProtobufField) => void>): void {
  for (const f of fields(buf)) onField[f.field]?.(f);
}

/** meta/v1 Time → RFC 3339 (UTC, seconds precision plus any nanoseconds); a zero Time → undefined. */
function decodeTime(buf: Buffer, path: string): string | undefined {
  let seconds = 0;
  let nanos = 0;
  each(buf, { 1: (f) => (seconds = int64(f, `${path}.seconds`)), 2: (f) => (nanos = int32(f, `${path}.nanos`)) });
  if ((seconds === 0 && nanos === 0) || seconds === -62_135_596_800) return undefined;
  if (nanos < 0 || nanos > 999_999_999) throw new ProtobufError(`${path}.nanos ${nanos} is out of range`);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) {
    throw new ProtobufError(`${path}.seconds ${seconds} is out of range`);
  }
  const fraction = nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${date.toISOString().slice(0, 19)}${fraction}Z`;
}

/** A map<string, V> field: each entry is a message {1 key, 2 value}; a later key wins. */
function mapEntry<V>(f: ProtobufField, path: string, value: (f: ProtobufField) => V, into: Record<string, V>, empty: V): void {
  let key = '';
  let v = empty;
  each(bytes(f, path), { 1: (k) => (key = str(k, `${path}.key`)), 2: (x) => (v = value(x)) });
  into[key] = v;
}

/** runtime.Unknown: the TypeMeta and the still-encoded object. */
export interface KubernetesProtobufEnvelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
  contentEncoding: string;
  contentType: string;
}

/** Splits the `k8s\0` envelope kubectl sends and returns the runtime.Unknown inside it. */
export function decodeKubernetesProtobuf(body: Buffer): KubernetesProtobufEnvelope {
  if (body.length === 0) throw new ProtobufError('empty data');
  if (body.length < 4 || body.readUInt32BE(0) !== 0x6b387300) {
    throw new ProtobufError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  if (body.length === 4) throw new ProtobufError('empty body');
  const out: KubernetesProtobufEnvelope = { apiVersion: '', kind: '', raw: Buffer.alloc(0), contentEncoding: '', contentType: '' };
  each(body.subarray(4), {
    1: (f) => each(bytes(f, 'Unknown.typeMeta'), {
      1: (g) => (out.apiVersion = str(g, 'TypeMeta.apiVersion')),
      2: (g) => (out.kind = str(g, 'TypeMeta.kind')),
    }),
    2: (f) => (out.raw = bytes(f, 'Unknown.raw')),
    3: (f) => (out.contentEncoding = str(f, 'Unknown.contentEncoding')),
    4: (f) => (out.contentType = str(f, 'Unknown.contentType')),
  });
  return out;
}

type Csr = CertificateSigningRequest;

/** All occurrences of an embedded-message field, concatenated: protobuf's merge semantics. */
function concatField(buf: Buffer, field: number, path: string): Buffer | undefined {
  const parts = [...fields(buf)].filter((f) => f.field === field).map((f) => bytes(f, path));
  return parts.length === 0 ? undefined : Buffer.concat(parts);
}

function decodeMetadata(buf: Buffer): Csr['metadata'] {
  const m: Csr['metadata'] = { name: '' };
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  each(buf, {
    1: (f) => (m.name = str(f, 'metadata.name')),
    5: (f) => (m.uid = str(f, 'metadata.uid')),
    6: (f) => (m.resourceVersion = str(f, 'metadata.resourceVersion')),
    8: (f) => (m.creationTimestamp = decodeTime(bytes(f, 'metadata.creationTimestamp'), 'metadata.creationTimestamp')),
    11: (f) => mapEntry(f, 'metadata.labels', (v) => str(v, 'metadata.labels.value'), labels, ''),
    12: (f) => mapEntry(f, 'metadata.annotations', (v) => str(v, 'metadata.annotations.value'), annotations, ''),
  });
  if (Object.keys(labels).length > 0) m.labels = labels;
  if (Object.keys(annotations).length > 0) m.annotations = annotations;
  return dropEmpty(m, ['uid', 'resourceVersion', 'creationTimestamp']);
}

function decodeSpec(buf: Buffer): Csr['spec'] {
  const s: Csr['spec'] = { request: '', signerName: '' };
  const usages: string[] = [];
  const groups: string[] = [];
  const extra: Record<string, string[]> = {};
  each(buf, {
    1: (f) => (s.request = bytes(f, 'spec.request').toString('base64')),
    2: (f) => (s.username = str(f, 'spec.username')),
    3: (f) => (s.uid = str(f, 'spec.uid')),
    4: (f) => groups.push(str(f, 'spec.groups')),
    5: (f) => usages.push(str(f, 'spec.usages')),
    6: (f) => mapEntry(f, 'spec.extra', (v) => {
      const items: string[] = [];
      each(bytes(v, 'spec.extra.value'), { 1: (i) => items.push(str(i, 'spec.extra.value.items')) });
      return items;
    }, extra, []),
    7: (f) => (s.signerName = str(f, 'spec.signerName')),
    8: (f) => (s.expirationSeconds = int32(f, 'spec.expirationSeconds')),
  });
  if (usages.length > 0) s.usages = usages;
  if (groups.length > 0) s.groups = groups;
  if (Object.keys(extra).length > 0) s.extra = extra;
  return dropEmpty(s, ['username', 'uid']);
}

function decodeCondition(buf: Buffer): CsrCondition {
  const c: CsrCondition = { type: '', status: '' };
  each(buf, {
    1: (f) => (c.type = str(f, 'condition.type')),
    6: (f) => (c.status = str(f, 'condition.status')),
    2: (f) => (c.reason = str(f, 'condition.reason')),
    3: (f) => (c.message = str(f, 'condition.message')),
    4: (f) => (c.lastUpdateTime = decodeTime(bytes(f, 'condition.lastUpdateTime'), 'condition.lastUpdateTime')),
    5: (f) => (c.lastTransitionTime = decodeTime(bytes(f, 'condition.lastTransitionTime'), 'condition.lastTransitionTime')),
  });
  return dropEmpty(c, ['reason', 'message', 'lastUpdateTime', 'lastTransitionTime']);
}

function decodeStatus(buf: Buffer): Csr['status'] {
  const st: Csr['status'] = {};
  const conditions: CsrCondition[] = [];
  each(buf, {
    1: (f) => conditions.push(decodeCondition(bytes(f, 'status.conditions'))),
    2: (f) => (st.certificate = bytes(f, 'status.certificate').toString('base64')),
  });
  if (conditions.length > 0) st.conditions = conditions;
  return dropEmpty(st, ['certificate']);
}

/** Removes the listed keys when they are `undefined` or `''` (JSON `omitempty`). */
function dropEmpty<T extends object>(o: T, keys: (keyof T)[]): T {
  for (const k of keys) if (o[k] === undefined || o[k] === '') delete o[k];
  return o;
}

/**
 * Decodes a certificates.k8s.io/v1 CertificateSigningRequest (the `raw` of the Unknown). Byte fields
 * (spec.request, status.certificate) come back base64-encoded, as in JSON. Empty optional strings are
 * omitted; metadata, spec and status are present only if the message holds them.
 */
export function decodeCsr(raw: Buffer): Partial<CertificateSigningRequest> {
  const out: Partial<CertificateSigningRequest> = {};
  const metadata = concatField(raw, 1, 'metadata');
  const spec = concatField(raw, 2, 'spec');
  const status = concatField(raw, 3, 'status');
  if (metadata) out.metadata = decodeMetadata(metadata);
  if (spec) out.spec = decodeSpec(spec);
  if (status) out.status = decodeStatus(status);
  return out;
}
