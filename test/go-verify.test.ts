import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticateClientCertificate } from '../lib/authn/x509.js';
import { generatePki } from '../lib/layout/generate.js';
import { generateKey } from '../lib/pki/keys.js';
import { issueCertificate } from '../lib/pki/issue.js';
import { IssuedCert } from '../lib/pki/issued-cert.js';
import { certificateIdentifier, goVerify, verifyHostname } from '../lib/x509/go-verify.js';
import { DAY, YEAR } from '../lib/clock.js';
import { clock, CLOCK_TIME, pkiFor } from './helpers/pki.js';
import { run, tempDir, testWithTool } from './helpers/tools.js';

/**
 * Go crypto/x509 semantics, case by case as Kubernetes' own x509 authenticator tests exercise them
 * (self-signed, server cert used as client cert, future, expired, multi-level chains), plus the
 * hostname and hint wording Go prints.
 */
const now = new Date(CLOCK_TIME);

test('a self-signed leaf is signed by an unknown authority', async (t) => {
  const pki = await generatePki({ clock, faults: { admin: { kind: 'self-signed' } } });
  const r = goVerify(pki.certs.get('admin')!.cert, { roots: [pki.certs.get('ca')!.cert], now, keyUsages: ['clientAuth'] });
  t.like(r, { ok: false, reason: 'UNKNOWN_AUTHORITY', error: 'x509: certificate signed by unknown authority' });
});

test('a serverAuth-only certificate is refused as a client certificate, accepted with Go\'s default usage', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const server = pki.certs.get('apiserver')!.cert;
  const roots = [pki.certs.get('ca')!.cert];
  t.like(goVerify(server, { roots, now, keyUsages: ['clientAuth'] }), { ok: false, reason: 'WRONG_EKU', error: 'x509: certificate specifies an incompatible key usage' });
  t.like(goVerify(server, { roots, now, keyUsages: [] }), { ok: true });
  t.like(goVerify(server, { roots, now, keyUsages: ['any'] }), { ok: true });
});

test('dates: before NotBefore and after NotAfter, in Go\'s RFC 3339 wording', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const admin = pki.certs.get('admin')!.cert;
  const roots = [pki.certs.get('ca')!.cert];
  const early = new Date(now.getTime() - 100 * YEAR);
  const late = new Date(now.getTime() + 100 * YEAR);
  t.like(goVerify(admin, { roots, now: early, keyUsages: ['clientAuth'] }), {
    reason: 'CERT_NOT_YET_VALID', error: `x509: certificate has expired or is not yet valid: current time ${early.toISOString().replace('.000', '')} is before 2025-12-31T23:55:00Z`,
  });
  t.like(goVerify(admin, { roots, now: late, keyUsages: ['clientAuth'] }), {
    reason: 'CERT_EXPIRED', error: `x509: certificate has expired or is not yet valid: current time ${late.toISOString().replace('.000', '')} is after 2027-01-01T00:00:00Z`,
  });
});

test('multi-level chains: valid with the intermediate sent, unknown authority without it; an expired CA is Go\'s bare validity error', async (t) => {
  const pki = await generatePki({ clock, faults: { admin: { kind: 'via-intermediate', sendIntermediate: true }, 'super-admin': { kind: 'via-intermediate', sendIntermediate: false } } });
  const roots = [pki.certs.get('ca')!.cert];
  const admin = pki.certs.get('admin')!;
  const ok = goVerify(admin.cert, { roots, intermediates: admin.chain, now, keyUsages: ['clientAuth'] });
  t.true(ok.ok);
  t.is(ok.ok ? ok.chain.length : 0, 3);
  t.like(goVerify(pki.certs.get('super-admin')!.cert, { roots, now, keyUsages: ['clientAuth'] }), { ok: false, reason: 'UNKNOWN_AUTHORITY', error: 'x509: certificate signed by unknown authority' });
  const later = new Date(now.getTime() + 11 * YEAR);
  const expiredLeaf = issueCertificate({
    cn: 'late', o: [], isCa: false, keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'], sans: [],
    notBefore: now, notAfter: new Date(now.getTime() + 20 * YEAR), subjectKey: await generateKey('ecdsa-p256'),
    issuer: { cert: pki.certs.get('ca')!.cert, key: pki.certs.get('ca')!.certKey },
  });
  const hinted = goVerify(expiredLeaf, { roots, now: later, keyUsages: ['clientAuth'] });
  // Go's buildChains returns the candidate's isValid error itself, no "unknown authority" around it (test/go-diff.test.ts: root-expired).
  t.like(hinted, { ok: false, reason: 'UNKNOWN_AUTHORITY', goError: 'Expired', hint: { name: 'kubernetes', reason: 'CERT_EXPIRED' } });
  t.regex(hinted.ok ? '' : hinted.error, /^x509: certificate has expired or is not yet valid: current time .* is after 2035-12-30T00:00:00Z$/);
});

