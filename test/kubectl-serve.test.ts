import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ExecutionContext } from 'ava';
import { fixedClock } from '../lib/clock.js';
import { startServe } from '../lib/cli/serve.js';
import { buildKubeconfig, stringifyKubeconfig } from '../lib/kubeconfig/build.js';
import { generatePki } from '../lib/layout/generate.js';
import { WALL_DAY_TIME } from './helpers/pki.js';
import { kubectlPath, tempDir, testWithTool, which } from './helpers/tools.js';

/**
 * The real kubectl against `kube-mtls-sim serve`, every command a teaching lab types. The server
 * runs in this process, so kubectl runs asynchronously (a blocking spawn would starve the server).
 */
const run = promisify(execFile);
const kubectl = kubectlPath();
const kubectlTest = testWithTool('kubectl', kubectl);
const cfsslTest = testWithTool('cfssl', which('cfssl') && which('cfssljson') && which('openssl'));

async function lab(t: ExecutionContext) {
  const dir = join(tempDir(t), 'lab');
  const { cluster, kubeconfigs } = await startServe([dir, '--now', WALL_DAY_TIME], () => {});
  t.teardown(() => cluster.stop());
  const admin = kubeconfigs[0]!;
  const k = async (args: string[], kubeconfig = admin, input?: string) => {
    const cacheDir = tempDir(t, 'kubectl-cache-');
    try {
      const child = run(kubectl ?? 'kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 30_000, cwd: dir });
      if (input !== undefined) child.child.stdin?.end(input);
      const { stdout, stderr } = await child;
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  return { dir, cluster, admin, k };
}

async function opensslCsr(dir: string, name: string, subject: string): Promise<string> {
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, `${name}.key`), '-subj', subject, '-out', join(dir, `${name}.csr`)]);
  return readFileSync(join(dir, `${name}.csr`)).toString('base64');
}

function csrYaml(name: string, request: string, signerName: string, usages: string[], extra = ''): string {
  return `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: ${name}\nspec:\n  request: ${request}\n  signerName: ${signerName}\n${extra}  usages:\n${usages.map((u) => `  - ${u}`).join('\n')}\n`;
}

kubectlTest('kubectl get --raw /version, version and auth whoami', async (t) => {
  const { k } = await lab(t);
  const raw = await k(['get', '--raw', '/version']);
  t.is(raw.code, 0, raw.stderr);
  t.like(JSON.parse(raw.stdout), { major: '1', minor: '32' });
  const version = await k(['version']);
  t.regex(version.stdout, /^Server Version: v1\.32\.0-kube-mtls-sim$/m);
  const whoami = await k(['auth', 'whoami']);
  t.is(whoami.code, 0, whoami.stderr);
  t.regex(whoami.stdout, /^Username\s+kubernetes-admin$/m);
  t.regex(whoami.stdout, /^Groups\s+\[kubeadm:cluster-admins system:authenticated\]$/m);
});

kubectlTest('the CSR flow: create with validation, get csr columns, approve (protobuf), fetch, use the certificate', async (t) => {
  const { dir, k, cluster } = await lab(t);
  t.regex((await k(['get', 'csr'])).stderr, /No resources found/);
  const request = await opensslCsr(dir, 'alice', '/O=devs/CN=alice');
  writeFileSync(join(dir, 'alice.yaml'), csrYaml('alice', request, 'kubernetes.io/kube-apiserver-client', ['client auth'], '  expirationSeconds: 86400\n'));
  const created = await k(['create', '-f', 'alice.yaml']);
  t.is(created.code, 0, created.stderr);
  t.is(created.stdout.trim(), 'certificatesigningrequest.certificates.k8s.io/alice created');
  const pending = await k(['get', 'csr']);
  t.regex(pending.stdout, /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/m);
  t.regex(pending.stdout, /^alice\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+kubernetes-admin\s+24h\s+Pending$/m);
  const approved = await k(['certificate', 'approve', 'alice']);
  t.is(approved.stdout.trim(), 'certificatesigningrequest.certificates.k8s.io/alice approved', approved.stderr);
  t.regex((await k(['get', 'csr'])).stdout, /^alice\s.*\sApproved,Issued$/m);
  const yaml = await k(['get', 'csr', '-o', 'yaml']);
  t.regex(yaml.stdout, /reason: KubectlApprove/);
  t.regex(yaml.stdout, /message: This CSR was approved by kubectl certificate approve\./);
  const pem = Buffer.from((await k(['get', 'csr', 'alice', '-o', 'jsonpath={.status.certificate}'])).stdout, 'base64').toString();
  writeFileSync(join(dir, 'alice.crt'), pem);
  const verify = await run('openssl', ['verify', '-attime', String(Date.parse(WALL_DAY_TIME) / 1000), '-CAfile', join(dir, 'etc/kubernetes/pki/ca.crt'), '-purpose', 'sslclient', join(dir, 'alice.crt')]);
  t.regex(verify.stdout, /OK/);
  // Use it: a kubeconfig with the issued certificate authenticates as alice in group devs.
  const adminDoc = readFileSync(join(dir, 'kube-mtls-sim/admin.kubeconfig'), 'utf8');
  const server = /server: (\S+)/.exec(adminDoc)![1]!;
  const aliceKubeconfig = join(dir, 'alice.kubeconfig');
  writeFileSync(aliceKubeconfig, stringifyKubeconfig(buildKubeconfig({
    clusterName: 'sim', contextName: 'alice', userName: 'alice',
    cluster: { server, 'certificate-authority-data': /certificate-authority-data: (\S+)/.exec(adminDoc)![1]!, 'tls-server-name': 'kubernetes' },
    user: { 'client-certificate-data': Buffer.from(pem).toString('base64'), 'client-key-data': readFileSync(join(dir, 'alice.key')).toString('base64') },
  })));
  const whoami = await k(['auth', 'whoami'], aliceKubeconfig);
  t.regex(whoami.stdout, /^Username\s+alice$/m, whoami.stderr);
  t.regex(whoami.stdout, /^Groups\s+\[devs system:authenticated\]$/m);
  t.is(cluster.csrs.get('alice')?.status.conditions?.[0]?.reason, 'KubectlApprove');
});

