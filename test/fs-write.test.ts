import { chmodSync, closeSync, existsSync, openSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import test from 'ava';
import { startServe } from '../lib/cli/serve.js';
import { KubeMtlsSimError } from '../lib/errors.js';
import { writeLayout } from '../lib/layout/layout.js';
import { pkiFor, CLOCK_TIME } from './helpers/pki.js';
import { tempDir } from './helpers/tools.js';
import { cli } from './helpers/cli.js';

/**
 * issue 9, item 2: writing never follows a symlink, never leaves a partial layout, and never
 * leaves a folder that others can write at that mode without saying so.
 */
/** Every path under `dir` (files, links and folders), to show nothing was written. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      out.push(full);
      if (lstatSync(full).isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

function put(root: string, path: string, contents = 'x'): string {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true, mode: 0o700 });
  writeFileSync(full, contents);
  return full;
}

test('ca.key linked to a file outside DIR: refused without --force; --force replaces the link, the outside file is untouched', async (t) => {
  const dir = tempDir(t);
  const outside = put(tempDir(t), 'victim', 'do not touch\n');
  const key = join(dir, 'etc/kubernetes/pki/ca.key');
  mkdirSync(dirname(key), { recursive: true, mode: 0o700 });
  symlinkSync(outside, key);
  const refused = await cli(['pki', 'write', dir, '--now', CLOCK_TIME]);
  t.is(refused.status, 1);
  t.regex(refused.stderr, /\[ERR_FILE_NOT_REGULAR\] .*etc\/kubernetes\/pki\/ca\.key: is a symbolic link .*refusing to write through it/);
  t.deepEqual(listing(dir), [join(dir, 'etc'), join(dir, 'etc/kubernetes'), join(dir, 'etc/kubernetes/pki'), key], 'nothing written');
  const forced = await cli(['pki', 'write', dir, '--now', CLOCK_TIME, '--force']);
  t.is(forced.status, 0, forced.stderr);
  t.is(readFileSync(outside, 'utf8'), 'do not touch\n');
  t.true(lstatSync(key).isFile());
  t.is(lstatSync(key).mode & 0o777, 0o600);
  t.regex(readFileSync(key, 'utf8'), /PRIVATE KEY/);
});

test('a dangling link where admin.conf goes: no file is created outside DIR, with or without --force', async (t) => {
  const p = await pkiFor({ preset: 'kubeadm' });
  const dir = tempDir(t);
  const elsewhere = join(tempDir(t), 'stolen-admin.conf');
  const admin = join(dir, 'etc/kubernetes/admin.conf');
  mkdirSync(dirname(admin), { recursive: true, mode: 0o700 });
  symlinkSync(elsewhere, admin);
  const error = t.throws(() => writeLayout(p.files, dir), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_FILE_NOT_REGULAR');
  t.is(error.file, admin);
  t.false(existsSync(elsewhere));
  writeLayout(p.files, dir, { overwrite: true });
  t.false(existsSync(elsewhere));
  t.true(lstatSync(admin).isFile());
});

test('a symlinked DIR/etc is refused, even with --force: nothing is written through it', async (t) => {
  const dir = tempDir(t);
  const elsewhere = tempDir(t);
  symlinkSync(elsewhere, join(dir, 'etc'));
  for (const extra of [[], ['--force']]) {
    const result = await cli(['pki', 'write', dir, '--now', CLOCK_TIME, ...extra]);
    t.is(result.status, 1);
    t.regex(result.stderr, new RegExp(`\\[ERR_FOLDER_UNSAFE\\] ${join(dir, 'etc')}: is a symbolic link`));
    t.deepEqual(readdirSync(elsewhere), [], 'no file written elsewhere');
    t.deepEqual(listing(dir), [join(dir, 'etc')]);
  }
});

test('a pre-existing 0777 folder: refused with its mode, made 0700 with --force; new folders are 0700', async (t) => {
  const dir = tempDir(t);
  const kube = join(dir, 'etc/kubernetes');
  mkdirSync(kube, { recursive: true });
  chmodSync(kube, 0o777);
  const refused = await cli(['pki', 'write', dir, '--now', CLOCK_TIME]);
  t.is(refused.status, 1);
  t.regex(refused.stderr, /\[ERR_FOLDER_UNSAFE\] .*etc\/kubernetes: mode 0777: writable by group or others/);
  t.false(existsSync(join(kube, 'pki')));
  t.is((await cli(['pki', 'write', dir, '--now', CLOCK_TIME, '--force'])).status, 0);
  t.is(lstatSync(kube).mode & 0o777, 0o700);
  t.is(lstatSync(join(kube, 'pki')).mode & 0o777, 0o700);
  // A world-writable DIR itself is refused too (a sticky one, like /tmp, is not).
  const open = join(tempDir(t), 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  t.regex((await cli(['pki', 'write', open, '--now', CLOCK_TIME])).stderr, /\[ERR_FOLDER_UNSAFE\] .*open: mode 0777: anyone can write in it/);
  t.deepEqual(readdirSync(open), []);
});

test('a folder where a file goes is a typed error before anything is written, even with --force', async (t) => {
  const p = await pkiFor({ preset: 'kubeadm' });
  const dir = tempDir(t);
  const last = p.files.filter((f) => f.kind !== 'symlink').at(-1)!;
  mkdirSync(join(dir, last.path), { recursive: true, mode: 0o700 });
  const before = listing(dir);
  for (const overwrite of [false, true]) {
    const error = t.throws(() => writeLayout(p.files, dir, { overwrite }), { instanceOf: KubeMtlsSimError });
    t.is(error.code, 'ERR_FILE_NOT_REGULAR');
    t.is(error.file, join(dir, last.path));
    t.regex(error.message, /is a folder where a file goes; nothing was written/);
    t.deepEqual(listing(dir), before);
  }
});

test('a file where a folder goes is ERR_FOLDER_UNSAFE before anything is written', async (t) => {
  const p = await pkiFor({ preset: 'kubeadm' });
  const dir = tempDir(t);
  put(dir, 'var', 'not a folder');
  const error = t.throws(() => writeLayout(p.files, dir), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_FOLDER_UNSAFE');
  t.is(error.file, join(dir, 'var'));
  t.deepEqual(listing(dir), [join(dir, 'var')]);
});

test('a file is replaced by a rename, never rewritten in place, and no temporary file stays behind', async (t) => {
  const first = await pkiFor({ preset: 'reference' });
  const second = await pkiFor({ preset: 'reference', keyNamespace: 'fs-write-other' });
  const dir = tempDir(t);
  writeLayout(first.files, dir);
  const file = first.files.find((f) => f.kind === 'key')!;
  const before = lstatSync(join(dir, file.path)).ino;
  // A reader holding the old file keeps reading the old bytes: it is never half old, half new.
  const fd = openSync(join(dir, file.path), 'r');
  t.teardown(() => closeSync(fd));
  writeLayout(second.files, dir, { overwrite: true });
  t.not(lstatSync(join(dir, file.path)).ino, before);
  t.is(readFileSync(fd, 'utf8'), file.kind === 'symlink' ? '' : file.contents);
  t.not(readFileSync(join(dir, file.path), 'utf8'), file.kind === 'symlink' ? '' : file.contents);
  t.deepEqual(listing(dir).filter((f) => f.endsWith('.tmp')), []);
  t.is(listing(dir).filter((f) => lstatSync(f).isFile()).length, first.files.filter((f) => f.kind !== 'symlink').length);
});

test('serve DIR: a planted link at its admin kubeconfig is replaced, not written through; a 0777 output folder is refused', async (t) => {
  const dir = tempDir(t);
  t.is((await cli(['pki', 'write', dir, '--now', CLOCK_TIME])).status, 0);
  const victim = put(tempDir(t), 'victim', 'do not touch\n');
  const out = join(dir, 'kube-mtls-sim');
  mkdirSync(out, { mode: 0o700 });
  symlinkSync(victim, join(out, 'admin.kubeconfig'));
  const { cluster, kubeconfigs } = await startServe([dir, '--now', CLOCK_TIME], () => {});
  await cluster.stop();
  t.is(kubeconfigs[0], join(out, 'admin.kubeconfig'));
  t.is(readFileSync(victim, 'utf8'), 'do not touch\n');
  t.true(lstatSync(kubeconfigs[0]!).isFile());
  t.is(lstatSync(kubeconfigs[0]!).mode & 0o777, 0o600);

  chmodSync(out, 0o777);
  const error = await t.throwsAsync(() => startServe([dir, '--now', CLOCK_TIME], () => {}), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_FOLDER_UNSAFE');
  t.is(error.file, out);
  t.is(lstatSync(out).mode & 0o777, 0o777, 'refused, not silently kept or changed');
});

test('serve without DIR writes its kubeconfigs to a fresh private folder outside the checkout', async (t) => {
  const printed: string[] = [];
  const serving = await startServe(['--now', CLOCK_TIME], (text) => printed.push(text));
  t.teardown(() => serving.cluster.stop());
  const folder = dirname(serving.kubeconfigs[0]!);
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  t.false(folder.startsWith(process.cwd()), `${folder} is inside the checkout ${process.cwd()}`);
  t.is(serving.scratch, folder);
  t.is(lstatSync(folder).mode & 0o777, 0o700);
  t.is(lstatSync(serving.kubeconfigs[0]!).mode & 0o777, 0o600);
  t.true(printed.some((line) => line.includes(folder)), 'says where the kubeconfigs are');
});
