import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import type { Pki } from '../lib/layout/generate.js';
import { clock, pkiFor } from './helpers/pki.js';
import { resign, type SignatureAlgorithmName } from './helpers/weak-signature.js';

// Certificates OpenSSL refuses to load at its default security level (SHA-1 or MD5 signatures, RSA
// keys below 1024 bits) are loaded by Go, which judges them later: the simulated components take
// them too, and the verdict is Go's (issue 12).

const fileOf = (pki: Pki, path: string) => {
  const file = pki.files.find((f) => f.path === path);
  if (!file || file.kind === 'symlink') throw new Error(`no file ${path}`);
  return file.contents.toString();
};
const keyOf = (pki: Pki, path: string) => createPrivateKey(fileOf(pki, path));

function weakCert(pki: Pki, base: string, caKey: string, algorithm: SignatureAlgorithmName): Record<string, string> {
  return { [`${base}.crt`]: resign(fileOf(pki, `${base}.crt`), keyOf(pki, caKey), algorithm) };
}

/** The certificate of `base` for a fresh RSA key of `bits` (signed as its CA signs), and that key. */
function smallRsa(pki: Pki, base: string, caKey: string, bits: number): Record<string, string> {
  const pair = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    [`${base}.crt`]: resign(fileOf(pki, `${base}.crt`), keyOf(pki, caKey), 'ecdsa-with-SHA256', pair.publicKey),
    [`${base}.key`]: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  };
}

const insecure = (name: string) => `x509: cannot verify signature: insecure algorithm ${name}`;
const SHA1_HINT = '(temporarily override with GODEBUG=x509sha1=1)';

test('a serving certificate signed with ecdsa-with-SHA1 starts; every client refuses it with Go\'s insecure-algorithm words', async (t) => {
  const pki = await pkiFor();
  await using cluster = await defineCluster({ clock, pki, files: weakCert(pki, '/etc/kubernetes/pki/apiserver', '/etc/kubernetes/pki/ca.key', 'ecdsa-with-SHA1') }).start();
  t.true(cluster.servers['kube-apiserver'].running);
  const result = await cluster.dial('kubectl-to-apiserver');
  t.is(result.verdict, 'rejected');
  t.is(result.detectedBy, 'client');
  t.is(result.cause.kind, 'server-certificate-refused');
  t.true(result.summary.includes(`"${insecure('ECDSA-SHA1')} ${SHA1_HINT}" while trying to verify candidate authority certificate "kubernetes"`), result.summary);
});

test('a serving certificate signed with MD5 (RSA) starts; the client refuses it as MD5-RSA, with no override hint', async (t) => {
  const pki = await pkiFor({ algorithm: 'rsa-2048' });
  await using cluster = await defineCluster({ clock, pki, files: weakCert(pki, '/etc/kubernetes/pki/etcd/server', '/etc/kubernetes/pki/etcd/ca.key', 'md5WithRSAEncryption') }).start();
  t.true(cluster.servers.etcd.running);
  const result = await cluster.dial('apiserver-to-etcd');
  t.is(result.verdict, 'rejected');
  t.is(result.detectedBy, 'client');
  t.true(result.summary.includes(`"${insecure('MD5-RSA')}"`), result.summary);
});

test('a client certificate signed with SHA-1 is sent, and the server refuses it with the hint (not a client config-error)', async (t) => {
  const pki = await pkiFor({ algorithm: 'rsa-2048' });
  await using cluster = await defineCluster({ clock, pki, files: {
    ...weakCert(pki, '/etc/kubernetes/pki/apiserver-kubelet-client', '/etc/kubernetes/pki/ca.key', 'sha1WithRSAEncryption'),
    ...weakCert(pki, '/etc/kubernetes/pki/apiserver-etcd-client', '/etc/kubernetes/pki/etcd/ca.key', 'sha1WithRSAEncryption'),
  } }).start();
  for (const edge of ['apiserver-to-kubelet', 'apiserver-to-etcd'] as const) {
    const result = await cluster.dial(edge);
    t.is(result.verdict, 'rejected', edge);
    t.is(result.detectedBy, 'server', edge);
    t.true(result.summary.includes(`${insecure('SHA1-RSA')} ${SHA1_HINT}`), `${edge}: ${result.summary}`);
  }
});

test('a serving certificate on an RSA-512 key starts, and the handshake fails as Go\'s server fails it (no signature scheme); RSA-1024 serves', async (t) => {
  const pki = await pkiFor();
  await using small = await defineCluster({ clock, pki, files: smallRsa(pki, '/etc/kubernetes/pki/apiserver', '/etc/kubernetes/pki/ca.key', 512) }).start();
  t.true(small.servers['kube-apiserver'].running);
  const refused = await small.dial('kubectl-to-apiserver');
  t.is(refused.verdict, 'rejected');
  t.is(refused.reason, 'HANDSHAKE_FAILED');
  await using enough = await defineCluster({ clock, pki, files: smallRsa(pki, '/etc/kubernetes/pki/apiserver', '/etc/kubernetes/pki/ca.key', 1024) }).start();
  t.is((await enough.dial('kubectl-to-apiserver')).verdict, 'ok');
});

test('a client key of RSA-512 is the client\'s own refusal with Go\'s words, before any request; RSA-1024 is sent and accepted', async (t) => {
  const pki = await pkiFor();
  const base = '/etc/kubernetes/pki/apiserver-kubelet-client';
  await using small = await defineCluster({ clock, pki, files: smallRsa(pki, base, '/etc/kubernetes/pki/ca.key', 512) }).start();
  const refused = await small.dial('apiserver-to-kubelet');
  t.is(refused.verdict, 'config-error');
  t.is(refused.reason, 'CLIENT_KEY_UNUSABLE');
  t.like(refused.cause, { kind: 'config-error', side: 'client', component: 'kube-apiserver' });
  t.true(refused.summary.includes('tls: certificate RSA key size too small for supported signature algorithms'), refused.summary);
  await using enough = await defineCluster({ clock, pki, files: smallRsa(pki, base, '/etc/kubernetes/pki/ca.key', 1024) }).start();
  const accepted = await enough.dial('apiserver-to-kubelet');
  t.is(accepted.reason, 'SERVER_NOT_VERIFIED', accepted.summary);
});
