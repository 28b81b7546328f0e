import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { defineCluster } from '../lib/cluster/cluster.js';
import { fixedClock } from '../lib/clock.js';
import { isKubeMtlsSimError } from '../lib/errors.js';
import { generateBootstrapToken, kubeadmBootstrapToken } from '../lib/authn/bootstrap-tokens.js';
import { CLOCK_TIME } from './helpers/pki.js';

// joinNodes runs the kubelets on worker threads; these tests check they do what newKubelet(...).bootstrap() does on the main thread.

async function clusterWithToken(namespace: string) {
  const clock = fixedClock(CLOCK_TIME);
  const cluster = await defineCluster({ clock, keyNamespace: namespace }).start();
  const token = generateBootstrapToken(namespace);
  cluster.addBootstrapToken(kubeadmBootstrapToken(token, clock.now()));
  return { cluster, token, clock };
}

test('nodes joined on worker threads get system:node:<name> certificates from the cluster CA, register, and are held to the Node authorizer', async (t) => {
  const { cluster, token, clock } = await clusterWithToken('join-nodes');
  await using _ = cluster;
  const names = ['worker-a', 'worker-b', 'worker-c', 'worker-d', 'worker-e'];
  const joined = await cluster.joinNodes(names, token, { workers: 2, concurrency: 2, request: { method: 'GET', path: '/api/v1/nodes/{node}' } });
  t.deepEqual(joined.map((j) => j.nodeName), names, 'results in the order asked');
  const ca = new X509Certificate(cluster.pki.certs.get('ca')!.cert.pem);
  for (const j of joined) {
    t.truthy(j.bootstrap.file, j.bootstrap.error);
    const cert = new X509Certificate(j.certificatePem!);
    t.is(cert.subject, `O=system:nodes\nCN=system:node:${j.nodeName}`);
    t.true(cert.verify(ca.publicKey), 'signed by the cluster CA');
    t.is(new Date(cert.validFrom).getTime(), clock.now().getTime() - 5 * 60_000, 'back-dated five minutes from the cluster clock');
    const csr = cluster.csrs.get(j.bootstrap.name)!;
    t.is(csr.spec.username, `system:bootstrap:${token.split('.')[0]}`);
    t.like(csr.status.conditions?.[0], { type: 'Approved', reason: 'AutoApproved' });
    // A 200 for its own Node object: the node registered (a 404 otherwise) and its certificate authenticated it.
    t.is(j.firstRequest?.status, 200, j.firstRequest?.body);
  }
  const snooping = await cluster.joinNodes(['worker-f'], token, { request: { method: 'GET', path: '/api/v1/nodes/control-plane' } });
  t.is(snooping[0]!.firstRequest?.status, 403);
  t.regex(snooping[0]!.firstRequest!.body, /node 'worker-f' cannot read 'control-plane', only its own Node object/);
});

test('a wrong bootstrap token: every node is refused with 401 and no CSR is created', async (t) => {
  const { cluster } = await clusterWithToken('join-nodes-bad-token');
  await using _ = cluster;
  const joined = await cluster.joinNodes(['n1', 'n2'], 'abcdef.0123456789abcdef', { request: { method: 'GET', path: '/api/v1/nodes/{node}' } });
  for (const j of joined) {
    t.is(j.bootstrap.status, 401);
    t.falsy(j.bootstrap.file);
    t.is(j.firstRequest, undefined, 'no certificate, no request');
  }
  t.is(cluster.csrs.list().length, 0);
});

test('joinNodes refuses bad options with a typed error, and a stopped cluster with ERR_CLUSTER_STOPPED', async (t) => {
  const { cluster, token } = await clusterWithToken('join-nodes-options');
  for (const options of [{ workers: 0 }, { workers: 1.5 }, { concurrency: -1 }]) {
    const error = await t.throwsAsync(cluster.joinNodes(['n1'], token, options));
    t.true(isKubeMtlsSimError(error) && error.code === 'ERR_USAGE', String(error));
  }
  t.deepEqual(await cluster.joinNodes([], token), []);
  await cluster.stop();
  const error = await t.throwsAsync(cluster.joinNodes(['n1'], token));
  t.true(isKubeMtlsSimError(error) && error.code === 'ERR_CLUSTER_STOPPED');
});

// Was a bug, found by review: terminating the threads while their kubelets' keys were being generated aborted the whole
// process (exit 134) in about half the runs with several workers. They now finish the joins in flight and end by themselves.
test('stopping the cluster while nodes join on several threads ends them cleanly and rejects with ERR_CLUSTER_STOPPED', async (t) => {
  for (const run of [1, 2]) {
    const { cluster, token } = await clusterWithToken(`join-nodes-stop-${run}`);
    const joining = cluster.joinNodes(Array.from({ length: 200 }, (_, i) => `n${i}`), token, { workers: 4 });
    const outcome = joining.then(() => null, (error: unknown) => error);
    // Stop as soon as the first node has asked for its certificate.
    await new Promise<void>((resolve) => cluster.csrs.onChange(() => resolve()));
    await cluster.stop();
    const error = await outcome;
    t.true(isKubeMtlsSimError(error) && error.code === 'ERR_CLUSTER_STOPPED', `run ${run}: ${String(error)}`);
    t.true(cluster.csrs.list().length < 200, `run ${run}: the threads stopped starting joins`);
  }
});

test('a node name with $ in it reaches the request path as it is', async (t) => {
  const { cluster, token } = await clusterWithToken('join-nodes-dollar');
  await using _ = cluster;
  // String.replaceAll reads $& in a replacement string as "the match": the path must hold the name itself.
  const [joined] = await cluster.joinNodes(['a$&b'], token, { request: { method: 'GET', path: '/api/v1/nodes/{node}' } });
  t.is(joined!.firstRequest?.status, 200, joined!.firstRequest?.body);
  t.regex(joined!.firstRequest!.body, /"name":"a\$&b"/);
});
