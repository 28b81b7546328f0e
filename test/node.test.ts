// A node as files and back (issue 11): `pki write DIR` writes how every component runs, loadNode
// reads any node folder (static Pods or systemd units), and a cluster started from what it read
// dials every edge as the cluster started in memory does.
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { parse as parseYaml } from 'yaml';
import { main } from '../lib/cli/main.js';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { loadNode, type LoadedNode } from '../lib/index.js';
import { controlPlaneSpec } from '../lib/component-base/presets.js';
import { getPreset } from '../lib/pki/presets/index.js';
import { DEFAULT_CLUSTER_CONFIG } from '../lib/pki/cluster-config.js';
import type { EdgeResult } from '../lib/verdict/result.js';
import { tempDir } from './helpers/tools.js';

const NOW = '2026-01-01T00:00:00Z';
const clock = () => fixedClock(new Date('2026-01-02T00:00:00Z'));

async function writeNode(t: ExecutionContext, preset: 'kubeadm' | 'reference'): Promise<string> {
  const dir = join(tempDir(t), 'node');
  const err: string[] = [];
  t.is(await main(['pki', 'write', dir, '--now', NOW, '--preset', preset], () => {}, (e) => err.push(e)), 0, err.join('\n'));
  return dir;
}

const outcome = (results: EdgeResult[]) => results.map((r) => `${r.edge} ${r.verdict} ${r.reason}`);

async function dialNode(node: LoadedNode): Promise<EdgeResult[]> {
  await using cluster = await defineCluster({ node, clock: clock() }).start();
  return await cluster.dialAll();
}

for (const preset of ['kubeadm', 'reference'] as const) {
  test(`round trip (${preset}): pki write → loadNode → start gives every edge the verdict and reason of the in-memory cluster`, async (t) => {
    const dir = await writeNode(t, preset);
    const node = await loadNode(dir);
    t.deepEqual(node.problems.map((p) => p.error.message), []);
    // The flags the components start with are the preset's, exactly.
    const spec = controlPlaneSpec(getPreset(preset), DEFAULT_CLUSTER_CONFIG);
    for (const c of ['kube-apiserver', 'etcd', 'kube-controller-manager'] as const) t.deepEqual(node.spec[c], spec[c], c);
    t.deepEqual(node.spec.kubelet, spec.kubelet);
    t.deepEqual(node.spec.clients, spec.clients);
    await using memory = await defineCluster({ preset, clock: clock() }).start();
    const expected = outcome(await memory.dialAll());
    t.deepEqual(outcome(await dialNode(node)), expected);
    // The reference document's two mistakes are still there, read from the files.
    if (preset === 'reference') t.true(expected.includes('apiserver-to-etcd insecure NO_CLIENT_AUTH') && expected.includes('apiserver-to-kubelet config-error PEM_SWITCHED'));
  });
}

