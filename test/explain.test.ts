import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { explain } from '../lib/verdict/explain.js';
import { clock } from './helpers/pki.js';

// Explanations follow what Go reported (its hint, the chain, whether a certificate was asked for),
// not guesses from names.

test('an expired cluster CA: the leaf does chain to it; the explanation says the CA expired and to renew it', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { ca: { kind: 'expired' } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.is(r.reason, 'UNKNOWN_AUTHORITY');
  const e = explain(r);
  t.regex(e.why, /does chain to the trusted CA CN=kubernetes .* but that CA itself is not valid at this time: x509: certificate has expired/);
  t.notRegex(e.why, /Neither the issuer name nor the key/);
  t.regex(e.fix, /^Renew the CA CN=kubernetes/);
  t.regex(explain(r, 'zh').why, /该 CA 本身在此时无效/);
});

test('a sent intermediate under an expired etcd CA is not called missing', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { 'etcd-server': { kind: 'via-intermediate', sendIntermediate: true }, 'etcd-ca': { kind: 'expired' } } }).start();
  const r = await cluster.dial('apiserver-to-etcd');
  t.is(r.reason, 'UNKNOWN_AUTHORITY');
  t.notRegex(explain(r).why, /was not sent/);
});

test('a CA limited to serverAuth takes clientAuth from the client certificate: the CA is named, not the leaf', async (t) => {
  await using cluster = await defineCluster({ clock, faults: { ca: { kind: 'usages', extKeyUsage: ['serverAuth'] } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.is(r.reason, 'WRONG_EKU');
  const e = explain(r);
  t.regex(e.why, /itself allows clientAuth, but a CA above it does not/);
  t.regex(e.fix, /Re-issue the CA in \/etc\/kubernetes\/pki\/ca\.crt/);
});

test('a kubelet without clientCAFile never asks for the apiserver\'s certificate: said so, and the fix is clientCAFile', async (t) => {
  await using cluster = await defineCluster({ clock, kubelet: { authentication: { x509: { clientCAFile: null } } } }).start();
  const r = await cluster.dial('apiserver-to-kubelet');
  t.is(r.reason, 'NO_CREDENTIALS');
  t.false(r.server.requestedClientCert);
  const e = explain(r);
  t.regex(e.why, /kubelet never asked for a client certificate/);
  t.regex(e.fix, /authentication\.x509\.clientCAFile/);
});

test('a SAN fix fits the server: the kubelet\'s names its serving CSR and preferred address types, not apiServer.certSANs', async (t) => {
  await using cluster = await defineCluster({ clock, apiserver: { '--kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt' }, kubelet: { tlsCertFile: '/var/lib/kubelet/pki/kubelet-client-current.pem', tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet-client-current.pem' } }).start();
  const r = await cluster.dial('apiserver-to-kubelet');
  t.is(r.reason, 'SAN_MISMATCH', r.summary);
  const e = explain(r);
  t.regex(e.fix, /kubelet-serving CSR|--kubelet-preferred-address-types/);
  t.notRegex(e.fix, /apiServer\.certSANs/);
});
