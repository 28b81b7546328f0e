import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The bin is one bundle (scripts/bundle.mjs) run with a V8 code cache (scripts/cli-bin.cjs): it
// must say what the CLI from source says, load nothing from outside the bundle but Node's own
// modules, and treat its cache as an optimisation only (a damaged entry, an unsafe folder: same output).
// Built here as npm run build does, into a folder of its own (with a copy of package.json above
// it, as in the installed package), so the test does not depend on, or disturb, dist/.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NOW = '2026-01-01T00:00:00Z';
const work = mkdtempSync(join(tmpdir(), 'kube-mtls-bundle-'));
const dist = join(work, 'dist');
const BIN = join(dist, 'cli.cjs');
test.after.always(() => rmSync(work, { recursive: true, force: true }));

function built(): void {
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', dist, '--declaration', 'false', '--sourceMap', 'false'], { encoding: 'utf8', cwd: ROOT });
  if (tsc.status !== 0) throw new Error(`tsc: ${tsc.stdout}${tsc.stderr}`);
  const bundle = spawnSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), dist], { encoding: 'utf8', cwd: ROOT });
  if (bundle.status !== 0) throw new Error(`bundle-cli: ${bundle.stdout}${bundle.stderr}`);
  copyFileSync(join(ROOT, 'package.json'), join(work, 'package.json'));
}
test.before('build: tsc into a folder of its own, then scripts/bundle.mjs', (t) => {
  t.timeout(SLOW);
  built();
});

