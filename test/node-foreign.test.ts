// Node folders made by other tools (issue 11): the kubeadm layout with openssl's certificates
// (bench/openssl-pki.sh), the same with cfssl's (JSON CSRs and a signing profile), and a single-CA
// node in the manner of Kubernetes The Hard Way (ca.conf sections, systemd units). Each is read by
// loadNode, started, dialled: first as it is, then with one mistake that must be found and pinned
// on the file or flag that makes it.
import { createPrivateKey } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { main } from '../lib/cli/main.js';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { loadNode } from '../lib/index.js';
import { keyMaterial } from '../lib/pki/keys.js';
import { serviceAccountToken } from '../lib/pki/token.js';
import type { EdgeResult } from '../lib/verdict/result.js';
import { run, tempDir, which } from './helpers/tools.js';
import { caConf, hardWayNode, UNITS } from './helpers/hard-way-node.js';

const OPENSSL_PKI = fileURLToPath(new URL('../bench/openssl-pki.sh', import.meta.url));
const CFSSL_PKI = fileURLToPath(new URL('./helpers/cfssl-pki.sh', import.meta.url));
const KUBEADM_NODE = fileURLToPath(new URL('./helpers/kubeadm-node.sh', import.meta.url));

// The other tools date their certificates from the real clock: each cluster's clock is pinned a minute
// after the folder was made (when it is started), so that nothing is dated after it.
const MADE = new Date();
const clock = () => fixedClock(new Date(Date.now() + 60_000));

const missing = ['openssl', 'cfssl', 'cfssljson', 'kubectl'].filter((tool) => !which(tool));
if (missing.length > 0 && !process.env.CI) console.warn(`\n*** ${missing.join(', ')} not installed: skipping test/node-foreign.test.ts (folders made by other tools). ***\n`);
// Serial: each test runs dozens of openssl/cfssl/kubectl processes; side by side on a busy machine the dials time out.
const foreign = missing.length > 0 && !process.env.CI ? test.skip : test.serial;

function sh(t: ExecutionContext, command: string, args: string[], env: Record<string, string> = {}): void {
  const r = run('env', [...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args]);
  if (r.status !== 0) t.fail(`${command} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
}

/** Each tool's certificate set, made once per test file (each test copies it before changing it). */
const made = new Map<string, Promise<string>>();
function certificates(t: ExecutionContext, tool: 'openssl' | 'cfssl'): Promise<string> {
  if (!made.has(tool)) {
    made.set(tool, (async () => {
      const dir = tempDir(t, `kms-${tool}-`);
      // The file's first test owns the teardown: keep the set for the others by copying it out now.
      const keep = join(process.env.TMPDIR ?? '/tmp', `kms-${tool}-${process.pid}`);
      sh(t, 'bash', [tool === 'openssl' ? OPENSSL_PKI : CFSSL_PKI, dir]);
      cpSync(dir, keep, { recursive: true });
      return keep;
    })());
  }
  return made.get(tool)!;
}
test.after.always(async () => {
  const { rmSync } = await import('node:fs');
  for (const dir of await Promise.all(made.values())) rmSync(dir, { recursive: true, force: true });
});

/**
 * A kubeadm control-plane node whose PKI and kubeconfigs are another tool's: the static Pods and
 * kubelet files from `pki write` (kubeadm's command lines), then certificates copied in and the
 * kubeconfigs made by kubectl. `change` edits the certificate set first (the deliberate mistake).
 */
async function kubeadmNode(t: ExecutionContext, tool: 'openssl' | 'cfssl', change?: (pki: string) => void): Promise<string> {
  const root = tempDir(t);
  const dir = join(root, 'node');
  const pki = join(root, 'pki');
  cpSync(await certificates(t, tool), pki, { recursive: true });
  change?.(pki);
  t.is(await main(['pki', 'write', dir, '--preset', 'kubeadm'], () => {}, () => {}), 0);
  sh(t, 'bash', [KUBEADM_NODE, pki, dir]);
  // kube-proxy's token is the apiserver's to sign (no tool makes one): signed with the folder's own sa.key.
  const key = keyMaterial(createPrivateKey(readFileSync(join(pki, 'sa.key'))));
  const token = serviceAccountToken({ key, namespace: 'kube-system', name: 'kube-proxy', now: MADE, dnsDomain: 'cluster.local' });
  writeFileSync(join(dir, 'var/run/secrets/kubernetes.io/serviceaccount/token'), token);
  return dir;
}

async function dial(dir: string): Promise<{ results: EdgeResult[]; problems: string[] }> {
  const node = await loadNode(dir);
  await using cluster = await defineCluster({ node, clock: clock() }).start();
  return { results: await cluster.dialAll(), problems: node.problems.map((p) => `${p.error.code} ${p.error.message}`) };
}

const outcome = (results: EdgeResult[]) => Object.fromEntries(results.map((r) => [r.edge, `${r.verdict} ${r.reason}`]));
const edge = (results: EdgeResult[], name: string) => results.find((r) => r.edge === name)!;

/** What the kubeadm cluster made in memory gives: the folder made by another tool must give the same. */
async function kubeadmExpected(): Promise<Record<string, string>> {
  await using memory = await defineCluster({ preset: 'kubeadm', clock: clock() }).start();
  return outcome(await memory.dialAll());
}

for (const tool of ['openssl', 'cfssl'] as const) {
  foreign(`${tool}'s kubeadm node: every edge as the kubeadm cluster made in memory`, async (t) => {
    const { results, problems } = await dial(await kubeadmNode(t, tool));
    t.deepEqual(problems, []);
    t.deepEqual(outcome(results), await kubeadmExpected());
  });
}

