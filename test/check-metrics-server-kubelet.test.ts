// `check DIR` and metrics-server → the node's kubelet (issue 14; kubeadm issue 1602): dialled as a
// default metrics-server would (the in-cluster CA, the node's InternalIP) when check starts the addon,
// reported in its own section as an assumption, never in check's verdict, exit status or edges.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { issueCertificate } from '../lib/pki/issue.js';
import { keyMaterial, sharedKeyPool } from '../lib/pki/keys.js';
import { readCertificates, readPrivateKey } from '../lib/pki/pem.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tools.js';

const NOW = '2026-01-01T00:00:00Z';
const AT = '2026-01-02T00:00:00Z';
const PKI = 'etc/kubernetes/pki';
const KUBELET_CONFIG = 'var/lib/kubelet/config.yaml';

interface Row { edge: string; verdict: string; reason: string; stage: string | null; detectedBy: string | null; kubernetes: string[]; responsible: string }
interface Section { edge: string; assumption: string; case: string; inClusterCa?: string; result: Row | null; text: string[] }
interface Report { ok: boolean; edges: { edge: string }[]; metricsServerKubelet?: Section }

async function writeNode(t: ExecutionContext): Promise<string> {
  const dir = join(tempDir(t, 'kms-check-ms-kubelet-'), 'node');
  const written = await cli(['pki', 'write', dir, '--now', NOW]);
  if (written.status !== 0) throw new Error(written.stderr);
  return dir;
}
async function check(dir: string, ...flags: string[]) {
  const run = await cli(['check', dir, '--now', AT, ...flags]);
  return { status: run.status, stdout: run.stdout, report: flags.includes('--json') ? JSON.parse(run.stdout) as Report : undefined };
}

/**
 * What an approved kubernetes.io/kubelet-serving CSR leaves in --cert-dir: kubelet-server-current.pem
 * (certificate then key), signed by the folder's cluster CA for the node's name and IP, with
 * serverTLSBootstrap: true in the kubelet's configuration.
 */
async function servingFromCsr(dir: string): Promise<void> {
  const [ca] = readCertificates(readFileSync(join(dir, PKI, 'ca.crt')), { file: 'ca.crt' });
  const caKey = keyMaterial(readPrivateKey(readFileSync(join(dir, PKI, 'ca.key')), { file: 'ca.key' }).keyObject);
  const key = await sharedKeyPool.get('rsa-2048', 'test-kubelet-serving');
  const leaf = issueCertificate({
    cn: 'system:node:control-plane', o: ['system:nodes'], isCa: false, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'],
    sans: [{ dns: 'control-plane' }, { ip: '10.0.0.10' }], notBefore: new Date(NOW), notAfter: new Date('2027-01-01T00:00:00Z'), subjectKey: key, issuer: { cert: ca!, key: caKey },
  });
  writeFileSync(join(dir, 'var/lib/kubelet/pki/kubelet-server-current.pem'), leaf.pem + key.pem);
  const config = join(dir, KUBELET_CONFIG);
  writeFileSync(config, `${readFileSync(config, 'utf8')}serverTLSBootstrap: true\n`);
}

