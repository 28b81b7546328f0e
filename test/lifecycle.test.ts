import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { EDGE_NAMES } from '../lib/edges/edges.js';
import { isKubeMtlsSimError } from '../lib/errors.js';
import { SCENARIOS } from '../scenarios/index.js';
import { clock } from './helpers/pki.js';

// Lifecycle tests count process-wide handles: they must not overlap with other tests of this file.
const serial = test.serial;

const expected = new Map(SCENARIOS.filter((s) => s.preset === 'kubeadm' && !s.changes).map((s) => [s.edge, s.expect.verdict]));

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

serial('20 clusters started in parallel in one process: every edge of every cluster is right', async (t) => {
  const clusters = await Promise.all(Array.from({ length: 20 }, (_, i) => defineCluster({ clock, keyNamespace: `parallel-${i % 4}` }).start()));
  try {
    const ports = new Set(clusters.flatMap((c) => Object.values(c.servers).map((s) => s.port)));
    t.is(ports.size, 60, 'every server of every cluster has its own port');
    // 140 handshakes at once on two cores, beside other test files: give them time, they all must be right.
    const results = await Promise.all(clusters.map((c) => c.dialAll({ timeoutMs: 60_000 })));
    for (const edges of results) {
      t.deepEqual(edges.map((r) => r.edge), [...EDGE_NAMES]);
      for (const r of edges) t.is<string | undefined, string | undefined>(r.verdict, expected.get(r.edge), `${r.edge}: ${r.summary}`);
    }
  } finally {
    await Promise.all(clusters.map((c) => c.stop()));
  }
});

serial('after stop() no socket, server or timer is left, and stop() is idempotent', async (t) => {
  const before = handles();
  const cluster = await defineCluster({ clock }).start();
  const during = handles();
  t.true((during.TCPServerWrap ?? 0) >= (before.TCPServerWrap ?? 0) + 3, JSON.stringify(during));
  await cluster.dialAll();
  await cluster.stop();
  await cluster.stop();
  // Closed sockets release their handles on the next turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  const after = handles();
  t.is(after.TCPServerWrap ?? 0, before.TCPServerWrap ?? 0);
  t.is(after.TCPSocketWrap ?? 0, before.TCPSocketWrap ?? 0);
  t.is(after.Timeout ?? 0, before.Timeout ?? 0);
  const error = await t.throwsAsync(cluster.dial('kubectl-to-apiserver'));
  t.true(isKubeMtlsSimError(error, 'ERR_CLUSTER_STOPPED'));
});

serial('stop() during a dial does not hang: the dial resolves with CONNECTION_CLOSED or its outcome', async (t) => {
  const cluster = await defineCluster({ clock }).start();
  const dials = EDGE_NAMES.map((edge) => cluster.dial(edge));
  await cluster.stop();
  const results = await Promise.all(dials);
  t.is(results.length, 7);
  for (const r of results) t.true(r.reason === 'CONNECTION_CLOSED' || r.verdict === expected.get(r.edge), `${r.edge}: ${r.reason}`);
  t.true(results.some((r) => r.reason === 'CONNECTION_CLOSED'), 'at least one dial was cut short');
});

serial('await using stops the cluster at the end of the block', async (t) => {
  let port: number | undefined;
  {
    await using cluster = await defineCluster({ clock }).start();
    port = cluster.servers['kube-apiserver'].port;
    t.is((await cluster.dial('kubectl-to-apiserver')).verdict, 'ok');
  }
  const { connect } = await import('node:net');
  const refused = await new Promise<string>((resolve) => {
    const socket = connect(port!, '127.0.0.1');
    socket.on('connect', () => { socket.destroy(); resolve('connected'); });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
  t.is(refused, 'ECONNREFUSED');
});

function approveServingCsr(cluster: Awaited<ReturnType<ReturnType<typeof defineCluster>['start']>>): void {
  const name = cluster.kubelet.pendingServingCsr!;
  const csr = cluster.csrs.get(name)!;
  cluster.csrs.updateStatus(name, { ...csr.status, conditions: [...(csr.status.conditions ?? []), { type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'approved in a test' }] });
}

const servingBootstrap = { kubelet: { serverTLSBootstrap: true }, apiserver: { '--kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt' } } as const;

serial('a dial right after the serving CSR is approved reaches the restarted kubelet, never a half-started one', async (t) => {
  await using cluster = await defineCluster({ clock, ...servingBootstrap }).start();
  t.is((await cluster.dial('apiserver-to-kubelet')).reason, 'NO_SERVING_CERT');
  approveServingCsr(cluster);
  const result = await cluster.dial('apiserver-to-kubelet');
  t.is(result.verdict, 'ok', result.summary);
});

serial('approving the serving CSR after stop() starts no listener, and servers say nothing runs', async (t) => {
  const before = handles();
  const cluster = await defineCluster({ clock, ...servingBootstrap }).start();
  await cluster.stop();
  approveServingCsr(cluster);
  await cluster.settle();
  await new Promise((resolve) => setImmediate(resolve));
  t.is(handles().TCPServerWrap ?? 0, before.TCPServerWrap ?? 0);
  for (const [name, server] of Object.entries(cluster.servers)) t.false(server.running, name);
});

serial('a client key the TLS library refuses (RSA-512) is a client config-error: dial() resolves, stop() is clean', async (t) => {
  const { generateKeyPairSync } = await import('node:crypto');
  const { publicKeyMaterial } = await import('../lib/pki/keys.js');
  const { issueCertificate } = await import('../lib/pki/issue.js');
  const { generatePki } = await import('../lib/layout/generate.js');
  const pki = await generatePki({ clock, preset: 'kubeadm' });
  const ca = pki.certs.get('ca')!;
  const pair = generateKeyPairSync('rsa', { modulusLength: 512 });
  const small = publicKeyMaterial(pair.publicKey.export({ type: 'spki', format: 'der' }));
  const cert = issueCertificate({
    cn: 'kubernetes-admin', o: ['kubeadm:cluster-admins'], isCa: false, keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'], sans: [],
    notBefore: clock.now(), notAfter: new Date(clock.now().getTime() + 86_400_000), subjectKey: small, issuer: { cert: ca.cert, key: ca.certKey },
  });
  const before = handles();
  const cluster = await defineCluster({ clock, pki, kubeconfigEdits: { '/etc/kubernetes/admin.conf': {
    'users.0.user.client-certificate-data': Buffer.from(cert.pem).toString('base64'),
    'users.0.user.client-key-data': Buffer.from(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string).toString('base64'),
  } } }).start();
  const result = await cluster.dial('kubectl-to-apiserver');
  t.is(result.verdict, 'config-error');
  t.is(result.reason, 'CLIENT_KEY_UNUSABLE');
  t.is(result.detectedBy, 'client');
  t.regex(result.summary, /admin\.conf|client-certificate-data/);
  await cluster.stop();
  await new Promise((resolve) => setImmediate(resolve));
  t.is(handles().Timeout ?? 0, before.Timeout ?? 0, 'no timer left behind');
});
