import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { defineCluster } from '../lib/cluster/cluster.js';
import { fixedClock } from '../lib/clock.js';
import { generateBootstrapToken, kubeadmBootstrapToken } from '../lib/authn/bootstrap-tokens.js';
import { CLOCK_TIME } from './helpers/pki.js';

// The bootstrap storm of issue 14 (5,000 nodes in bench/), at a size a test can afford: what the
// optimised path must still do for every kubelet. Not timed: bench/ measures (a modest concurrency keeps each
// request's wait under the client's timeout on a machine busy with other work).

test('a storm of 200 kubelets: each its own key and certificate, from the cluster CA, as system:node:<name>, its first request authenticated', async (t) => {
  const clock = fixedClock(CLOCK_TIME);
  await using cluster = await defineCluster({ clock, keyNamespace: 'join-storm' }).start();
  const token = generateBootstrapToken('join-storm');
  cluster.addBootstrapToken(kubeadmBootstrapToken(token, clock.now()));
  const names = Array.from({ length: 200 }, (_, i) => `storm-${i}`);
  const joined = await cluster.joinNodes(names, token, { workers: 2, concurrency: 8, request: { method: 'GET', path: '/api/v1/nodes/{node}' } });
  const ca = new X509Certificate(cluster.pki.certs.get('ca')!.cert.pem);
  const serials = new Set<string>();
  const keys = new Set<string>();
  const csrNames = new Set<string>();
  for (const [i, j] of joined.entries()) {
    t.is(j.nodeName, names[i]!);
    t.truthy(j.bootstrap.file, j.bootstrap.error);
    const cert = new X509Certificate(j.certificatePem!);
    t.is(cert.subject, `O=system:nodes\nCN=system:node:${j.nodeName}`);
    t.true(cert.checkIssued(ca) && cert.verify(ca.publicKey), `${j.nodeName}: signed by the cluster CA`);
    serials.add(cert.serialNumber);
    keys.add(cert.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
    csrNames.add(j.bootstrap.name);
    const csr = cluster.csrs.get(j.bootstrap.name)!;
    t.is(csr.spec.username, `system:bootstrap:${token.split('.')[0]}`);
    t.is(Buffer.from(csr.status.certificate!, 'base64').toString(), j.certificatePem!);
    // Its own Node object: 200 only for a node that registered and authenticated with this certificate.
    t.is(j.firstRequest?.status, 200, j.firstRequest?.body);
    t.is((JSON.parse(j.firstRequest!.body) as { metadata: { name: string } }).metadata.name, j.nodeName);
  }
  t.is(serials.size, 200, 'every certificate distinct');
  t.is(keys.size, 200, 'every kubelet its own key pair');
  t.is(csrNames.size, 200, 'one CSR per kubelet');
  t.is(cluster.csrs.list().filter((c) => c.status.certificate).length, 200);
});
