// The reference document's mistakes, made by hand in a written node folder, and the bad folders a
// copy off a real node can be (issue 11): each read by loadNode, started and dialled, with the
// outcome a real cluster gives and the mistake pinned on the file or flag that makes it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { main } from '../lib/cli/main.js';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { loadNode, type LoadedNode } from '../lib/index.js';
import type { EdgeResult } from '../lib/verdict/result.js';
import { tempDir } from './helpers/tools.js';

const NOW = '2026-01-01T00:00:00Z';
const clock = () => fixedClock(new Date('2026-01-02T00:00:00Z'));

async function writeNode(t: ExecutionContext, name = 'node'): Promise<string> {
  const dir = join(tempDir(t), name);
  t.is(await main(['pki', 'write', dir, '--now', NOW, '--preset', 'kubeadm'], () => {}, () => {}), 0);
  return dir;
}

async function dial(node: LoadedNode): Promise<EdgeResult[]> {
  await using cluster = await defineCluster({ node, clock: clock() }).start();
  return await cluster.dialAll();
}

const edge = (results: EdgeResult[], name: string) => results.find((r) => r.edge === name)!;
const problems = (node: LoadedNode) => node.problems.map((p) => `${p.component} ${p.error.code} ${p.error.message}`);

/** The kubeadm cluster made in memory: what every edge a mistake does not touch must still give. */
async function expected(): Promise<Record<string, string>> {
  await using memory = await defineCluster({ preset: 'kubeadm', clock: clock() }).start();
  return Object.fromEntries((await memory.dialAll()).map((r) => [r.edge, `${r.verdict} ${r.reason}`]));
}
async function othersUntouched(t: ExecutionContext, results: EdgeResult[], changed: string[]): Promise<void> {
  t.is(results.length, 7);
  const want = await expected();
  for (const r of results) if (!changed.includes(r.edge)) t.is(`${r.verdict} ${r.reason}`, want[r.edge] ?? '', r.edge);
}

/** Edits a static Pod's command (a list of `--flag=value` words). */
function editCommand(dir: string, component: string, edit: (command: string[]) => string[]): void {
  const file = join(dir, `etc/kubernetes/manifests/${component}.yaml`);
  const pod = parseYaml(readFileSync(file, 'utf8'));
  pod.spec.containers[0].command = edit(pod.spec.containers[0].command);
  writeFileSync(file, stringifyYaml(pod));
}
const kubeconfigOf = (dir: string, path: string) => parseYaml(readFileSync(join(dir, path), 'utf8'));

test('mistake: etcd with only --peer-trusted-ca-file (no --trusted-ca-file, no --client-cert-auth) is insecure NO_CLIENT_AUTH', async (t) => {
  const dir = await writeNode(t);
  editCommand(dir, 'etcd', (c) => c.filter((w) => !w.startsWith('--trusted-ca-file=') && !w.startsWith('--client-cert-auth')));
  const node = await loadNode(dir);
  t.deepEqual(problems(node), []);
  t.is(node.spec.etcd['--peer-trusted-ca-file'], '/etc/kubernetes/pki/etcd/ca.crt');
  const results = await dial(node);
  const r = edge(results, 'apiserver-to-etcd');
  t.is(`${r.verdict} ${r.reason}`, 'insecure NO_CLIENT_AUTH', r.summary);
  t.is(r.server.requestedClientCert, false);
  await othersUntouched(t, results, ['apiserver-to-etcd']);
});