kubectlTest('certificate deny, and the errors kubectl prints: NotFound, AlreadyExists, Invalid, Forbidden, Unauthorized', async (t) => {
  const { dir, k } = await lab(t);
  const request = await opensslCsr(dir, 'bob', '/O=devs/CN=bob');
  writeFileSync(join(dir, 'bob.yaml'), csrYaml('bob', request, 'kubernetes.io/kube-apiserver-client', ['client auth']));
  t.is((await k(['create', '-f', 'bob.yaml'])).code, 0);
  const denied = await k(['certificate', 'deny', 'bob']);
  t.is(denied.stdout.trim(), 'certificatesigningrequest.certificates.k8s.io/bob denied', denied.stderr);
  t.regex((await k(['get', 'csr', 'bob'])).stdout, /\sDenied$/m);
  const again = await k(['certificate', 'approve', 'bob']);
  t.not(again.code, 0);
  t.regex(again.stderr, /certificate signing request "bob" is already Denied/);
  const notFound = await k(['get', 'csr', 'nosuch']);
  t.regex(notFound.stderr, /Error from server \(NotFound\): certificatesigningrequests\.certificates\.k8s\.io "nosuch" not found/);
  const exists = await k(['create', '-f', 'bob.yaml']);
  t.regex(exists.stderr, /Error from server \(AlreadyExists\): error when creating "bob\.yaml": certificatesigningrequests\.certificates\.k8s\.io "bob" already exists/);
  writeFileSync(join(dir, 'bad.yaml'), csrYaml('bad', request, 'kubernetes.io/kube-apiserver-client', [], '  expirationSeconds: 60\n').replace('  usages:\n\n', ''));
  const invalid = await k(['create', '-f', 'bad.yaml']);
  // kube-apiserver's validation order (request, usages, signerName, expirationSeconds), one bullet per cause.
  t.regex(invalid.stderr, /The CertificateSigningRequest "bad" is invalid: \n\* spec\.usages: Required value\n\* spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds \(10 minutes\)/);
  const masters = await opensslCsr(dir, 'root', '/O=system:masters/CN=root');
  writeFileSync(join(dir, 'root.yaml'), csrYaml('root', masters, 'kubernetes.io/kube-apiserver-client', ['client auth']));
  const restricted = await k(['create', '-f', 'root.yaml']);
  t.regex(restricted.stderr, /Error from server \(Forbidden\): error when creating "root\.yaml": certificatesigningrequests\.certificates\.k8s\.io "root" is forbidden: use of kubernetes\.io\/kube-apiserver-client signer with system:masters group is not allowed/);
  // A kubeconfig whose client certificate comes from another cluster: 401.
  const stranger = await generatePki({ clock: fixedClock(WALL_DAY_TIME), keyNamespace: 'kubectl-stranger' });
  const adminDoc = readFileSync(join(dir, 'kube-mtls-sim/admin.kubeconfig'), 'utf8');
  const strangerKubeconfig = join(dir, 'stranger.kubeconfig');
  writeFileSync(strangerKubeconfig, adminDoc
    .replace(/client-certificate-data: \S+/, `client-certificate-data: ${Buffer.from(stranger.certs.get('admin')!.cert.pem).toString('base64')}`)
    .replace(/client-key-data: \S+/, `client-key-data: ${Buffer.from(stranger.certs.get('admin')!.key.pem).toString('base64')}`));
  const unauthorized = await k(['get', 'csr'], strangerKubeconfig);
  t.regex(unauthorized.stderr, /error: You must be logged in to the server \(the server has asked for the client to provide credentials\)|error: You must be logged in to the server \(Unauthorized\)/);
});

