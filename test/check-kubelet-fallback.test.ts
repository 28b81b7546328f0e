// `check DIR` and a kubelet whose client certificate is past its time (issue 14): what the kubelet on
// that node does when it next starts (bootstrap.go LoadClientConfig / isClientConfigStillValid). With
// a bootstrap kubeconfig holding a token it falls back to it, and the report dials both outcomes
// (the token's Secret is in etcd, not in the folder); without one it says the node needs a new kubelet.conf.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { SCENARIOS } from '../scenarios/index.js';
import { compare } from '../lib/scenarios/run.js';
import type { EdgeResult } from '../lib/verdict/result.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tools.js';

const NOW = '2026-01-01T00:00:00Z';
const AT = '2026-01-02T00:00:00Z';
const BOOTSTRAP = 'etc/kubernetes/bootstrap-kubelet.conf';
const DROP_IN = 'usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf';
const TOKEN = 'abcdef.0123456789abcdef';

/** What kubeadm join writes for the kubelet (a node that kept it, or got a fresh one). */
const bootstrapKubeconfig = (token: string) => `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /etc/kubernetes/pki/ca.crt
    server: https://10.0.0.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: tls-bootstrap-token-user
  name: tls-bootstrap-token-user@kubernetes
current-context: tls-bootstrap-token-user@kubernetes
users:
- name: tls-bootstrap-token-user
  user:
    token: ${token}
`;

interface Outcome { assumption: string; verdict: string; stage: string | null; detectedBy: string | null; reason: string; identity: string | null; groups: string[]; log: string[] }
interface Fallback { case: string; bootstrapKubeconfig: string | null; token?: { id: string; secret: string }; certificate: { state: string }; outcomes: Outcome[]; text: string[] }
interface Report { ok: boolean; edges: { edge: string; verdict: string; reason: string }[]; kubeletFallback?: Fallback }

async function writeNode(t: ExecutionContext, fault: string | null, bootstrap: string | null): Promise<string> {
  const dir = join(tempDir(t, 'kms-check-fallback-'), 'node');
  const written = await cli(['pki', 'write', dir, '--now', NOW, ...(fault ? ['--fault', `kubelet-client=${fault}`] : [])]);
  if (written.status !== 0) throw new Error(written.stderr);
  if (bootstrap !== null) writeFileSync(join(dir, BOOTSTRAP), bootstrap);
  return dir;
}
async function check(dir: string, lang = 'en', at = AT): Promise<Report> {
  return JSON.parse((await cli(['check', dir, '--json', '--now', at, '--lang', lang])).stdout) as Report;
}
const outcome = (f: Fallback | undefined, assumption: string) => f?.outcomes.find((o) => o.assumption === assumption);
/** An outcome row as the scenario runner compares results (only the fields compare reads). */
const asResult = (o: Outcome) => ({ verdict: o.verdict, stage: o.stage, detectedBy: o.detectedBy, reason: o.reason, identity: o.identity ? { name: o.identity, groups: o.groups } : null }) as unknown as EdgeResult;

test('an expired kubelet client certificate and a bootstrap token: both outcomes of the fallback, dialled, as the two scenarios document them', async (t) => {
  const report = await check(await writeNode(t, 'expired', bootstrapKubeconfig(TOKEN)));
  // The edge as the node is now: the kubelet runs on with its expired certificate.
  t.like(report.edges.find((e) => e.edge === 'kubelet-to-apiserver'), { verdict: 'rejected', reason: 'CERT_EXPIRED' });
  const f = report.kubeletFallback;
  t.like(f, { case: 'falls-back', bootstrapKubeconfig: '/etc/kubernetes/bootstrap-kubelet.conf', token: { id: 'abcdef', secret: 'kube-system/bootstrap-token-abcdef' }, certificate: { state: 'expired' } });
  const valid = outcome(f, 'token-valid')!;
  const gone = outcome(f, 'token-not-valid')!;
  t.like(valid, { verdict: 'ok', identity: 'system:node:control-plane' });
  t.like(gone, { verdict: 'rejected', reason: 'CERT_EXPIRED' });
  t.true(gone.log.some((l) => l.includes('cannot create certificate signing request: Unauthorized')));
  // The same outcomes the catalogue documents for the running cluster.
  for (const [name, o] of [['kubelet-fallback-to-bootstrap-token', valid], ['kubelet-fallback-bootstrap-token-expired', gone]] as const) {
    t.deepEqual(compare(SCENARIOS.find((s) => s.name === name)!, asResult(o)), [], name);
  }
  const text = f!.text.join('\n');
  t.regex(text, /falls back to the bootstrap token in --bootstrap-kubeconfig \/etc\/kubernetes\/bootstrap-kubelet\.conf/);
  t.regex(text, /kube-system\/bootstrap-token-abcdef in etcd, which a folder does not hold: run `kubeadm token list`/);
  t.regex(text, /assuming the token is valid: ok/);
  t.regex(text, /assuming the token has expired or was deleted: rejected \[CERT_EXPIRED\]/);
});

