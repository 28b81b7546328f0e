// `kube-mtls-sim check DIR` (issue 11): a node folder read back, every edge dialled, kubeadm's static
// checks beside them; each mistake named by its file or flag; exit statuses as docs/check.md says.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import test, { type ExecutionContext } from 'ava';
import { parse as parseYaml } from 'yaml';
import { cli } from './helpers/cli.js';
import { startServe } from '../lib/cli/serve.js';
import { tempDir } from './helpers/tools.js';

const NOW = '2026-01-01T00:00:00Z';
const AT = '2026-01-02T00:00:00Z';

/** One folder per preset, written once; a test that changes files works on its own copy. */
const written = new Map<string, Promise<string>>();
let base: string | undefined;
function node(t: ExecutionContext, preset: 'kubeadm' | 'reference'): Promise<string> {
  if (!written.has(preset)) {
    base ??= tempDir(t, 'kms-check-');
    const dir = join(base, preset);
    written.set(preset, cli(['pki', 'write', dir, '--now', NOW, '--preset', preset]).then((r) => {
      if (r.status !== 0) throw new Error(r.stderr);
      return dir;
    }));
  }
  return written.get(preset)!;
}
async function copyOf(t: ExecutionContext, preset: 'kubeadm' | 'reference'): Promise<string> {
  const dir = join(tempDir(t), 'node');
  cpSync(await node(t, preset), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

interface Json {
  ok: boolean;
  edges: { edge: string; verdict: string; stage: string | null; responsible: string; reason: string; summary: string; kubernetes: string[] }[];
  explanations: { edge: string; why: string; fix: string }[];
  expiration: { certificate: string; path: string; expires: string; residualMs: number; authority: string; externallyManaged: boolean; isCa: boolean }[];
  findings: { check: string; severity: string; file: string; field?: string; message: string; kubeadm?: string }[];
  problems: { component: string; code: string; file?: string; field?: string }[];
  notStarted: { component: string; code: string }[];
  unmodelledFlags: { component: string; flag: string; value: string; file: string }[];
  components: Record<string, { how: string; file?: string }>;
}
async function checkJson(dir: string, ...flags: string[]): Promise<{ status: number; report: Json }> {
  const r = await cli(['check', dir, '--json', '--now', AT, ...flags]);
  return { status: r.status, report: JSON.parse(r.stdout) as Json };
}
const edge = (report: Json, name: string) => report.edges.find((e) => e.edge === name)!;

// Test the kubeadm preset (its apiserver-to-kubelet is insecure: no --kubelet-certificate-authority).
test('check of a kubeadm folder: exit 0 with apiserver-to-kubelet insecure; exit 1 with --fail-on insecure', async (t) => {
  const dir = await node(t, 'kubeadm');
  const r = await cli(['check', dir, '--now', AT]);
  t.is(r.status, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /^EDGE\s+VERDICT\s+STAGE\s+RESPONSIBLE\s+REASON\s+KUBERNETES PRINTS$/m);
  t.regex(r.stdout, /^apiserver-to-kubelet\s+insecure\s+tls\s+kube-apiserver --kubelet-certificate-authority\s+SERVER_NOT_VERIFIED/m);
  t.regex(r.stdout, /^CERTIFICATE\s+EXPIRES\s+RESIDUAL TIME\s+CERTIFICATE AUTHORITY\s+EXTERNALLY MANAGED$/m);
  t.regex(r.stdout, /^apiserver\s+Jan 01, 2027 00:00 UTC\s+364d\s+ca\s+no$/m);
  t.regex(r.stdout, /^CERTIFICATE AUTHORITY\s+EXPIRES\s+RESIDUAL TIME\s+EXTERNALLY MANAGED$/m);
  t.regex(r.stdout, /kubelet --container-runtime-endpoint=unix:\/\/\/var\/run\/containerd\/containerd\.sock/, 'unmodelled flags are listed');
  t.is((await cli(['check', dir, '--now', AT, '--fail-on', 'insecure'])).status, 1);
});

test('check of the reference folder: exit 1, naming etcd\'s flag and the kubelet config\'s fields', async (t) => {
  const { status, report } = await checkJson(await node(t, 'reference'));
  t.is(status, 1);
  t.false(report.ok);
  const etcd = edge(report, 'apiserver-to-etcd');
  t.like(etcd, { verdict: 'insecure', reason: 'NO_CLIENT_AUTH' });
  t.regex(etcd.responsible, /etcd --trusted-ca-file/);
  const kubelet = edge(report, 'apiserver-to-kubelet');
  t.like(kubelet, { verdict: 'config-error', reason: 'PEM_SWITCHED', stage: 'config' });
  t.regex(kubelet.responsible, /KubeletConfiguration tlsCertFile \(\/var\/lib\/kubelet\/config\.yaml\)/);
  t.deepEqual(report.notStarted.map((s) => `${s.component} ${s.code}`), ['kubelet ERR_PEM_SWITCHED']);
  t.deepEqual(report.explanations.map((e) => e.edge).sort(), ['apiserver-to-etcd', 'apiserver-to-kubelet']);
});

test('a kubeconfig whose embedded CA is from another cluster: the edge and the static check name admin.conf', async (t) => {
  const dir = await copyOf(t, 'kubeadm');
  const otherCa = readFileSync(join(await node(t, 'reference'), 'var/lib/kubernetes/cluster-root-ca.pem'));
  const admin = join(dir, 'etc/kubernetes/admin.conf');
  writeFileSync(admin, readFileSync(admin, 'utf8').replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${otherCa.toString('base64')}`));
  const { status, report } = await checkJson(dir);
  t.is(status, 1);
  const kubectl = edge(report, 'kubectl-to-apiserver');
  t.like(kubectl, { verdict: 'rejected', reason: 'UNKNOWN_AUTHORITY' });
  t.regex(kubectl.responsible, /certificate-authority-data \(\/etc\/kubernetes\/admin\.conf\)/);
  const finding = report.findings.find((f) => f.check === 'kubeconfig-ca')!;
  t.like(finding, { severity: 'fail', file: '/etc/kubernetes/admin.conf', field: 'clusters[0].cluster.certificate-authority-data' });
  t.is(finding.kubeadm, 'a kubeconfig file "/etc/kubernetes/admin.conf" exists already but has got the wrong CA cert');
  t.is(edge(report, 'scheduler-to-apiserver').verdict, 'ok', 'the other edges are still reported');
});

test('a swapped certificate file: the apiserver cannot start, and the static key check names the file', async (t) => {
  const dir = await copyOf(t, 'kubeadm');
  cpSync(join(dir, 'etc/kubernetes/pki/front-proxy-client.crt'), join(dir, 'etc/kubernetes/pki/apiserver.crt'));
  const { status, report } = await checkJson(dir);
  t.is(status, 1);
  const kubectl = edge(report, 'kubectl-to-apiserver');
  t.like(kubectl, { verdict: 'config-error', reason: 'KEY_MISMATCH' });
  t.regex(kubectl.responsible, /\/etc\/kubernetes\/pki\/apiserver\.(crt|key)/);
  t.true(report.findings.some((f) => f.check === 'key-pair' && f.file === '/etc/kubernetes/pki/apiserver.crt'), JSON.stringify(report.findings));
  t.deepEqual(report.notStarted.map((s) => s.component), ['kube-apiserver']);
});

test('--json: every part of the report, each edge with its responsible file or flag', async (t) => {
  const { status, report } = await checkJson(await node(t, 'kubeadm'));
  t.is(status, 0);
  t.true(report.ok);
  t.deepEqual(Object.keys(report).sort(), ['at', 'components', 'edges', 'expiration', 'explanations', 'findings', 'metricsServerKubelet', 'notStarted', 'ok', 'problems', 'root', 'skipped', 'unmodelledFlags'].sort());
  // The reference document's seven, and the front-proxy edge the apiserver's --proxy-client-* and --requestheader-* flags add.
  t.deepEqual(report.edges.map((e) => e.edge).slice(7), ['apiserver-to-metrics-server']);
  t.like(edge(report, 'apiserver-to-metrics-server'), { verdict: 'ok', reason: 'OK' });
  t.deepEqual(Object.keys(report.edges[0]!).sort(), ['edge', 'kubernetes', 'reason', 'responsible', 'stage', 'summary', 'verdict']);
  t.like(report.components['kube-apiserver'], { how: 'static-pod', file: '/etc/kubernetes/manifests/kube-apiserver.yaml' });
  const ca = report.expiration.find((r) => r.certificate === 'ca')!;
  t.like(ca, { isCa: true, externallyManaged: false, path: '/etc/kubernetes/pki/ca.crt' });
  t.true(report.unmodelledFlags.some((f) => f.component === 'etcd' && f.flag === '--data-dir'));
  t.deepEqual(report.findings, []);
});

test('EXTERNALLY MANAGED: a CA whose key is not on the node, and the certificates it signs', async (t) => {
  const dir = await copyOf(t, 'kubeadm');
  rmSync(join(dir, 'etc/kubernetes/pki/front-proxy-ca.key'));
  const { report } = await checkJson(dir);
  const managed = report.expiration.filter((r) => r.externallyManaged).map((r) => r.certificate).sort();
  t.deepEqual(managed, ['front-proxy-ca', 'front-proxy-client']);
});

test('--now far ahead: the certificates have expired, the edges are rejected, exit 1', async (t) => {
  const r = await cli(['check', await node(t, 'kubeadm'), '--json', '--now', '2040-01-01T00:00:00Z']);
  t.is(r.status, 1);
  const report = JSON.parse(r.stdout) as Json;
  t.true(report.edges.some((e) => e.reason === 'CERT_EXPIRED'));
  t.true(report.findings.some((f) => f.check === 'expiration' && f.file === '/etc/kubernetes/pki/apiserver.crt'));
  t.true(report.expiration.every((e) => e.residualMs < 0));
});

test('bad folders: a typed error naming the folder, exit 1', async (t) => {
  const root = tempDir(t);
  const empty = join(root, 'empty');
  mkdirSync(empty);
  const notANode = join(root, 'photos');
  mkdirSync(notANode);
  writeFileSync(join(notANode, 'cat.jpg'), 'meow');
  for (const [dir, code] of [[empty, 'ERR_NODE_NOT_FOUND'], [notANode, 'ERR_NODE_NOT_FOUND'], [join(root, 'missing'), 'ERR_FILE_NOT_FOUND'], [join(notANode, 'cat.jpg'), 'ERR_FILE_UNREADABLE']] as const) {
    const r = await cli(['check', dir]);
    t.is(r.status, 1, dir);
    t.true(r.stderr.startsWith(`error: [${code}] ${dir}`), r.stderr);
  }
});

test('usage errors exit 2, each naming what is wrong', async (t) => {
  const dir = await node(t, 'kubeadm');
  const cases: [string[], RegExp][] = [
    [[], /missing DIR/], [[dir, 'other'], /unexpected argument "other"/], [[dir, '--force'], /Unknown option '--force'/],
    [[dir, '--now'], /`--now` needs a value/], [[dir, '--now', 'tomorrow'], /`--now`: "tomorrow" is not a date/],
    [[dir, '--fail-on'], /`--fail-on` needs a value/], [[dir, '--fail-on', 'rejected'], /`--fail-on`: "rejected" is not insecure/],
    [[dir, '--lang', 'fr'], /`--lang`: "fr" is not en or zh/], [[dir, '--json=yes'], /`--json` takes no value/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(['check', ...args]);
    t.is(r.status, 2, args.join(' '));
    t.regex(r.stderr, message);
  }
  const help = await cli(['check', '--help']);
  t.is(help.status, 0);
  t.regex(help.stdout, /kube-mtls-sim check DIR/);
});

/** The `sh` blocks of docs/check.md marked as tested, in order. */
function docBlocks(): string[] {
  const doc = readFileSync(new URL('../docs/check.md', import.meta.url), 'utf8');
  return [...doc.matchAll(/<!-- tested: [^\n]*-->\n```sh\n([^]*?)```/g)].map((m) => m[1]!);
}

// docs/check.md: the tar line (on a folder standing for the node's /), then the commands run on the copy.
test('docs/check.md: the tar line and the check commands run as shown', async (t) => {
  const blocks = docBlocks();
  t.is(blocks.length, 4, 'two blocks in English, the same two in Chinese');
  t.deepEqual(blocks.slice(2), blocks.slice(0, 2), 'the Chinese section shows the same commands');
  const work = tempDir(t);
  const nodeRoot = join(work, 'node-root');
  // Written now: the doc's first check runs at the machine's time, the second 13 months ahead.
  const written = await cli(['pki', 'write', nodeRoot]);
  t.is(written.status, 0, written.stderr);
  mkdirSync(join(nodeRoot, 'etc/systemd/system'), { recursive: true });
  mkdirSync(join(nodeRoot, 'var/lib/kubelet/pods/a-pod/volumes'), { recursive: true });
  // As on a kubeadm node: kube-proxy is a DaemonSet, its kubeconfig is not on the node's disk.
  rmSync(join(nodeRoot, 'var/lib/kube-proxy'), { recursive: true });
  const cliPath = new URL('../lib/cli/main.ts', import.meta.url).pathname;
  // tsx resolved from the checkout, since the commands run in the scratch folder.
  const tsx = import.meta.resolve('tsx');
  const sh = (line: string) => spawnSync('bash', ['-c', line.replace(/^sudo /, '').replace(' -C / ', ` -C '${nodeRoot}' `).replace('npx kube-mtls-sim', `'${process.execPath}' --import '${tsx}' '${cliPath}'`)], { cwd: work, encoding: 'utf8', timeout: 30_000 });
  const tar = sh(blocks[0]!.trim());
  t.is(tar.status, 0, tar.stderr);
  const lines = blocks[1]!.trim().split('\n');
  t.is(sh(lines[0]!).status, 0);
  t.false(spawnSync('tar', ['-tzf', join(work, 'node.tgz')], { encoding: 'utf8' }).stdout.includes('pods/'), 'the Pods\' volumes are left out');
  const today = sh(lines[1]!);
  t.is(today.status, 0, today.stdout + today.stderr);
  t.regex(today.stdout, /apiserver-to-kubelet\s+insecure/);
  // A real kubeadm node has no kube-proxy kubeconfig on disk (a DaemonSet's ConfigMap): its edge is not checked, not failed.
  t.regex(today.stdout, /kube-proxy-to-apiserver: not checked: .*DaemonSet/);
  const ahead = sh(lines[2]!);
  t.is(ahead.status, 1, '13 months on, the one-year certificates have expired');
  t.regex(ahead.stdout, /CERT_EXPIRED/);
});

test('serve DIR on a node folder without kube-mtls-sim\'s manifest: the node\'s own flags and files, its admin.conf reaching the simulated apiserver', async (t) => {
  const dir = await copyOf(t, 'kubeadm');
  rmSync(join(dir, 'kube-mtls-sim.json'));
  const printed: string[] = [];
  const { cluster, kubeconfigs } = await startServe([dir, '--now', AT], (text) => printed.push(text));
  t.teardown(() => cluster.stop());
  t.regex(printed[0]!, /node folder control plane on 127\.0\.0\.1 from /);
  t.is(cluster.node?.root, dir, 'started from the node as read, not from a fresh PKI');
  const kc = parseYaml(readFileSync(kubeconfigs[0]!, 'utf8'));
  const cluster0 = kc.clusters[0].cluster;
  const user = kc.users[0].user;
  const b = (s: string) => Buffer.from(s, 'base64');
  const answer = await new Promise<{ status: number; body: string }>((done, fail) => {
    const url = new URL('/version', cluster0.server);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, servername: cluster0['tls-server-name'], ca: b(cluster0['certificate-authority-data']), cert: b(user['client-certificate-data']), key: b(user['client-key-data']) }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
  t.is(answer.status, 200, answer.body);
  await t.throwsAsync(() => startServe([dir, '--preset', 'kubeadm'], () => {}), { message: /is a node folder \(--preset only chooses the preset of a new PKI\)/ });
});
