import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, ftruncateSync, mkdirSync, openSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { KubeMtlsSimError } from '../lib/errors.js';
import { fsError, MAX_FILE_BYTES, readInRoot } from '../lib/fs/read.js';
import { readKubeconfigFile } from '../lib/kubeconfig/parse.js';
import { readLayout, writeLayout } from '../lib/layout/layout.js';
import { manifestFile, readPkiFolder } from '../lib/layout/manifest.js';
import { CLOCK_TIME, pkiFor } from './helpers/pki.js';
import { tempDir } from './helpers/tools.js';
import { cli } from './helpers/cli.js';

/**
 * issue 9, item 3: reading a node folder resolves links only inside it, refuses FIFOs, devices and
 * giant files without hanging or buffering them, and every filesystem error is typed with its path.
 */
async function node(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const p = await pkiFor({ preset: 'kubeadm' });
  const dir = tempDir(t);
  writeLayout([...p.files, manifestFile(p)], dir);
  return dir;
}

const CA = 'etc/kubernetes/pki/ca.crt';

function mkfifo(path: string): void {
  rmSync(path, { force: true });
  const made = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mkfifo: ${made.stderr}`);
}

test('a FIFO in DIR: pki inspect reports it, serve\'s reader refuses it; neither hangs', async (t) => {
  const dir = await node(t);
  mkfifo(join(dir, CA));
  const inspect = await cli(['pki', 'inspect', dir, '--now', CLOCK_TIME, '--json']);
  const report = JSON.parse(inspect.stdout) as { problems: { path: string; code: string; message: string }[] };
  t.like(report.problems.find((p) => p.path === `/${CA}`), { code: 'ERR_FILE_NOT_REGULAR' });
  t.is(inspect.status, 1);
  const error = t.throws(() => readPkiFolder(dir), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_FILE_NOT_REGULAR');
  t.is(error.file, join(dir, CA));
  t.regex(error.message, /is a FIFO \(named pipe\), not a regular file/);
  // A FIFO named by a kubeconfig outside any folder too.
  const fifo = join(tempDir(t), 'kubeconfig');
  mkfifo(fifo);
  t.is(t.throws(() => readKubeconfigFile(fifo), { instanceOf: KubeMtlsSimError }).code, 'ERR_FILE_NOT_REGULAR');
});

test('a 3 GiB (sparse) file is ERR_FILE_TOO_LARGE naming the file and the 16 MiB cap, read by nothing', async (t) => {
  const dir = await node(t);
  const fd = openSync(join(dir, CA), 'w');
  ftruncateSync(fd, 3 * 1024 ** 3); // sparse: costs no disk
  closeSync(fd);
  t.is(MAX_FILE_BYTES, 16 * 1024 * 1024);
  const error = t.throws(() => readPkiFolder(dir), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_FILE_TOO_LARGE');
  t.is(error.file, join(dir, CA));
  t.regex(error.message, /16 MiB/);
  t.like(readLayout(dir).entries.find((e) => e.path === `/${CA}`)?.problem, { code: 'ERR_FILE_TOO_LARGE' });
  t.is(t.throws(() => readKubeconfigFile(join(dir, CA)), { instanceOf: KubeMtlsSimError }).code, 'ERR_FILE_TOO_LARGE');
});

test('symlinks are resolved inside DIR: an absolute target is taken relative to DIR, one that climbs out is refused', async (t) => {
  const dir = await node(t);
  const current = '/var/lib/kubelet/pki/kubelet-client-current.pem';
  const layout = readLayout(dir);
  const link = layout.entries.find((e) => e.path === current)!;
  t.is(link.kind, 'symlink');
  t.regex(link.raw.toString(), /^-----BEGIN CERTIFICATE-----/, 'a link entry carries its target\'s bytes');
  t.is(link.resolved, '/var/lib/kubelet/pki/kubelet-client-2026-01-01-00-00-00.pem');

  // As on the node: /var/lib/... names DIR/var/lib/..., not this machine's /var/lib.
  unlinkSync(join(dir, current));
  symlinkSync('/var/lib/kubelet/pki/kubelet-client-2026-01-01-00-00-00.pem', join(dir, current));
  t.notThrows(() => readPkiFolder(dir));
  // An absolute link to a host file reads DIR's copy of that path, which does not exist.
  unlinkSync(join(dir, CA));
  symlinkSync('/etc/hostname', join(dir, CA));
  const hostFile = t.throws(() => readInRoot(dir, `/${CA}`), { instanceOf: KubeMtlsSimError });
  t.is(hostFile.code, 'ERR_FILE_NOT_FOUND');
  t.regex(hostFile.message, new RegExp(`${join(dir, 'etc/hostname')}: no such file`));
  // A relative link that climbs out of DIR.
  unlinkSync(join(dir, CA));
  symlinkSync('../../../../../../../../etc/hostname', join(dir, CA));
  const escape = t.throws(() => readPkiFolder(dir), { instanceOf: KubeMtlsSimError });
  t.is(escape.code, 'ERR_FILE_OUTSIDE_ROOT');
  t.is(escape.file, join(dir, CA));
  t.like(readLayout(dir).entries.find((e) => e.path === `/${CA}`)?.problem, { code: 'ERR_FILE_OUTSIDE_ROOT' });
  // A folder on the way that is a link out of DIR.
  rmSync(join(dir, 'etc/kubernetes/pki'), { recursive: true });
  const elsewhere = tempDir(t);
  symlinkSync(elsewhere, join(dir, 'etc/kubernetes/pki'));
  writeFileSync(join(elsewhere, 'ca.crt'), 'outside');
  t.is(t.throws(() => readInRoot(dir, `/${CA}`), { instanceOf: KubeMtlsSimError }).code, 'ERR_FILE_NOT_FOUND', 'absolute: read as DIR/<elsewhere>/ca.crt');
  // A loop is ELOOP, typed, not a stack overflow.
  unlinkSync(join(dir, 'etc/kubernetes/pki'));
  mkdirSync(join(dir, 'etc/kubernetes/pki'));
  symlinkSync('b', join(dir, 'etc/kubernetes/pki/a'));
  symlinkSync('a', join(dir, 'etc/kubernetes/pki/b'));
  const loop = t.throws(() => readInRoot(dir, '/etc/kubernetes/pki/a'), { instanceOf: KubeMtlsSimError });
  t.is(loop.code, 'ERR_FILE_UNREADABLE');
  t.regex(loop.message, /ELOOP/);
});

test('a dangling link is a typed problem for inspect and ERR_FILE_NOT_FOUND for serve\'s reader', async (t) => {
  const dir = await node(t);
  const current = join(dir, 'var/lib/kubelet/pki/kubelet-client-current.pem');
  unlinkSync(join(dirname(current), 'kubelet-client-2026-01-01-00-00-00.pem'));
  t.like(readLayout(dir).entries.find((e) => e.file === current)?.problem, { code: 'ERR_FILE_NOT_FOUND' });
  const error = t.throws(() => readPkiFolder(dir), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_FILE_NOT_FOUND');
  t.is(error.file, current);
});

test('ENOENT, ENOTDIR, EISDIR are typed errors naming the path', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'file');
  writeFileSync(file, 'x');
  const cases = [
    { path: join(dir, 'missing'), code: 'ERR_FILE_NOT_FOUND' as const, text: /no such file/ },
    { path: join(file, 'below'), code: 'ERR_FILE_NOT_FOUND' as const, text: /ENOTDIR/ },
    { path: dir, code: 'ERR_FILE_UNREADABLE' as const, text: /is a folder, not a file/ },
  ];
  for (const c of cases) {
    const error = t.throws(() => readKubeconfigFile(c.path), { instanceOf: KubeMtlsSimError });
    t.is(error.code, c.code, c.path);
    t.is(error.file, c.path);
    t.regex(error.message, c.text);
  }
  // Inside a node folder: a file where a folder is on the way, and a folder where ca.crt is.
  const root = await node(t);
  rmSync(join(root, 'etc/kubernetes/pki'), { recursive: true });
  writeFileSync(join(root, 'etc/kubernetes/pki'), 'a file');
  t.is(t.throws(() => readPkiFolder(root), { instanceOf: KubeMtlsSimError }).code, 'ERR_FILE_NOT_FOUND');
  rmSync(join(root, 'etc/kubernetes/pki'));
  mkdirSync(join(root, CA), { recursive: true });
  const folder = t.throws(() => readInRoot(root, `/${CA}`), { instanceOf: KubeMtlsSimError });
  t.is(folder.code, 'ERR_FILE_UNREADABLE');
  t.is(folder.file, join(root, CA));
});

test('a manifest that is not a manifest is ERR_LAYOUT_UNKNOWN, not a TypeError', async (t) => {
  const dir = await node(t);
  for (const text of ['null', '[]', '"x"', '{"preset":1}', '{']) {
    writeFileSync(join(dir, 'kube-mtls-sim.json'), text);
    t.is(t.throws(() => readPkiFolder(dir), { instanceOf: KubeMtlsSimError }).code, 'ERR_LAYOUT_UNKNOWN', text);
  }
});

// The errno mapping every read goes through, on an EACCES made up here; the real one follows.
test('EACCES is ERR_FILE_UNREADABLE naming the path (simulated errno)', (t) => {
  const error = fsError('/x/ca.key', Object.assign(new Error('denied'), { code: 'EACCES' }), { field: 'users[0].user.client-key', file: '/x/admin.conf' });
  t.is(error.code, 'ERR_FILE_UNREADABLE');
  t.is(error.file, '/x/ca.key');
  t.is(error.field, 'users[0].user.client-key');
  t.regex(error.message, /\/x\/ca\.key: permission denied \(EACCES\) \(named by `users\[0\]\.user\.client-key` in \/x\/admin\.conf\)/);
});

// As root, chmod 000 stops nothing: the read then runs in a child process with CAP_DAC_OVERRIDE and
// CAP_DAC_READ_SEARCH dropped (util-linux's setpriv), where root gets EACCES like anyone else.
const asRoot = process.getuid?.() === 0;
const REPO = fileURLToPath(new URL('..', import.meta.url));

function readPkiFolderWithoutRootPowers(dir: string): { code?: string; file?: string; spawnError?: string } {
  const script = `import { readPkiFolder } from ${JSON.stringify(join(REPO, 'lib/layout/manifest.ts'))};
try { readPkiFolder(${JSON.stringify(dir)}); console.log(JSON.stringify({})); }
catch (e) { console.log(JSON.stringify({ code: e.code, file: e.file })); }`;
  const run = spawnSync('setpriv', ['--bounding-set', '-dac_override,-dac_read_search', '--inh-caps', '-dac_override,-dac_read_search',
    process.execPath, '--import=tsx', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
  if (run.error || run.status !== 0) return { spawnError: `${run.error?.message ?? ''}${run.stderr}` };
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { code?: string; file?: string };
}

test('EACCES for real: an unreadable file is ERR_FILE_UNREADABLE', async (t) => {
  const dir = await node(t);
  chmodSync(join(dir, CA), 0o000);
  if (asRoot) {
    const seen = readPkiFolderWithoutRootPowers(dir);
    t.is(seen.spawnError, undefined, 'setpriv (util-linux) runs the read without root\'s file powers');
    t.like(seen, { code: 'ERR_FILE_UNREADABLE', file: join(dir, CA) });
    return;
  }
  const error = t.throws(() => readPkiFolder(dir), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_FILE_UNREADABLE');
  t.is(error.file, join(dir, CA));
});

test('DIR named through a symlink is read (the folder the user names may itself be a link)', async (t) => {
  const dir = await node(t);
  const alias = join(tempDir(t), 'alias');
  symlinkSync(dir, alias);
  t.is(readLayout(alias).preset, 'kubeadm');
  t.notThrows(() => readPkiFolder(alias));
});
