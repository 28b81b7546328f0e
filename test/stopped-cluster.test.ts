/**
 * A stopped cluster answers every call that would reach it the same way: a typed
 * ERR_CLUSTER_STOPPED, as `dial` and `joinNodes` do, never a `{ status: 0, error: 'connect
 * ECONNREFUSED' }` outcome that looks like something a kubelet could have seen (issue 9, item 9).
 */
import test from 'ava';
import { generateBootstrapToken, kubeadmBootstrapToken } from '../lib/authn/bootstrap-tokens.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { KubeMtlsSimError } from '../lib/errors.js';
import { clock, pkiFor } from './helpers/pki.js';

const stopped = { instanceOf: KubeMtlsSimError, code: 'ERR_CLUSTER_STOPPED' } as const;
const token = generateBootstrapToken('stopped-cluster');
const secret = kubeadmBootstrapToken(token, clock.now());

test('after stop(), the kubelet\'s certificate managers reject with ERR_CLUSTER_STOPPED, like dial and joinNodes', async (t) => {
  const cluster = await defineCluster({ clock, pki: await pkiFor(), bootstrapTokens: [secret] }).start();
  const joining = cluster.newKubelet('worker-1');
  await cluster.stop();
  await t.throwsAsync(cluster.dial('kubectl-to-apiserver'), stopped);
  await t.throwsAsync(cluster.joinNodes(['worker-2'], token), stopped);
  const bootstrap = await t.throwsAsync(cluster.kubelet.bootstrap(token), stopped);
  t.regex(bootstrap.message, /the cluster was stopped/);
  await t.throwsAsync(joining.bootstrap(token), stopped);
  await t.throwsAsync(cluster.newKubelet('worker-3').bootstrap(token), stopped);
  await t.throwsAsync(cluster.kubelet.requestServing(), stopped);
  await t.throwsAsync(cluster.kubelet.request('GET', '/api/v1/nodes/control-plane'), stopped);
  await t.throwsAsync(cluster.kubelet.rotateIfDue(), stopped);
});

test('a running cluster still answers the same calls with outcomes', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), bootstrapTokens: [secret] }).start();
  const outcome = await cluster.newKubelet('worker-1').bootstrap(token);
  t.is(outcome.status, 200, outcome.error);
  t.truthy(outcome.file);
  t.is((await cluster.kubelet.request('GET', '/api/v1/nodes/control-plane')).status, 200);
});
