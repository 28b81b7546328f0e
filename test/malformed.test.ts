/**
 * Malformed input never crashes, hangs or fails silently: every bad file, field or option is a
 * `KubeMtlsSimError` with a stable `code`, a message that names the file or field at fault and,
 * where a Go component fails the same way, Go's wording in `goMessage`.
 *
 * Tests whose comment starts "Was a bug" pin library bugs this suite found (since fixed), so they
 * cannot come back.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { stringify } from 'yaml';
import { KubeMtlsSimError, type ErrorCode } from '../lib/errors.js';
import { readFileTyped } from '../lib/fs/read.js';
import { fixedClock, generatePki, getPreset, parseKubeconfig, readKubeconfigFile, type Pki, type PkiCert } from '../lib/index.js';
import { parseKubeletConfiguration } from '../lib/kubeletconfig/config.js';
import { resolveClusterConfig } from '../lib/pki/cluster-config.js';
import type { FaultMap } from '../lib/pki/faults.js';
import { inspectLayout } from '../lib/layout/inspect.js';
import { parseKeyAlgorithm } from '../lib/pki/keys.js';
import { readLayout, writeLayout } from '../lib/layout/layout.js';
import { checkKeyPair, parsePem, readCertificates, readPrivateKey } from '../lib/pki/pem.js';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const NOW = '2026-01-01T00:00:00Z';
const clock = () => fixedClock(NOW);

/** One real kubeadm PKI for the whole file (keys are pooled, so faulted variants are cheap too). */
let basePki: Promise<Pki> | undefined;
const pki = () => (basePki ??= generatePki({ clock: clock() }));
const faultedPki = (faults: FaultMap) => generatePki({ clock: clock(), faults });

function certOf(p: Pki, id: string): PkiCert {
  const cert = p.certs.get(id);
  if (!cert) throw new Error(`fixture: no certificate "${id}"`);
  return cert;
}

function fileOf(p: Pki, path: string): string {
  const file = p.files.find((f) => f.path === path);
  if (!file || file.kind === 'symlink') throw new Error(`fixture: no regular file ${path}`);
  return file.contents;
}

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

/** A fresh temp folder, removed when the test ends. */
function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'kms-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `contents` to `<dir>/<name>` and returns the path. */
function put(dir: string, name: string, contents: string | Buffer): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, contents);
  return file;
}

/** How a component reads a cert or key file named by a flag: the bytes, then the strict PEM reader. */
const readCertFile = (file: string) => readCertificates(readFileTyped(file), { file });
const readKeyFile = (file: string) => readPrivateKey(readFileTyped(file), { file });

/** A one-context kubeconfig around `user` (and optionally another cluster / current-context). */
function kubeconfigText(user: unknown, options: { cluster?: unknown; currentContext?: string; caPem?: string } = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{
      name: 'kubernetes',
      cluster: options.cluster !== undefined ? options.cluster
        : { server: 'https://10.0.0.10:6443', ...(options.caPem ? { 'certificate-authority-data': b64(options.caPem) } : {}) },
    }],
    contexts: [{ name: 'admin@kubernetes', context: { cluster: 'kubernetes', user: 'admin' } }],
    'current-context': options.currentContext ?? 'admin@kubernetes',
    users: [{ name: 'admin', user }],
  });
}

/** The checks every typed error gets: code, what the message names, Go's wording. */
function expectTyped(
  t: ExecutionContext,
  error: KubeMtlsSimError,
  code: ErrorCode,
  names: readonly string[],
  goMessage?: string | RegExp,
): void {
  t.is(error.name, 'KubeMtlsSimError');
  t.is(error.code, code);
  for (const name of names) t.true(error.message.includes(name), `message ${JSON.stringify(error.message)} should name ${JSON.stringify(name)}`);
  if (typeof goMessage === 'string') t.is(error.goMessage, goMessage);
  else if (goMessage) t.regex(error.goMessage ?? '', goMessage);
}

/** Rejects when `promise` is still pending after `ms`: turns a deadlock into a fast test failure. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms: deadlock`)), ms);
  });
  return Promise.race([promise, watchdog]).finally(() => clearTimeout(timer));
}

/** Every entry under `root` with its mode, mtime and bytes (or link target). */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const stat = lstatSync(full);
      if (entry.isDirectory()) walk(full);
      else if (entry.isSymbolicLink()) out[full] = `-> ${readlinkSync(full)}`;
      else out[full] = `${(stat.mode & 0o777).toString(8)} ${stat.mtimeMs} ${readFileSync(full).toString('base64')}`;
    }
  };
  walk(root);
  return out;
}

const GO_CERT_NO_PEM = 'tls: failed to find any PEM data in certificate input';
const GO_KEY_NO_PEM = 'tls: failed to find any PEM data in key input';

// ---------------------------------------------------------------------------------------------
// PEM and DER (lib/pki/pem.ts)
// ---------------------------------------------------------------------------------------------

test('garbage text where a certificate is expected is ERR_PEM_NO_DATA naming the file', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'apiserver.crt', 'this is not a certificate\njust some notes\n');
  const error = t.throws(() => readCertFile(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_NO_DATA', [file], GO_CERT_NO_PEM);
  t.is(error.file, file);
});

