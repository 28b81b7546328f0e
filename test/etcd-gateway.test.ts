import { request } from 'node:https';
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { gatewayCall } from '../lib/endpoints/etcd-gateway.js';
import { EtcdKeySpace } from '../lib/endpoints/etcd-kv.js';

/**
 * etcd's HTTP/JSON gateway on the simulated client port, against answers measured with curl and a real
 * etcd 3.4.23 (one member, default --name and --initial-cluster, so etcd's well-known IDs): empty
 * ranges carry no count, a put bumps the revision, kvs come back base64, bad requests are gRPC
 * InvalidArgument with HTTP 400, a GET is 405.
 */
const PKI = '/etc/kubernetes/pki';
const HEADER = (revision: string) => ({ cluster_id: '14841639068965178418', member_id: '10276657743932975437', revision, raft_term: '2' });

async function etcd(t: ExecutionContext) {
  // The reference preset's etcd: no --initial-cluster or --name of kubeadm's, so the default IDs, and no client certificate asked.
  const cluster = await defineCluster({ clock: fixedClock('2026-01-02T00:00:00Z'), preset: 'reference' }).start();
  t.teardown(() => cluster.stop());
  const ca = cluster.fs.read('/etc/etcd/cluster-root-ca.pem').toString('utf8');
  return (method: string, path: string, body?: string) => new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: cluster.servers.etcd.port, path, method, ca, servername: 'localhost', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('range and put as etcd 3.4.23 answers them: no count when empty, the put visible to the next range, keys_only and count_only', async (t) => {
  const call = await etcd(t);
  const json = async (path: string, body: string) => {
    const r = await call('POST', path, body);
    t.is(r.status, 200, r.text);
    return JSON.parse(r.text) as unknown;
  };
  t.deepEqual(await json('/v3/kv/range', '{"key":"Lw==","range_end":"MA=="}'), { header: HEADER('1') });
  t.deepEqual(await json('/v3/kv/put', '{"key":"L2E=","value":"eHl6"}'), { header: HEADER('2') });
  const kv = { key: 'L2E=', create_revision: '2', mod_revision: '2', version: '1' };
  t.deepEqual(await json('/v3/kv/range', '{"key":"Lw==","range_end":"MA=="}'), { header: HEADER('2'), kvs: [{ ...kv, value: 'eHl6' }], count: '1' });
  t.deepEqual(await json('/v3/kv/range', '{"key":"Lw==","range_end":"MA==","keys_only":true}'), { header: HEADER('2'), kvs: [kv], count: '1' });
  t.deepEqual(await json('/v3/kv/put', '{"key":"L2E=","value":"eHl6","prev_kv":true}'), { header: HEADER('3'), prev_kv: { ...kv, value: 'eHl6' } });
  t.deepEqual(await json('/v3/kv/range', '{"key":"L2E=","count_only":true}'), { header: HEADER('3'), count: '1' });
});

test('bad requests: gRPC InvalidArgument (code 3) with HTTP 400 and Go\'s words, as etcd 3.4.23 answers them; a GET is 405', async (t) => {
  const call = await etcd(t);
  const refusal = (message: string) => ({ status: 400, body: { error: message, message, code: 3 } });
  for (const [body, message] of [
    ['garbage', "invalid character 'g' looking for beginning of value"],
    ['{}', 'etcdserver: key is not provided'],
    ['', 'etcdserver: key is not provided'],
    ['{"key":"??"}', 'illegal base64 data at input byte 0'],
    ['{"key":5}', 'json: cannot unmarshal number into Go value of type []uint8'],
  ] as const) {
    const r = await call('POST', '/v3/kv/range', body);
    t.deepEqual({ status: r.status, body: JSON.parse(r.text) as unknown }, refusal(message), body);
  }
  t.deepEqual(await call('GET', '/v3/kv/range'), { status: 405, text: 'Method Not Allowed\n' });
});

test('gateway bodies of any shape: an answer (200 or a code-3 400), never a throw; what is put is read back', (t) => {
  const id = { clusterId: 1n, memberId: 2n, member: { name: 'default', peerUrls: [], clientUrls: [] } };
  fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.base64String().map((k) => JSON.stringify({ key: k }))), (text) => {
    const kv = new EtcdKeySpace();
    for (const path of ['/v3/kv/range', '/v3/kv/put']) {
      const answer = gatewayCall(path, text, kv, id)!;
      if (answer.status !== 200) t.like(answer.body, { code: 3 });
    }
  }));
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (key, value) => {
    const kv = new EtcdKeySpace();
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
    t.is(gatewayCall('/v3/kv/put', JSON.stringify({ key: b64(key), value: b64(value) }), kv, id)!.status, 200);
    const read = gatewayCall('/v3/kv/range', JSON.stringify({ key: b64(key) }), kv, id)!.body as { kvs: { key: string; value?: string }[] };
    t.is(read.kvs[0]!.key, b64(key));
    t.is(read.kvs[0]!.value ?? '', b64(value));
  }));
});
