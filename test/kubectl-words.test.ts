import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { parse, stringify } from 'yaml';
import { defineCluster, type StartedCluster } from '../lib/cluster/cluster.js';
import { fixedClock } from '../lib/clock.js';
import { generatePki } from '../lib/layout/generate.js';
import { kubectlPath, tempDir, testWithTool } from './helpers/tools.js';

// The real kubectl 1.32 on the same files as the simulated kubectl-to-apiserver edge, whose request
// is `kubectl get pods -n kube-system` (issue 12: kubectl's words per command).
const kubectl = kubectlPath();
const kubectlTest = testWithTool('kubectl', kubectl);
// kubectl checks the serving certificate at the wall-clock time: the cluster's (fixed) clock is now.
const clock = fixedClock(new Date().toISOString());

/** The cluster's own admin.conf, pointed at the simulated apiserver's real port (its serving certificate has no 127.0.0.1 SAN: the name kubernetes is checked). */
function adminConf(t: ExecutionContext, cluster: StartedCluster): { file: string; cacheDir: string } {
  const doc = parse(cluster.fs.read('/etc/kubernetes/admin.conf', 'test').toString('utf8')) as { clusters: Array<{ cluster: Record<string, string> }> };
  doc.clusters[0]!.cluster.server = `https://127.0.0.1:${cluster.servers['kube-apiserver'].port}`;
  doc.clusters[0]!.cluster['tls-server-name'] = 'kubernetes';
  const dir = tempDir(t, 'kms-kubectl-words-');
  writeFileSync(join(dir, 'admin.conf'), stringify(doc), { mode: 0o600 });
  return { file: join(dir, 'admin.conf'), cacheDir: join(dir, 'cache') };
}

/** kubectl, asynchronously (the server runs in this process), stdin closed. */
function runKubectl(conf: { file: string; cacheDir: string }, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(kubectl ?? 'kubectl', ['--kubeconfig', conf.file, '--cache-dir', conf.cacheDir, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

kubectlTest('a client certificate the apiserver rejects: the edge prints what `kubectl get pods` prints (discovery lines, then the error), not the words of `get --raw`', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await generatePki({ clock, faults: { admin: { kind: 'signed-by', issuer: 'etcd-ca' } } }) }).start();
  const result = await cluster.dial('kubectl-to-apiserver');
  t.like(result, { verdict: 'rejected', stage: 'authn', reason: 'UNKNOWN_AUTHORITY' });
  const said = result.messages.filter((m) => m.component === 'kubectl').map((m) => m.text);
  const conf = adminConf(t, cluster);
  const real = await runKubectl(conf, ['get', 'pods', '-n', 'kube-system']);
  t.is(real.code, 1);
  const lines = real.stderr.trim().split('\n');
  // The final line word for word; the discovery lines by their text after klog's header.
  t.is(said.at(-1), lines.at(-1));
  t.is(said.length, 2);
  const discovery = lines.slice(0, -1);
  t.true(discovery.length > 0);
  for (const line of discovery) t.true(line.endsWith(said[0]!), `${line}\n does not end with\n${said[0]}`);
  // The other commands kubectl would run say it differently: what the edge does not model.
  for (const args of [['get', '--raw', '/version'], ['auth', 'whoami']]) {
    t.is((await runKubectl(conf, args)).stderr.trim(), 'error: You must be logged in to the server (Unauthorized)', args.join(' '));
  }
});
