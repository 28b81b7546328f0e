import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { defineCluster } from '../lib/cluster/cluster.js';
import { fixedClock, DAY } from '../lib/clock.js';
import { generateBootstrapToken, kubeadmBootstrapToken } from '../lib/authn/bootstrap-tokens.js';
import { bootstrapKubeconfigText } from '../lib/kubelet/bootstrap-fallback.js';
import { runScenario } from '../lib/scenarios/run.js';
import { SCENARIOS } from '../scenarios/index.js';
import { CLOCK_TIME } from './helpers/pki.js';

// The kubelet's fallback to --bootstrap-kubeconfig when the certificate in kubelet.conf has expired
// (pkg/kubelet/certificate/bootstrap/bootstrap.go isClientConfigStillValid).

const BOOTSTRAP = '/etc/kubernetes/bootstrap-kubelet.conf';
const EXPIRED_LINE = /^"Unhandled Error" err="part of the existing bootstrap client certificate in \/etc\/kubernetes\/kubelet\.conf is expired: 2027-01-01 00:00:00 \+0000 UTC"$/;

/** A kubeadm node whose kubelet was off for 370 days, with a bootstrap kubeconfig holding a token that expires `tokenExpiresInMs` from then. */
async function nodeBackAfterAYear(namespace: string, tokenExpiresInMs: number, rotateCertificates = true) {
  const clock = fixedClock(CLOCK_TIME);
  const cluster = await defineCluster({
    clock, keyNamespace: namespace, kubelet: { rotateCertificates },
    faults: { apiserver: { kind: 'validity', notBefore: -5 * 60_000, notAfter: 3 * 365 * DAY } },
  }).start();
  const before = cluster.kubelet.currentClient()!.certificatePem;
  clock.advance(370 * DAY);
  const token = generateBootstrapToken(namespace);
  cluster.addBootstrapToken({ ...kubeadmBootstrapToken(token, clock.now()), expiration: new Date(clock.now().getTime() + tokenExpiresInMs) });
  cluster.fs.write(BOOTSTRAP, bootstrapKubeconfigText(cluster.kubelet, token));
  return { cluster, clock, token, before };
}

test('an expired kubelet.conf with a valid bootstrap token: a new certificate through the CSR flow, and the edge is ok', async (t) => {
  const { cluster, clock, token, before } = await nodeBackAfterAYear('fallback-valid', DAY);
  await using _ = cluster;
  const started = await cluster.restartKubelet(BOOTSTRAP);
  t.truthy(started.outcome?.file, started.outcome?.error);
  t.regex(started.log[0]!, EXPIRED_LINE);
  const csr = cluster.csrs.get(started.outcome!.name)!;
  t.is(csr.spec.username, `system:bootstrap:${token.split('.')[0]}`, 'asked with the bootstrap token, not the expired certificate');
  t.like(csr.status.conditions?.[0], { type: 'Approved', reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' });
  const current = cluster.kubelet.currentClient()!;
  t.not(current.certificatePem, before);
  t.is(new Date(new X509Certificate(current.certificatePem).validFrom).getTime(), clock.now().getTime() - 5 * 60_000);
  const result = await cluster.dial('kubelet-to-apiserver');
  t.is(result.verdict, 'ok');
  t.is(result.identity?.name, 'system:node:control-plane');
  t.true(result.messages.some((m) => m.component === 'kubelet' && EXPIRED_LINE.test(m.text)));
});

test('the bootstrap token expired too: 401 on the CSR create, the certificate manager says so, and the kubelet runs on with its expired certificate', async (t) => {
  const { cluster, before } = await nodeBackAfterAYear('fallback-expired', -DAY);
  await using _ = cluster;
  const started = await cluster.restartKubelet(BOOTSTRAP);
  t.is(started.outcome?.status, 401);
  t.falsy(started.outcome?.file);
  t.is(cluster.csrs.list().filter((c) => c.spec.username?.startsWith('system:bootstrap:')).length, 0, 'no CSR was created');
  t.deepEqual(started.log.slice(1), [
    '"Client rotation is on, will bootstrap in background"',
    'kubernetes.io/kube-apiserver-client-kubelet: Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Unauthorized',
  ]);
  t.is(cluster.kubelet.currentClient()!.certificatePem, before);
  const result = await cluster.dial('kubelet-to-apiserver');
  t.like(result, { verdict: 'rejected', stage: 'authn', reason: 'CERT_EXPIRED' });
});

test('without rotateCertificates the kubelet asks before it runs (LoadClientCert): a refusal ends it', async (t) => {
  const { cluster } = await nodeBackAfterAYear('fallback-no-rotation', -DAY, false);
  await using _ = cluster;
  const started = await cluster.restartKubelet(BOOTSTRAP);
  t.deepEqual(started.log.slice(1), ['"command failed" err="failed to run Kubelet: cannot create certificate signing request: Unauthorized"']);
});

test('a kubelet.conf still valid: nothing is asked, whatever the bootstrap kubeconfig holds', async (t) => {
  const clock = fixedClock(CLOCK_TIME);
  await using cluster = await defineCluster({ clock, keyNamespace: 'fallback-still-valid' }).start();
  cluster.fs.write(BOOTSTRAP, bootstrapKubeconfigText(cluster.kubelet, 'abcdef.0123456789abcdef'));
  const started = await cluster.restartKubelet(BOOTSTRAP);
  t.deepEqual(started, { outcome: null, log: [] });
  t.is(cluster.csrs.list().length, 0);
});

test('the catalogue\'s fallback scenarios match their documented outcomes', async (t) => {
  for (const name of ['kubelet-fallback-to-bootstrap-token', 'kubelet-fallback-bootstrap-token-expired']) {
    const run = await runScenario(SCENARIOS.find((s) => s.name === name)!, fixedClock(CLOCK_TIME));
    t.deepEqual(run.mismatches, [], name);
    t.true(run.result.messages.some((m) => EXPIRED_LINE.test(m.text)), name);
  }
});
