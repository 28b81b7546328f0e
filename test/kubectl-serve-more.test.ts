import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ExecutionContext } from 'ava';
import { authorize } from '../lib/authz/authorize.js';
import { startServe } from '../lib/cli/serve.js';
import { WALL_DAY_TIME } from './helpers/pki.js';
import { kubectlPath, tempDir, testWithTool } from './helpers/tools.js';

/**
 * The real kubectl's everyday commands against `kube-mtls-sim serve`: get nodes, get pods, cluster-info,
 * auth can-i, get csr -w, the health endpoints. Shapes as in real-peers.md §2 (Table, aggregated
 * discovery). kubectl runs asynchronously: the server runs in this process.
 */
const run = promisify(execFile);
const kubectl = kubectlPath() ?? 'kubectl';
const kubectlTest = testWithTool('kubectl', kubectlPath());

async function lab(t: ExecutionContext) {
  const dir = join(tempDir(t), 'lab');
  const { cluster, kubeconfigs } = await startServe([dir, '--now', WALL_DAY_TIME], () => {});
  t.teardown(() => cluster.stop());
  const admin = kubeconfigs[0]!;
  const args = (kubeconfig: string) => ['--kubeconfig', kubeconfig, '--cache-dir', tempDir(t, 'kubectl-cache-')];
  const k = async (argv: string[], kubeconfig = admin) => {
    try {
      const { stdout, stderr } = await run(kubectl, [...args(kubeconfig), ...argv], { timeout: 30_000, cwd: dir });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  return { dir, cluster, admin, k, args };
}

/** The admin kubeconfig with the kubelet's client certificate (system:node:<node>, O=system:nodes) in its place. */
function nodeKubeconfig(dir: string, admin: string): string {
  const pkiDir = join(dir, 'var/lib/kubelet/pki');
  const pem = readFileSync(join(pkiDir, readdirSync(pkiDir).find((f) => f.startsWith('kubelet-client-'))!), 'utf8');
  const cert = /-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----\n/.exec(pem)![0];
  const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----[^]*?-----END [A-Z ]*PRIVATE KEY-----\n/.exec(pem)![0];
  const file = join(dir, 'node.kubeconfig');
  writeFileSync(file, readFileSync(admin, 'utf8')
    .replace(/client-certificate-data: \S+/, `client-certificate-data: ${Buffer.from(cert).toString('base64')}`)
    .replace(/client-key-data: \S+/, `client-key-data: ${Buffer.from(key).toString('base64')}`));
  return file;
}

kubectlTest('kubectl get nodes, get pods -A, get pods -o wide, get namespaces: the Table columns of a real apiserver', async (t) => {
  const { k, cluster } = await lab(t);
  const nodes = await k(['get', 'nodes']);
  t.is(nodes.code, 0, nodes.stderr);
  t.regex(nodes.stdout, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m);
  t.regex(nodes.stdout, /^control-plane\s+Ready\s+control-plane\s+0s\s+v1\.32\.0$/m);
  const wide = await k(['get', 'nodes', '-o', 'wide']);
  t.regex(wide.stdout, /^control-plane\s+Ready\s+control-plane\s+0s\s+v1\.32\.0\s+10\.0\.0\.10\s+<none>/m);
  // The Node object: its addresses and the port its kubelet really listens on.
  const node = JSON.parse((await k(['get', 'node', 'control-plane', '-o', 'json'])).stdout);
  t.deepEqual(node.status.addresses, [{ type: 'InternalIP', address: '10.0.0.10' }, { type: 'Hostname', address: 'control-plane' }]);
  t.is(node.status.daemonEndpoints.kubeletEndpoint.Port, cluster.servers.kubelet.port);
  const all = await k(['get', 'pods', '-A']);
  t.is(all.code, 0, all.stderr);
  t.regex(all.stdout, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
  for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    t.regex(all.stdout, new RegExp(`^kube-system\\s+${c}-control-plane\\s+1/1\\s+Running\\s+0\\s+0s$`, 'm'));
  }
  const podsWide = await k(['get', 'pods', '-n', 'kube-system', '-o', 'wide']);
  t.regex(podsWide.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
  t.regex(podsWide.stdout, /^kube-apiserver-control-plane\s+1\/1\s+Running\s+0\s+0s\s+10\.0\.0\.10\s+control-plane\s+<none>\s+<none>$/m);
  const none = await k(['get', 'pods']);
  t.regex(none.stderr, /No resources found in default namespace\./);
  const namespaces = await k(['get', 'ns']);
  t.regex(namespaces.stdout, /^kube-system\s+Active\s+0s$/m);
  const missing = await k(['get', 'pod', '-n', 'kube-system', 'nosuch']);
  t.regex(missing.stderr, /Error from server \(NotFound\): pods "nosuch" not found/);
});

kubectlTest('kubectl cluster-info and get --raw /healthz, /livez, /readyz?verbose', async (t) => {
  const { k, cluster } = await lab(t);
  const info = await k(['cluster-info']);
  t.is(info.code, 0, info.stderr);
  t.regex(info.stdout, new RegExp(`Kubernetes control plane is running at https://127\\.0\\.0\\.1:${cluster.servers['kube-apiserver'].port}`));
  t.is((await k(['get', '--raw', '/healthz'])).stdout, 'ok');
  t.is((await k(['get', '--raw', '/livez'])).stdout, 'ok');
  const verbose = await k(['get', '--raw', '/readyz?verbose']);
  t.regex(verbose.stdout, /^\[\+\]ping ok$/m);
  t.regex(verbose.stdout, /^\[\+\]etcd ok$/m);
  t.regex(verbose.stdout, /^readyz check passed$/m);
});

kubectlTest('kubectl auth can-i and can-i --list: the simulated authorizer answers for whoever asks', async (t) => {
  const { dir, admin, k } = await lab(t);
  const yes = await k(['auth', 'can-i', 'create', 'certificatesigningrequests']);
  t.is(yes.stdout.trim(), 'yes', yes.stderr);
  t.is(yes.code, 0);
  const node = nodeKubeconfig(dir, admin);
  const whoami = await k(['auth', 'whoami'], node);
  t.regex(whoami.stdout, /^Username\s+system:node:control-plane$/m, whoami.stderr);
  // What the node may do is the authorizer's to say (Node, then RBAC): kubectl prints its answer.
  const user = { name: 'system:node:control-plane', groups: ['system:nodes', 'system:authenticated'] };
  const ask = (verb: string, resource: string, apiGroup = '') => authorize({ user, verb, resourceRequest: true, apiGroup, resource }, { modes: ['Node', 'RBAC'] }).allowed;
  const csr = await k(['auth', 'can-i', 'create', 'certificatesigningrequests'], node);
  t.is(csr.stdout.trim().split(' ')[0], ask('create', 'certificatesigningrequests', 'certificates.k8s.io') ? 'yes' : 'no', csr.stderr);
  t.false(ask('list', 'namespaces'));
  const ns = await k(['auth', 'can-i', 'list', 'namespaces'], node);
  t.is(ns.stdout.trim(), 'no');
  t.is(ns.code, 1);
  // …and the request itself is refused in Kubernetes' words.
  const refused = await k(['get', 'namespaces'], node);
  t.regex(refused.stderr, /Error from server \(Forbidden\): namespaces is forbidden: User "system:node:control-plane" cannot list resource "namespaces" in API group "" at the cluster scope/);
  const list = await k(['auth', 'can-i', '--list']);
  t.regex(list.stdout, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
  t.regex(list.stdout, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
});

kubectlTest('kubectl get csr -w: the list, then the approval and a new CSR arrive as watch events', async (t) => {
  const { dir, k, args, admin } = await lab(t);
  const csrYaml = async (name: string) => {
    await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, `${name}.key`), '-subj', `/O=devs/CN=${name}`, '-out', join(dir, `${name}.csr`)]);
    const request = readFileSync(join(dir, `${name}.csr`)).toString('base64');
    writeFileSync(join(dir, `${name}.yaml`), `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: ${name}\nspec:\n  request: ${request}\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n`);
  };
  await csrYaml('alice');
  await csrYaml('bob');
  t.is((await k(['create', '-f', 'alice.yaml'])).code, 0);
  const watch = spawn(kubectl, [...args(admin), 'get', 'csr', '-w'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => watch.kill());
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  watch.stdout.on('data', (d: Buffer) => { out += d; waiters.forEach((w) => w()); });
  watch.stderr.on('data', (d: Buffer) => { err += d; });
  const exited = new Promise<never>((_, reject) => watch.once('exit', (code) => reject(new Error(`kubectl get csr -w exited (${code}): ${err}`))));
  // Waits on kubectl's output, no sleeping: resolves when a line matches, fails if kubectl ends first.
  const line = (re: RegExp) => Promise.race([exited, new Promise<void>((resolve) => {
    const check = () => re.test(out) && resolve();
    waiters.push(check);
    check();
  })]);
  await line(/^alice\s.*\sPending$/m);
  t.is((await k(['certificate', 'approve', 'alice'])).code, 0);
  await line(/^alice\s.*\sApproved,Issued$/m);
  t.is((await k(['create', '-f', 'bob.yaml'])).code, 0);
  await line(/^bob\s.*\sPending$/m);
  t.regex(out, /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/m);
  t.false(watch.exitCode !== null, 'the watch stays open until the client goes');
  const gone = new Promise((resolve) => watch.once('exit', resolve));
  watch.kill();
  await gone;
});
