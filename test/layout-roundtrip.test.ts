import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { exportLayout, readLayout, writeLayout } from '../lib/layout/layout.js';
import { pkiFor } from './helpers/pki.js';
import { tempDir } from './helpers/tools.js';

for (const preset of ['kubeadm', 'reference'] as const) {
  test(`${preset}: write → read → write reproduces every file byte for byte, with its mode`, async (t) => {
    const pki = await pkiFor({ preset });
    const first = tempDir(t);
    const second = tempDir(t);
    writeLayout(pki.files, first);
    const layout = readLayout(first);
    t.is(layout.preset, preset);
    t.deepEqual(layout.entries.filter((e) => e.problem).map((e) => e.path), []);
    writeLayout(exportLayout(layout), second);
    t.is(layout.entries.length, pki.files.length);
    for (const file of pki.files) {
      const a = join(first, file.path);
      const b = join(second, file.path);
      if (file.kind === 'symlink') {
        t.is(readlinkSync(b), readlinkSync(a), file.path);
        continue;
      }
      t.true(readFileSync(b).equals(readFileSync(a)), `${file.path} differs after the round trip`);
      t.is(lstatSync(b).mode & 0o777, file.mode, file.path);
    }
    // The reader really parsed: certificates come back as X.509, keys as key objects, kubeconfigs as objects.
    const kinds = new Set(layout.entries.map((e) => e.kind));
    for (const kind of ['cert', 'key', 'public-key', 'kubeconfig', 'kubelet-config', 'token']) t.true(kinds.has(kind as never), kind);
    t.true(layout.entries.filter((e) => e.kind === 'cert').every((e) => e.certs![0]!.node.subject.length > 0));
  });
}

test('kubeadm: private keys, kubeconfigs and tokens are 0600, folders 0700, certificates 0644', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const root = tempDir(t);
  writeLayout(pki.files, root);
  const mode = (p: string) => lstatSync(join(root, p)).mode & 0o777;
  t.is(mode('etc/kubernetes/pki/ca.key'), 0o600);
  t.is(mode('etc/kubernetes/pki/sa.key'), 0o600);
  t.is(mode('etc/kubernetes/admin.conf'), 0o600);
  t.is(mode('var/lib/kubelet/pki/kubelet.key'), 0o600);
  t.is(mode('var/run/secrets/kubernetes.io/serviceaccount/token'), 0o600);
  t.is(mode('etc/kubernetes/pki/ca.crt'), 0o644);
  t.is(mode('etc/kubernetes/pki'), 0o700);
  t.is(mode('etc/kubernetes/pki/etcd'), 0o700);
  t.is(readlinkSync(join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem')), 'kubelet-client-2026-01-01-00-00-00.pem');
  const bundle = readFileSync(join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem'), 'utf8');
  t.regex(bundle, /^-----BEGIN CERTIFICATE-----[\s\S]+-----BEGIN EC PRIVATE KEY-----/);
  t.is(mode('var/lib/kubelet/pki/kubelet-client-2026-01-01-00-00-00.pem'), 0o600);
});
