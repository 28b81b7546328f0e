import { connect, type ClientHttp2Session } from 'node:http2';
import { request } from 'node:https';
import test, { type ExecutionContext } from 'ava';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { memberId } from '../lib/component-base/etcd-peer.js';

/**
 * The fake etcd's gRPC side without etcdctl (test/real-etcdctl.test.ts runs the real one): the
 * messages etcdctl 3.4 sends, framed by hand over HTTP/2, and the answers read back field by field.
 * HTTP/1.1 and non-gRPC HTTP/2 requests on the same port still reach the JSON handler.
 */
const clock = () => fixedClock(new Date('2026-01-02T00:00:00Z'));
const PKI = '/etc/kubernetes/pki';

async function kubeadmEtcd(t: ExecutionContext) {
  const cluster = await defineCluster({ clock: clock() }).start();
  t.teardown(() => cluster.stop());
  const read = (path: string) => cluster.fs.read(path).toString('utf8');
  return {
    cluster, port: cluster.servers.etcd.port!,
    tls: { ca: read(`${PKI}/etcd/ca.crt`), cert: read(`${PKI}/apiserver-etcd-client.crt`), key: read(`${PKI}/apiserver-etcd-client.key`), servername: 'localhost' },
  };
}

function session(t: ExecutionContext, port: number, tls: { ca: string; cert?: string; key?: string; servername: string }): ClientHttp2Session {
  const client = connect(`https://127.0.0.1:${port}`, tls);
  client.on('error', () => undefined);
  t.teardown(() => client.destroy());
  return client;
}

interface Answer { status: string | undefined; message: string | undefined; body: Buffer }

function unary(client: ClientHttp2Session, path: string, message: Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = client.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    const chunks: Buffer[] = [];
    let trailers: Record<string, string | string[] | undefined> = {};
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve({ status: trailers['grpc-status'] as string, message: trailers['grpc-message'] as string | undefined, body: Buffer.concat(chunks) }));
    stream.on('error', reject);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(message.length, 1);
    stream.end(Buffer.concat([prefix, message]));
  });
}