cfsslTest('the reference document\'s flow with real tools: cfssl genkey, kubectl create, approve, a custom signer, openssl verify, use', async (t) => {
  const { dir, k } = await lab(t);
  const sh = (script: string) => run('bash', ['-c', script], { cwd: dir });
  await sh(`cat <<'EOF' | cfssl genkey - | cfssljson -bare server
{"hosts":["my-svc.my-namespace.svc.cluster.local","my-pod.my-namespace.pod.cluster.local","192.0.2.24","10.0.34.2"],"CN":"my-pod.my-namespace.pod.cluster.local","key":{"algo":"ecdsa","size":256}}
EOF`);
  const request = readFileSync(join(dir, 'server.csr')).toString('base64');
  writeFileSync(join(dir, 'csr.yaml'), csrYaml('my-svc.my-namespace', request, 'example.com/serving', ['digital signature', 'key encipherment', 'server auth']));
  t.is((await k(['create', '-f', 'csr.yaml'])).code, 0);
  t.regex((await k(['get', 'csr'])).stdout, /^my-svc\.my-namespace\s+\S+\s+example\.com\/serving\s+kubernetes-admin\s+<none>\s+Pending$/m);
  t.is((await k(['certificate', 'approve', 'my-svc.my-namespace'])).code, 0);
  // No built-in signer handles example.com/serving: approved, but nobody issues it.
  t.regex((await k(['get', 'csr'])).stdout, /^my-svc\.my-namespace\s.*\sApproved$/m);
  // Act as that signer, as the Kubernetes docs do: cfssl signs with our own CA, the certificate goes into /status.
  await sh(`cat <<'EOF' | cfssl gencert -initca - | cfssljson -bare ca
{"CN":"My Example Signer","key":{"algo":"rsa","size":2048}}
EOF
cat > signing.json <<'EOF'
{"signing":{"default":{"usages":["digital signature","key encipherment","server auth"],"expiry":"876000h","ca_constraint":{"is_ca":false}}}}
EOF
cat server.csr | cfssl sign -ca ca.pem -ca-key ca-key.pem -config signing.json - | cfssljson -bare ca-signed-server`);
  const csr = JSON.parse((await k(['get', 'csr', 'my-svc.my-namespace', '-o', 'json'])).stdout);
  csr.status.certificate = readFileSync(join(dir, 'ca-signed-server.pem')).toString('base64');
  writeFileSync(join(dir, 'signed.json'), JSON.stringify(csr));
  const replaced = await k(['replace', '--raw', '/apis/certificates.k8s.io/v1/certificatesigningrequests/my-svc.my-namespace/status', '-f', 'signed.json']);
  t.is(replaced.code, 0, replaced.stderr);
  t.regex((await k(['get', 'csr'])).stdout, /^my-svc\.my-namespace\s.*\sApproved,Issued$/m);
  const fetched = Buffer.from((await k(['get', 'csr', 'my-svc.my-namespace', '-o', 'jsonpath={.status.certificate}'])).stdout, 'base64');
  writeFileSync(join(dir, 'issued.crt'), fetched);
  const verify = await run('openssl', ['verify', '-CAfile', 'ca.pem', '-purpose', 'sslserver', 'issued.crt'], { cwd: dir });
  t.regex(verify.stdout, /issued\.crt: OK/);
  // Use it: a TLS server with the issued certificate, checked by name as a client in the cluster would.
  const { createServer, connect } = await import('node:tls');
  const server = createServer({ cert: fetched, key: readFileSync(join(dir, 'server-key.pem')) }, (s) => s.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: (server.address() as { port: number }).port, servername: 'my-svc.my-namespace.svc.cluster.local', ca: readFileSync(join(dir, 'ca.pem')) }, () => {
      socket.once('data', (d) => { socket.destroy(); resolve(`${socket.authorized} ${d}`); });
    });
    socket.on('error', reject);
  });
  t.is(answer, 'true ok');
});
