import test from 'ava';
import { main } from '../lib/cli/main.js';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, (t) => out.push(t), (t) => err.push(t));
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

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