test('an impostor CA (same name, other key) and a non-CA issuer get Go\'s hints', async (t) => {
  const pki = await generatePki({ clock, faults: { admin: { kind: 'signed-by-impostor' }, scheduler: { kind: 'signed-by', issuer: 'apiserver' } } });
  const roots = [pki.certs.get('ca')!.cert];
  t.like(goVerify(pki.certs.get('admin')!.cert, { roots, now, keyUsages: ['clientAuth'] }), {
    reason: 'UNKNOWN_AUTHORITY', error: 'x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "kubernetes")',
  });
  const scheduler = pki.certs.get('scheduler')!;
  t.like(goVerify(scheduler.cert, { roots, intermediates: scheduler.chain, now, keyUsages: ['clientAuth'] }), {
    reason: 'NOT_A_CA', error: 'x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "kube-apiserver")',
  });
  const rsa = await generatePki({ clock, algorithm: 'rsa-2048', keyNamespace: 'test-rsa', faults: { admin: { kind: 'signed-by-impostor' } } });
  const rsaResult = goVerify(rsa.certs.get('admin')!.cert, { roots: [rsa.certs.get('ca')!.cert], now, keyUsages: ['clientAuth'] });
  t.regex(rsaResult.ok ? '' : rsaResult.error, /possibly because of "crypto\/rsa: verification error"/);
});

test('hostname verification in Go\'s words', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const apiserver = pki.certs.get('apiserver')!.cert;
  t.is(verifyHostname(apiserver, 'kubernetes.default.svc'), null);
  t.is(verifyHostname(apiserver, '10.96.0.1'), null);
  t.is(verifyHostname(apiserver, '127.0.0.1')?.error, 'x509: certificate is valid for 10.96.0.1, 10.0.0.10, not 127.0.0.1');
  t.is(verifyHostname(apiserver, 'localhost')?.error, 'x509: certificate is valid for control-plane, kubernetes, kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.cluster.local, not localhost');
  const kubelet = pki.certs.get('kubelet-serving')!.cert;
  t.is(verifyHostname(kubelet, '10.0.0.10')?.error, "x509: cannot validate certificate for 10.0.0.10 because it doesn't contain any IP SANs");
  const etcd = pki.certs.get('etcd-server')!.cert;
  t.is(verifyHostname(etcd, '::1'), null);
  const noSans = (await generatePki({ clock, faults: { apiserver: { kind: 'sans', sans: [] } } })).certs.get('apiserver')!.cert;
  t.is(verifyHostname(noSans, 'kube-apiserver')?.error, 'x509: certificate relies on legacy Common Name field, use SANs instead');
  t.is(verifyHostname(noSans, 'kubernetes')?.error, 'x509: certificate is not valid for any names, but wanted to match kubernetes');
  const wildcard = (await generatePki({ clock, faults: { apiserver: { kind: 'sans', sans: [{ dns: '*.example.com' }] } } })).certs.get('apiserver')!.cert;
  t.is(verifyHostname(wildcard, 'api.example.com'), null);
  t.truthy(verifyHostname(wildcard, 'a.b.example.com'));
});

test('the x509 authenticator: CN is the user, every O a group, plus system:authenticated; empty CN authenticates nobody', async (t) => {
  const pki = await generatePki({ clock, faults: { admin: { kind: 'subject', cn: 'jane', o: ['devs', 'ops', 'My Org 2'] }, scheduler: { kind: 'subject', cn: '', o: ['x'] } } });
  const roots = [pki.certs.get('ca')!.cert];
  // The groups come in the certificate's order: the O values share one RDN, a DER SET OF, sorted by encoding
  // (ops, devs, My Org 2), as Go writes it and as kube-apiserver then reads Subject.Organization.
  t.deepEqual(authenticateClientCertificate([pki.certs.get('admin')!.cert], { roots, now }), {
    ok: true, method: 'x509', user: { name: 'jane', groups: ['ops', 'devs', 'My Org 2', 'system:authenticated'] },
  });
  t.is(authenticateClientCertificate([pki.certs.get('scheduler')!.cert], { roots, now }), null);
  t.is(authenticateClientCertificate([], { roots, now }), null);
  const bad = authenticateClientCertificate([pki.certs.get('apiserver')!.cert], { roots, now });
  t.like(bad, { ok: false, reason: 'WRONG_EKU' });
  t.regex(bad && !bad.ok ? bad.error : '', /^verifying certificate SN=\d+, SKID=, AKID=([0-9A-F]{2}:){19}[0-9A-F]{2} failed: x509: certificate specifies an incompatible key usage$/);
  t.true(authenticateClientCertificate([pki.certs.get('admin')!.cert], { roots, now: new Date(now.getTime() + 2 * YEAR) })?.ok === false);
  t.true(authenticateClientCertificate([pki.certs.get('admin')!.cert], { roots, now: new Date(now.getTime() - DAY) })?.ok === false);
});

