import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { EtcdKeySpace, type KeyValue, type RangeQuery } from './etcd-kv.js';

/**
 * etcd's gRPC API on the client port, for what etcdctl 3.4 asks in a lab: `get` (KV.Range), `put`
 * (KV.Put), `member list` (Cluster.MemberList), `endpoint status` (Maintenance.Status) and
 * `endpoint health` (a KV.Range of the key "health"). Messages are written and read field by field
 * with field numbers from etcd's api/etcdserverpb/rpc.proto and mvccpb/kv.proto (no generated code);
 * proto3 leaves zero values out, and so does this. The answers' shapes were measured against
 * etcd 3.4.23 (a fresh single member): the header's raft term 2, a db of 20 kB of which 16 kB in use.
 */
export interface EtcdMemberInfo {
  name: string;
  peerUrls: readonly string[];
  clientUrls: readonly string[];
}

export interface EtcdIdentity {
  clusterId: bigint;
  memberId: bigint;
  member: EtcdMemberInfo;
}

/** A gRPC status code and message, as the trailers carry them (google.golang.org/grpc/codes). */
export interface GrpcStatus {
  code: number;
  message: string;
}

const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const UNIMPLEMENTED = 12;
const INTERNAL = 13;

/** grpc-go's receive limit on etcd's server: --max-request-bytes (1.5 MiB) plus 512 KiB of gRPC overhead. */
export const ETCD_MAX_RECV_BYTES = 2 * 1024 * 1024;
const RAFT_TERM = 2n;
const VERSION = '3.4.23';

/** What etcd's server answers for empty keys (rpctypes.ErrGRPCEmptyKey). */
const EMPTY_KEY: GrpcStatus = { code: INVALID_ARGUMENT, message: 'etcdserver: key is not provided' };

type Unary = (request: Uint8Array, kv: EtcdKeySpace, id: EtcdIdentity) => Uint8Array | GrpcStatus;

function header(w: BinaryWriter, id: EtcdIdentity, revision?: bigint): BinaryWriter {
  w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.Varint).uint64(id.clusterId).tag(2, WireType.Varint).uint64(id.memberId);
  if (revision) w.tag(3, WireType.Varint).int64(revision);
  return w.tag(4, WireType.Varint).uint64(RAFT_TERM).join();
}

/** mvccpb.KeyValue. */
function keyValue(w: BinaryWriter, field: number, kv: KeyValue): void {
  w.tag(field, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).bytes(kv.key)
    .tag(2, WireType.Varint).int64(kv.createRevision).tag(3, WireType.Varint).int64(kv.modRevision).tag(4, WireType.Varint).int64(kv.version);
  if (kv.value.length > 0) w.tag(5, WireType.LengthDelimited).bytes(kv.value);
  w.join();
}

/** Reads a message's fields into `on` (field number, wire type, reader); skips the fields it does not know. */
function readFields(bytes: Uint8Array, on: (field: number, reader: BinaryReader) => boolean): void {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (!on(field, r)) r.skip(wire, field);
  }
}

const range: Unary = (request, kv, id) => {
  const q: RangeQuery = { key: new Uint8Array(), rangeEnd: new Uint8Array(), limit: 0n, keysOnly: false, countOnly: false };
  readFields(request, (field, r) => {
    if (field === 1) q.key = r.bytes();
    else if (field === 2) q.rangeEnd = r.bytes();
    else if (field === 3) q.limit = BigInt(r.int64());
    else if (field === 8) q.keysOnly = r.bool();
    else if (field === 9) q.countOnly = r.bool();
    else return false;
    return true;
  });
  if (q.key.length === 0) return EMPTY_KEY;
  const result = kv.range(q);
  const w = header(new BinaryWriter(), id, kv.revision);
  for (const pair of result.kvs) keyValue(w, 2, pair);
  if (result.more) w.tag(3, WireType.Varint).bool(true);
  if (result.count) w.tag(4, WireType.Varint).int64(result.count);
  return w.finish();
};

const put: Unary = (request, kv, id) => {
  let key: Uint8Array = new Uint8Array();
  let value: Uint8Array = new Uint8Array();
  let prevKv = false;
  readFields(request, (field, r) => {
    if (field === 1) key = r.bytes();
    else if (field === 2) value = r.bytes();
    else if (field === 4) prevKv = r.bool();
    else return false;
    return true;
  });
  if (key.length === 0) return EMPTY_KEY;
  const written = kv.put(key, value);
  const w = header(new BinaryWriter(), id, written.revision);
  if (prevKv && written.prev) keyValue(w, 2, written.prev);
  return w.finish();
};

