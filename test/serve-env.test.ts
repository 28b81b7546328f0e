import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { startServe } from '../lib/cli/serve.js';
import { labSteps } from './helpers/lab-steps.js';
import { CLOCK_TIME } from './helpers/pki.js';
import { tempDir } from './helpers/tools.js';

/**
 * `serve` writes DIR/kube-mtls-sim/env, which a lab's shell sources to learn this run's ports
 * (they change every run): KUBECONFIG, and the URL of each component that is running.
 */
function sourced(file: string, names: string[]): Record<string, string> {
  const run = spawnSync('bash', ['-c', `source "$1" && ${names.map((n) => `printf '%s\\n' "$${n}"`).join(' && ')}`, 'bash', file], { encoding: 'utf8', env: {} });
  if (run.status !== 0) throw new Error(run.stderr);
  const values = run.stdout.split('\n');
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

test('serve DIR writes an env file that gives the shell the kubeconfig and every running component\'s URL', async (t) => {
  const dir = join(tempDir(t), "lab's folder");
  const printed: string[] = [];
  const { cluster, kubeconfigs } = await startServe([dir, '--now', CLOCK_TIME], (line) => printed.push(line));
  t.teardown(() => cluster.stop());
  const env = join(dir, 'kube-mtls-sim/env');
  t.is(lstatSync(env).mode & 0o777, 0o600);
  t.deepEqual(kubeconfigs, [join(dir, 'kube-mtls-sim/admin.kubeconfig'), join(dir, 'kube-mtls-sim/super-admin.kubeconfig')], 'the env file is not a kubeconfig');
  t.true(printed.some((line) => line.startsWith(`env: ${env} `)), printed.join('\n'));
  const values = sourced(env, ['KUBECONFIG', 'KUBE_APISERVER_URL', 'ETCD_URL', 'KUBELET_URL']);
  t.deepEqual(values, {
    KUBECONFIG: kubeconfigs[0]!, // quoted in the file: the folder's name has a space and a quote
    KUBE_APISERVER_URL: `https://127.0.0.1:${cluster.servers['kube-apiserver'].port}`,
    ETCD_URL: `https://127.0.0.1:${cluster.servers.etcd.port}`,
    KUBELET_URL: `https://127.0.0.1:${cluster.servers.kubelet.port}`,
  });
});

test('a component that did not start has no URL in the env file (the reference preset\'s kubelet)', async (t) => {
  const dir = join(tempDir(t), 'lab');
  const { cluster } = await startServe([dir, '--preset', 'reference', '--now', CLOCK_TIME], () => {});
  t.teardown(() => cluster.stop());
  t.false(cluster.servers.kubelet.running);
  const text = readFileSync(join(dir, 'kube-mtls-sim/env'), 'utf8');
  t.regex(text, /^export ETCD_URL=https:\/\/127\.0\.0\.1:\d+$/m);
  t.notRegex(text, /KUBELET_URL/);
});

test('serve without DIR writes the env file beside the kubeconfigs in its private folder', async (t) => {
  const { cluster, scratch } = await startServe(['--now', CLOCK_TIME], () => {});
  t.teardown(async () => {
    await cluster.stop();
    rmSync(scratch!, { recursive: true, force: true });
  });
  t.true(existsSync(join(scratch!, 'env')));
  t.is(sourced(join(scratch!, 'env'), ['KUBECONFIG']).KUBECONFIG, join(scratch!, 'admin.kubeconfig'));
});

test('lab pages: steps, failing steps, serve and expect blocks are read in order; unmarked blocks are prose', (t) => {
  const page = ['```sh', 'cd somewhere', '```', '```sh step', 'echo one', '```', '```text expect', '  one  ', '', '```',
    '```sh serve', 'kube-mtls-sim serve lab', '```', '```sh step fails', 'false', '```'].join('\n');
  t.deepEqual(labSteps(page).map(({ kind, script, expect }) => ({ kind, script, expect })), [
    { kind: 'step', script: 'echo one', expect: ['one'] },
    { kind: 'serve', script: 'kube-mtls-sim serve lab', expect: [] },
    { kind: 'fails', script: 'false', expect: [] },
  ]);
});

test('lab pages: a misspelt marker, an expect without a step and an unclosed block are errors, not silently dropped steps', (t) => {
  t.throws(() => labSteps('```sh steps\necho\n```'), { message: /line 1: unknown lab marker `sh steps`/ });
  t.throws(() => labSteps('```text expect\nx\n```'), { message: /an expect block must follow a step/ });
  t.throws(() => labSteps('```sh step\necho\n```\n```text expect\na\n```\n```text expect\nb\n```'), { message: /once/ });
  t.throws(() => labSteps('```sh step\necho'), { message: /never closes/ });
});
