import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse, stringify } from 'yaml';
import { defineCluster } from '../lib/cluster/cluster.js';
import { clock, pkiFor } from './helpers/pki.js';
import { forge, forgeKey, forgeName, type ForgeSpec } from './helpers/forge.js';
import { kubectlPath, tempDir, testWithTool } from './helpers/tools.js';

// Certificates OpenSSL loads and Go's x509.ParseCertificate refuses (issue 12): a Go component given
// one stops with Go's words; client-go skips such a CA in a kubeconfig unless nothing else is left.
const ADMIN = '/etc/kubernetes/admin.conf';
const PKI = '/etc/kubernetes/pki';
const T = Date.parse(clock.now().toISOString());
const DAY = 86_400_000;

function caPem(pki: Awaited<ReturnType<typeof pkiFor>>): string {
  const file = pki.files.find((f) => f.path === `${PKI}/ca.crt`);
  return file && 'contents' in file ? file.contents : '';
}

function selfSigned(extra: Partial<ForgeSpec> = {}) {
  const key = forgeKey('p256');
  const cert = forge({ subject: forgeName('odd', 'printable'), key, notBefore: new Date(T - DAY), notAfter: new Date(T + 300 * DAY), ca: true, keyUsage: 32 | 1, ...extra });
  return { pem: cert.cert.pem, keyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

test('kube-apiserver serving a certificate with a negative serial does not start: Go\'s parser refuses it, in its words', async (t) => {
  const odd = selfSigned({ negativeSerial: true, dns: ['kubernetes'] });
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), files: { [`${PKI}/apiserver.crt`]: odd.pem, [`${PKI}/apiserver.key`]: odd.keyPem } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.like(r, { verdict: 'config-error', detectedBy: 'server', reason: 'BAD_FILE', cause: { kind: 'config-error', code: 'ERR_CERT_PARSE', goMessage: 'x509: negative serial number', file: `${PKI}/apiserver.crt` } });
});

test('a --client-ca-file bundle with one certificate Go cannot parse stops kube-apiserver (cert.ParseCertsPEM refuses the whole file)', async (t) => {
  const pki = await pkiFor();
  const ca = caPem(pki);
  const odd = selfSigned({ dns: [], ips: [], malformedSan: true });
  await using cluster = await defineCluster({ clock, pki, files: { [`${PKI}/ca.crt`]: ca + odd.pem } }).start();
  const r = await cluster.dial('scheduler-to-apiserver');
  t.like(r, { verdict: 'config-error', reason: 'BAD_FILE', cause: { code: 'ERR_CERT_PARSE', goMessage: 'x509: cannot parse IP address of length 5' } });
});

test('kubectl skips a kubeconfig CA Go cannot parse when another is there, and stops with client-go\'s words when none is left', async (t) => {
  const pki = await pkiFor();
  const ca = caPem(pki);
  const odd = selfSigned({ negativeSerial: true });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  await using both = await defineCluster({ clock, pki, kubeconfigEdits: { [ADMIN]: { 'clusters.0.cluster.certificate-authority-data': b64(odd.pem + ca) } } }).start();
  t.like(await both.dial('kubectl-to-apiserver'), { verdict: 'ok' });
  await using only = await defineCluster({ clock, pki, kubeconfigEdits: { [ADMIN]: { 'clusters.0.cluster.certificate-authority-data': b64(odd.pem) } } }).start();
  const r = await only.dial('kubectl-to-apiserver');
  const goMessage = 'unable to load root certificates: failed to parse certificate: x509: negative serial number';
  t.like(r, { verdict: 'config-error', detectedBy: 'client', reason: 'BAD_FILE', cause: { code: 'ERR_CERT_PARSE', goMessage } });
  t.deepEqual(r.messages.map((m) => m.text), [`error: ${goMessage}`]);
});

const kubectl = kubectlPath();
testWithTool('kubectl', kubectl)('the real kubectl says the same of a kubeconfig CA with a negative serial, and of such a client certificate', async (t) => {
  const odd = selfSigned({ negativeSerial: true });
  await using cluster = await defineCluster({ clock, pki: await pkiFor() }).start();
  const doc = parse(cluster.fs.read(ADMIN, 'test').toString('utf8')) as { clusters: Array<{ cluster: Record<string, unknown> }>; users: Array<{ user: Record<string, unknown> }> };
  const dir = tempDir(t, 'kms-go-parse-');
  const run = (conf: unknown) => new Promise<string>((resolve) => {
    const file = join(dir, 'conf');
    writeFileSync(file, stringify(conf), { mode: 0o600 });
    const child = execFile(kubectl ?? 'kubectl', ['--kubeconfig', file, '--cache-dir', join(dir, 'cache'), 'get', '--raw', '/version'], { timeout: 30_000 }, (_e, _o, stderr) => resolve(stderr.trim()));
    child.stdin?.end();
  });
  const caDoc = structuredClone(doc);
  caDoc.clusters[0]!.cluster['certificate-authority-data'] = Buffer.from(odd.pem).toString('base64');
  t.is(await run(caDoc), 'error: unable to load root certificates: failed to parse certificate: x509: negative serial number');
  const userDoc = structuredClone(doc);
  userDoc.users[0]!.user['client-certificate-data'] = Buffer.from(odd.pem).toString('base64');
  userDoc.users[0]!.user['client-key-data'] = Buffer.from(odd.keyPem).toString('base64');
  t.is(await run(userDoc), 'error: x509: negative serial number');
  // The simulator, on the same client certificate.
  await using sim = await defineCluster({ clock, pki: await pkiFor(), kubeconfigEdits: { [ADMIN]: { 'users.0.user.client-certificate-data': Buffer.from(odd.pem).toString('base64'), 'users.0.user.client-key-data': Buffer.from(odd.keyPem).toString('base64') } } }).start();
  t.deepEqual((await sim.dial('kubectl-to-apiserver')).messages.map((m) => m.text), ['error: x509: negative serial number']);
});
