import test from 'ava';
import { main } from '../lib/cli/main.js';
import { cli } from './helpers/cli.js';

const NOW = ['--now', '2026-01-01T00:00:00Z'];

test('scenario kubelet-to-apiserver prints the learner\'s report and exits 0 when it matches', async (t) => {
  const r = await cli(['scenario', 'kubelet-to-apiserver', ...NOW]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^CLIENT {2}kubelet {2}\(configured by \/etc\/kubernetes\/kubelet\.conf\)$/m);
  t.regex(r.stdout, /presents {5}CN=system:node:control-plane, O=system:nodes, issued by CN=kubernetes/);
  t.regex(r.stdout, /verifies {5}kube-apiserver --client-ca-file \(\/etc\/kubernetes\/pki\/ca\.crt\): CN=kubernetes/);
  t.regex(r.stdout, /^VERDICT {2}OK {2}\[OK\]$/m);
  t.regex(r.stdout, /^IDENTITY system:node:control-plane {2}groups system:nodes, system:authenticated {2}\(x509\)$/m);
  t.regex(r.stdout, /EXPECTED ok \[OK\]: matches\./);
});

test('--preset reference runs the document\'s version: the kubelet does not start, with Go\'s words', async (t) => {
  const r = await cli(['scenario', 'apiserver-to-kubelet', '--preset', 'reference', ...NOW]);
  t.is(r.status, 0);
  t.regex(r.stdout, /VERDICT {2}CONFIG-ERROR {2}at config, decided by the server {2}\[PEM_SWITCHED\]/);
  t.regex(r.stdout, /kubelet \(log\): tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched/);
});

test('--json gives every run with its expectation and result; several names run in order', async (t) => {
  const r = await cli(['scenario', 'apiserver-to-etcd', 'reference-apiserver-to-etcd', '--json', ...NOW]);
  t.is(r.status, 0);
  const runs = JSON.parse(r.stdout) as { scenario: string; matches: boolean; result: { verdict: string; reason: string; identity: unknown } }[];
  t.deepEqual(runs.map((x) => [x.scenario, x.matches, x.result.verdict, x.result.reason]), [
    ['apiserver-to-etcd', true, 'ok', 'OK'],
    ['reference-apiserver-to-etcd', true, 'insecure', 'NO_CLIENT_AUTH'],
  ]);
});

test('an unknown scenario suggests the closest names; --list groups by edge', async (t) => {
  const r = await cli(['scenario', 'kubelet-to-apisever', ...NOW]);
  t.is(r.status, 2);
  t.regex(r.stderr, /\[ERR_USAGE\] unknown scenario "kubelet-to-apisever"\. Did you mean: kubelet-to-apiserver,/);
  const list = await cli(['scenario', '--list']);
  t.is(list.status, 0);
  t.regex(list.stdout, /^apiserver-to-etcd:\n {2}apiserver-to-etcd +ok +/m);
  t.regex(list.stdout, /reference-apiserver-to-etcd +insecure/);
});

test('--all --grep runs the matching part of the catalogue, prints the summary table and progress', async (t) => {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(['scenario', '--all', '--grep', '^etcd-', ...NOW], (x) => out.push(x), (x) => err.push(x));
  t.is(status, 0);
  const table = out.join('\n');
  t.regex(table, /^SCENARIO +EXPECTED +GOT +MATCH$/m);
  t.regex(table, /^etcd-peer-flags-only +insecure NO_CLIENT_AUTH +insecure NO_CLIENT_AUTH +yes$/m);
  t.regex(table, /(\d+) of \1 scenarios match their documented outcome\./);
  t.true(err.some((line) => /^\[ ?\d+\/\d+\] ok {7}etcd-/.test(line)), err.join('\n'));
  t.notRegex(table, /kubectl-/);
});

test('--lang zh explains in Chinese, naming the same flags and files', async (t) => {
  const r = await cli(['scenario', 'reference-apiserver-to-etcd', '--lang', 'zh', ...NOW]);
  t.is(r.status, 0);
  t.regex(r.stdout, /^解释$/m);
  t.regex(r.stdout, /攻击者能做什么: 任何能访问 etcd 客户端端口（2379）的人/);
  t.regex(r.stdout, /修复: 将 etcd --trusted-ca-file 设置为/);
  const bad = await cli(['scenario', 'kubectl-to-apiserver', '--lang', 'fr']);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /`--lang`: "fr" is not en or zh/);
});
