import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { fixedClock } from '../lib/clock.js';
import { generatePki, type Pki } from '../lib/layout/generate.js';
import { inspectLayout, type InspectReport } from '../lib/layout/inspect.js';
import { expectedFiles } from '../lib/layout/layout-expect.js';
import { writeLayout } from '../lib/layout/layout.js';
import { PRESETS } from '../lib/pki/presets/index.js';
import { tempDir } from './helpers/tools.js';
import { cli } from './helpers/cli.js';

// `pki inspect` must never pass what it cannot read (issue 9, item 4): every file the layout needs
// that is missing or unreadable is a problem, and a leaf is checked only against the CA its table names.

const NOW = '2026-01-01T00:00:00Z';
const AT = '2026-02-01T00:00:00Z';
const CA = '/etc/kubernetes/pki/ca.crt';
const SA_CA_COPY = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

let kubeadm: Promise<Pki> | undefined;
const pki = () => (kubeadm ??= generatePki({ clock: fixedClock(NOW) }));

async function folder(t: ExecutionContext, files?: Pki['files']): Promise<string> {
  const dir = join(tempDir(t), 'node');
  writeLayout(files ?? (await pki()).files, dir);
  return dir;
}

const inspect = (dir: string) => inspectLayout(dir, fixedClock(AT));
const problemAt = (report: InspectReport, path: string) => report.problems.find((p) => p.path === path);

test('a generated folder inspects clean: no problem, ok, exit 0', async (t) => {
  const dir = await folder(t);
  const report = inspect(dir);
  t.deepEqual(report.problems, []);
  t.true(report.ok);
  t.true(report.rows.length > 10);
  const run = await cli(['pki', 'inspect', dir, '--now', AT]);
  t.is(run.status, 0, run.stdout);
  t.regex(run.stdout, /\[check-expiration\] ok: /);
});

// Each of these was exit 0 with the ca.crt row silently gone, the leaves "checked against" the ServiceAccount CA copy.
const unreadableCa: [string, (file: string) => void, string][] = [
  ['empty', (file) => writeFileSync(file, ''), 'ERR_PEM_EMPTY'],
  ['garbage', (file) => writeFileSync(file, 'this is not a certificate\n'), 'ERR_PEM_NO_DATA'],
  ['DER', (file) => writeFileSync(file, new X509Certificate(readFileSync(file)).raw), 'ERR_PEM_DER_INPUT'],
  ['a folder', (file) => { rmSync(file); mkdirSync(file); }, 'ERR_FILE_UNREADABLE'],
];
for (const [what, damage, code] of unreadableCa) {
  test(`ca.crt ${what}: a ${code} problem, its leaves "cannot check", never checked against another CA; exit 1`, async (t) => {
    const dir = await folder(t);
    damage(join(dir, CA));
    const report = inspect(dir);
    t.is(report.preset, 'kubeadm');
    t.false(report.ok);
    const problem = problemAt(report, CA);
    t.is(problem?.code, code);
    t.true(problem?.message.includes(join(dir, CA)));
    const apiserver = report.rows.find((r) => r.name === 'apiserver')!;
    t.like(apiserver.checks.chain, { ok: false, reason: 'CA_UNREADABLE', detail: `cannot check: its CA file ${CA} is unreadable` });
    t.is(apiserver.verifiedAgainst, undefined);
    t.false(report.rows.some((r) => r.verifiedAgainst?.path === SA_CA_COPY));
    t.true(report.rows.find((r) => r.name === 'etcd-server')!.checks.chain.ok); // other CAs still checked
    const run = await cli(['pki', 'inspect', dir, '--now', AT, '--json']);
    t.is(run.status, 1);
    const json = JSON.parse(run.stdout);
    t.false(json.ok);
    t.is(json.problems.find((p: { path: string }) => p.path === CA).code, code);
  });
}

test('a broken admin.conf (no longer recognisable as a kubeconfig) is an ERR_KUBECONFIG_YAML problem', async (t) => {
  const dir = await folder(t);
  writeFileSync(join(dir, 'etc/kubernetes/admin.conf'), 'apiVersion: v1\nclusters: [unclosed\n');
  const report = inspect(dir);
  t.is(problemAt(report, '/etc/kubernetes/admin.conf')?.code, 'ERR_KUBECONFIG_YAML');
  t.false(report.rows.some((r) => r.path === '/etc/kubernetes/admin.conf'));
  t.false(report.ok);
  t.is((await cli(['pki', 'inspect', dir, '--now', AT])).status, 1);
});

