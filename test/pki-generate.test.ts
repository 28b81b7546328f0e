import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { generatePki } from '../lib/layout/generate.js';
import { generateKey } from '../lib/pki/keys.js';
import { verifyAgainst } from '../lib/pki/verify.js';
import { readCertificates, readPrivateKey } from '../lib/pki/pem.js';
import { fixedClock, MINUTE, YEAR } from '../lib/clock.js';
import { clock, CLOCK_TIME, pkiFor } from './helpers/pki.js';

const now = new Date(CLOCK_TIME);

test('dates follow the injected clock: CA back-dated 5 minutes for 10 years, leaves from the CA NotBefore for 1 year', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const ca = pki.certs.get('ca')!.cert.node;
  t.is(new Date(ca.validFrom).getTime(), now.getTime() - 5 * MINUTE);
  t.is(new Date(ca.validTo).getTime(), now.getTime() + 10 * YEAR);
  const apiserver = pki.certs.get('apiserver')!.cert.node;
  t.is(new Date(apiserver.validFrom).getTime(), now.getTime() - 5 * MINUTE);
  t.is(new Date(apiserver.validTo).getTime(), now.getTime() + YEAR);
  const later = await generatePki({ clock: fixedClock('2030-06-01T00:00:00Z') });
  t.is(new Date(later.certs.get('apiserver')!.cert.node.validTo).toISOString(), '2031-06-01T00:00:00.000Z');
});

test('SANs are derived from the cluster config', async (t) => {
  const pki = await generatePki({
    clock,
    cluster: { nodeName: 'cp-7', advertiseAddress: '192.168.5.7', serviceSubnet: '10.100.0.0/16', dnsDomain: 'corp.local', apiServerCertSans: ['api.example.com', '203.0.113.9'], controlPlaneEndpoint: 'lb.example.com:443' },
  });
  const san = pki.certs.get('apiserver')!.cert.node.subjectAltName;
  t.is(san, 'DNS:cp-7, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.corp.local, IP Address:10.100.0.1, IP Address:192.168.5.7, DNS:lb.example.com, DNS:api.example.com, IP Address:203.0.113.9');
  t.is(pki.certs.get('etcd-server')!.cert.node.subject, 'CN=cp-7');
  t.is(pki.certs.get('kubelet-client')!.cert.node.subject, 'O=system:nodes\nCN=system:node:cp-7');
  const admin = pki.files.find((f) => f.path === '/etc/kubernetes/admin.conf')!;
  t.regex(admin.kind === 'symlink' ? '' : admin.contents, /server: https:\/\/lb.example.com:443/);
  const scheduler = pki.files.find((f) => f.path === '/etc/kubernetes/scheduler.conf')!;
  t.regex(scheduler.kind === 'symlink' ? '' : scheduler.contents, /server: https:\/\/192.168.5.7:6443/);
});

test('the kubelet self-signed pair is made as client-go makes it', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const serving = pki.certs.get('kubelet-serving')!;
  t.is(serving.cert.node.subject, 'CN=control-plane@1767225600');
  t.is(serving.cert.node.issuer, 'CN=control-plane-ca@1767225600');
  t.is(serving.cert.node.serialNumber, '02');
  t.is(serving.chain[0]!.node.serialNumber, '01');
  t.is(serving.cert.node.subjectAltName, 'DNS:control-plane');
  t.is(new Date(serving.cert.node.validFrom).getTime(), now.getTime() - 60 * MINUTE);
  const file = pki.files.find((f) => f.path === '/var/lib/kubelet/pki/kubelet.crt')!;
  const certs = readCertificates(file.kind === 'symlink' ? '' : file.contents, { file: file.path });
  t.deepEqual(certs.map((c) => c.node.subject), ['CN=control-plane@1767225600', 'CN=control-plane-ca@1767225600']);
  t.is(verifyAgainst(certs[0]!, [], [pki.certs.get('ca')!.cert], now).reason, 'UNKNOWN_AUTHORITY');
});

