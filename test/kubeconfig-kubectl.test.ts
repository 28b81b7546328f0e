import { verify } from 'node:crypto';
import { join } from 'node:path';
import { writeLayout } from '../lib/layout/layout.js';
import { readKubeconfigFile } from '../lib/kubeconfig/parse.js';
import { PRESETS } from '../lib/pki/presets/index.js';
import { pkiFor } from './helpers/pki.js';
import { kubectlPath, run, tempDir, testWithTool } from './helpers/tools.js';
import test from 'ava';

/** Kubeconfigs we write must be read by the real kubectl exactly as we read them ourselves. */
const kubectl = kubectlPath();
const kubectlTest = testWithTool('kubectl', kubectl);

for (const preset of ['kubeadm', 'reference'] as const) {
  for (const record of PRESETS[preset].kubeconfigs) {
    kubectlTest(`${preset}: kubectl config view reads ${record.file} as we do`, async (t) => {
      const pki = await pkiFor({ preset });
      const root = tempDir(t);
      writeLayout(pki.files, root);
      const file = join(root, record.file);
      const cacheDir = tempDir(t, 'kubectl-cache-');
      const view = run(kubectl ?? 'kubectl', ['config', 'view', '--kubeconfig', file, '--raw', '-o', 'json', '--cache-dir', cacheDir]);
      t.is(view.status, 0, view.stderr);
      const doc = JSON.parse(view.stdout);
      const ours = readKubeconfigFile(file, { root });
      t.is(doc['current-context'], ours.contextName);
      t.is(doc.clusters[0].name, ours.clusterName);
      t.is(doc.clusters[0].cluster.server, ours.server);
      t.is(doc.users[0].name, ours.userName);
      const user = doc.users[0].user;
      if (record.auth.kind === 'client-cert-data') {
        t.is(Buffer.from(user['client-certificate-data'], 'base64').toString(), ours.clientCert!.certs[0]!.pem);
        t.regex(ours.clientCert!.certs[0]!.node.subject, /CN=/);
      } else if (record.auth.kind === 'client-cert-file') {
        t.is(user['client-certificate'], record.auth.path);
        t.is(ours.clientCert!.source.file, join(root, record.auth.path));
      } else {
        t.is(user.tokenFile, record.auth.tokenFile);
        t.regex(ours.token!.value, /^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      }
    });
  }
}

test('the kube-proxy token is a ServiceAccount JWT for kube-system/kube-proxy signed by sa.key', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const token = pki.tokens.get('/var/run/secrets/kubernetes.io/serviceaccount/token')!;
  const [header, claims, signature] = token.split('.');
  t.like(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'ES256' });
  const body = JSON.parse(Buffer.from(claims!, 'base64url').toString());
  t.like(body, { sub: 'system:serviceaccount:kube-system:kube-proxy', iss: 'https://kubernetes.default.svc.cluster.local', iat: 1767225600 });
  const key = pki.keyPairs.get('sa')!;
  const valid = verify('sha256', Buffer.from(`${header}.${claims}`), { key: key.publicKeyObject, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'));
  t.true(valid);
});