test('mistake: the kubelet\'s tlsCertFile and tlsPrivateKeyFile swapped is config-error PEM_SWITCHED, naming config.yaml\'s field', async (t) => {
  const dir = await writeNode(t);
  const config = join(dir, 'var/lib/kubelet/config.yaml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}tlsCertFile: /var/lib/kubelet/pki/kubelet.key\ntlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.crt\n`);
  const results = await dial(await loadNode(dir));
  const r = edge(results, 'apiserver-to-kubelet');
  t.is(`${r.verdict} ${r.reason}`, 'config-error PEM_SWITCHED', r.summary);
  t.is(r.cause.kind === 'config-error' ? r.cause.code : undefined, 'ERR_PEM_SWITCHED');
  t.regex(r.cause.kind === 'config-error' ? r.cause.message : '', /kubelet\.key|tlsCertFile/);
  await othersUntouched(t, results, ['apiserver-to-kubelet']);
});

test('mistake: --kubelet-certificate-authority set while the kubelet serves its self-signed certificate is rejected by the apiserver', async (t) => {
  const dir = await writeNode(t);
  editCommand(dir, 'kube-apiserver', (c) => [...c, '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt']);
  const results = await dial(await loadNode(dir));
  const r = edge(results, 'apiserver-to-kubelet');
  t.is(`${r.verdict} ${r.detectedBy}`, 'rejected client', r.summary);
  t.is(r.client.trusts?.file, '/etc/kubernetes/pki/ca.crt');
  t.regex(r.client.trusts?.field ?? '', /--kubelet-certificate-authority/);
  t.is(r.server.presented?.file, '/var/lib/kubelet/pki/kubelet.crt');
  await othersUntouched(t, results, ['apiserver-to-kubelet']);
});

test('mistake: scheduler.conf embeds another cluster\'s CA: the scheduler refuses the apiserver, naming scheduler.conf', async (t) => {
  const dir = await writeNode(t);
  const other = await writeNode(t, 'other');
  const conf = kubeconfigOf(dir, 'etc/kubernetes/scheduler.conf');
  conf.clusters[0].cluster['certificate-authority-data'] = kubeconfigOf(other, 'etc/kubernetes/scheduler.conf').clusters[0].cluster['certificate-authority-data'];
  writeFileSync(join(dir, 'etc/kubernetes/scheduler.conf'), stringifyYaml(conf));
  const results = await dial(await loadNode(dir));
  const r = edge(results, 'scheduler-to-apiserver');
  t.is(`${r.verdict} ${r.detectedBy}`, 'rejected client', r.summary);
  t.regex(`${r.client.trusts?.file} ${r.client.trusts?.field} ${r.client.configuredBy}`, /scheduler\.conf/);
  await othersUntouched(t, results, ['scheduler-to-apiserver']);
});

test('a CA bundle in rotation: old and new CA in ca.crt and every kubeconfig, the apiserver and admin certificates from the new CA: every edge passes, as Go accepts either', async (t) => {
  const dir = await writeNode(t);
  const next = await writeNode(t, 'next');
  const ca = readFileSync(join(dir, 'etc/kubernetes/pki/ca.crt'), 'utf8');
  const bundle = ca + readFileSync(join(next, 'etc/kubernetes/pki/ca.crt'), 'utf8');
  writeFileSync(join(dir, 'etc/kubernetes/pki/ca.crt'), bundle);
  writeFileSync(join(dir, 'var/run/secrets/kubernetes.io/serviceaccount/ca.crt'), bundle);
  for (const f of ['apiserver.crt', 'apiserver.key']) writeFileSync(join(dir, 'etc/kubernetes/pki', f), readFileSync(join(next, 'etc/kubernetes/pki', f)));
  for (const path of ['etc/kubernetes/admin.conf', 'etc/kubernetes/scheduler.conf', 'etc/kubernetes/controller-manager.conf', 'etc/kubernetes/kubelet.conf']) {
    const conf = kubeconfigOf(path === 'etc/kubernetes/admin.conf' ? next : dir, path);
    conf.clusters[0].cluster['certificate-authority-data'] = Buffer.from(bundle).toString('base64');
    writeFileSync(join(dir, path), stringifyYaml(conf));
  }
  const node = await loadNode(dir);
  t.deepEqual(problems(node), []);
  const results = await dial(node);
  const r = edge(results, 'kubectl-to-apiserver');
  t.is(r.client.trusts?.subjects.length, 2);
  await othersUntouched(t, results, []);
});

/** A bad folder: a typed problem naming the file, the cluster still starts and reports all seven edges. */
async function badFolder(t: ExecutionContext, dir: string, expect: { component: string; code: string; file: RegExp; field?: RegExp }): Promise<EdgeResult[]> {
  const node = await loadNode(dir);
  const problem = node.problems.find((p) => p.component === expect.component && p.error.code === expect.code);
  t.true(problem !== undefined, problems(node).join('\n'));
  t.regex(problem?.error.file ?? '', expect.file);
  if (expect.field) t.regex(problem?.error.field ?? '', expect.field);
  const results = await dial(node);
  t.is(results.length, 7);
  return results;
}

test('bad folder: an empty folder is a problem per component, and every edge is reported as config-error', async (t) => {
  const dir = tempDir(t);
  const results = await badFolder(t, dir, { component: 'kube-apiserver', code: 'ERR_FILE_NOT_FOUND', file: new RegExp(`^${dir}$`), field: /kube-apiserver/ });
  t.deepEqual([...new Set(results.map((r) => r.verdict))], ['config-error']);
});

test('bad folder: a partial copy (only /etc/kubernetes, no kubelet files) fails the kubelet\'s edges only', async (t) => {
  const dir = await writeNode(t);
  rmSync(join(dir, 'var/lib/kubelet'), { recursive: true });
  rmSync(join(dir, 'usr'), { recursive: true });
  const results = await badFolder(t, dir, { component: 'kubelet', code: 'ERR_FILE_NOT_FOUND', file: new RegExp(`^${dir}$`), field: /kubelet/ });
  for (const name of ['kubelet-to-apiserver', 'apiserver-to-kubelet']) t.is(edge(results, name).verdict, 'config-error', name);
  await othersUntouched(t, results, ['kubelet-to-apiserver', 'apiserver-to-kubelet']);
});

test('bad folder: kubelet.conf naming a missing client-certificate file is a problem naming the file and the field', async (t) => {
  const dir = await writeNode(t);
  rmSync(join(dir, 'var/lib/kubelet/pki/kubelet-client-current.pem'));
  const results = await badFolder(t, dir, { component: 'kubelet', code: 'ERR_FILE_NOT_FOUND', file: /kubelet-client-current\.pem$/, field: /client-certificate/ });
  t.is(edge(results, 'kubelet-to-apiserver').verdict, 'config-error');
  await othersUntouched(t, results, ['kubelet-to-apiserver']);
});

test('bad folder: a static Pod in `--flag value` form (command and args split), a duplicate flag last-wins: read as pflag reads them', async (t) => {
  const dir = await writeNode(t);
  const file = join(dir, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  const pod = parseYaml(readFileSync(file, 'utf8'));
  const words: string[] = pod.spec.containers[0].command;
  pod.spec.containers[0].command = ['kube-apiserver'];
  // Every flag as two words in args, and the etcd CA first named wrongly, then again rightly.
  pod.spec.containers[0].args = ['--etcd-cafile', '/etc/kubernetes/pki/ca.crt', ...words.slice(1).flatMap((w) => w.split(/=(.*)/s, 2))];
  writeFileSync(file, stringifyYaml(pod));
  const node = await loadNode(dir);
  t.deepEqual(problems(node), []);
  t.is(node.spec['kube-apiserver']['--etcd-cafile'], '/etc/kubernetes/pki/etcd/ca.crt');
  t.is(node.spec['kube-apiserver']['--authorization-mode'], 'Node,RBAC');
  await othersUntouched(t, await dial(node), []);
});

test('bad folder: a kube-proxy --config file that is not a mapping is ERR_NODE_COMPONENT_CONFIG, kube-proxy\'s edge only', async (t) => {
  const dir = await writeNode(t);
  mkdirSync(join(dir, 'etc/systemd/system'), { recursive: true });
  writeFileSync(join(dir, 'etc/systemd/system/kube-proxy.service'), '[Service]\nExecStart=/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/kube-proxy-config.yaml\n');
  writeFileSync(join(dir, 'var/lib/kube-proxy/kube-proxy-config.yaml'), '- just\n- a list\n');
  const results = await badFolder(t, dir, { component: 'kube-proxy', code: 'ERR_NODE_COMPONENT_CONFIG', file: /kube-proxy-config\.yaml$/, field: /clientConnection\.kubeconfig/ });
  t.is(edge(results, 'kube-proxy-to-apiserver').verdict, 'config-error');
  await othersUntouched(t, results, ['kube-proxy-to-apiserver']);
});