test('DER bytes where PEM is expected are ERR_PEM_DER_INPUT, for a certificate and for a key', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const dir = tempDir(t);
  const certFile = put(dir, 'apiserver.der', apiserver.cert.der);
  const keyFile = put(dir, 'apiserver.key.der', apiserver.key.keyObject.export({ type: 'sec1', format: 'der' }));

  const certError = t.throws(() => readCertFile(certFile), { instanceOf: KubeMtlsSimError });
  expectTyped(t, certError, 'ERR_PEM_DER_INPUT', [certFile, 'DER'], GO_CERT_NO_PEM);
  const keyError = t.throws(() => readKeyFile(keyFile), { instanceOf: KubeMtlsSimError });
  expectTyped(t, keyError, 'ERR_PEM_DER_INPUT', [keyFile, 'DER'], GO_KEY_NO_PEM);
});

test('a PEM block cut short (BEGIN without END) is ERR_PEM_TRUNCATED', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const dir = tempDir(t);
  const pem = apiserver.cert.pem;
  const file = put(dir, 'apiserver.crt', pem.slice(0, Math.floor(pem.length / 2)));
  const error = t.throws(() => readCertFile(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_TRUNCATED', [file, 'never ends'], GO_CERT_NO_PEM);

  // A complete certificate followed by a key block that was cut off is truncated too, not silently one block.
  const bundle = put(dir, 'kubelet-client-current.pem', pem + apiserver.key.pem.slice(0, 60));
  const bundleError = t.throws(() => readKeyFile(bundle), { instanceOf: KubeMtlsSimError });
  expectTyped(t, bundleError, 'ERR_PEM_TRUNCATED', [bundle], GO_KEY_NO_PEM);
});

test('a BEGIN label closed by another END label is ERR_PEM_TRUNCATED naming both labels', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const text = apiserver.cert.pem.replace('-----END CERTIFICATE-----', '-----END EC PRIVATE KEY-----');
  const error = t.throws(() => readCertificates(text, { file: '/etc/kubernetes/pki/apiserver.crt' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_TRUNCATED', ['/etc/kubernetes/pki/apiserver.crt', 'BEGIN CERTIFICATE', 'END EC PRIVATE KEY']);
});

test('an empty file is ERR_PEM_EMPTY, with the certificate or key wording of Go', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'empty.crt', '');
  const certError = t.throws(() => readCertFile(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, certError, 'ERR_PEM_EMPTY', [file, 'is empty'], GO_CERT_NO_PEM);
  const keyError = t.throws(() => readKeyFile(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, keyError, 'ERR_PEM_EMPTY', [file, 'is empty'], GO_KEY_NO_PEM);
});

test('a whitespace-only file is ERR_PEM_EMPTY', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'blank.key', ' \n\t\r\n   \n');
  const error = t.throws(() => readKeyFile(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_EMPTY', [file], GO_KEY_NO_PEM);
});

test('a PEM body that is not base64 is ERR_PEM_BAD_BASE64 naming the block', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const lines = apiserver.cert.pem.split('\n');
  lines[2] = `${lines[2]!.slice(0, 10)}*not~base64*${lines[2]!.slice(22)}`;
  const corrupted = lines.join('\n');
  const error = t.throws(() => readCertificates(corrupted, { file: 'apiserver.crt' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_BAD_BASE64', ['apiserver.crt', '"CERTIFICATE"', 'base64'], GO_CERT_NO_PEM);

  // Padding in the middle and an empty body are not base64 either (Buffer.from would accept both silently).
  for (const body of ['QUJD==QUJD', '']) {
    const text = `-----BEGIN EC PRIVATE KEY-----\n${body}\n-----END EC PRIVATE KEY-----\n`;
    const keyError = t.throws(() => readPrivateKey(text, { file: 'apiserver.key' }), { instanceOf: KubeMtlsSimError });
    expectTyped(t, keyError, 'ERR_PEM_BAD_BASE64', ['apiserver.key', '"EC PRIVATE KEY"'], GO_KEY_NO_PEM);
  }
});

test('a CERTIFICATE block whose bytes are not X.509 is ERR_CERT_PARSE', (t) => {
  const text = `-----BEGIN CERTIFICATE-----\n${b64('definitely not ASN.1 DER')}\n-----END CERTIFICATE-----\n`;
  const error = t.throws(() => readCertificates(text, { file: 'ca.crt' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_CERT_PARSE', ['ca.crt', 'certificate #1'], 'x509: malformed certificate');
});

test('a key file where a certificate is expected is ERR_PEM_SWITCHED ("PEM inputs may have been switched")', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const dir = tempDir(t);
  const file = put(dir, 'apiserver.crt', apiserver.key.pem);
  const error = t.throws(() => readCertFile(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_SWITCHED', [file, 'swapped'], /PEM inputs may have been switched/);
  t.is(error.goMessage, 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
});

test('a certificate where a key is expected is ERR_PEM_SWITCHED with Go\'s key-side wording', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const dir = tempDir(t);
  const file = put(dir, 'apiserver.key', apiserver.cert.pem);
  const error = t.throws(() => readKeyFile(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_SWITCHED', [file, 'swapped'], 'tls: found a certificate rather than a key in the PEM for the private key');
});

test('a public key where a certificate or a private key is expected is ERR_PEM_WRONG_TYPE listing the block types', async (t) => {
  const p = await pki();
  const saPub = fileOf(p, '/etc/kubernetes/pki/sa.pub');
  const certError = t.throws(() => readCertificates(saPub, { file: 'sa.pub' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, certError, 'ERR_PEM_WRONG_TYPE', ['sa.pub', '"PUBLIC KEY"'],
    'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PUBLIC KEY]');
  const keyError = t.throws(() => readPrivateKey(saPub, { file: 'sa.pub' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, keyError, 'ERR_PEM_WRONG_TYPE', ['sa.pub', '"PUBLIC KEY"'],
    'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [PUBLIC KEY]');
});

test('an encrypted PKCS#8 key is ERR_KEY_PARSE (Kubernetes components cannot use it)', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const encrypted = apiserver.key.keyObject.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
  const error = t.throws(() => readPrivateKey(encrypted, { file: 'apiserver.key' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KEY_PARSE', ['apiserver.key', 'ENCRYPTED PRIVATE KEY'], 'tls: failed to parse private key');
});

test('a key that does not belong to the certificate is ERR_KEY_MISMATCH naming both files', async (t) => {
  const p = await pki();
  const apiserver = certOf(p, 'apiserver');
  const ca = certOf(p, 'ca');
  const certSource = { file: '/etc/kubernetes/pki/apiserver.crt' };
  const keySource = { file: '/etc/kubernetes/pki/ca.key' };
  const cert = readCertificates(apiserver.cert.pem, certSource)[0]!;
  const key = readPrivateKey(ca.key.pem, keySource).keyObject;
  const error = t.throws(() => checkKeyPair(cert, key, certSource, keySource), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KEY_MISMATCH', [keySource.file, certSource.file, 'kube-apiserver'], 'tls: private key does not match public key');
});

test('a key of another algorithm than the certificate is ERR_KEY_MISMATCH with Go\'s type wording', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const key = readPrivateKey(ed25519, { file: 'other.key' }).keyObject;
  const error = t.throws(() => checkKeyPair(apiserver.cert, key, { file: 'apiserver.crt' }, { file: 'other.key' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KEY_MISMATCH', ['other.key', 'apiserver.crt', 'ed25519'], 'tls: private key type does not match public key type');
});

test('the mismatched-key fault writes a key that checkKeyPair refuses with ERR_KEY_MISMATCH', async (t) => {
  const faulted = await faultedPki({ 'front-proxy-client': { kind: 'mismatched-key' } });
  const dir = tempDir(t);
  writeLayout(faulted.files, dir);
  const certFile = join(dir, 'etc/kubernetes/pki/front-proxy-client.crt');
  const keyFile = join(dir, 'etc/kubernetes/pki/front-proxy-client.key');
  const cert = readCertFile(certFile)[0]!;
  const key = readKeyFile(keyFile).keyObject;
  const error = t.throws(() => checkKeyPair(cert, key, { file: certFile }, { file: keyFile }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KEY_MISMATCH', [keyFile, certFile], 'tls: private key does not match public key');
});

test('the swapped-files fault makes the cert path hold the key: ERR_PEM_SWITCHED on both files', async (t) => {
  const faulted = await faultedPki({ apiserver: { kind: 'swapped-files' } });
  const dir = tempDir(t);
  writeLayout(faulted.files, dir);
  const certFile = join(dir, 'etc/kubernetes/pki/apiserver.crt');
  const keyFile = join(dir, 'etc/kubernetes/pki/apiserver.key');

  const certError = t.throws(() => readCertFile(certFile), { instanceOf: KubeMtlsSimError });
  expectTyped(t, certError, 'ERR_PEM_SWITCHED', [certFile], /PEM inputs may have been switched/);
  const keyError = t.throws(() => readKeyFile(keyFile), { instanceOf: KubeMtlsSimError });
  expectTyped(t, keyError, 'ERR_PEM_SWITCHED', [keyFile], 'tls: found a certificate rather than a key in the PEM for the private key');
});

test('the swapped-files fault on a kubeconfig cert is ERR_PEM_SWITCHED naming the `*-data` field', async (t) => {
  const faulted = await faultedPki({ admin: { kind: 'swapped-files' } });
  const file = '/etc/kubernetes/admin.conf';
  const error = t.throws(() => parseKubeconfig(fileOf(faulted, file), file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_SWITCHED', [file, 'users[0].user.client-certificate-data'], /PEM inputs may have been switched/);
  t.is(error.field, 'users[0].user.client-certificate-data');
});

// Was a bug (lib/pki/pem.ts, parsePem): the DER sniff is `buffer[0] === 0x30 && !includes('-----BEGIN')`,
// and 0x30 is the ASCII digit "0". Any text file that starts with "0" (a hex dump, a serial number,
// a note) is reported as ERR_PEM_DER_INPUT "is binary DER, not PEM" instead of ERR_PEM_NO_DATA.
// Failing input: readCertificates('0x1234 is not a certificate\n', { file: 'notes.crt' }).
test('plain text starting with the digit 0 is ERR_PEM_NO_DATA, not binary DER', (t) => {
  const error = t.throws(() => readCertificates('0x1234 is not a certificate\n', { file: 'notes.crt' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_NO_DATA', ['notes.crt'], GO_CERT_NO_PEM);
});

// Was a bug (lib/pki/pem.ts, parsePem): RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`, what
// `openssl ec -aes128` and Node's `export({ cipher })` write for a traditional encrypted key) are
// taken as part of the base64 body, so a legacy encrypted key is ERR_PEM_BAD_BASE64 with Go's
// "failed to find any PEM data" wording. Go's pem.Decode reads the headers; tls.X509KeyPair then fails
// with "tls: failed to parse private key", i.e. ERR_KEY_PARSE (as for "ENCRYPTED PRIVATE KEY").
test('a traditional encrypted key (Proc-Type/DEK-Info headers) is ERR_KEY_PARSE', async (t) => {
  const apiserver = certOf(await pki(), 'apiserver');
  const legacy = apiserver.key.keyObject.export({ type: 'sec1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'secret' }) as string;
  t.true(legacy.includes('Proc-Type: 4,ENCRYPTED'));
  const error = t.throws(() => readPrivateKey(legacy, { file: 'apiserver.key' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KEY_PARSE', ['apiserver.key'], 'tls: failed to parse private key');
});

// ---------------------------------------------------------------------------------------------
// Kubeconfig (lib/kubeconfig/parse.ts)
// ---------------------------------------------------------------------------------------------

test('a kubeconfig `client-certificate` path to a missing file is ERR_FILE_NOT_FOUND naming the field and the kubeconfig', async (t) => {
  const admin = certOf(await pki(), 'admin');
  const dir = tempDir(t);
  put(dir, 'admin.key', admin.key.pem);
  const kubeconfig = put(dir, 'admin.conf', kubeconfigText({ 'client-certificate': 'missing.crt', 'client-key': 'admin.key' }));
  const missing = join(dir, 'missing.crt'); // relative paths resolve against the kubeconfig's folder

  const error = t.throws(() => readKubeconfigFile(kubeconfig), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_FILE_NOT_FOUND', [missing, '`users[0].user.client-certificate`', kubeconfig], `open ${missing}: no such file or directory`);
  t.is(error.field, 'users[0].user.client-certificate');
  t.is(error.file, missing);
});

test('a kubeconfig `client-certificate` path to an empty file is ERR_PEM_EMPTY naming file and field', async (t) => {
  const admin = certOf(await pki(), 'admin');
  const dir = tempDir(t);
  const empty = put(dir, 'admin.crt', '');
  put(dir, 'admin.key', admin.key.pem);
  const kubeconfig = put(dir, 'admin.conf', kubeconfigText({ 'client-certificate': 'admin.crt', 'client-key': 'admin.key' }));
  const error = t.throws(() => readKubeconfigFile(kubeconfig), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PEM_EMPTY', [empty, 'users[0].user.client-certificate'], GO_CERT_NO_PEM);
});

test('a missing kubeconfig file is ERR_FILE_NOT_FOUND naming it', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'nope.conf');
  const error = t.throws(() => readKubeconfigFile(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_FILE_NOT_FOUND', [file], `open ${file}: no such file or directory`);
});

test('bad base64 in `client-certificate-data` is ERR_KUBECONFIG_BASE64 with Go\'s byte offset', async (t) => {
  const admin = certOf(await pki(), 'admin');
  const text = kubeconfigText({ 'client-certificate-data': 'QUJD!!!!', 'client-key-data': b64(admin.key.pem) });
  const error = t.throws(() => parseKubeconfig(text, '/etc/kubernetes/admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_BASE64', ['/etc/kubernetes/admin.conf', 'users[0].user.client-certificate-data', 'base64'],
    'illegal base64 data at input byte 4');
  t.is(error.field, 'users[0].user.client-certificate-data');
});

// Was a bug (lib/kubeconfig/parse.ts, material): for base64 made only of valid characters but of a wrong
// length, goMessage reports the offset as the input length. Go's encoding/base64 (used by
// client-go's JSON decoding of `[]byte` fields) reports the start of the incomplete quantum:
// "abc" → Go "illegal base64 data at input byte 0"; the library says "... at input byte 3".
test('base64 of a wrong length reports the offset Go reports (start of the incomplete quantum)', async (t) => {
  const admin = certOf(await pki(), 'admin');
  const text = kubeconfigText({ 'client-certificate-data': 'abc', 'client-key-data': b64(admin.key.pem) });
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_BASE64', ['admin.conf', 'users[0].user.client-certificate-data'], 'illegal base64 data at input byte 0');
});

test('a kubeconfig that is not YAML, or not a mapping, is ERR_KUBECONFIG_YAML naming the file', (t) => {
  const file = '/etc/kubernetes/broken.conf';
  const syntax = t.throws(() => parseKubeconfig('clusters: [unclosed\n  - {', file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, syntax, 'ERR_KUBECONFIG_YAML', [file, 'not valid YAML']);
  t.is(syntax.file, file);

  for (const text of ['just a sentence, not a kubeconfig', '- a\n- list\n', '']) {
    const shape = t.throws(() => parseKubeconfig(text, file), { instanceOf: KubeMtlsSimError }, JSON.stringify(text));
    expectTyped(t, shape, 'ERR_KUBECONFIG_YAML', [file, 'mapping']);
  }
});

test('a current-context naming a missing context is ERR_KUBECONFIG_REF with kubectl\'s wording', (t) => {
  const text = kubeconfigText({}, { currentContext: 'ghost@nowhere' });
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_REF', ['admin.conf', 'current-context', 'ghost@nowhere'],
    'error: context was not found for specified context: ghost@nowhere');
  t.is(error.field, 'current-context');
});

test('a context naming an undefined user is ERR_KUBECONFIG_REF on that context field', (t) => {
  const text = kubeconfigText({}).replace('user: admin\n', 'user: nobody\n');
  t.true(text.includes('user: nobody'));
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_REF', ['admin.conf', 'contexts[0].context.user', '"nobody"']);
});

test('both `client-certificate-data` and `client-certificate` is ERR_KUBECONFIG_CONFLICT with client-go\'s wording', async (t) => {
  const admin = certOf(await pki(), 'admin');
  const text = kubeconfigText({
    'client-certificate-data': b64(admin.cert.pem), 'client-certificate': '/etc/kubernetes/pki/admin.crt', 'client-key-data': b64(admin.key.pem),
  });
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_CONFLICT', ['admin.conf', 'client-certificate-data', 'client-certificate'],
    'client-cert-data and client-cert are both specified for admin. client-cert-data will override.');
});

test('a client certificate without a key is ERR_KUBECONFIG_FIELD naming the missing key field', async (t) => {
  const admin = certOf(await pki(), 'admin');
  const text = kubeconfigText({ 'client-certificate-data': b64(admin.cert.pem) });
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_FIELD', ['admin.conf', 'users[0].user.client-key-data', 'no client key'],
    'client-key-data or client-key must be specified for admin to use the clientCert authentication method.');
});

test('a cluster without a server is ERR_KUBECONFIG_FIELD with kubectl\'s wording', (t) => {
  const text = kubeconfigText({}, { cluster: { 'insecure-skip-tls-verify': true } });
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_FIELD', ['admin.conf', 'clusters[0].cluster.server'], 'error: no server found for cluster');
});

test('a kubeconfig cert with a key of another certificate is ERR_KEY_MISMATCH naming the `*-data` fields', async (t) => {
  const p = await pki();
  const text = kubeconfigText({ 'client-certificate-data': b64(certOf(p, 'admin').cert.pem), 'client-key-data': b64(certOf(p, 'scheduler').key.pem) });
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KEY_MISMATCH', ['admin.conf', 'users[0].user.client-key-data', 'users[0].user.client-certificate-data'],
    'tls: private key does not match public key');
});

// Was a bug (lib/kubeconfig/parse.ts): `const [{ cluster = {} }] = clusterEntry` only defaults
// `undefined`; a `cluster:` key with no value is YAML null and `cluster.server` throws
// "TypeError: Cannot read properties of null (reading 'server')". client-go reads null as an empty
// Cluster and fails with "no server found for cluster", i.e. ERR_KUBECONFIG_FIELD.
// Failing input: a kubeconfig whose clusters entry is `- name: kubernetes\n  cluster:` (null).
test('a null `cluster:` entry is ERR_KUBECONFIG_FIELD (no server), not a TypeError', (t) => {
  const text = kubeconfigText({}, { cluster: null });
  t.regex(text, /cluster: null/);
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_FIELD', ['admin.conf', 'clusters[0].cluster.server'], 'error: no server found for cluster');
});

// Was a bug (lib/kubeconfig/parse.ts): same as above for `users[].user`: `user:` with no value is null and
// `material()` throws "TypeError: Cannot read properties of null (reading 'client-certificate-data')".
// client-go reads it as an empty AuthInfo (no credentials): the file should load, without a client cert.
test('a null `user:` entry loads as a user without credentials', (t) => {
  const text = kubeconfigText(null);
  const result = parseKubeconfig(text, 'admin.conf');
  t.is(result.clientCert, undefined);
  t.is(result.userName, 'admin');
});

// Was a bug (lib/kubeconfig/parse.ts, material): a `*-data` field that is not a string (a YAML number,
// boolean or mapping) is silently ignored: `client-certificate-data: 12345` plus
// `client-key-data: 67890` loads as a user with no client certificate at all. client-go fails to
// decode it (json: cannot unmarshal number into … of type []uint8); ERR_KUBECONFIG_FIELD
// ("has the wrong type") is the documented code.
test('a non-string `client-certificate-data` is ERR_KUBECONFIG_FIELD', (t) => {
  const text = kubeconfigText({ 'client-certificate-data': 12345, 'client-key-data': 67890 });
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBECONFIG_FIELD', ['admin.conf', 'users[0].user.client-certificate-data']);
});

// ---------------------------------------------------------------------------------------------
// Generation options: algorithm, preset, cluster config, faults
// ---------------------------------------------------------------------------------------------

test('an unknown key algorithm is ERR_ALGORITHM_UNKNOWN naming the field and the choices', async (t) => {
  const error = t.throws(() => parseKeyAlgorithm('ed25519', '--algo'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_ALGORITHM_UNKNOWN', ['"ed25519"', '`--algo`', 'ecdsa-p256', 'rsa-2048']);
  t.is(error.field, '--algo');

  const viaGenerate = await t.throwsAsync(() => generatePki({ clock: clock(), algorithm: 'rsa-1024' as never }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, viaGenerate, 'ERR_ALGORITHM_UNKNOWN', ['"rsa-1024"', '`algorithm`']);
});

test('an unknown preset is ERR_PRESET_UNKNOWN naming `preset` and the known ones', async (t) => {
  const error = t.throws(() => getPreset('kops'), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_PRESET_UNKNOWN', ['"kops"', '`preset`', 'kubeadm', 'reference']);
  t.is(error.field, 'preset');

  const viaGenerate = await t.throwsAsync(() => generatePki({ clock: clock(), preset: 'Kubeadm' as never }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, viaGenerate, 'ERR_PRESET_UNKNOWN', ['"Kubeadm"']);
});

test('an invalid node name is ERR_CLUSTER_CONFIG naming `nodeName`', async (t) => {
  for (const nodeName of ['Control_Plane', 'node-', '', 'a'.repeat(254), 'bad name']) {
    const error = t.throws(() => resolveClusterConfig({ nodeName }), { instanceOf: KubeMtlsSimError }, JSON.stringify(nodeName));
    expectTyped(t, error, 'ERR_CLUSTER_CONFIG', ['`nodeName`', `"${nodeName}"`]);
    t.is(error.field, 'nodeName');
  }
  const viaGenerate = await t.throwsAsync(() => generatePki({ clock: clock(), cluster: { nodeName: 'CP_1' } }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, viaGenerate, 'ERR_CLUSTER_CONFIG', ['`nodeName`', '"CP_1"']);
});

test('an invalid advertise address is ERR_CLUSTER_CONFIG naming `advertiseAddress`', (t) => {
  for (const advertiseAddress of ['10.0.0.300', 'control-plane.local', '10.0.0', '::g', '10.0.0.10:6443']) {
    const error = t.throws(() => resolveClusterConfig({ advertiseAddress }), { instanceOf: KubeMtlsSimError }, advertiseAddress);
    expectTyped(t, error, 'ERR_CLUSTER_CONFIG', ['`advertiseAddress`', `"${advertiseAddress}"`, 'not an IP address']);
    t.is(error.field, 'advertiseAddress');
  }
});

test('an invalid service CIDR is ERR_CLUSTER_CONFIG naming `serviceSubnet`', (t) => {
  for (const serviceSubnet of ['10.96.0.0', '10.96.0.0/33', '10.96.0.0/31', '10.96.0.0/x', '300.96.0.0/12', 'fd00::zz/112', 'fd00::/127', '']) {
    const error = t.throws(() => resolveClusterConfig({ serviceSubnet }), { instanceOf: KubeMtlsSimError }, serviceSubnet);
    expectTyped(t, error, 'ERR_CLUSTER_CONFIG', ['`serviceSubnet`', `"${serviceSubnet}"`, 'not a CIDR']);
    t.is(error.field, 'serviceSubnet');
  }
});

test('invalid DNS domain, port, SAN and control-plane endpoint are ERR_CLUSTER_CONFIG naming the field', (t) => {
  const cases: [Parameters<typeof resolveClusterConfig>[0], string][] = [
    [{ dnsDomain: 'Cluster.Local' }, 'dnsDomain'],
    [{ bindPort: 0 }, 'bindPort'],
    [{ bindPort: 65536 }, 'bindPort'],
    [{ apiServerCertSans: ['ok.example', 'not a name'] }, 'apiServerCertSans[1]'],
    [{ etcdPeerCertSans: ['etcd_peer'] }, 'etcdPeerCertSans[0]'],
    [{ controlPlaneEndpoint: 'https://cp.example:6443' }, 'controlPlaneEndpoint'],
  ];
  for (const [partial, field] of cases) {
    const error = t.throws(() => resolveClusterConfig(partial), { instanceOf: KubeMtlsSimError }, field);
    expectTyped(t, error, 'ERR_CLUSTER_CONFIG', [`\`${field}\``]);
    t.is(error.field, field);
  }
});

// Was a bug (lib/pki/cluster-config.ts, resolveClusterConfig): the port of `controlPlaneEndpoint` is
// never range-checked; "cp.example:99999" is accepted (and would end up in every kubeconfig's
// server URL). kubeadm's validation (ValidateHostPort) refuses it: "port must be a valid number
// between 1 and 65535, inclusive". Expected: ERR_CLUSTER_CONFIG on `controlPlaneEndpoint`.
test('a controlPlaneEndpoint port out of range is ERR_CLUSTER_CONFIG', (t) => {
  const error = t.throws(() => resolveClusterConfig({ controlPlaneEndpoint: 'cp.example:99999' }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_CLUSTER_CONFIG', ['`controlPlaneEndpoint`', '99999']);
});

test('a fault naming an unknown certificate is ERR_FAULT_INVALID naming `faults.<id>` and the known ids', async (t) => {
  const error = await t.throwsAsync(() => faultedPki({ 'api-server': { kind: 'expired' } }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_FAULT_INVALID', ['`faults.api-server`', '"api-server"', 'apiserver']);
  t.is(error.field, 'faults.api-server');
});

test('faults that cannot apply are ERR_FAULT_INVALID naming the faulted certificate', async (t) => {
  const cases: [FaultMap, string, string][] = [
    [{ apiserver: { kind: 'signed-by', issuer: 'no-such-ca' } }, 'faults.apiserver', '"no-such-ca"'],
    [{ apiserver: { kind: 'signed-by', issuer: 'apiserver' } }, 'faults.apiserver', 'itself'],
    [{ apiserver: { kind: 'validity', notBefore: 1000, notAfter: 0 } }, 'faults.apiserver', 'notBefore < notAfter'],
    [{ apiserver: { kind: 'melted' } as never }, 'faults.apiserver', 'melted'],
    [{ apiserver: [{ kind: 'expired' }, null as never] }, 'faults.apiserver', 'unknown fault'],
    [{ ca: { kind: 'signed-by-impostor' } }, 'faults.ca', 'CA'],
    [{ ca: { kind: 'via-intermediate', sendIntermediate: true } }, 'faults.ca', 'leaves'],
    [{ 'kubelet-client': { kind: 'swapped-files' } }, 'faults.kubelet-client', 'bundle'],
  ];
  for (const [faults, field, mention] of cases) {
    const error = await t.throwsAsync(() => faultedPki(faults), { instanceOf: KubeMtlsSimError }, JSON.stringify(faults));
    expectTyped(t, error, 'ERR_FAULT_INVALID', [`\`${field}\``, mention]);
    t.is(error.field, field);
  }
});

// Was a bug (lib/pki/faults.ts + generate.ts): `sans` faults are not validated. An IP SAN that is not an
// IP reaches @peculiar/x509 and generatePki rejects with a plain `Error: Invalid IPv4 address part`
// that names neither the fault nor the certificate. Expected: ERR_FAULT_INVALID on `faults.apiserver`.
// Failing input: generatePki({ clock, faults: { apiserver: { kind: 'sans', sans: [{ ip: '999.1.1.1' }] } } }).
test('a `sans` fault with an invalid IP is ERR_FAULT_INVALID', async (t) => {
  const error = await t.throwsAsync(() => faultedPki({ apiserver: { kind: 'sans', sans: [{ ip: '999.1.1.1' }] } }), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_FAULT_INVALID', ['`faults.apiserver`', '999.1.1.1']);
});

// Was a bug (lib/layout/generate.ts, build/ensure): `signed-by` faults are not checked for cycles. With
// { ca: { kind: 'signed-by', issuer: 'apiserver' } } the CA waits for the apiserver cert, which
// waits for its CA: the promise returned by generatePki never settles (no error, no timeout; a CLI
// run just exits with nothing). Expected: ERR_FAULT_INVALID naming the cycle. The watchdog below
// turns the hang into a 400 ms failure.
test('a signed-by cycle between faults is ERR_FAULT_INVALID, not a hang', async (t) => {
  await pki(); // keys pooled first, so a settled-in-time run only signs certificates
  const error = await t.throwsAsync(
    () => settlesWithin(faultedPki({ ca: { kind: 'signed-by', issuer: 'apiserver' } }), 400),
    { instanceOf: KubeMtlsSimError },
  );
  expectTyped(t, error, 'ERR_FAULT_INVALID', ['`faults.ca`', 'apiserver']);
});

// ---------------------------------------------------------------------------------------------
// Layout folders (lib/layout/layout.ts, lib/layout/inspect.ts)
// ---------------------------------------------------------------------------------------------

test('writeLayout over an existing layout is ERR_FILE_EXISTS and modifies nothing', async (t) => {
  const dir = tempDir(t);
  writeLayout((await pki()).files, dir);
  const before = snapshot(dir);

  // A different PKI (an expired apiserver, a mismatched scheduler key): every file would change.
  const other = await faultedPki({ apiserver: { kind: 'expired' }, scheduler: { kind: 'mismatched-key' } });
  const error = t.throws(() => writeLayout(other.files, dir), { instanceOf: KubeMtlsSimError });
  const first = join(dir, other.files[0]!.path);
  expectTyped(t, error, 'ERR_FILE_EXISTS', [first, `${other.files.length} existing file(s)`, 'overwrite']);
  t.is(error.file, first);
  t.is(error.field, 'overwrite');
  t.deepEqual(snapshot(dir), before);
});

test('writeLayout refuses before writing anything when a single target exists', async (t) => {
  const p = await pki();
  const dir = tempDir(t);
  const last = p.files.at(-1)!;
  const existing = put(dir, last.path, 'keep me\n');
  const error = t.throws(() => writeLayout(p.files, dir), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_FILE_EXISTS', [existing, '1 existing file(s)']);
  t.deepEqual(Object.keys(snapshot(dir)), [existing]);
  t.is(readFileSync(existing, 'utf8'), 'keep me\n');
});

test('readLayout on a missing folder is ERR_FILE_NOT_FOUND, on a file ERR_FILE_UNREADABLE', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'no-such-node');
  const notFound = t.throws(() => readLayout(missing), { instanceOf: KubeMtlsSimError });
  expectTyped(t, notFound, 'ERR_FILE_NOT_FOUND', [missing]);
  t.is(notFound.file, missing);

  const file = put(dir, 'ca.crt', 'x');
  const notFolder = t.throws(() => readLayout(file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, notFolder, 'ERR_FILE_UNREADABLE', [file, 'not a folder']);

  const viaInspect = t.throws(() => inspectLayout(missing, clock()), { instanceOf: KubeMtlsSimError });
  expectTyped(t, viaInspect, 'ERR_FILE_NOT_FOUND', [missing]);
});

test('inspectLayout reports one corrupted certificate in `problems` with its code, and inspects the rest', async (t) => {
  const p = await pki();
  const dir = tempDir(t);
  writeLayout(p.files, dir);
  const path = '/etc/kubernetes/pki/apiserver.crt';
  const onDisk = join(dir, path);
  const lines = readFileSync(onDisk, 'utf8').split('\n');
  lines[3] = '%%%% corrupted on disk %%%%';
  writeFileSync(onDisk, lines.join('\n'));

  const report = inspectLayout(dir, clock()); // no throw: the problem is reported, not raised
  t.is(report.preset, 'kubeadm');
  t.deepEqual(report.problems.map((x) => x.path), [path]);
  const problem = report.problems[0]!;
  t.is(problem.code, 'ERR_PEM_BAD_BASE64');
  t.true(problem.message.includes(onDisk));
  t.is(problem.goMessage, GO_CERT_NO_PEM);
  t.false(report.rows.some((r) => r.path === path));
  t.true(report.rows.some((r) => r.name === 'ca' && r.checks.chain.ok));
  t.true(report.rows.some((r) => r.name === 'apiserver-kubelet-client' && r.checks.key.ok));
});

test('inspectLayout reports a truncated key as a problem and on its certificate\'s key check', async (t) => {
  const p = await pki();
  const dir = tempDir(t);
  writeLayout(p.files, dir);
  const keyPath = '/etc/kubernetes/pki/etcd/peer.key';
  const keyFile = join(dir, keyPath);
  writeFileSync(keyFile, readFileSync(keyFile, 'utf8').slice(0, 50));

  const report = inspectLayout(dir, clock());
  const problem = report.problems.find((x) => x.path === keyPath);
  t.is(problem?.code, 'ERR_PEM_TRUNCATED');
  t.true(problem?.message.includes(keyFile));
  const row = report.rows.find((r) => r.name === 'etcd-peer');
  t.is(row?.checks.key.ok, false);
  t.is(row?.checks.key.reason, 'ERR_PEM_TRUNCATED');
  t.is(row?.checks.chain.ok, true);
});

test('inspectLayout reports a kubeconfig naming a missing cert file as ERR_FILE_NOT_FOUND in `problems`', async (t) => {
  const p = await pki();
  const dir = tempDir(t);
  writeLayout(p.files, dir);
  const link = join(dir, '/var/lib/kubelet/pki/kubelet-client-current.pem');
  rmSync(link); // kubelet.conf's client-certificate/client-key point at this link

  const report = inspectLayout(dir, clock());
  const problem = report.problems.find((x) => x.path === '/etc/kubernetes/kubelet.conf');
  t.is(problem?.code, 'ERR_FILE_NOT_FOUND');
  t.true(problem?.message.includes(link));
  t.true(problem?.message.includes('users[0].user.client-certificate'));
});

// Was a bug (lib/layout/inspect.ts via lib/kubeconfig/parse.ts): inspectLayout promises per-file problems,
// but it rethrows anything that is not a KubeMtlsSimError, so the null-`cluster:` TypeError above
// aborts the whole report. Failing input: a layout whose /etc/kubernetes/admin.conf has `cluster:`
// with no value. Expected: a problem { path: '/etc/kubernetes/admin.conf', code: 'ERR_KUBECONFIG_FIELD' }.
test('inspectLayout reports a kubeconfig with a null cluster in `problems`', async (t) => {
  const p = await pki();
  const dir = tempDir(t);
  writeLayout(p.files, dir);
  const admin = join(dir, '/etc/kubernetes/admin.conf');
  writeFileSync(admin, kubeconfigText({}, { cluster: null }));

  const report = inspectLayout(dir, clock());
  const problem = report.problems.find((x) => x.path === '/etc/kubernetes/admin.conf');
  t.is(problem?.code, 'ERR_KUBECONFIG_FIELD');
});

// ---------------------------------------------------------------------------------------------
// KubeletConfiguration (lib/kubeletconfig/config.ts)
// ---------------------------------------------------------------------------------------------

test('a KubeletConfiguration with the wrong kind is ERR_KUBELET_CONFIG naming the file and `kind`', async (t) => {
  const file = '/var/lib/kubelet/config.yaml';
  const text = fileOf(await pki(), file).replace('kind: KubeletConfiguration', 'kind: KubeProxyConfiguration');
  t.true(text.includes('KubeProxyConfiguration'));
  const error = t.throws(() => parseKubeletConfiguration(text, file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, error, 'ERR_KUBELET_CONFIG', [file, '`kind`', '"KubeProxyConfiguration"', '"KubeletConfiguration"']);
  t.is(error.field, 'kind');
  t.is(error.file, file);
});

test('other malformed KubeletConfigurations are ERR_KUBELET_CONFIG naming the field', async (t) => {
  const file = '/var/lib/kubelet/config.yaml';
  const good = fileOf(await pki(), file);
  const cases: [string, string][] = [
    [good.replace('apiVersion: kubelet.config.k8s.io/v1beta1', 'apiVersion: kubelet.config.k8s.io/v1'), 'apiVersion'],
    [`${good}tlsCertFile: 42\n`, 'tlsCertFile'],
    [`${good}tlsPrivateKeyFile: [a, b]\n`, 'tlsPrivateKeyFile'],
    [good.replace(/clientCAFile: .*/, 'clientCAFile: {path: /etc/kubernetes/pki/ca.crt}'), 'authentication.x509.clientCAFile'],
    ['- not\n- a mapping\n', '(root)'],
  ];
  for (const [text, field] of cases) {
    const error = t.throws(() => parseKubeletConfiguration(text, file), { instanceOf: KubeMtlsSimError }, field);
    expectTyped(t, error, 'ERR_KUBELET_CONFIG', [file, `\`${field}\``]);
    t.is(error.field, field);
  }
  const syntax = t.throws(() => parseKubeletConfiguration('kind: KubeletConfiguration\n\tbad: tab', file), { instanceOf: KubeMtlsSimError });
  expectTyped(t, syntax, 'ERR_KUBELET_CONFIG', [file, 'not valid YAML']);
});