testWithTool('openssl')('certificateIdentifier agrees with openssl on serial (decimal), SKID and AKID', async (t) => {
  const pki = await pkiFor({ preset: 'kubeadm' });
  const dir = tempDir(t);
  for (const id of ['ca', 'admin']) {
    const cert = pki.certs.get(id)!.cert;
    const file = join(dir, `${id}.pem`);
    writeFileSync(file, cert.pem);
    const serialHex = run('openssl', ['x509', '-noout', '-serial', '-in', file]).stdout.trim().replace('serial=', '');
    const ext = (name: string) => /\n\s+(?:keyid:)?([0-9A-F:]+)\s*$/m.exec(run('openssl', ['x509', '-noout', '-ext', name, '-in', file]).stdout)?.[1] ?? '';
    t.is(certificateIdentifier(cert), `SN=${BigInt(`0x${serialHex}`).toString()}, SKID=${ext('subjectKeyIdentifier')}, AKID=${ext('authorityKeyIdentifier')}`);
  }
});

test('IP SANs compare as addresses (net.IP.Equal) and print as Go prints them', async (t) => {
  const key = await generateKey('ecdsa-p256');
  const ca = issueCertificate({ cn: 'ip-ca', o: [], isCa: true, keyUsage: ['keyCertSign'], extKeyUsage: null, sans: [], notBefore: now, notAfter: new Date(now.getTime() + YEAR), subjectKey: key, memo: false });
  const leaf = issueCertificate({
    cn: 'ip-leaf', o: [], isCa: false, keyUsage: ['digitalSignature'], extKeyUsage: ['serverAuth'], notBefore: now, notAfter: new Date(now.getTime() + DAY),
    sans: [{ ip: '1:0:0:2:0:0:0:3' }, { ip: '2001:db8:0:0:1::10' }, { ip: '10.0.0.1' }], subjectKey: key, issuer: { cert: ca, key }, memo: false,
  });
  for (const host of ['1:0:0:2::3', '2001:db8::1:0:0:10', '2001:DB8:0:0:1:0:0:10', '10.0.0.1', '::ffff:10.0.0.1']) t.is(verifyHostname(leaf, host), null, host);
  t.deepEqual(verifyHostname(leaf, '10.0.0.2'), { reason: 'SAN_MISMATCH', error: 'x509: certificate is valid for 1:0:0:2::3, 2001:db8::1:0:0:10, 10.0.0.1, not 10.0.0.2' });
});

test('a certificate without SANs whose CN is the dialled IP relies on the legacy Common Name, as Go says first', async (t) => {
  const key = await generateKey('ecdsa-p256');
  const leaf = issueCertificate({ cn: '10.0.0.1', o: [], isCa: false, keyUsage: ['digitalSignature'], extKeyUsage: ['serverAuth'], sans: [], notBefore: now, notAfter: new Date(now.getTime() + DAY), subjectKey: key, memo: false });
  t.deepEqual(verifyHostname(leaf, '10.0.0.1'), { reason: 'SAN_MISMATCH', error: 'x509: certificate relies on legacy Common Name field, use SANs instead' });
});