test('a default kubeadm folder: a default metrics-server refuses the self-signed kubelet.crt (kubeadm issue 1602), and check still passes', async (t) => {
  const dir = await writeNode(t);
  const { status, report } = await check(dir, '--json');
  t.is(status, 0, 'the assumption never changes the exit status');
  t.true(report!.ok);
  t.false(report!.edges.some((e) => e.edge === 'metrics-server-to-kubelet'), 'not one of the edges');
  const m = report!.metricsServerKubelet!;
  t.like(m, { edge: 'metrics-server-to-kubelet', assumption: 'metrics-server-defaults', case: 'dialled', inClusterCa: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' });
  t.like(m.result, { edge: 'metrics-server-to-kubelet', verdict: 'rejected', reason: 'SAN_MISMATCH', stage: 'tls', detectedBy: 'client' });
  t.true(m.result!.kubernetes.some((k) => k.startsWith('metrics-server (log): "Failed to scrape node"') && k.includes('cannot validate certificate for 10.0.0.10 because it doesn\'t contain any IP SANs')));
  const text = (await check(dir)).stdout;
  t.regex(text, /^metrics-server-to-kubelet: if metrics-server runs with its defaults — it is a cluster addon, not a file on this node/m);
  t.regex(text, /^ {2}rejected \[SAN_MISMATCH\]: metrics-server refused kubelet's certificate/m);
  t.regex(text, /This is kubeadm issue 1602: the kubelet serves \/var\/lib\/kubelet\/pki\/kubelet\.crt, whose SANs \(DNS:control-plane\) hold no IP/);
  t.regex(text, /set serverTLSBootstrap: true .* approve its kubernetes\.io\/kubelet-serving CSRs/);
  t.regex(text, /--kubelet-insecure-tls .*an insecure workaround, not a fix/);
});

test('a kubelet serving a certificate from the CSR flow (the cluster CA, the node\'s IP): ok', async (t) => {
  const dir = await writeNode(t);
  await servingFromCsr(dir);
  const { status, report } = await check(dir, '--json');
  t.is(status, 0);
  const m = report!.metricsServerKubelet!;
  t.like(m, { case: 'dialled', result: { verdict: 'ok', reason: 'OK' } });
  t.regex(m.text.join('\n'), /serving certificate \(\/var\/lib\/kubelet\/pki\/kubelet-server-current\.pem\) names 10\.0\.0\.10 and is signed by the cluster CA/);
  t.notRegex(m.text.join('\n'), /issue 1602/);
});

test('--json: the section\'s shape, and a node copy without the Pod\'s in-cluster CA takes the controller-manager\'s root CA', async (t) => {
  const dir = await writeNode(t);
  rmSync(join(dir, 'var/run'), { recursive: true });
  const { report } = await check(dir, '--json');
  const m = report!.metricsServerKubelet!;
  t.deepEqual(Object.keys(m).sort(), ['assumption', 'case', 'edge', 'inClusterCa', 'result', 'text']);
  t.deepEqual(Object.keys(m.result!).sort(), ['detectedBy', 'edge', 'kubernetes', 'reason', 'responsible', 'stage', 'summary', 'verdict']);
  t.is(m.inClusterCa, '/etc/kubernetes/pki/ca.crt');
  t.like(m.result, { verdict: 'rejected', reason: 'SAN_MISMATCH' });
  t.true(m.text[0]!.startsWith('metrics-server-to-kubelet: if metrics-server runs with its defaults'));
  t.true(m.text.some((l) => l.includes('taken as /etc/kubernetes/pki/ca.crt, which the kube-root-ca.crt ConfigMap publishes')));
});

test('without the cluster CA\'s key the addon cannot start: the section says why it is not checked', async (t) => {
  const dir = await writeNode(t);
  rmSync(join(dir, PKI, 'ca.key'));
  const { report } = await check(dir, '--json');
  const m = report!.metricsServerKubelet!;
  t.like(m, { case: 'no-cluster-ca', result: null });
  t.regex(m.text[1]!, /^not checked: the cluster CA pair \(kube-controller-manager --cluster-signing-cert-file\/--cluster-signing-key-file\) is not in the folder/);
});

test('without the front-proxy flags there is no aggregation layer: not checked, said why', async (t) => {
  const dir = await writeNode(t);
  const manifest = join(dir, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  const text = readFileSync(manifest, 'utf8');
  writeFileSync(manifest, text.split('\n').filter((l) => !/--proxy-client-(cert|key)-file=/.test(l)).join('\n'));
  t.not(readFileSync(manifest, 'utf8'), text);
  const { report } = await check(dir, '--json');
  t.like(report!.metricsServerKubelet, { case: 'no-front-proxy-flags', result: null });
  t.regex(report!.metricsServerKubelet!.text[1]!, /^not checked: kube-apiserver has no --proxy-client-cert-file/);
});

test('the section in Chinese, in the text report and the JSON', async (t) => {
  const dir = await writeNode(t);
  const zh = await check(dir, '--lang', 'zh');
  t.is(zh.status, 0);
  t.regex(zh.stdout, /^metrics-server-to-kubelet：假设 metrics-server 以默认设置运行——它是集群插件，不是这个节点上的文件/m);
  t.regex(zh.stdout, /^ {2}拒绝 \[SAN_MISMATCH\]/m);
  t.regex(zh.stdout, /这就是 kubeadm issue 1602：kubelet 出示的是 \/var\/lib\/kubelet\/pki\/kubelet\.crt/);
  t.regex(zh.stdout, /设置 serverTLSBootstrap: true.*批准它的 kubernetes\.io\/kubelet-serving CSR/);
  t.regex(zh.stdout, /--kubelet-insecure-tls 只是完全不校验 kubelet 的证书.*这是不安全的权宜之计，不是修复/);
  const json = (await check(dir, '--json', '--lang', 'zh')).report!;
  t.true(json.metricsServerKubelet!.text.some((l) => l.startsWith('这就是 kubeadm issue 1602')));
});