test('pki write (kubeadm) writes the static Pods, the kubelet drop-in and kubeadm-flags.env as kubeadm does', async (t) => {
  const dir = await writeNode(t, 'kubeadm');
  const manifest = join(dir, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  t.is(lstatSync(manifest).mode & 0o777, 0o600);
  const pod = parseYaml(readFileSync(manifest, 'utf8'));
  t.is(pod.kind, 'Pod');
  t.is(pod.metadata.namespace, 'kube-system');
  t.is(pod.spec.containers[0].command[0], 'kube-apiserver');
  t.true(pod.spec.containers[0].command.includes('--client-ca-file=/etc/kubernetes/pki/ca.crt'));
  t.true(pod.spec.volumes.some((v: { name: string; hostPath: { path: string } }) => v.name === 'k8s-certs' && v.hostPath.path === '/etc/kubernetes/pki'));
  const etcd = parseYaml(readFileSync(join(dir, 'etc/kubernetes/manifests/etcd.yaml'), 'utf8'));
  t.deepEqual(etcd.spec.volumes.map((v: { hostPath: { path: string } }) => v.hostPath.path), ['/etc/kubernetes/pki/etcd', '/var/lib/etcd']);
  t.regex(readFileSync(join(dir, 'var/lib/kubelet/kubeadm-flags.env'), 'utf8'), /^KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:\/\/\/var\/run\/containerd\/containerd.sock --pod-infra-container-image=\S+"\n$/);
  const node = await loadNode(dir);
  t.is(node.components['kube-apiserver'].how, 'static-pod');
  t.is(node.components.kubelet.how, 'systemd');
  const unmodelled = node.unmodelledFlags.map((f) => `${f.component} ${f.flag}`);
  for (const f of ['kubelet --container-runtime-endpoint', 'kubelet --pod-infra-container-image', 'kubelet --bootstrap-kubeconfig', 'etcd --data-dir', 'kube-scheduler --leader-elect']) t.true(unmodelled.includes(f), f);
});

/** A kubeadm node rewritten the Hard Way: units instead of static Pods, with continuations, quoting, both flag forms and duplicates. */
function hardWayUnits(dir: string): void {
  rmSync(join(dir, 'etc/kubernetes/manifests'), { recursive: true });
  mkdirSync(join(dir, 'etc/systemd/system'), { recursive: true });
  const unit = (name: string, exec: string) => writeFileSync(join(dir, `etc/systemd/system/${name}.service`), `[Unit]\nDescription=${name}\n\n[Service]\nExecStart=${exec}\nRestart=on-failure\n`);
  rmSync(join(dir, 'usr'), { recursive: true });
  writeFileSync(join(dir, 'var/lib/kubelet/kubeadm-flags.env'), '');
  unit('kube-apiserver', [
    '/usr/local/bin/kube-apiserver \\', '  --advertise-address=10.0.0.10 \\', '  --allow-privileged=true \\',
    '  --authorization-mode "Node,RBAC" \\', "  --client-ca-file '/etc/kubernetes/pki/ca.crt' \\",
    '  --tls-cert-file=/etc/kubernetes/pki/wrong.crt \\', '  --tls-cert-file /etc/kubernetes/pki/apiserver.crt \\',
    '  --tls-private-key-file=/etc/kubernetes/pki/apiserver.key \\',
    '  --etcd-servers=https://127.0.0.1:2379 --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt \\',
    '  --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key \\',
    '  --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt \\',
    '  --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key \\',
    '  --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname \\',
    '  --service-account-key-file=/etc/kubernetes/pki/sa.pub --service-account-issuer=https://kubernetes.default.svc.cluster.local \\',
    '  --enable-bootstrap-token-auth=true \\', '  --v=2',
  ].join('\n'));
  unit('etcd', '/usr/local/bin/etcd --name control-plane --cert-file=/etc/kubernetes/pki/etcd/server.crt \\\n  --key-file=/etc/kubernetes/pki/etcd/server.key --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt \\\n  --client-cert-auth --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt --peer-key-file=/etc/kubernetes/pki/etcd/peer.key \\\n  --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt --peer-client-cert-auth \\\n  --listen-client-urls https://127.0.0.1:2379,https://10.0.0.10:2379 --advertise-client-urls=https://10.0.0.10:2379');
  unit('kube-controller-manager', '/usr/local/bin/kube-controller-manager --cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt --cluster-signing-key-file=/etc/kubernetes/pki/ca.key --kubeconfig=/etc/kubernetes/controller-manager.conf');
  unit('kube-scheduler', '/usr/local/bin/kube-scheduler "--kubeconfig=/etc/kubernetes/scheduler.conf" --leader-elect');
  unit('kubelet', '/usr/local/bin/kubelet \\\n  --config=/var/lib/kubelet/config.yaml \\\n  --kubeconfig=/etc/kubernetes/kubelet.conf \\\n  --v=2');
}

test('a systemd-unit node (the Hard Way): continuation lines, quoting, --flag value and duplicates read as pflag reads them', async (t) => {
  const dir = await writeNode(t, 'kubeadm');
  hardWayUnits(dir);
  const node = await loadNode(dir);
  t.deepEqual(node.problems.map((p) => p.error.message), []);
  t.is(node.components['kube-apiserver'].how, 'systemd');
  t.is(node.spec['kube-apiserver']['--tls-cert-file'], '/etc/kubernetes/pki/apiserver.crt', 'the last of a duplicate flag wins');
  t.is(node.spec['kube-apiserver']['--authorization-mode'], 'Node,RBAC');
  t.is(node.spec.etcd['--client-cert-auth'], 'true', 'a boolean flag does not take the next word');
  t.is(node.spec.etcd['--listen-client-urls'], 'https://127.0.0.1:2379,https://10.0.0.10:2379');
  t.deepEqual(node.unmodelledFlags.filter((f) => f.component === 'kube-apiserver').map((f) => `${f.flag}=${f.value}`), ['--allow-privileged=true', '--v=2']);
  await using memory = await defineCluster({ preset: 'kubeadm', clock: clock() }).start();
  t.deepEqual(outcome(await dialNode(node)), outcome(await memory.dialAll()));
});

/** Each bad folder: the problem names the file (and flag), the cluster still starts, all seven edges are reported. */
async function badFolder(t: ExecutionContext, damage: (dir: string) => void, expect: { code: string; file: RegExp; field?: RegExp; edge: string; okEdge?: string }) {
  const dir = await writeNode(t, 'kubeadm');
  damage(dir);
  const node = await loadNode(dir);
  const problem = node.problems.find((p) => p.error.code === expect.code);
  t.true(problem !== undefined, node.problems.map((p) => `${p.error.code} ${p.error.message}`).join('\n'));
  t.true(expect.file.test(problem!.error.file ?? ''), `file ${problem!.error.file}`);
  if (expect.field) t.true(expect.field.test(problem!.error.field ?? ''), `field ${problem!.error.field}`);
  const results = await dialNode(node);
  t.is(results.length, 7);
  const failed = results.find((r) => r.edge === expect.edge)!;
  t.is(failed.verdict, 'config-error', `${failed.edge} ${failed.reason}`);
  // The edge fails with the node's own error (the same file), not another one met on the way.
  t.is<string | undefined, string>(failed.cause?.kind === 'config-error' ? failed.cause.code : undefined, expect.code);
  if (expect.okEdge) t.is(results.find((r) => r.edge === expect.okEdge)!.verdict, 'ok');
}

test('bad folder: a manifest that is not YAML is ERR_NODE_MANIFEST naming it; the other components load', async (t) => {
  await badFolder(t, (dir) => writeFileSync(join(dir, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'command: [kube-apiserver\n  - : : ['),
    { code: 'ERR_NODE_MANIFEST', file: /manifests\/kube-apiserver\.yaml$/, edge: 'kubectl-to-apiserver' });
});

test('bad folder: a manifest without a command is ERR_NODE_MANIFEST; only its component\'s edge fails', async (t) => {
  await badFolder(t, (dir) => writeFileSync(join(dir, 'etc/kubernetes/manifests/kube-scheduler.yaml'), 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-scheduler\n    image: registry.k8s.io/kube-scheduler:v1.31.0\n'),
    { code: 'ERR_NODE_MANIFEST', file: /manifests\/kube-scheduler\.yaml$/, edge: 'scheduler-to-apiserver', okEdge: 'kubectl-to-apiserver' });
});

test('bad folder: a unit flag naming a missing file is a problem naming the file and the flag', async (t) => {
  await badFolder(t, (dir) => {
    hardWayUnits(dir);
    const unit = join(dir, 'etc/systemd/system/etcd.service');
    writeFileSync(unit, readFileSync(unit, 'utf8').replace('--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt', '--trusted-ca-file="/etc/kubernetes/pki/etcd/missing ca.crt"'));
  }, { code: 'ERR_FILE_NOT_FOUND', file: /etcd\/missing ca\.crt$/, field: /^etcd --trusted-ca-file$/, edge: 'apiserver-to-etcd', okEdge: 'kubectl-to-apiserver' });
});

test('bad folder: a symlink leaving the folder is ERR_FILE_OUTSIDE_ROOT, never read', async (t) => {
  await badFolder(t, (dir) => {
    unlinkSync(join(dir, 'etc/kubernetes/pki/etcd/ca.crt'));
    symlinkSync('../../../../../../../../../etc/hostname', join(dir, 'etc/kubernetes/pki/etcd/ca.crt'));
  }, { code: 'ERR_FILE_OUTSIDE_ROOT', file: /etc\/kubernetes\/pki\/etcd\/ca\.crt$/, edge: 'apiserver-to-etcd', okEdge: 'kubectl-to-apiserver' });
});

test('bad folder: an unreadable kubeconfig is a problem of its client', async (t) => {
  if (process.getuid?.() === 0) return t.pass('root reads a 000 file');
  await badFolder(t, (dir) => chmodSync(join(dir, 'etc/kubernetes/scheduler.conf'), 0o000),
    { code: 'ERR_FILE_UNREADABLE', file: /scheduler\.conf$/, field: /kube-scheduler --kubeconfig/, edge: 'scheduler-to-apiserver', okEdge: 'kubectl-to-apiserver' });
});

test('bad folder: a unit with an unterminated quote is ERR_NODE_UNIT naming it', async (t) => {
  await badFolder(t, (dir) => {
    hardWayUnits(dir);
    writeFileSync(join(dir, 'etc/systemd/system/kube-scheduler.service'), '[Service]\nExecStart=/usr/local/bin/kube-scheduler \\\n  "--kubeconfig=/etc/kubernetes/scheduler.conf\n');
  }, { code: 'ERR_NODE_UNIT', file: /kube-scheduler\.service$/, edge: 'scheduler-to-apiserver', okEdge: 'kubectl-to-apiserver' });
});