test('the fallback in the text report and in Chinese', async (t) => {
  const dir = await writeNode(t, 'expired', bootstrapKubeconfig(TOKEN));
  const en = await cli(['check', dir, '--now', AT]);
  t.regex(en.stdout, /^kubelet-to-apiserver: when the kubelet next starts/m);
  t.regex(en.stdout, /^ {4}assuming the token is valid: ok \[OK\], the kubelet talks as system:node:control-plane$/m);
  const zh = await cli(['check', dir, '--now', AT, '--lang', 'zh']);
  t.regex(zh.stdout, /^kubelet-to-apiserver：kubelet 下次启动时/m);
  t.regex(zh.stdout, /因此 kubelet 会退回到 --bootstrap-kubeconfig \/etc\/kubernetes\/bootstrap-kubelet\.conf 中的引导令牌/);
  t.regex(zh.stdout, /假设令牌有效: 通过 \[OK\]/);
  t.regex(zh.stdout, /而目录中没有它：请在控制平面节点上运行 `kubeadm token list`/);
  t.true((await check(dir, 'zh')).kubeletFallback!.text.some((l) => l.includes('假设令牌已过期或被删除')));
});

test('no bootstrap kubeconfig on the node (kubeadm deleted it): the kubelet cannot start, the node needs a new kubelet.conf', async (t) => {
  const f = (await check(await writeNode(t, 'expired', null))).kubeletFallback;
  t.like(f, { case: 'no-bootstrap-file', outcomes: [] });
  const text = f!.text.join('\n');
  t.regex(text, /unable to load bootstrap kubeconfig: stat \/etc\/kubernetes\/bootstrap-kubelet\.conf: no such file or directory/);
  t.regex(text, /needs a new kubelet\.conf \(kubeadm's fix\): on a control-plane node, `kubeadm kubeconfig user --org system:nodes --client-name system:node:control-plane > kubelet\.conf`/);
});

test('a kubelet without --bootstrap-kubeconfig does not fall back', async (t) => {
  const dir = await writeNode(t, 'expired', bootstrapKubeconfig(TOKEN));
  const dropIn = join(dir, DROP_IN);
  const text = readFileSync(dropIn, 'utf8');
  writeFileSync(dropIn, text.replace('--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf ', ''));
  t.not(readFileSync(dropIn, 'utf8'), text);
  const f = (await check(dir)).kubeletFallback;
  t.like(f, { case: 'no-bootstrap-flag', bootstrapKubeconfig: null });
  t.regex(f!.text.join('\n'), /has no --bootstrap-kubeconfig, so it does not fall back/);
});

test('a bootstrap kubeconfig without a token: said why it cannot be used', async (t) => {
  const f = (await check(await writeNode(t, 'expired', bootstrapKubeconfig(TOKEN).replace(`token: ${TOKEN}`, 'token: not-a-bootstrap-token')))).kubeletFallback;
  t.like(f, { case: 'no-token' });
  t.regex(f!.text.join('\n'), /is not a bootstrap token/);
});

test('a certificate not yet valid: isClientConfigStillValid checks only NotAfter, so no fallback', async (t) => {
  // NotBefore is a day after NOW: checked at NOW.
  const f = (await check(await writeNode(t, 'not-yet-valid', bootstrapKubeconfig(TOKEN)), 'en', NOW)).kubeletFallback;
  t.like(f, { case: 'not-yet-valid', certificate: { state: 'not-yet-valid' }, outcomes: [] });
  t.regex(f!.text.join('\n'), /checks only NotAfter, so the kubelet does not fall back/);
});

test('a valid kubelet client certificate: nothing to fall back from', async (t) => {
  const report = await check(await writeNode(t, null, bootstrapKubeconfig(TOKEN)));
  t.is(report.kubeletFallback, undefined);
  t.like(report.edges.find((e) => e.edge === 'kubelet-to-apiserver'), { verdict: 'ok' });
});