/** A message's fields, each field number to its values (bytes for length-delimited, bigint for varints). */
function fields(bytes: Uint8Array): Map<number, (Uint8Array | bigint)[]> {
  const out = new Map<number, (Uint8Array | bigint)[]>();
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    const value = wire === WireType.LengthDelimited ? r.bytes() : BigInt(r.uint64());
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
/** The fields of an answer's one length-prefixed message. */
function payload(answer: Answer): Map<number, (Uint8Array | bigint)[]> {
  const body = answer.body;
  if (body.length < 5 || body.readUInt32BE(1) !== body.length - 5) throw new Error(`not one gRPC message (status ${answer.status}): ${body.toString('hex')}`);
  return fields(body.subarray(5));
}
const text = (v: Uint8Array | bigint | undefined) => Buffer.from(v as Uint8Array).toString('utf8');

test('etcdctl put then get / --prefix: the key comes back with its revisions, keys-only leaves the value out', async (t) => {
  const { port, tls } = await kubeadmEtcd(t);
  const client = session(t, port, tls);
  const put = await unary(client, '/etcdserverpb.KV/Put', new BinaryWriter().tag(1, WireType.LengthDelimited).string('/registry/a').tag(2, WireType.LengthDelimited).string('v1').finish());
  t.is(put.status, '0');
  const header = fields(payload(put).get(1)![0] as Uint8Array);
  t.is(header.get(3)![0], 2n, 'a new store is at revision 1; the first put makes it 2 (measured on etcd 3.4)');
  t.is(header.get(4)![0], 2n, 'raft term');
  await unary(client, '/etcdserverpb.KV/Put', new BinaryWriter().tag(1, WireType.LengthDelimited).string('/registry/a').tag(2, WireType.LengthDelimited).string('v2').finish());
  await unary(client, '/etcdserverpb.KV/Put', new BinaryWriter().tag(1, WireType.LengthDelimited).string('zzz').tag(2, WireType.LengthDelimited).string('out of range').finish());

  // etcdctl get / --prefix --keys-only, as captured: key "/", range_end "0", keys_only.
  const keysOnly = await unary(client, '/etcdserverpb.KV/Range', Buffer.from('0a012f1201304001', 'hex'));
  t.is(keysOnly.status, '0');
  const answer = payload(keysOnly);
  t.is(answer.get(4)![0], 1n, 'count');
  const kv = fields(answer.get(2)![0] as Uint8Array);
  t.is(text(kv.get(1)![0]), '/registry/a');
  t.deepEqual([kv.get(2)![0], kv.get(3)![0], kv.get(4)![0]], [2n, 3n, 2n], 'create revision, mod revision, version');
  t.false(kv.has(5), 'keys only: no value');

  const withValue = fields(payload(await unary(client, '/etcdserverpb.KV/Range', Buffer.from('0a012f120130', 'hex'))).get(2)![0] as Uint8Array);
  t.is(text(withValue.get(5)![0]), 'v2');
});

test('member list and endpoint status describe the member the flags make; errors carry etcd\'s and grpc-go\'s statuses', async (t) => {
  const { cluster, port, tls } = await kubeadmEtcd(t);
  const client = session(t, port, tls);
  const flags = cluster.spec.etcd;
  const members = payload(await unary(client, '/etcdserverpb.Cluster/MemberList', new Uint8Array()));
  const member = fields(members.get(2)![0] as Uint8Array);
  t.is((member.get(1)![0] as bigint).toString(16), memberId((flags['--initial-advertise-peer-urls'] ?? 'http://localhost:2380').split(',')));
  t.is(text(member.get(2)![0]), flags['--name'] ?? 'default');
  t.deepEqual(member.get(4)!.map(text), flags['--advertise-client-urls']!.split(','));
  t.false(fields(members.get(1)![0] as Uint8Array).has(3), 'the cluster\'s header carries no revision');

  const status = payload(await unary(client, '/etcdserverpb.Maintenance/Status', new Uint8Array()));
  t.is(text(status.get(2)![0]), '3.4.23');
  t.is(status.get(4)![0], member.get(1)![0], 'a lone member leads');

  const empty = await unary(client, '/etcdserverpb.KV/Range', new Uint8Array());
  t.deepEqual([empty.status, decodeURIComponent(empty.message ?? '')], ['3', 'etcdserver: key is not provided']);
  const unknown = await unary(client, '/etcdserverpb.Nope/X', new Uint8Array());
  t.deepEqual([unknown.status, decodeURIComponent(unknown.message ?? '')], ['12', 'unknown service etcdserverpb.Nope']);
  const unmodelled = await unary(client, '/etcdserverpb.KV/DeleteRange', new Uint8Array());
  t.is(unmodelled.status, '12');
});

test('the same port still answers HTTP/1.1 and plain HTTP/2 requests with the JSON handler', async (t) => {
  const { port, tls } = await kubeadmEtcd(t);
  const h2 = await new Promise<string>((resolve, reject) => {
    const stream = session(t, port, tls).request({ ':path': '/version' });
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (body += c));
    stream.on('end', () => resolve(body));
    stream.on('error', reject);
    stream.end();
  });
  t.deepEqual(JSON.parse(h2), { etcdserver: '3.4.23', etcdcluster: '3.4.0' });
  const h1 = await new Promise<{ version: string; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/version', agent: false, ...tls }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ version: res.httpVersion, body }));
    });
    req.on('error', reject);
    req.end();
  });
  t.is(h1.version, '1.1');
  t.deepEqual(JSON.parse(h1.body), { etcdserver: '3.4.23', etcdcluster: '3.4.0' });
});

test('without a client certificate, the fixed etcd closes an HTTP/2 connection after the handshake: no gRPC answer', async (t) => {
  const { port, tls } = await kubeadmEtcd(t);
  const client = session(t, port, { ca: tls.ca, servername: tls.servername });
  const outcome = await unary(client, '/etcdserverpb.KV/Range', Buffer.from('0a0568656c6c6f', 'hex')).then(
    (a) => (a.status === undefined && a.body.length === 0 ? 'refused: the connection closed with no status' : `answered ${a.status}`),
    (e: Error) => `refused: ${e.message}`,
  );
  t.regex(outcome, /^refused/);
});
