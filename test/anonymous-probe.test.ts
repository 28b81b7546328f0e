/**
 * An edge whose client authenticated is still insecure when the server would let a client with no
 * credential at all in: the dialler repeats the request with no certificate and no token, for real,
 * and says so (issue 9, item 8a).
 */
import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { explain } from '../lib/verdict/explain.js';
import { clock, pkiFor } from './helpers/pki.js';

const openKubelet = { authentication: { anonymous: { enabled: true } }, authorization: { mode: 'AlwaysAllow' as const } };
// The reference layout's kubelet serves a CA-signed certificate, so --kubelet-certificate-authority verifies it.
const verifiedKubelet = { tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt', tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key' };

test('a kubelet with a client CA that also lets anonymous requests in is insecure, although the apiserver\'s certificate was accepted', async (t) => {
  const pki = await pkiFor({ preset: 'reference' });
  await using cluster = await defineCluster({ clock, pki, kubelet: { ...verifiedKubelet, ...openKubelet } }).start();
  const result = await cluster.dial('apiserver-to-kubelet');
  t.like(result, {
    verdict: 'insecure', stage: 'authn', detectedBy: 'server', reason: 'ANONYMOUS_ALLOWED',
    identity: { name: 'kube-apiserver-kubelet-client', method: 'x509' },
    anonymous: { status: 200, user: 'system:anonymous' },
    server: { requestedClientCert: true },
  }, result.summary);
  t.regex(result.summary, /no certificate and no token, as system:anonymous/);
  const why = explain(result).why;
  t.regex(why, /authenticated kube-apiserver as kube-apiserver-kubelet-client, but the same request sent with no certificate and no token got 200/);
  t.regex(why, /KubeletConfiguration authentication\.anonymous\.enabled/);
  t.truthy(explain(result).attacker);
});

test('the same kubelet without anonymous access stays ok: the probe is answered 401 and not reported', async (t) => {
  const pki = await pkiFor({ preset: 'reference' });
  await using cluster = await defineCluster({ clock, pki, kubelet: { ...verifiedKubelet, authorization: { mode: 'AlwaysAllow' } } }).start();
  const result = await cluster.dial('apiserver-to-kubelet');
  t.like(result, { verdict: 'ok', reason: 'OK' }, result.summary);
  t.is(result.anonymous, undefined);
});

test('kubeadm\'s unverified kubelet with anonymous access: the anonymous hole is reported first, the unverified certificate with it', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), kubelet: openKubelet }).start();
  const result = await cluster.dial('apiserver-to-kubelet');
  t.like(result, { verdict: 'insecure', reason: 'ANONYMOUS_ALLOWED', identity: { name: 'kube-apiserver-kubelet-client' } }, result.summary);
  t.regex(result.summary, /did not verify kubelet's certificate either: kube-apiserver --kubelet-certificate-authority is not set/);
});

test('kube-apiserver with AlwaysAllow resets --anonymous-auth to false: the probe gets 401 and kubectl stays ok', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), apiserver: { '--authorization-mode': 'AlwaysAllow', '--anonymous-auth': 'true' } }).start();
  const results = await cluster.dialAll();
  for (const r of results.filter((r) => r.server.component === 'kube-apiserver')) {
    t.like(r, { verdict: 'ok', reason: 'OK' }, `${r.edge}: ${r.summary}`);
    t.is(r.anonymous, undefined);
  }
});
