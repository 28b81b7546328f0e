import { execFile } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { parse, stringify } from 'yaml';
import { defineCluster, type StartedCluster } from '../lib/cluster/cluster.js';
import { clock } from './helpers/pki.js';
import { kubectlPath, tempDir, testWithTool } from './helpers/tools.js';

// kubectl's credential prompt (issue 12): a kubeconfig user with no credential makes kubectl ask for
// a username on stdin and send nothing; the components' client-go has no prompt and sends the
// request anonymously.
const ADMIN = '/etc/kubernetes/admin.conf';
const noCert = { 'users.0.user.client-certificate-data': null, 'users.0.user.client-key-data': null };
const kubectl = kubectlPath();
const kubectlTest = testWithTool('kubectl', kubectl);

test('kubectl with a kubeconfig user that has no credential: a config-error on its side, the prompt and EOF as kubectl prints them, nothing dialled', async (t) => {
  await using cluster = await defineCluster({ clock, kubeconfigEdits: { [ADMIN]: noCert } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.like(r, {
    verdict: 'config-error', stage: 'config', detectedBy: 'client', reason: 'CREDENTIALS_PROMPT', identity: null,
    cause: { kind: 'config-error', side: 'client', component: 'kubectl', code: 'ERR_KUBECONFIG_PROMPT', goMessage: 'EOF', file: ADMIN, field: 'users[0].user' },
  });
  t.deepEqual(r.messages, [
    { component: 'kubectl', where: 'stdout', text: 'Please enter Username: ' },
    { component: 'kubectl', where: 'stderr', text: 'error: EOF' },
  ]);
  // Nothing was dialled: no address, no handshake.
  t.is(r.client.dialled, '');
  t.is(r.timings.handshakeMs, undefined);
});

test('a username is enough for client-go not to prompt: kubectl sends the request, which is anonymous to kube-apiserver (no basic auth)', async (t) => {
  await using cluster = await defineCluster({ clock, kubeconfigEdits: { [ADMIN]: { ...noCert, 'users.0.user.username': 'bob' } } }).start();
  const r = await cluster.dial('kubectl-to-apiserver');
  t.like(r, { verdict: 'rejected', reason: 'FORBIDDEN', identity: { name: 'system:anonymous' } });
});

test('the scheduler with the same kubeconfig user does not prompt: its request is anonymous, 403', async (t) => {
  await using cluster = await defineCluster({ clock, kubeconfigEdits: { '/etc/kubernetes/scheduler.conf': noCert } }).start();
  const r = await cluster.dial('scheduler-to-apiserver');
  t.like(r, { verdict: 'rejected', stage: 'authz', reason: 'FORBIDDEN', identity: { name: 'system:anonymous' } });
});

/** A TCP listener that only counts the connections it gets (kubectl must not make any). */
async function countingListener(t: ExecutionContext): Promise<{ port: number; count: () => number }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  }));
  return { port: (server.address() as { port: number }).port, count: () => connections };
}

/** The cluster's admin.conf (after the edits), pointed at `port`. */
function adminConfAt(t: ExecutionContext, cluster: StartedCluster, port: number): string {
  const doc = parse(cluster.fs.read(ADMIN, 'test').toString('utf8')) as { clusters: Array<{ cluster: Record<string, string> }> };
  doc.clusters[0]!.cluster.server = `https://127.0.0.1:${port}`;
  const dir = tempDir(t, 'kms-kubectl-prompt-');
  writeFileSync(join(dir, 'admin.conf'), stringify(doc), { mode: 0o600 });
  return join(dir, 'admin.conf');
}

/** kubectl, stdin closed; by default the edge's own request (`get pods -n kube-system`). */
function runKubectl(file: string, cacheDir: string, args = ['get', 'pods', '-n', 'kube-system']): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(kubectl ?? 'kubectl', ['--kubeconfig', file, '--cache-dir', cacheDir, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

kubectlTest('the real kubectl on the same admin.conf prints what the edge says and connects nowhere; with a username it connects', async (t) => {
  await using cluster = await defineCluster({ clock, kubeconfigEdits: { [ADMIN]: noCert } }).start();
  const said = (await cluster.dial('kubectl-to-apiserver')).messages;
  const listener = await countingListener(t);
  const file = adminConfAt(t, cluster, listener.port);
  const real = await runKubectl(file, join(tempDir(t, 'kms-kubectl-cache-'), 'cache'));
  t.is(real.code, 1);
  t.is(real.stdout, said.find((m) => m.where === 'stdout')?.text ?? '(no stdout line)');
  t.is(real.stderr.trim(), said.find((m) => m.where === 'stderr')?.text ?? '(no stderr line)');
  t.is(listener.count(), 0);

  // The rule's edge: a username alone identifies the user for client-go, and kubectl dials (`get
  // --raw` gives up at the first reset; `get pods` would retry discovery for seconds).
  await using named = await defineCluster({ clock, kubeconfigEdits: { [ADMIN]: { ...noCert, 'users.0.user.username': 'bob' } } }).start();
  const withName = await runKubectl(adminConfAt(t, named, listener.port), join(tempDir(t, 'kms-kubectl-cache-'), 'cache'), ['get', '--raw', '/version']);
  t.not(withName.stdout, 'Please enter Username: ');
  t.true(listener.count() > 0, withName.stderr);
});
