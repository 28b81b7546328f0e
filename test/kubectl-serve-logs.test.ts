import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ExecutionContext } from 'ava';
import { main } from '../lib/cli/main.js';
import { startServe } from '../lib/cli/serve.js';
import { WALL_DAY_TIME } from './helpers/pki.js';
import { kubectlPath, tempDir, testWithTool } from './helpers/tools.js';

/**
 * `kubectl logs` and `kubectl exec` against `serve`: the apiserver reaches the kubelet over the
 * apiserver→kubelet edge (the same dial the scenario engine judges), so a broken edge breaks them
 * with the words a real cluster prints; and a path the apiserver does not serve is its 404 Status.
 */
const run = promisify(execFile);
const kubectl = kubectlPath() ?? 'kubectl';
const kubectlTest = testWithTool('kubectl', kubectlPath());
const POD = 'kube-apiserver-control-plane';

/**
 * serve on a node folder written by `pki write` with `args` (faults, flags). The manifest of ours is
 * removed: serve then runs the node's own flags and files, as for a folder copied off a real node.
 */
async function lab(t: ExecutionContext, args: string[] = []) {
  const dir = join(tempDir(t), 'node');
  t.is(await main(['pki', 'write', dir, '--now', WALL_DAY_TIME, ...args], () => {}, () => {}), 0);
  if (args.length > 0) rmSync(join(dir, 'kube-mtls-sim.json'));
  const { cluster, kubeconfigs } = await startServe([dir, '--now', WALL_DAY_TIME], () => {});
  t.teardown(() => cluster.stop());
  const k = async (argv: string[]) => {
    try {
      const { stdout, stderr } = await run(kubectl, ['--kubeconfig', kubeconfigs[0]!, '--cache-dir', tempDir(t, 'kubectl-cache-'), ...argv], { timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  return { cluster, k };
}

kubectlTest('a healthy apiserver→kubelet edge: kubectl logs prints the kubelet\'s log; exec gets the kubelet\'s own answer (no container runtime)', async (t) => {
  const { cluster, k } = await lab(t);
  t.is((await cluster.dial('apiserver-to-kubelet')).verdict, 'insecure'); // kubeadm: --kubelet-certificate-authority unset, the kubelet is not verified
  const logs = await k(['logs', '-n', 'kube-system', POD]);
  t.is(logs.code, 0, logs.stderr);
  t.regex(logs.stdout, /^I\d{4} [\d:.]+ +1 server.go:160\] "Starting" component="kube-apiserver" pod="kube-system\/kube-apiserver-control-plane"/m);
  const exec = await k(['exec', '-n', 'kube-system', POD, '--', 'date']);
  t.is(exec.code, 1);
  t.is(exec.stderr.trim(), 'error: Internal error occurred: unable to upgrade connection: container not found ("kube-apiserver")');
  const missing = await k(['logs', '-n', 'kube-system', 'nosuch']);
  t.regex(missing.stderr, /pods "nosuch" not found/);
});

kubectlTest('a TLS failure on the apiserver→kubelet edge: logs and exec fail with kube-apiserver\'s proxy errors, the edge\'s own verification error', async (t) => {
  // The apiserver verifies the kubelet with the cluster CA, but kubeadm's kubelet serves a self-signed certificate.
  const { cluster, k } = await lab(t, ['--flag', 'kube-apiserver:--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt']);
  const edge = await cluster.dial('apiserver-to-kubelet');
  t.is(edge.verdict, 'rejected');
  t.is(edge.detectedBy, 'client');
  const tlsError = `tls: failed to verify certificate: ${edge.client.saw.verification!}`;
  const logs = await k(['logs', '-n', 'kube-system', POD]);
  t.is(logs.code, 1);
  t.is(logs.stderr.trim(), `Error from server: Get "https://10.0.0.10:10250/containerLogs/kube-system/${POD}/kube-apiserver": ${tlsError}`);
  // The scenario engine's report of the edge says the same line.
  t.true(edge.messages.some((m) => m.text === logs.stderr.trim()), JSON.stringify(edge.messages));
  const exec = await k(['exec', '-n', 'kube-system', POD, '--', 'date']);
  t.is(exec.code, 1);
  t.is(exec.stderr.trim(), `error: Internal error occurred: error sending request: Post "https://10.0.0.10:10250/exec/kube-system/${POD}/kube-apiserver?command=date&error=1&output=1": ${tlsError}`);
});

kubectlTest('the kubelet refuses the apiserver (403): logs is Forbidden naming pods/log, exec cannot upgrade', async (t) => {
  // kubeadm's apiserver-kubelet-client without O=kubeadm:cluster-admins: the kubelet's Webhook authorizer says no.
  const { cluster, k } = await lab(t, ['--fault', 'apiserver-kubelet-client=subject:o=']);
  const edge = await cluster.dial('apiserver-to-kubelet');
  t.is(edge.reason, 'FORBIDDEN');
  const logs = await k(['logs', '-n', 'kube-system', POD]);
  t.is(logs.code, 1);
  const line = `Error from server (Forbidden): Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy) ( pods/log ${POD})`;
  t.is(logs.stderr.trim(), line);
  t.true(edge.messages.some((m) => m.text === line), JSON.stringify(edge.messages));
  const exec = await k(['exec', '-n', 'kube-system', POD, '--', 'date']);
  t.is(exec.code, 1);
  t.is(exec.stderr.trim(), 'error: Internal error occurred: unable to upgrade connection: Forbidden (user=kube-apiserver-kubelet-client, verb=create, resource=nodes, subresource=proxy)');
});

kubectlTest('a path the apiserver does not serve is 404 with Kubernetes\' Status; leases are listed by discovery and read', async (t) => {
  const { k } = await lab(t);
  const nope = await k(['get', '--raw', '/apis/nope.example.com/v1']);
  t.is(nope.code, 1);
  t.is(nope.stderr.trim(), 'Error from server (NotFound): the server could not find the requested resource');
  const configmaps = await k(['get', '--raw', '/api/v1/namespaces/default/configmaps']);
  t.is(configmaps.stderr.trim(), 'Error from server (NotFound): the server could not find the requested resource');
  const leases = await k(['get', 'leases', '-n', 'kube-system']);
  t.is(leases.code, 0, leases.stderr);
  t.regex(leases.stdout, /^kube-controller-manager\b/m);
});
