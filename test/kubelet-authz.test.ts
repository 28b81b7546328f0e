import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { clock } from './helpers/pki.js';

// The kubelet's Webhook authorizer sends a SubjectAccessReview to the cluster's kube-apiserver, so the
// answer follows the apiserver's --authorization-mode, not a fixed Node,RBAC.
const noAdminGroup = { faults: { 'apiserver-kubelet-client': { kind: 'subject' as const, o: [] } } };

test('kubelet Webhook authorization follows the apiserver\'s modes: Node,RBAC forbids the groupless kubelet client', async (t) => {
  await using cluster = await defineCluster({ clock, ...noAdminGroup }).start();
  const result = await cluster.dial('apiserver-to-kubelet');
  t.is(result.reason, 'FORBIDDEN', result.summary);
});

test('kubelet Webhook authorization follows the apiserver\'s modes: AlwaysAllow allows the same client', async (t) => {
  await using cluster = await defineCluster({ clock, ...noAdminGroup, apiserver: { '--authorization-mode': 'AlwaysAllow' } }).start();
  const result = await cluster.dial('apiserver-to-kubelet');
  t.is(result.verdict, 'insecure', result.summary); // the apiserver still does not verify the kubelet's self-signed certificate
  t.is(result.reason, 'SERVER_NOT_VERIFIED');
  t.is(result.identity?.name, 'kube-apiserver-kubelet-client');
});