test('parents whose key id matches are tried first (findPotentialParents): the expired real CA\'s error wins over the impostor\'s hint', async (t) => {
  const [realKey, otherKey] = await Promise.all([generateKey('ecdsa-p256'), generateKey('ecdsa-p256')]);
  const ca = (key: typeof realKey, notAfter: Date) => issueCertificate({ cn: 'kubernetes', o: [], isCa: true, keyUsage: ['keyCertSign'], extKeyUsage: null, sans: [], notBefore: new Date(now.getTime() - 2 * YEAR), notAfter, subjectKey: key, memo: false });
  const expiredReal = ca(realKey, new Date(now.getTime() - DAY));
  const impostor = ca(otherKey, new Date(now.getTime() + YEAR));
  const admin = issueCertificate({ cn: 'kubernetes-admin', o: [], isCa: false, keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'], sans: [], notBefore: now, notAfter: new Date(now.getTime() + DAY), subjectKey: otherKey, issuer: { cert: expiredReal, key: realKey }, memo: false });
  const r = goVerify(admin, { roots: [impostor, expiredReal], now, keyUsages: ['clientAuth'] });
  t.false(r.ok);
  // The real CA (key id match) comes first and fails isValid; the impostor's signature failure is only a hint, and a bare error beats it.
  t.regex(r.ok ? '' : r.error, /^x509: certificate has expired or is not yet valid: current time .* is after .*$/);
});

testWithTool('openssl')('a SHA-1 signature is refused with Go\'s InsecureAlgorithmError, not verified', async (t) => {
  const dir = tempDir(t);
  const p = (f: string) => join(dir, f);
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha1', '-subj', '/CN=sha1-ca', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=leaf', '-keyout', p('l.key'), '-out', p('l.csr')]);
  run('openssl', ['x509', '-req', '-sha1', '-in', p('l.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-set_serial', '2', '-out', p('l.crt'), '-days', '30']);
  const { readCertificates } = await import('../lib/pki/pem.js');
  const { readFileSync } = await import('node:fs');
  const [ca] = readCertificates(readFileSync(p('ca.crt')), { file: 'ca.crt' });
  const [leaf] = readCertificates(readFileSync(p('l.crt')), { file: 'l.crt' });
  // openssl dates these certificates from the machine's clock: verify an hour into the leaf's life.
  const r = goVerify(leaf!, { roots: [ca!], now: new Date(new Date(leaf!.node.validFrom).getTime() + 3_600_000), keyUsages: ['any'] });
  t.like(r, { ok: false, reason: 'UNKNOWN_AUTHORITY', error: 'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "sha1-ca")' });
});

test('a reused certificate is read from its DER once: a second verification of the same objects reads no bytes', async (t) => {
  // The warm row of npm run bench: every in-process dial verifies the same objects again, so the
  // parse verdict, key ids, key usage, validity window and SAN lists are remembered per object.
  const pki = await pkiFor({ preset: 'kubeadm' });
  const [leaf, ca] = [pki.certs.get('apiserver')!.cert, pki.certs.get('ca')!.cert].map((c) => new IssuedCert(Buffer.from(c.der)));
  const reads = { count: 0 };
  for (const cert of [leaf!, ca!]) {
    const der = cert.der;
    Object.defineProperty(cert, 'der', { get: () => (reads.count++, der) });
  }
  const options = { roots: [ca!], now, keyUsages: ['serverAuth' as const], host: 'kubernetes' };
  t.like(goVerify(leaf!, options), { ok: true });
  t.true(reads.count > 0);
  // Go's own first step compares the leaf's bytes with the pool's (is the leaf itself trusted?):
  // those reads are a comparison, not a parse, and the only ones left.
  reads.count = 0;
  void options.roots.some((r) => r.der.equals(leaf!.der));
  const comparison = reads.count;
  reads.count = 0;
  t.like(goVerify(leaf!, options), { ok: true });
  t.is(reads.count, comparison);
});

testWithTool('openssl')('RSASSA-PSS as openssl signs it: Go verifies a salt as long as the hash, and cannot verify a longer one', async (t) => {
  const dir = tempDir(t);
  const p = (f: string) => join(dir, f);
  const pss = (salt: string) => ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${salt}`];
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', ...pss('digest'), '-subj', '/CN=pss-ca', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=leaf', '-keyout', p('l.key'), '-out', p('l.csr')]);
  const { readCertificates } = await import('../lib/pki/pem.js');
  const { readFileSync } = await import('node:fs');
  const [ca] = readCertificates(readFileSync(p('ca.crt')), { file: 'ca.crt' });
  const verify = (salt: string) => {
    run('openssl', ['x509', '-req', ...pss(salt), '-in', p('l.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-set_serial', '2', '-out', p(`${salt}.crt`), '-days', '30']);
    const [leaf] = readCertificates(readFileSync(p(`${salt}.crt`)), { file: `${salt}.crt` });
    return goVerify(leaf!, { roots: [ca!], now: new Date(new Date(leaf!.node.validFrom).getTime() + 3_600_000), keyUsages: ['any'] });
  };
  t.like(verify('digest'), { ok: true });
  t.like(verify('max'), { ok: false, reason: 'UNKNOWN_AUTHORITY', error: 'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: algorithm unimplemented" while trying to verify candidate authority certificate "pss-ca")' });
});
