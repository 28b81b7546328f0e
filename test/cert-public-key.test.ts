/**
 * A certificate whose public key does not decode (one byte of its EC point changed: node:crypto
 * still parses the certificate, and decodes the key only when asked) is refused where it is read,
 * as Go's x509.ParseCertificate refuses it: a typed ERR_CERT_PARSE with Go's wording. A dial never
 * throws for it: the side that reads the file is a config-error naming the file.
 */
import { X509Certificate } from 'node:crypto';
import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { KubeMtlsSimError } from '../lib/errors.js';
import { parseKubeconfig } from '../lib/kubeconfig/parse.js';
import { readCertificates } from '../lib/pki/pem.js';
import type { Pki } from '../lib/layout/generate.js';
import { clock, pkiFor } from './helpers/pki.js';

const GO_EC_POINT = 'x509: failed to unmarshal elliptic curve point';
const PKI = '/etc/kubernetes/pki';

/** The first CERTIFICATE block of `pem` with one bit of its P-256 point's Y coordinate flipped: the point leaves the curve. */
function offCurve(pem: string): string {
  return pem.replace(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----\n?/, (_block, body: string) => {
    const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    // SubjectPublicKeyInfo's BIT STRING of an uncompressed P-256 point: 03 42 00 04 X(32) Y(32).
    const at = der.indexOf(Buffer.from([0x03, 0x42, 0x00, 0x04]));
    if (at < 0) throw new Error('fixture: no P-256 point');
    der[at + 4 + 40] = der[at + 4 + 40]! ^ 0x01;
    return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  });
}

function fileOf(pki: Pki, path: string): string {
  const file = pki.files.find((f) => f.path === path);
  if (!file || file.kind === 'symlink') throw new Error(`fixture: no regular file ${path}`);
  return file.contents;
}

test('the fixture is what the issue describes: node:crypto parses the certificate, its public key does not decode', async (t) => {
  const bad = offCurve(fileOf(await pkiFor(), `${PKI}/apiserver.crt`));
  const node = new X509Certificate(bad);
  t.regex(node.subject, /CN=kube-apiserver/);
  t.throws(() => node.publicKey, { code: 'ERR_OSSL_EVP_DECODE_ERROR' });
});

test('readCertificates: an EC point off the curve is ERR_CERT_PARSE with Go\'s x509.ParseCertificate wording', async (t) => {
  const bad = offCurve(fileOf(await pkiFor(), `${PKI}/apiserver.crt`));
  const error = t.throws(() => readCertificates(bad, { file: `${PKI}/apiserver.crt` }), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_CERT_PARSE');
  t.is(error.goMessage, GO_EC_POINT);
  t.is(error.file, `${PKI}/apiserver.crt`);
  t.regex(error.message, /apiserver\.crt: certificate #1: its public key does not decode/);
});

test('parseKubeconfig: a client certificate or CA whose key does not decode is ERR_CERT_PARSE naming the field', async (t) => {
  const admin = fileOf(await pkiFor(), '/etc/kubernetes/admin.conf');
  for (const field of ['client-certificate-data', 'certificate-authority-data']) {
    const text = admin.replace(new RegExp(`(${field}: )(\\S+)`), (_m, key: string, value: string) => `${key}${Buffer.from(offCurve(Buffer.from(value, 'base64').toString())).toString('base64')}`);
    t.not(text, admin);
    const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
    t.is(error.code, 'ERR_CERT_PARSE', field);
    t.is(error.goMessage, GO_EC_POINT);
    t.true(error.message.includes(`admin.conf: \`${field.startsWith('client') ? 'users' : 'clusters'}[0]`) && error.message.includes(field), error.message);
  }
});

test('a client certificate whose key does not decode: dialAll gives all seven results, that edge a config-error naming the file', async (t) => {
  const pki = await pkiFor();
  const file = `${PKI}/apiserver-kubelet-client.crt`;
  await using cluster = await defineCluster({ clock, pki, files: { [file]: offCurve(fileOf(pki, file)) } }).start();
  const results = await cluster.dialAll();
  t.is(results.length, 7);
  const edge = results.find((r) => r.edge === 'apiserver-to-kubelet')!;
  t.like(edge, { verdict: 'config-error', stage: 'config', detectedBy: 'client', reason: 'BAD_FILE' });
  t.true(edge.summary.includes(file), edge.summary);
  t.deepEqual(edge.messages.map((m) => m.text), [GO_EC_POINT]);
  t.true(results.filter((r) => r.edge !== 'apiserver-to-kubelet').every((r) => r.verdict !== 'config-error'));
});

test('a serving certificate whose key does not decode: the cluster starts, that server does not, and its edges are config-errors', async (t) => {
  const pki = await pkiFor();
  const file = `${PKI}/apiserver.crt`;
  await using cluster = await defineCluster({ clock, pki, files: { [file]: offCurve(fileOf(pki, file)) } }).start();
  // kube-apiserver exits on a serving certificate it cannot load; etcd and the kubelet run on.
  t.like(cluster.servers, { 'kube-apiserver': { running: false, startupError: { code: 'ERR_CERT_PARSE', goMessage: GO_EC_POINT } }, etcd: { running: true }, kubelet: { running: true } });
  const results = await cluster.dialAll();
  t.is(results.length, 7);
  for (const r of results.filter((r) => r.server.component === 'kube-apiserver')) {
    t.like(r, { verdict: 'config-error', detectedBy: 'server', reason: 'BAD_FILE' }, r.edge);
    t.true(r.summary.includes(file), r.summary);
  }
});

test('the kubelet\'s client certificate with a key that does not decode: kubelet-to-apiserver is a config-error, its certificate manager a typed error', async (t) => {
  const pki = await pkiFor();
  const file = pki.files.find((f) => /kubelet-client-\d{4}-.*\.pem$/.test(f.path))!.path;
  await using cluster = await defineCluster({ clock, pki, files: { [file]: offCurve(fileOf(pki, file)) } }).start();
  const result = await cluster.dial('kubelet-to-apiserver');
  t.like(result, { verdict: 'config-error', detectedBy: 'client', reason: 'BAD_FILE' });
  t.regex(result.summary, /kubelet-client-current\.pem/);
  await t.throwsAsync(cluster.advanceClock(400 * 24 * 3600 * 1000), { instanceOf: KubeMtlsSimError, code: 'ERR_CERT_PARSE' });
});