test('an empty folder is an unknown layout: ERR_LAYOUT_UNKNOWN, exit 1 with the message', async (t) => {
  const dir = tempDir(t);
  const report = inspect(dir);
  t.is(report.preset, null);
  t.false(report.ok);
  t.like(report.problems, [{ path: '/', code: 'ERR_LAYOUT_UNKNOWN' }]);
  t.regex(report.problems[0]!.message, /is empty: no kubeadm or reference layout/);
  const run = await cli(['pki', 'inspect', dir, '--now', AT]);
  t.is(run.status, 1);
  t.regex(run.stdout, /FAIL \/: \[ERR_LAYOUT_UNKNOWN\]/);
});

test('a folder of unrelated files is an unknown layout too', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'notes.txt'), 'hello\n');
  const report = inspect(dir);
  t.is(problemAt(report, '/')?.code, 'ERR_LAYOUT_UNKNOWN');
  t.regex(problemAt(report, '/')!.message, /holds 1 file\(s\)/);
});

test('each missing file of the layout is a problem naming it and the layout, even ca.crt itself', async (t) => {
  const dir = await folder(t);
  rmSync(join(dir, 'etc/kubernetes/pki/apiserver.key'));
  rmSync(join(dir, CA));
  rmSync(join(dir, 'var/lib/kubelet/config.yaml'));
  const report = inspect(dir);
  t.is(report.preset, 'kubeadm'); // still compared with the kubeadm table, not "unknown layout"
  t.false(report.ok);
  for (const path of ['/etc/kubernetes/pki/apiserver.key', CA, '/var/lib/kubelet/config.yaml']) {
    const problem = problemAt(report, path);
    t.is(problem?.code, 'ERR_FILE_NOT_FOUND', path);
    t.true(problem?.message.startsWith(`missing: ${path}, expected by the kubeadm layout`), problem?.message);
  }
  t.is(report.rows.find((r) => r.name === 'apiserver')!.checks.key.reason, 'NO_KEY');
  const run = await cli(['pki', 'inspect', dir, '--now', AT]);
  t.is(run.status, 1);
  t.regex(run.stdout, /missing: \/etc\/kubernetes\/pki\/ca.crt, expected by the kubeadm layout/);
});

test('an empty ServiceAccount token and a dangling -current link are problems', async (t) => {
  const dir = await folder(t);
  writeFileSync(join(dir, 'var/run/secrets/kubernetes.io/serviceaccount/token'), '');
  const link = '/var/lib/kubelet/pki/kubelet-client-current.pem';
  const target = (await pki()).files.find((f) => f.kind === 'symlink' && f.path === link)!;
  rmSync(join(dir, 'var/lib/kubelet/pki', (target as { target: string }).target));
  const report = inspect(dir);
  t.is(problemAt(report, '/var/run/secrets/kubernetes.io/serviceaccount/token')?.code, 'ERR_TOKEN_FILE');
  t.truthy(problemAt(report, link));
  t.false(report.ok);
});

test('expectedFiles lists every fixed path layoutFiles writes, for both presets', async (t) => {
  for (const name of ['kubeadm', 'reference'] as const) {
    const generated = await generatePki({ clock: fixedClock(NOW), preset: name });
    const written = generated.files.filter((f) => !/\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d/.test(f.path)).map((f) => f.path).sort();
    t.deepEqual(expectedFiles(PRESETS[name]).map((f) => f.path).sort(), written, name);
  }
});