/** The cluster's header carries no revision (measured). */
const memberList: Unary = (_request, _kv, id) => {
  const w = header(new BinaryWriter(), id);
  w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.Varint).uint64(id.memberId).tag(2, WireType.LengthDelimited).string(id.member.name);
  for (const url of id.member.peerUrls) w.tag(3, WireType.LengthDelimited).string(url);
  for (const url of id.member.clientUrls) w.tag(4, WireType.LengthDelimited).string(url);
  return w.join().finish();
};

/** A lone member is its own leader; raft's index runs a few entries ahead of the store's revision (measured: 3). */
const status: Unary = (_request, kv, id) => {
  const raftIndex = kv.revision + 3n;
  return header(new BinaryWriter(), id, kv.revision)
    .tag(2, WireType.LengthDelimited).string(VERSION).tag(3, WireType.Varint).int64(20480).tag(4, WireType.Varint).uint64(id.memberId)
    .tag(5, WireType.Varint).uint64(raftIndex).tag(6, WireType.Varint).uint64(RAFT_TERM).tag(7, WireType.Varint).uint64(raftIndex)
    .tag(9, WireType.Varint).int64(16384)
    .finish();
};

/** Maintenance.Alarm: no alarm is ever raised (no db quota, no corruption check). */
const alarm: Unary = (_request, kv, id) => header(new BinaryWriter(), id, kv.revision).finish();

const METHODS: Record<string, Unary> = {
  '/etcdserverpb.KV/Range': range,
  '/etcdserverpb.KV/Put': put,
  '/etcdserverpb.Cluster/MemberList': memberList,
  '/etcdserverpb.Maintenance/Status': status,
  '/etcdserverpb.Maintenance/Alarm': alarm,
};
const SERVICES = ['KV', 'Watch', 'Lease', 'Cluster', 'Maintenance', 'Auth'].map((s) => `etcdserverpb.${s}`);

/** What grpc-go answers for a path no registered service has, or a method the simulation does not model. */
function unknownMethod(path: string): GrpcStatus {
  const [, service = '', method = ''] = /^\/([^/]*)\/(.*)$/.exec(path) ?? [];
  if (!SERVICES.includes(service)) return { code: UNIMPLEMENTED, message: `unknown service ${service}` };
  return { code: UNIMPLEMENTED, message: `kube-mtls-sim: ${service}/${method} is not simulated (etcdctl get, put, member list, endpoint health and status are)` };
}

/** One unary call: the request's single length-prefixed message in, the answer (or a status) out. */
export function answerUnary(path: string, body: Buffer, kv: EtcdKeySpace, id: EtcdIdentity): { message?: Uint8Array; status: GrpcStatus } {
  const method = METHODS[path];
  if (!method) return { status: unknownMethod(path) };
  if (body.length < 5 || body.readUInt32BE(1) !== body.length - 5) return { status: { code: INTERNAL, message: 'grpc: error unmarshalling request: a unary call carries exactly one message' } };
  if (body[0] !== 0) return { status: { code: UNIMPLEMENTED, message: 'grpc: Decompressor is not installed for grpc-encoding' } };
  let answer: Uint8Array | GrpcStatus;
  try {
    answer = method(body.subarray(5), kv, id);
  } catch (error) {
    return { status: { code: INTERNAL, message: `grpc: error unmarshalling request: ${(error as Error).message}` } };
  }
  return answer instanceof Uint8Array ? { message: answer, status: { code: 0, message: '' } } : { status: answer };
}

/** Serves one gRPC request over node's HTTP/2 compatibility API; `done` learns the status it ended with. */
export function serveGrpc(req: Http2ServerRequest, res: Http2ServerResponse, kv: EtcdKeySpace, id: EtcdIdentity, done: (status: GrpcStatus) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const finish = (answer: { message?: Uint8Array; status: GrpcStatus }) => {
    res.writeHead(200, { 'content-type': 'application/grpc' });
    // grpc-message is percent-encoded on the wire (gRPC over HTTP/2, "Responses").
    res.addTrailers({ 'grpc-status': String(answer.status.code), ...(answer.status.message ? { 'grpc-message': encodeURIComponent(answer.status.message) } : {}) });
    if (answer.message) {
      const prefix = Buffer.alloc(5);
      prefix.writeUInt32BE(answer.message.length, 1);
      res.end(Buffer.concat([prefix, answer.message]));
    } else {
      res.end();
    }
    done(answer.status);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= ETCD_MAX_RECV_BYTES + 5) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > ETCD_MAX_RECV_BYTES + 5) {
      return finish({ status: { code: RESOURCE_EXHAUSTED, message: `grpc: received message larger than max (${size - 5} vs. ${ETCD_MAX_RECV_BYTES})` } });
    }
    finish(answerUnary(req.url, Buffer.concat(chunks), kv, id));
  });
}
