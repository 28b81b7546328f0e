import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { explain } from '../lib/verdict/explain.js';
import type { EdgeResult } from '../lib/verdict/result.js';
import { clock } from './helpers/pki.js';

// A result's cause carries Go's and the server's facts as data; explanations read them, not sentences.

test('an expired CA: the client refused, with Go\'s hint (candidate and reason) as data', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { ca: { kind: 'expired' } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.like(r.cause, { kind: 'server-certificate-refused', verify: { failure: 'UNKNOWN_AUTHORITY', hint: { candidate: 'kubernetes', reason: 'CERT_EXPIRED' } } });
  if (r.cause.kind !== 'server-certificate-refused') return t.fail();
  t.regex(r.cause.verify?.hint?.error ?? '', /^x509: certificate has expired or is not yet valid: current time .* is after /);
  t.deepEqual(r.cause.verify?.chain.sent, ['CN=kube-apiserver']);
});

test('an intermediate not sent is a fact of the chain: named by the facts, not by the issuer\'s name', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { apiserver: { kind: 'via-intermediate', sendIntermediate: false } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.like(r.cause, { kind: 'server-certificate-refused', verify: { failure: 'UNKNOWN_AUTHORITY', chain: { issuerSent: false, intermediateMissing: true } } });
  t.false('hint' in (r.cause.kind === 'server-certificate-refused' ? r.cause.verify ?? {} : {}));
  // The same result with an issuer whose name says nothing of intermediates is still explained as one.
  const renamed: EdgeResult = { ...r, server: { ...r.server, presented: { ...r.server.presented!, issuer: 'CN=plain-ca' } } };
  t.regex(explain(renamed).why, /is signed by the intermediate CA CN=plain-ca, which is not trusted itself and was not sent/);
});

test('…and a root CA that is not trusted is not called an intermediate, whatever its name', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { apiserver: { kind: 'signed-by', issuer: 'etcd-ca' } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.like(r.cause, { kind: 'server-certificate-refused', verify: { chain: { issuerSent: false, intermediateMissing: false } } });
  const renamed: EdgeResult = { ...r, server: { ...r.server, presented: { ...r.server.presented!, issuer: 'CN=etcd-intermediate' } } };
  t.notRegex(explain(renamed).why, /intermediate CA/);
});

test('a 401: the status, the apiserver\'s log line and the authenticator\'s Go facts are fields', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { admin: { kind: 'signed-by', issuer: 'etcd-ca' } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.is(r.reason, 'UNKNOWN_AUTHORITY');
  t.like(r.cause, { kind: 'http', status: 401, authn: { method: 'x509', verify: { failure: 'UNKNOWN_AUTHORITY', chain: { intermediateMissing: false } } } });
  if (r.cause.kind !== 'http') return t.fail();
  t.is(r.cause.log, r.server.saw.log);
  t.regex(r.cause.log ?? '', /^Unable to authenticate the request due to an error: .*verifying certificate SN=\d+, SKID=.* failed: x509: certificate signed by unknown authority/);
  t.true(r.summary.endsWith(`answered 401: ${r.cause.authn?.error}`));
});

test('etcd refuses a client certificate at TLS: the alert, etcd\'s log line and Go\'s refusal as data', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { 'apiserver-etcd-client': { kind: 'signed-by', issuer: 'ca' } } }).start();
  const r = await cluster.dial('apiserver-to-etcd');
  t.like(r, { verdict: 'rejected', detectedBy: 'server', reason: 'UNKNOWN_AUTHORITY' });
  t.like(r.cause, { kind: 'refused-by-server-tls', alert: 'bad_certificate', verify: { failure: 'UNKNOWN_AUTHORITY', chain: { sent: ['CN=kube-apiserver-etcd-client'] } } });
  if (r.cause.kind !== 'refused-by-server-tls') return t.fail();
  t.regex(r.cause.log, /^embed: rejected connection from "127\.0\.0\.1:\d+" \(error "tls: failed to verify client certificate: x509: certificate signed by unknown authority/);
});

test('a TLS version nobody shares: node:tls\'s codes on both sides, typed', async (t) => {
  await using cluster = await defineCluster({ clock, apiserver: { '--tls-min-version': 'VersionTLS13' } }).start();
  const r = await cluster.dial('kubectl-to-apiserver', { clientMaxVersion: 'TLSv1.2' });
  t.is(r.reason, 'TLS_VERSION');
  t.like(r.cause, { kind: 'handshake', clientError: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' }, serverError: { code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' } });
});

test('a configuration error: the side, the component and the error code', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { apiserver: { kind: 'mismatched-key' } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.like(r, { verdict: 'config-error', reason: 'KEY_MISMATCH', detectedBy: 'server' });
  t.like(r.cause, { kind: 'config-error', side: 'server', component: 'kube-apiserver', code: 'ERR_KEY_MISMATCH' });
});

test('an ok edge has an ok cause; an insecure one says what was not checked', async (t) => {
  await using cluster = await defineCluster({ clock, etcd: { '--client-cert-auth': null, '--trusted-ca-file': null } }).start();
  t.deepEqual((await cluster.dial('kubectl-to-apiserver')).cause, { kind: 'ok' });
  const etcd = await cluster.dial('apiserver-to-etcd');
  t.is(etcd.reason, 'NO_CLIENT_AUTH');
  t.like(etcd.cause, { kind: 'unprotected', serverAskedForCert: false, clientVerifiedServer: true });
});

test('a 401 for no credentials under AlwaysAllow: why anonymous requests were turned off is a field', async (t) => {
  await using cluster = await defineCluster({ clock, apiserver: { '--authorization-mode': 'AlwaysAllow' }, kubeconfigEdits: { '/etc/kubernetes/scheduler.conf': { 'users.0.user.client-certificate-data': null, 'users.0.user.client-key-data': null } } }).start();
  // The scheduler, not kubectl: kubectl prompts for a username instead of sending a request without credentials.
  const r = await cluster.dial('scheduler-to-apiserver');
  t.is(r.reason, 'NO_CREDENTIALS', r.summary);
  t.like(r.cause, { kind: 'http', status: 401, authn: { method: 'anonymous', anonymousResetBecause: '--authorization-mode includes AlwaysAllow' } });
  t.regex(explain(r).why, /--anonymous-auth: reset to false because --authorization-mode includes AlwaysAllow\)\.$/);
});
