import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { inspectCluster } from '../lib/cluster/inspect.js';
import { fixedClock, DAY, YEAR } from '../lib/clock.js';
import { generateBootstrapToken, kubeadmBootstrapToken } from '../lib/authn/bootstrap-tokens.js';
import { CLOCK_TIME } from './helpers/pki.js';

test('TLS bootstrap: the bootstrap identity asks, csrapproving approves (nodeclient), the kubelet gets system:node:<name>', async (t) => {
  const clock = fixedClock(CLOCK_TIME);
  await using cluster = await defineCluster({ clock, keyNamespace: 'lifecycle-bootstrap' }).start();
  const token = generateBootstrapToken('lifecycle');
  t.regex(token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
  cluster.addBootstrapToken(kubeadmBootstrapToken(token, clock.now()));
  const kubelet = cluster.newKubelet('worker-7', '10.0.0.17');
  const outcome = await kubelet.bootstrap(token);
  t.truthy(outcome.file, outcome.error);
  const csr = cluster.csrs.get(outcome.name)!;
  t.is(csr.spec.username, `system:bootstrap:${token.split('.')[0]}`);
  t.true(csr.spec.groups!.includes('system:bootstrappers:kubeadm:default-node-token'));
  t.deepEqual(csr.spec.usages, ['digital signature', 'client auth']);
  t.like(csr.status.conditions?.[0], { type: 'Approved', reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' });
  const current = kubelet.currentClient()!;
  t.is(current.cert.node.subject, 'O=system:nodes\nCN=system:node:worker-7');
  t.is(current.cert.node.issuer, 'CN=kubernetes');
  t.is(new Date(current.cert.node.validFrom).getTime(), clock.now().getTime() - 5 * 60_000);
  const first = await kubelet.request('GET', '/api/v1/nodes/worker-7');
  t.is(first.status, 200, first.body);
  const other = await kubelet.request('GET', '/api/v1/nodes/control-plane');
  t.is(other.status, 403);
  t.regex(other.body, /node 'worker-7' cannot read 'control-plane', only its own Node object/);
});

test('client rotation happens 70-90 % into the certificate\'s life, deterministically, approved as a self renewal', async (t) => {
  const deadlines: number[] = [];
  for (const run of [1, 2]) {
    const clock = fixedClock(CLOCK_TIME);
    await using cluster = await defineCluster({ clock, keyNamespace: 'lifecycle-rotation' }).start();
    const current = cluster.kubelet.currentClient()!;
    const deadline = cluster.kubelet.rotationDeadline(current.cert).getTime();
    deadlines.push(deadline);
    const from = new Date(current.cert.node.validFrom).getTime();
    const to = new Date(current.cert.node.validTo).getTime();
    t.true(deadline >= from + 0.7 * (to - from) && deadline <= from + 0.9 * (to - from), `run ${run}`);
    t.is(await cluster.advanceClock(deadline - clock.now().getTime() - DAY), null, 'no rotation before the deadline');
    const rotated = await cluster.advanceClock(2 * DAY);
    t.truthy(rotated?.file, rotated?.error);
    t.like(cluster.csrs.get(rotated!.name)!.status.conditions?.[0], { reason: 'AutoApproved', message: 'Auto approving self kubelet client certificate after SubjectAccessReview.' });
    t.is(cluster.csrs.get(rotated!.name)!.spec.username, 'system:node:control-plane');
    const report = inspectCluster(cluster);
    const row = report.rows.find((r) => r.name === 'kubelet-client')!;
    t.true(row.residualMs > 300 * DAY, 'the -current link points at the new certificate');
    t.true(row.checks.chain.ok && row.checks.key.ok);
  }
  t.is(deadlines[0], deadlines[1]);
  t.true(deadlines[0]! < Date.parse(CLOCK_TIME) + YEAR);
});

test('advanceClock needs a clock that moves', async (t) => {
  const clock = { now: () => new Date(CLOCK_TIME) };
  await using cluster = await defineCluster({ clock, keyNamespace: 'lifecycle-static' }).start();
  await t.throwsAsync(cluster.advanceClock(DAY), { message: /advanceClock needs a clock that can move/ });
});