function cli(args: string[], options: { bundled: boolean; cache?: string }) {
  const env = { ...process.env, XDG_CACHE_HOME: options.cache ?? join(work, 'cache') };
  const argv = options.bundled ? [BIN, ...args] : ['--import', 'tsx', join(ROOT, 'lib/cli/main.ts'), ...args];
  const result = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: ROOT, env, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Keys are new in every process, and ports ephemeral: what differs between two runs of one command.
const normal = (text: string) => text
  .replace(/([0-9A-F]{2}:){19}[0-9A-F]{2}/g, 'KEY-ID')
  .replace(/\b[0-9A-F]{16}\b/g, 'SERIAL')
  .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

const cacheEntries = (cache: string) => {
  try {
    return readdirSync(join(cache, 'kube-mtls-sim', 'v8-code-cache'));
  } catch {
    return [];
  }
};

// Each test runs a few whole processes, some through tsx: minutes on a loaded machine.
const SLOW = 180_000;

test('the bundled bin runs `scenario` as the CLI from source does, then again from its code cache', (t) => {
  t.timeout(SLOW);
  const args = ['scenario', 'kubelet-to-apiserver', 'reference-apiserver-to-etcd', '--now', NOW];
  const source = cli(args, { bundled: false });
  t.is(source.status, 0, source.stderr);
  const cache = join(work, 'cache-scenario');
  const first = cli(args, { bundled: true, cache });
  t.is(first.status, 0, first.stderr);
  t.is(normal(first.stdout), normal(source.stdout));
  t.is(first.stderr, source.stderr);
  t.deepEqual(cacheEntries(cache).map((name) => name.replace(/^.*-/, '')), ['scenario.bin']);
  // Again, from the cache; every module of the command comes from the bundle: Node's module loader saw only the bin.
  const probe = join(work, 'probe.cjs');
  writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(work, 'loaded.json'))}, JSON.stringify(Object.keys(require.cache))));`);
  const again = spawnSync(process.execPath, ['--require', probe, BIN, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache } });
  t.is(again.status, 0, again.stderr);
  t.is(normal(again.stdout), normal(source.stdout));
  t.deepEqual((JSON.parse(readFileSync(join(work, 'loaded.json'), 'utf8')) as string[]).sort(), [BIN, probe].sort());
});

test('the bundled bin writes the same node as the CLI from source, and reports the same errors', (t) => {
  t.timeout(SLOW);
  const write = (bundled: boolean) => {
    const dir = join(work, bundled ? 'node-bundled' : 'node-source');
    const run = cli(['pki', 'write', dir, '--now', NOW], { bundled });
    const files = (root: string): string[] => readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(root, e.name)) : [relative(dir, join(root, e.name))])).sort();
    return { ...run, stdout: run.stdout.replaceAll(dir, 'DIR'), files: files(dir) };
  };
  const source = write(false);
  const bundled = write(true);
  t.is(source.status, 0, source.stderr);
  t.is(bundled.status, 0, bundled.stderr);
  t.is(bundled.stdout, source.stdout);
  t.deepEqual(bundled.files, source.files);
  const inspect = cli(['pki', 'inspect', join(work, 'node-source'), '--now', NOW], { bundled: true });
  t.is(inspect.status, 0, inspect.stderr);

  const refused = cli(['pki', 'write', join(work, 'node-source'), '--now', NOW], { bundled: true });
  const refusedFromSource = cli(['pki', 'write', join(work, 'node-source'), '--now', NOW], { bundled: false });
  t.not(refused.status, 0);
  t.is(refused.status, refusedFromSource.status);
  t.is(refused.stderr, refusedFromSource.stderr);
  t.is(cli(['--version'], { bundled: true }).stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
});

test('a damaged code cache entry is refused and replaced, not run', (t) => {
  t.timeout(SLOW);
  const cache = join(work, 'cache-damaged');
  const args = ['scenario', 'kubelet-to-apiserver', '--now', NOW];
  t.is(cli(args, { bundled: true, cache }).status, 0);
  const [name] = cacheEntries(cache);
  const file = join(cache, 'kube-mtls-sim', 'v8-code-cache', name!);
  const entry = readFileSync(file);
  // Bytes changed in the middle of V8's data (its header still valid): V8 alone would run it, and crash.
  entry.fill(0x5a, entry.length >> 1, (entry.length >> 1) + 64);
  writeFileSync(file, entry);
  const damaged = cli(args, { bundled: true, cache });
  t.is(damaged.status, 0, damaged.stderr);
  t.regex(damaged.stdout, /EXPECTED ok \[OK\]: matches\./);
  t.notDeepEqual(readFileSync(file), entry, 'the entry was written anew');
  writeFileSync(file, entry.subarray(0, 100));
  t.is(cli(args, { bundled: true, cache }).status, 0, 'a truncated entry too');
});

test('the code cache is used only in a private folder of this user, and can be turned off', (t) => {
  t.timeout(SLOW);
  const shared = join(work, 'cache-shared');
  mkdirSync(join(shared, 'kube-mtls-sim', 'v8-code-cache'), { recursive: true });
  chmodSync(join(shared, 'kube-mtls-sim', 'v8-code-cache'), 0o777);
  const args = ['scenario', 'kubelet-to-apiserver', '--now', NOW];
  const run = cli(args, { bundled: true, cache: shared });
  t.is(run.status, 0, run.stderr);
  t.deepEqual(cacheEntries(shared), [], 'nothing written to a folder others may write to');

  const off = join(work, 'cache-off');
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: off, KUBE_MTLS_SIM_CODE_CACHE: '0' } });
  t.is(result.status, 0, result.stderr);
  t.deepEqual(cacheEntries(off), []);
});

test('importing the bundled package (its "." export) loads no third-party parser and no cluster runtime', (t) => {
  t.timeout(SLOW);
  // The files of dist/bundle a fresh process read for the import (esbuild names each module it holds in a comment).
  const script = `
    import { createRequire } from 'node:module';
    const api = await import(${JSON.stringify(join(dist, 'bundle/index.js'))});
    console.log(JSON.stringify({ exports: Object.keys(api).length, cjs: Object.keys(createRequire(import.meta.url).cache) }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '--experimental-loader', `data:text/javascript,${encodeURIComponent(`export async function load(u, c, n) { if (u.includes('/bundle/')) console.error('LOADED ' + u); return n(u, c); }`)}`, '-e', script], { encoding: 'utf8', cwd: work });
  t.is(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { exports: number; cjs: string[] };
  t.true(result.exports > 20);
  t.deepEqual(result.cjs, [], 'no CommonJS dependency (yaml, @peculiar) loaded');
  const files = [...run.stderr.matchAll(/LOADED file:\/\/(\S+)/g)].map((m) => m[1]!);
  t.true(files.length > 2);
  const held = files.map((file) => readFileSync(file, 'utf8')).join('\n');
  t.regex(held, /lib\/load-on-use\.js/);
  for (const runtime of ['lib/cluster/cluster.js', 'lib/endpoints/apiserver.js', 'lib/clients/dial.js', 'lib/layout/generate.js', 'lib/scenarios/run.js']) t.false(held.includes(runtime), runtime);
});
