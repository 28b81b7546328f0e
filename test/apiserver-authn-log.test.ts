import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { clock } from './helpers/pki.js';

// What kube-apiserver logs on a 401 is what its union authenticator returns: a flattened utilerrors
// aggregate, nothing at all for refusals that return no error (bootstrap tokens, no credentials).
const ADMIN = '/etc/kubernetes/admin.conf';
const noCert = { 'users.0.user.client-certificate-data': null, 'users.0.user.client-key-data': null };

test('an unknown bootstrap token: 401, the log says only "invalid bearer token", the report keeps the V(3) cause', async (t) => {
  await using cluster = await defineCluster({ clock, kubeconfigEdits: { [ADMIN]: { ...noCert, 'users.0.user.token': 'abcdef.0123456789abcdef' } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.is(r.reason, 'INVALID_TOKEN');
  t.is(r.server.saw.log, 'Unable to authenticate the request due to an error: invalid bearer token');
  t.regex(r.summary, /No secret of name bootstrap-token-abcdef/);
});

test('no credentials with --anonymous-auth=false: 401 and nothing logged', async (t) => {
  // The scheduler's client-go sends a request without credentials; kubectl would prompt instead (kubectl-prompt.test.ts).
  await using cluster = await defineCluster({ clock, apiserver: { '--anonymous-auth': 'false' }, kubeconfigEdits: { '/etc/kubernetes/scheduler.conf': noCert } }).start();
  const r = await cluster.dial('scheduler-to-apiserver');
  t.is(r.reason, 'NO_CREDENTIALS');
  t.is(r.server.saw.log, undefined);
});

test('a bad client certificate and a bad ServiceAccount token: one flat aggregate, as utilerrors prints it', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { admin: { kind: 'signed-by', issuer: 'etcd-ca' } }, kubeconfigEdits: { [ADMIN]: { 'users.0.user.token': 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMuY2x1c3Rlci5sb2NhbCJ9.c2ln' } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.is(r.verdict, 'rejected');
  const log = r.server.saw.log ?? '';
  t.regex(log, /^Unable to authenticate the request due to an error: \[verifying certificate SN=\d+, SKID=[0-9A-F:]*, AKID=[0-9A-F:]* failed: x509: certificate signed by unknown authority.*, invalid bearer token, /);
  t.notRegex(log, /\[invalid bearer token/, 'the token union\'s aggregate is flattened into the outer one');
});
