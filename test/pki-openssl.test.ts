import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeLayout } from '../lib/layout/layout.js';
import { PRESETS } from '../lib/pki/presets/index.js';
import { pkiFor, unixTime } from './helpers/pki.js';
import { run, tempDir, testWithTool } from './helpers/tools.js';

/**
 * The real `openssl verify` is the judge: every certificate of both presets verifies against its
 * own CA for the purpose its role needs, and fails for the purpose it is not meant for.
 */
const opensslTest = testWithTool('openssl');

const PURPOSE = { server: ['sslserver'], client: ['sslclient'], 'server-and-client': ['sslserver', 'sslclient'] } as const;
const OTHER = { server: ['sslclient'], client: ['sslserver'], 'server-and-client': [] } as const;

function verify(dir: string, caPem: string, certPem: string, purpose: string | null, untrusted?: string) {
  const ca = join(dir, 'anchor.pem');
  const leaf = join(dir, 'leaf.pem');
  writeFileSync(ca, caPem);
  writeFileSync(leaf, certPem);
  const args = ['verify', '-attime', String(unixTime), '-CAfile', ca, ...(purpose ? ['-purpose', purpose] : []), ...(untrusted ? ['-untrusted', untrusted] : []), leaf];
  return run('openssl', args);
}

for (const presetName of ['kubeadm', 'reference'] as const) {
  for (const record of PRESETS[presetName].certs) {
    opensslTest(`${presetName}: openssl verify agrees with the role of ${record.id}`, async (t) => {
      const pki = await pkiFor({ preset: presetName });
      const dir = tempDir(t);
      const issued = pki.certs.get(record.id)!;
      if (record.kind === 'ca') {
        const self = verify(dir, issued.cert.pem, issued.cert.pem, null);
        t.is(self.status, 0, self.stderr);
        t.regex(run('openssl', ['x509', '-noout', '-text', '-in', join(dir, 'leaf.pem')]).stdout, /CA:TRUE/);
        return;
      }
      const ca = pki.certs.get(record.ca)!;
      for (const purpose of PURPOSE[record.role]) {
        const ok = verify(dir, ca.cert.pem, issued.cert.pem, purpose);
        t.is(ok.status, 0, `${record.id} -purpose ${purpose}: ${ok.stdout}${ok.stderr}`);
        t.regex(ok.stdout, /: OK/);
      }
      for (const purpose of OTHER[record.role]) {
        const wrong = verify(dir, ca.cert.pem, issued.cert.pem, purpose);
        t.not(wrong.status, 0, `${record.id} must not verify for ${purpose}`);
        t.regex(wrong.stdout + wrong.stderr, /unsuitable certificate purpose/);
      }
      // And never against a CA of the other trust domain.
      const stranger = [...pki.certs.values()].find((c) => c.record.kind === 'ca' && c.record.id !== record.ca && c.record.files.kind !== 'none');
      if (stranger) t.not(verify(dir, stranger.cert.pem, issued.cert.pem, null).status, 0);
    });
  }
}

opensslTest('kubeadm: the written files verify with openssl in place, keys match and are 0600', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const root = tempDir(t);
  writeLayout(pki.files, root);
  const pkiDir = join(root, 'etc/kubernetes/pki');
  const ok = run('openssl', ['verify', '-attime', String(unixTime), '-CAfile', `${pkiDir}/ca.crt`, '-purpose', 'sslserver', `${pkiDir}/apiserver.crt`]);
  t.is(ok.status, 0, ok.stderr);
  const certPub = run('openssl', ['x509', '-noout', '-pubkey', '-in', `${pkiDir}/apiserver.crt`]).stdout;
  const keyPub = run('openssl', ['pkey', '-pubout', '-in', `${pkiDir}/apiserver.key`]).stdout;
  t.is(certPub, keyPub);
  const sans = run('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', `${pkiDir}/apiserver.crt`]).stdout;
  t.regex(sans, /DNS:control-plane, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1, IP Address:10.0.0.10/);
  const subject = run('openssl', ['x509', '-noout', '-subject', '-in', `${pkiDir}/apiserver-kubelet-client.crt`]).stdout;
  t.regex(subject, /O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client/);
  // The kubelet's self-signed kubelet.crt is leaf then throwaway CA, and verifies only against that CA.
  const kubeletCrt = join(root, 'var/lib/kubelet/pki/kubelet.crt');
  const chain = run('openssl', ['crl2pkcs7', '-nocrl', '-certfile', kubeletCrt]);
  const subjects = run('openssl', ['pkcs7', '-print_certs', '-noout'], { input: chain.stdout }).stdout;
  t.regex(subjects, new RegExp(`subject=CN = control-plane@${unixTime}\\n.*issuer=CN = control-plane-ca@${unixTime}`, 's'));
  t.not(run('openssl', ['verify', '-attime', String(unixTime), '-CAfile', `${pkiDir}/ca.crt`, kubeletCrt]).status, 0);
});