test('every key algorithm makes keys of that type and the certificates verify', async (t) => {
  const pki = await generatePki({ clock, algorithm: 'rsa-2048', keyNamespace: 'test-rsa' });
  const apiserver = pki.certs.get('apiserver')!;
  t.is(apiserver.cert.node.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  t.true(apiserver.cert.node.verify(pki.certs.get('ca')!.cert.node.publicKey));
  t.regex(apiserver.key.pem, /^-----BEGIN RSA PRIVATE KEY-----/);
  const p384 = await generatePki({ clock, algorithm: 'ecdsa-p384', keys: 'fresh' });
  t.is(p384.certs.get('ca')!.cert.node.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
  for (const algorithm of ['rsa-3072', 'rsa-4096'] as const) {
    const key = await generateKey(algorithm);
    t.is(key.keyObject.asymmetricKeyDetails?.modulusLength, Number(algorithm.slice(4)));
  }
});

test('pooled keys: the same inputs give the same PKI; another namespace shares no key', async (t) => {
  const a = await generatePki({ clock, keyNamespace: 'pool-test' });
  const b = await generatePki({ clock, keyNamespace: 'pool-test' });
  const c = await generatePki({ clock, keyNamespace: 'pool-test-other' });
  t.is(a.certs.get('ca')!.cert.fingerprint, b.certs.get('ca')!.cert.fingerprint);
  t.not(a.certs.get('ca')!.certKey.fingerprint, c.certs.get('ca')!.certKey.fingerprint);
  // A cert of one cluster does not verify against the other's CA, although the names are the same.
  const result = verifyAgainst(c.certs.get('admin')!.cert, [], [a.certs.get('ca')!.cert], now);
  t.is(result.reason, 'BAD_SIGNATURE');
});

// Each fault must make a real certificate with that property, checked by OpenSSL-backed node:crypto.
test('fault signed-by: the kubelet client cert signed by the etcd CA', async (t) => {
  const pki = await generatePki({ clock, faults: { 'kubelet-client': { kind: 'signed-by', issuer: 'etcd-ca' } } });
  const cert = pki.certs.get('kubelet-client')!.cert;
  t.is(cert.node.issuer, 'CN=etcd-ca');
  t.is(verifyAgainst(cert, [], [pki.certs.get('ca')!.cert], now).reason, 'UNKNOWN_AUTHORITY');
  t.true(verifyAgainst(cert, [], [pki.certs.get('etcd-ca')!.cert], now).ok);
});

test('fault signed-by a leaf: the issuer is not a CA', async (t) => {
  const pki = await generatePki({ clock, faults: { admin: { kind: 'signed-by', issuer: 'apiserver' } } });
  const admin = pki.certs.get('admin')!;
  t.is(admin.chain[0]!.fingerprint, pki.certs.get('apiserver')!.cert.fingerprint);
  t.is(verifyAgainst(admin.cert, admin.chain, [pki.certs.get('ca')!.cert], now).reason, 'INVALID_CA');
});

test('fault signed-by-impostor: same issuer name, another key', async (t) => {
  const pki = await generatePki({ clock, faults: { admin: { kind: 'signed-by-impostor' } } });
  const admin = pki.certs.get('admin')!.cert;
  t.is(admin.node.issuer, 'CN=kubernetes');
  t.false(admin.node.verify(pki.certs.get('ca')!.cert.node.publicKey));
  t.is(verifyAgainst(admin, [], [pki.certs.get('ca')!.cert], now).reason, 'BAD_SIGNATURE');
});

test('faults expired and not-yet-valid shift the dates around the clock', async (t) => {
  const pki = await generatePki({ clock, faults: { apiserver: { kind: 'expired' }, admin: { kind: 'not-yet-valid' } } });
  t.true(new Date(pki.certs.get('apiserver')!.cert.node.validTo) < now);
  t.is(verifyAgainst(pki.certs.get('apiserver')!.cert, [], [pki.certs.get('ca')!.cert], now).reason, 'CERT_HAS_EXPIRED');
  t.true(new Date(pki.certs.get('admin')!.cert.node.validFrom) > now);
  t.is(verifyAgainst(pki.certs.get('admin')!.cert, [], [pki.certs.get('ca')!.cert], now).reason, 'CERT_NOT_YET_VALID');
});

test('faults usages, subject and sans change exactly those fields', async (t) => {
  const pki = await generatePki({
    clock,
    faults: {
      'kubelet-client': [{ kind: 'usages', extKeyUsage: ['serverAuth'] }, { kind: 'subject', cn: 'system:node:other', o: [] }],
      apiserver: { kind: 'sans', sans: [{ dns: 'kubernetes' }] },
      admin: { kind: 'usages', extKeyUsage: null, keyUsage: ['keyEncipherment'] },
    },
  });
  const kubelet = pki.certs.get('kubelet-client')!.cert.node;
  t.deepEqual(kubelet.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  t.is(kubelet.subject, 'CN=system:node:other');
  t.is(pki.certs.get('apiserver')!.cert.node.subjectAltName, 'DNS:kubernetes');
  t.is(pki.certs.get('admin')!.cert.node.keyUsage as string[] | undefined, undefined);
});

test('fault mismatched-key writes a key that does not belong to the cert', async (t) => {
  const pki = await generatePki({ clock, faults: { apiserver: { kind: 'mismatched-key' } } });
  const keyFile = pki.files.find((f) => f.path === '/etc/kubernetes/pki/apiserver.key')!;
  const key = readPrivateKey(keyFile.kind === 'symlink' ? '' : keyFile.contents, { file: keyFile.path });
  t.false(pki.certs.get('apiserver')!.cert.node.checkPrivateKey(key.keyObject));
  t.true(pki.certs.get('apiserver')!.cert.node.checkPrivateKey(pki.certs.get('apiserver')!.certKey.keyObject));
});

test('fault self-signed, and via-intermediate with and without the intermediate sent', async (t) => {
  const pki = await generatePki({
    clock,
    faults: { scheduler: { kind: 'self-signed' }, admin: { kind: 'via-intermediate', sendIntermediate: false }, 'super-admin': { kind: 'via-intermediate', sendIntermediate: true } },
  });
  const ca = pki.certs.get('ca')!.cert;
  const scheduler = pki.certs.get('scheduler')!.cert;
  t.is(scheduler.node.issuer, scheduler.node.subject);
  t.is(verifyAgainst(scheduler, [], [ca], now).reason, 'SELF_SIGNED');
  const admin = pki.certs.get('admin')!;
  t.is(admin.chain.length, 0);
  t.is(admin.cert.node.issuer, 'CN=kubernetes-intermediate');
  t.is(verifyAgainst(admin.cert, admin.chain, [ca], now).reason, 'UNKNOWN_AUTHORITY');
  const superAdmin = pki.certs.get('super-admin')!;
  t.is(superAdmin.chain.length, 1);
  t.true(verifyAgainst(superAdmin.cert, superAdmin.chain, [ca], now).ok);
  t.true(new X509Certificate(superAdmin.chain[0]!.der).ca);
});
