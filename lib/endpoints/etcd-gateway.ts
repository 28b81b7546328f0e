import type { EtcdIdentity } from './etcd-grpc.js';
import type { EtcdKeySpace, KeyValue } from './etcd-kv.js';

/**
 * etcd's HTTP/JSON gateway (grpc-gateway in front of the same KV service etcdctl reaches over gRPC)
 * for the two calls a lab makes with curl: POST /v3/kv/range and POST /v3/kv/put. It reads and writes
 * the key space etcdctl uses, so curl sees etcdctl's keys and the other way round. Shapes as etcd
 * 3.4.23 answers them (measured): int64 fields as decimal strings, bytes as base64, fields at their
 * zero value left out (no `count` for an empty range), and a bad request as gRPC's InvalidArgument
 * (code 3) with HTTP 400.
 */
export interface GatewayAnswer {
  status: number;
  body: unknown;
}

/** A request the gateway refuses: gRPC code 3 (InvalidArgument), as grpc-gateway writes it. */
class InvalidArgument extends Error {}

const invalid = (message: string): GatewayAnswer => ({ status: 400, body: { error: message, message, code: 3 } });

/** Go's encoding/json word for a JSON value's kind, in "cannot unmarshal X into Go value of type []uint8". */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

/**
 * A bytes field: base64 (standard or URL alphabet, padded or not, as grpc-gateway's jsonpb takes it).
 * The error names the first byte that is not base64, as Go's decoder does.
 */
function bytesField(body: Record<string, unknown>, name: string): Uint8Array {
  const value = body[name];
  if (value === undefined || value === null) return new Uint8Array();
  if (typeof value !== 'string') throw new InvalidArgument(`json: cannot unmarshal ${jsonKind(value)} into Go value of type []uint8`);
  const bad = value.search(/[^A-Za-z0-9+/=_-]/);
  const data = value.replace(/=+$/, '');
  if (bad >= 0 || data.includes('=') || data.length % 4 === 1) throw new InvalidArgument(`illegal base64 data at input byte ${bad >= 0 ? bad : data.length}`);
  return Uint8Array.from(Buffer.from(data.replaceAll('-', '+').replaceAll('_', '/'), 'base64'));
}

function int64Field(body: Record<string, unknown>, name: string): bigint {
  const value = body[name];
  if (value === undefined || value === null) return 0n;
  if ((typeof value === 'string' && /^-?\d+$/.test(value)) || (typeof value === 'number' && Number.isInteger(value))) return BigInt(value);
  throw new InvalidArgument(`json: cannot unmarshal ${jsonKind(value)} into Go value of type int64`);
}

function boolField(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  throw new InvalidArgument(`json: cannot unmarshal ${jsonKind(value)} into Go value of type bool`);
}

/** The request body as Go's decoder reads it: an empty body is an empty message. */
function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const first = text.trimStart()[0] ?? '';
    // Go's words for a body that does not start as JSON; other syntax errors keep node's.
    throw new InvalidArgument(/[{["tfn\d-]/.test(first) ? `invalid JSON: ${(error as Error).message}` : `invalid character '${first}' looking for beginning of value`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgument(`json: cannot unmarshal ${jsonKind(value)} into Go value of type etcdserverpb.RangeRequest`);
  return value as Record<string, unknown>;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function header(kv: EtcdKeySpace, id: EtcdIdentity) {
  return { cluster_id: id.clusterId.toString(), member_id: id.memberId.toString(), revision: kv.revision.toString(), raft_term: '2' };
}

function keyValue(kv: KeyValue) {
  return {
    key: b64(kv.key), create_revision: kv.createRevision.toString(), mod_revision: kv.modRevision.toString(), version: kv.version.toString(),
    ...(kv.value.length > 0 ? { value: b64(kv.value) } : {}),
  };
}

function range(body: Record<string, unknown>, kv: EtcdKeySpace, id: EtcdIdentity): GatewayAnswer {
  const key = bytesField(body, 'key');
  const query = { key, rangeEnd: bytesField(body, 'range_end'), limit: int64Field(body, 'limit'), keysOnly: boolField(body, 'keys_only'), countOnly: boolField(body, 'count_only') };
  if (key.length === 0) return invalid('etcdserver: key is not provided');
  const result = kv.range(query);
  return {
    status: 200,
    body: {
      header: header(kv, id),
      ...(result.kvs.length > 0 ? { kvs: result.kvs.map(keyValue) } : {}),
      ...(result.more ? { more: true } : {}),
      ...(result.count > 0n ? { count: result.count.toString() } : {}),
    },
  };
}

function put(body: Record<string, unknown>, kv: EtcdKeySpace, id: EtcdIdentity): GatewayAnswer {
  const key = bytesField(body, 'key');
  const value = bytesField(body, 'value');
  const wantPrev = boolField(body, 'prev_kv');
  if (key.length === 0) return invalid('etcdserver: key is not provided');
  const { prev } = kv.put(key, value);
  return { status: 200, body: { header: header(kv, id), ...(wantPrev && prev ? { prev_kv: keyValue(prev) } : {}) } };
}

const CALLS: Readonly<Record<string, typeof range>> = { '/v3/kv/range': range, '/v3/kv/put': put };

/** The gateway's answer to a POST on `path`, or undefined when the gateway has no such call. */
export function gatewayCall(path: string, text: string, kv: EtcdKeySpace, id: EtcdIdentity): GatewayAnswer | undefined {
  const call = CALLS[path];
  if (!call) return undefined;
  try {
    return call(parseBody(text), kv, id);
  } catch (error) {
    if (error instanceof InvalidArgument) return invalid(error.message);
    throw error;
  }
}

/** The gateway's paths (a GET on one is 405, as grpc-gateway answers a method it has no route for). */
export const GATEWAY_PATHS: readonly string[] = Object.keys(CALLS);