// A CA rotation: ca.crt holds the old and the new CA (both CN=kubernetes); before, only the first was
// used, so every leaf of the new CA was a false BAD_SIGNATURE.
test('rotation bundle: every certificate of ca.crt is an anchor; each leaf says which one verified it', async (t) => {
  const old = await generatePki({ clock: fixedClock(NOW), keyNamespace: 'old-ca' });
  const renewed = await generatePki({ clock: fixedClock(NOW), keyNamespace: 'new-ca' });
  const oldCa = old.certs.get('ca')!;
  const newCa = renewed.certs.get('ca')!;
  t.not(oldCa.cert.node.serialNumber, newCa.cert.node.serialNumber);
  const dir = await folder(t, renewed.files);
  writeFileSync(join(dir, CA), oldCa.cert.pem + newCa.cert.pem);
  writeFileSync(join(dir, 'etc/kubernetes/pki/ca.key'), oldCa.key.pem); // the signer still pairs with the first
  // One leaf not yet renewed: still the old CA's.
  const oldApiserver = old.certs.get('apiserver')!;
  writeFileSync(join(dir, 'etc/kubernetes/pki/apiserver.crt'), oldApiserver.cert.pem);
  writeFileSync(join(dir, 'etc/kubernetes/pki/apiserver.key'), oldApiserver.key.pem);

  const report = inspect(dir);
  t.deepEqual(report.problems, []);
  t.false(report.rows.some((r) => r.checks.chain.reason === 'BAD_SIGNATURE'));
  t.true(report.ok, JSON.stringify(report.rows.filter((r) => !r.checks.chain.ok || !r.checks.key.ok).map((r) => [r.name, r.checks])));
  const apiserver = report.rows.find((r) => r.name === 'apiserver')!;
  t.like(apiserver.verifiedAgainst, { name: 'ca', path: CA, certificate: 1, of: 2, serial: oldCa.cert.node.serialNumber });
  const admin = report.rows.find((r) => r.name === 'admin.conf')!;
  t.like(admin.verifiedAgainst, { name: 'ca', path: CA, certificate: 2, of: 2, serial: newCa.cert.node.serialNumber });
  const run = await cli(['pki', 'inspect', dir, '--now', AT]);
  t.is(run.status, 0, run.stdout);
  t.regex(run.stdout, /checked against \/etc\/kubernetes\/pki\/ca.crt \(certificate 2 of 2, serial /);

  // The new CA's key beside an old-first bundle: Go's tls.X509KeyPair pairs it with the first certificate.
  writeFileSync(join(dir, 'etc/kubernetes/pki/ca.key'), newCa.key.pem);
  const ca = inspect(dir).rows.find((r) => r.name === 'ca')!;
  t.like(ca.checks.key, { ok: false, reason: 'KEY_MISMATCH' });
  t.regex(ca.checks.key.detail, /matches certificate 2 of 2/);
});

test('exit codes: 0 all fine, 1 a problem found, 2 usage', async (t) => {
  const dir = await folder(t);
  t.is((await cli(['pki', 'inspect', dir, '--now', AT])).status, 0);
  writeFileSync(join(dir, CA), '');
  t.is((await cli(['pki', 'inspect', dir, '--now', AT])).status, 1);
  t.is((await cli(['pki', 'inspect'])).status, 2);
});

test('a version 1 root (no extensions, as `openssl x509 -req` makes one) is a CA file, and the leaves it signed verify against it', async (t) => {
  // OpenSSL (X509_check_ca) and Go both let a self-signed v1 certificate act as a trust anchor;
  // node:crypto's `ca` is true only for a v3 CA, so the layout check must not take it from there.
  const { forge } = await import('./helpers/forge.js');
  const { createPrivateKey, createPublicKey } = await import('node:crypto');
  const dir = await folder(t);
  const caCert = (await pki()).certs.get('ca')!.cert;
  const privateKey = createPrivateKey(readFileSync(join(dir, 'etc/kubernetes/pki/ca.key')));
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const type = privateKey.asymmetricKeyType === 'rsa' ? 'rsa2048' : 'p256';
  const v1 = forge({ subject: caCert.subjectNameDer, key: { type, privateKey, spki }, notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z'), v1: true });
  t.false(v1.cert.node.ca);
  writeFileSync(join(dir, 'etc/kubernetes/pki/ca.crt'), v1.cert.pem);
  const report = inspect(dir);
  t.deepEqual(report.problems, []);
  const apiserver = report.rows.find((r) => r.path === '/etc/kubernetes/pki/apiserver.crt');
  t.like(apiserver, { verifiedAgainst: { path: CA } });
  t.true(report.ok);
});