foreign('openssl\'s kubeadm node, mistake: apiserver-etcd-client.crt signed by the cluster CA, not etcd\'s: etcd refuses it, pinned on --etcd-certfile', async (t) => {
  const dir = await kubeadmNode(t, 'openssl', (pki) => {
    // The slip: `-CA ca.crt` where `-CA etcd/ca.crt` was meant.
    sh(t, 'openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(pki, 'apiserver-etcd-client.key'), '-out', join(pki, 'x.csr'), '-subj', '/CN=kube-apiserver-etcd-client']);
    writeFileSync(join(pki, 'x.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
    sh(t, 'openssl', ['x509', '-req', '-in', join(pki, 'x.csr'), '-CA', join(pki, 'ca.crt'), '-CAkey', join(pki, 'ca.key'), '-days', '365', '-extfile', join(pki, 'x.ext'), '-out', join(pki, 'apiserver-etcd-client.crt')]);
  });
  const { results, problems } = await dial(dir);
  t.deepEqual(problems, []);
  const etcd = edge(results, 'apiserver-to-etcd');
  t.is(etcd.verdict, 'rejected', etcd.summary);
  t.is(etcd.detectedBy, 'server');
  const presented = etcd.client.presented as { file?: string; field?: string; issuer: string };
  t.is(presented.file, '/etc/kubernetes/pki/apiserver-etcd-client.crt');
  t.regex(presented.field ?? '', /--etcd-certfile/);
  t.is(presented.issuer, 'CN=kubernetes');
  t.is(etcd.server.verifiesClientsWith?.file, '/etc/kubernetes/pki/etcd/ca.crt');
  // Only that edge: the rest of the node is as kubeadm's.
  const expected = await kubeadmExpected();
  for (const r of results) if (r.edge !== 'apiserver-to-etcd') t.is(`${r.verdict} ${r.reason}`, expected[r.edge] ?? "", r.edge);
});

foreign('cfssl\'s kubeadm node, mistake: the kubelet\'s client cert made with the "server" profile (no client auth): the apiserver refuses it, pinned on kubelet.conf\'s file', async (t) => {
  const dir = await kubeadmNode(t, 'cfssl', (pki) => {
    sh(t, 'bash', ['-c', `cd '${pki}' && printf '%s' '{"CN": "system:node:control-plane", "names": [{"O": "system:nodes"}], "key": {"algo": "ecdsa", "size": 256}}' | cfssl gencert -ca ca.crt -ca-key ca.key -config profile.json -profile server - 2>/dev/null | cfssljson -bare k && mv k.pem kubelet/kubelet-client.crt && mv k-key.pem kubelet/kubelet-client.key`]);
  });
  const { results, problems } = await dial(dir);
  t.deepEqual(problems, []);
  const kubelet = edge(results, 'kubelet-to-apiserver');
  t.is(kubelet.verdict, 'rejected', kubelet.summary);
  t.is(kubelet.detectedBy, 'server');
  const presented = kubelet.client.presented as { file?: string; extKeyUsage: string[] };
  t.is(presented.file, '/var/lib/kubelet/pki/kubelet-client-current.pem');
  t.deepEqual(presented.extKeyUsage, ['serverAuth']);
  t.regex(kubelet.summary, /usage|client auth|ExtKeyUsage|key usage/i);
  const expected = await kubeadmExpected();
  for (const r of results) if (r.edge !== 'kubelet-to-apiserver') t.is(`${r.verdict} ${r.reason}`, expected[r.edge] ?? "", r.edge);
});

foreign('the Hard Way\'s node (one CA, ca.conf sections, systemd units): every edge as a real cluster judges it', async (t) => {
  const dir = join(tempDir(t), 'node');
  mkdirSync(dir);
  hardWayNode(dir, (cmd, args) => sh(t, cmd, args));
  const { results, problems } = await dial(dir);
  t.deepEqual(problems, []);
  t.deepEqual(outcome(results), HARD_WAY_EXPECTED);
  // The one refusal is the Hard Way's own "RBAC for Kubelet Authorization" step: a ClusterRole bound to
  // the apiserver's user (CN=kubernetes) with kubectl, which lives in etcd, not in the node's files.
  const logs = edge(results, 'apiserver-to-kubelet');
  t.is(logs.identity?.name, 'kubernetes');
  t.is(logs.http?.status, 403);
});

/** Builds the Hard Way's node with one change, dials it, and checks every other edge is as the intact node's. */
async function hardWayMistake(t: ExecutionContext, options: Parameters<typeof hardWayNode>[2], changed: string[]): Promise<EdgeResult[]> {
  const dir = join(tempDir(t), 'node');
  mkdirSync(dir);
  hardWayNode(dir, (cmd, args) => sh(t, cmd, args), options);
  const { results, problems } = await dial(dir);
  t.deepEqual(problems, []);
  for (const r of results) if (!changed.includes(r.edge)) t.is(`${r.verdict} ${r.reason}`, HARD_WAY_EXPECTED[r.edge] ?? '', r.edge);
  return results;
}

foreign('the Hard Way\'s node, mistake: etcd.service\'s --trusted-ca-file names the service-account cert: etcd refuses the apiserver, pinned on that flag and file', async (t) => {
  const etcd = UNITS.etcd!.map((w) => (w.startsWith('--trusted-ca-file=') ? '--trusted-ca-file=/var/lib/kubernetes/service-accounts.crt' : w));
  const results = await hardWayMistake(t, { units: { etcd } }, ['apiserver-to-etcd']);
  const r = edge(results, 'apiserver-to-etcd');
  t.is(r.verdict, 'rejected', r.summary);
  t.is(r.detectedBy, 'server');
  t.is(r.server.verifiesClientsWith?.file, '/var/lib/kubernetes/service-accounts.crt');
  t.regex(r.server.verifiesClientsWith?.field ?? '', /etcd --trusted-ca-file/);
});

foreign('the Hard Way\'s node, mistake: ca.conf\'s kube-api-server section without IP 127.0.0.1: every client dialling 127.0.0.1 refuses kube-api-server.crt', async (t) => {
  const dialling = ['kubectl-to-apiserver', 'scheduler-to-apiserver', 'controller-manager-to-apiserver', 'kube-proxy-to-apiserver', 'kubelet-to-apiserver', 'apiserver-to-etcd'];
  const conf = caConf('IP.1 = 10.32.0.1\nDNS.0 = kubernetes\nDNS.1 = kubernetes.default\nDNS.5 = server.kubernetes.local');
  const results = await hardWayMistake(t, { conf }, dialling);
  for (const name of dialling) {
    const r = edge(results, name);
    t.is(`${r.verdict} ${r.detectedBy}`, 'rejected client', `${name}: ${r.summary}`);
    t.true(r.server.presented?.file === '/var/lib/kubernetes/kube-api-server.crt' || r.server.presented?.file === '/etc/etcd/kube-api-server.crt', `${name}: ${r.server.presented?.file}`);
    t.regex(r.summary, /127\.0\.0\.1/);
  }
});

/** The Hard Way's node as a real cluster judges it (see the test for the one refusal). */
const HARD_WAY_EXPECTED: Record<string, string> = {
  'kubectl-to-apiserver': 'ok OK', 'apiserver-to-etcd': 'ok OK', 'scheduler-to-apiserver': 'ok OK', 'controller-manager-to-apiserver': 'ok OK',
  'kube-proxy-to-apiserver': 'ok OK', 'kubelet-to-apiserver': 'ok OK', 'apiserver-to-kubelet': 'rejected FORBIDDEN',
};
