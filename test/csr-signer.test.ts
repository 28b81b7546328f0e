import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { X509Certificate, webcrypto } from 'node:crypto';
import { ApiClient } from '../lib/clients/api-client.js';
import { defineCluster, type ClusterOptions, type StartedCluster } from '../lib/cluster/cluster.js';
import { DAY, fixedClock, HOUR, MINUTE, type ManualClock } from '../lib/clock.js';
import type { ControllerManagerConfig } from '../lib/components/controller-manager.js';
import { parseCsrPem } from '../lib/csr/parse.js';
import { signCsr } from '../lib/csr/signer.js';
import type { CertificateSigningRequest } from '../lib/csr/types.js';
import { isKubeMtlsSimError } from '../lib/errors.js';
import { createCsrPem } from '../lib/kubelet/csr-request.js';
import { issueCertificate, toPem } from '../lib/pki/issue.js';
import { generateKey } from '../lib/pki/keys.js';
import * as x509 from './helpers/x509.js';
import { run, testWithTool } from './helpers/tools.js';

/**
 * kube-controller-manager's csrsigning controller as it signs (kubernetes-pki.md §5d): what goes into
 * the certificate (authority.go's template: every SAN of the request; policies.go's keyUsageDict and
 * extKeyUsageDict) and when the signature itself fails (an unknown usage, a signer past its
 * NotAfter). Such a failure is not a rule of the signer: signer.handle returns it as an error, the
 * controller logs `Sync <name> failed with : error auto signing csr: …` and requeues the CSR, which
 * stays Approved without a certificate and without a Failed condition.
 */

const NOW = '2026-01-01T00:00:00Z';
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const CLIENT = 'kubernetes.io/kube-apiserver-client';
const LEGACY = 'kubernetes.io/legacy-unknown';
const FRONT_PROXY_CA = '/etc/kubernetes/pki/front-proxy-ca';

interface Harness {
  cluster: StartedCluster;
  clock: ManualClock;
  admin: ApiClient;
  manager: ControllerManagerConfig;
}

async function startHarness(options: Omit<ClusterOptions, 'clock'>): Promise<Harness & { stop(): Promise<void> }> {
  const clock = fixedClock(NOW);
  const cluster = await defineCluster({ clock, ...options }).start();
  const pair = cluster.pki.certs.get('admin')!;
  const admin = new ApiClient({
    port: cluster.servers['kube-apiserver'].port!, serverName: '10.0.0.10', roots: [cluster.pki.certs.get('ca')!.cert], clock,
    cert: { certPem: pair.cert.pem, keyPem: pair.key.pem },
  });
  const stop = async () => {
    admin.close();
    await cluster.stop();
  };
  const manager = cluster.controllerManager;
  if (isKubeMtlsSimError(manager)) {
    await stop();
    throw manager;
  }
  return { cluster, clock, admin, manager, stop };
}

/** A cluster of its own, for a test that moves the clock. */
async function start(t: ExecutionContext, options: Omit<ClusterOptions, 'clock'>): Promise<Harness> {
  const h = await startHarness(options);
  t.teardown(() => h.stop());
  return h;
}

/** kubeadm's defaults, shared by the tests that leave the clock alone (each uses its own CSR names). */
let sharedCluster: ReturnType<typeof startHarness> | undefined;
const shared = () => (sharedCluster ??= startHarness({}));
test.after.always('stop the shared cluster', async () => {
  await (await sharedCluster)?.stop();
});

/** kube-controller-manager signs with the front-proxy CA, made to end an hour after NOW: the rest of the cluster stays valid for a year. */
const SHORT_LIVED_SIGNER: Omit<ClusterOptions, 'clock'> = {
  faults: { 'front-proxy-ca': { kind: 'validity', notBefore: -DAY, notAfter: HOUR } },
  controllerManager: { '--cluster-signing-cert-file': `${FRONT_PROXY_CA}.crt`, '--cluster-signing-key-file': `${FRONT_PROXY_CA}.key` },
};
const SIGNER_NOT_AFTER = new Date(Date.parse(NOW) + HOUR);

interface Sans {
  dns?: string[];
  ips?: string[];
  emails?: string[];
  uris?: string[];
}

/** A PKCS#10 request for CN=alice, O=devs with the given SANs (email and URI SANs through @peculiar/x509). */
async function csrPem(sans: Sans = {}): Promise<string> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const names: x509.JsonGeneralName[] = [
    ...(sans.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(sans.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(sans.emails ?? []).map((value) => ({ type: 'email' as const, value })), ...(sans.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ O: ['devs'] }, { CN: ['alice'] }], keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    extensions: names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : [],
  });
  return toPem('CERTIFICATE REQUEST', new Uint8Array(request.rawData));
}

function csrObject(name: string, request: string, spec: Partial<CertificateSigningRequest['spec']> = {}): CertificateSigningRequest {
  return {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
    spec: { request: Buffer.from(request).toString('base64'), signerName: CLIENT, usages: ['client auth'], ...spec }, status: {},
  };
}

async function get(t: ExecutionContext, h: Harness, name: string): Promise<CertificateSigningRequest> {
  const res = await h.admin.request('GET', `${CSRS}/${name}`);
  t.is(res.status, 200, res.body);
  return res.json<CertificateSigningRequest>();
}

/** `kubectl certificate approve`: GET, add Approved, PUT /approval; the signer acts on that write. Returns the CSR afterwards. */
async function approve(t: ExecutionContext, h: Harness, name: string): Promise<CertificateSigningRequest> {
  const current = await get(t, h, name);
  const approved = { type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' };
  const res = await h.admin.request('PUT', `${CSRS}/${name}/approval`, { ...current, status: { ...current.status, conditions: [...(current.status.conditions ?? []), approved] } });
  t.is(res.status, 200, res.body);
  return get(t, h, name);
}

/** Create through the API (as kubectl create -f), then approve. */
async function createAndApprove(t: ExecutionContext, h: Harness, name: string, request: string, spec: Partial<CertificateSigningRequest['spec']> = {}) {
  const res = await h.admin.request('POST', CSRS, csrObject(name, request, spec));
  t.is(res.status, 201, res.body);
  return approve(t, h, name);
}

/**
 * A kubernetes.io/legacy-unknown CSR can no longer be created through certificates.k8s.io/v1, but one
 * stored earlier (through v1beta1) is still there, may still be approved (validation ratchets the
 * legacy signerName and unknown usages of a stored object) and is signed without any rule on its usages.
 */
async function storedLegacyAndApprove(t: ExecutionContext, h: Harness, name: string, usages: string[]) {
  h.cluster.csrs.create(csrObject(name, await csrPem(), { signerName: LEGACY, usages }));
  return approve(t, h, name);
}

const certificateOf = (csr: CertificateSigningRequest) => new X509Certificate(Buffer.from(csr.status.certificate ?? '', 'base64'));
const typesOf = (csr: CertificateSigningRequest) => (csr.status.conditions ?? []).map((c) => c.type);

/** Neither issued nor Failed: still Approved, the error only in kube-controller-manager's log. */
function expectSyncError(t: ExecutionContext, h: Harness, csr: CertificateSigningRequest, log: string): void {
  t.is(csr.status.certificate, undefined, 'never issued');
  t.deepEqual(typesOf(csr), ['Approved'], 'no Failed condition: the signature failed, not a rule of the signer');
  t.is(h.manager.syncErrors.get(csr.metadata.name), log);
}

// ---------------------------------------------------------------------------------------------
// SANs: authority.go's template copies DNSNames, IPAddresses, EmailAddresses and URIs.

test('issued: every SAN of the request, email and URI included, in the order Go writes them (DNS, email, IP, URI)', async (t) => {
  const h = await shared();
  const request = await csrPem({ dns: ['alice.example.com'], ips: ['10.1.2.3'], emails: ['alice@example.com'], uris: ['spiffe://cluster.local/ns/default/sa/alice'] });
  const csr = await createAndApprove(t, h, 'all-sans', request);
  t.truthy(csr.status.certificate, 'Issued');
  t.is(certificateOf(csr).subjectAltName, 'DNS:alice.example.com, email:alice@example.com, IP Address:10.1.2.3, URI:spiffe://cluster.local/ns/default/sa/alice');
});

test('issued: a request with only a URI SAN gets a certificate with that URI SAN', async (t) => {
  const h = await shared();
  const csr = await createAndApprove(t, h, 'uri-only', await csrPem({ uris: ['spiffe://cluster.local/ns/default/sa/alice'] }));
  t.is(certificateOf(csr).subjectAltName, 'URI:spiffe://cluster.local/ns/default/sa/alice');
});

// ---------------------------------------------------------------------------------------------
// Usages: keyUsageDict and extKeyUsageDict, every certificates.k8s.io usage.

const ALL_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign',
  'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime',
  'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
];

/** Go's x509.ExtKeyUsage order, which the signing policy sorts by: the EKU OIDs as the certificate lists them. */
const EKU_OIDS_IN_GO_ORDER = [
  '2.5.29.37.0', '1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.3', '1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.5', '1.3.6.1.5.5.7.3.6',
  '1.3.6.1.5.5.7.3.7', '1.3.6.1.5.5.7.3.8', '1.3.6.1.5.5.7.3.9', '1.3.6.1.4.1.311.10.3.3', '2.16.840.1.113730.4.1',
];

testWithTool('openssl')('issued (legacy-unknown): every usage Kubernetes knows, as openssl reads the certificate', async (t) => {
  const h = await shared();
  const csr = await storedLegacyAndApprove(t, h, 'all-usages', [...ALL_USAGES].reverse());
  t.truthy(csr.status.certificate, 'Issued');
  // s/mime and email protection are one EKU; signing and digital signature one bit; each EKU once, in Go's order.
  t.deepEqual(certificateOf(csr).keyUsage, EKU_OIDS_IN_GO_ORDER);
  const text = run('openssl', ['x509', '-noout', '-ext', 'keyUsage,extendedKeyUsage'], { input: Buffer.from(csr.status.certificate!, 'base64').toString() });
  t.is(text.status, 0, text.stderr);
  t.regex(text.stdout, /X509v3 Key Usage: critical\n\s+Digital Signature, Non Repudiation, Key Encipherment, Data Encipherment, Key Agreement, Certificate Sign, CRL Sign, Encipher Only, Decipher Only\n/);
  t.regex(text.stdout, /X509v3 Extended Key Usage: \n\s+Any Extended Key Usage, TLS Web Server Authentication, TLS Web Client Authentication, Code Signing, E-mail Protection, IPSec End System, IPSec Tunnel, IPSec User, Time Stamping, OCSP Signing, Microsoft Server Gated Crypto, Netscape Server Gated Crypto\n/);
});

const singleUsages: { usage: string; bits?: number; ekus?: string[] }[] = [
  { usage: 'content commitment', bits: x509.KeyUsageFlags.nonRepudiation },
  { usage: 'key agreement', bits: x509.KeyUsageFlags.keyAgreement },
  { usage: 'data encipherment', bits: x509.KeyUsageFlags.dataEncipherment },
  { usage: 'encipher only', bits: x509.KeyUsageFlags.encipherOnly },
  { usage: 'decipher only', bits: x509.KeyUsageFlags.decipherOnly },
  { usage: 'email protection', ekus: ['1.3.6.1.5.5.7.3.4'] },
  { usage: 's/mime', ekus: ['1.3.6.1.5.5.7.3.4'] },
  { usage: 'ocsp signing', ekus: ['1.3.6.1.5.5.7.3.9'] },
  { usage: 'any', ekus: ['2.5.29.37.0'] },
];

for (const [i, c] of singleUsages.entries()) {
  test(`issued (legacy-unknown): the usage "${c.usage}" alone`, async (t) => {
    const h = await shared();
    const csr = await storedLegacyAndApprove(t, h, `usage-${i}`, [c.usage]);
    t.truthy(csr.status.certificate, 'Issued');
    const cert = new x509.X509Certificate(Buffer.from(csr.status.certificate!, 'base64').toString());
    t.is(cert.getExtension(x509.KeyUsagesExtension)?.usages, c.bits, 'KeyUsage bits (none: no extension, as Go writes it)');
    t.deepEqual(certificateOf(csr).keyUsage, c.ekus, 'EKU OIDs (none: no extension)');
  });
}

// ---------------------------------------------------------------------------------------------
// When the signature fails: logged and requeued, never a Failed condition, never a certificate.

test('an unknown usage fails the signature: "unrecognized usage values", Go\'s %q of the list', async (t) => {
  const h = await shared();
  const csr = await storedLegacyAndApprove(t, h, 'unknown-usage', ['client auth', 'frobnicate', 'server auth', 'tea "time"']);
  expectSyncError(t, h, csr, 'Sync unknown-usage failed with : error auto signing csr: unrecognized usage values: ["frobnicate" "tea \\"time\\""]');
});

test('a signer past its NotAfter (more than the 5-minute back-dating ago) refuses: "the signer has expired"', async (t) => {
  const h = await start(t, SHORT_LIVED_SIGNER);
  await h.admin.request('POST', CSRS, csrObject('signer-expired', await csrPem()));
  h.clock.set(new Date(SIGNER_NOT_AFTER.getTime() + HOUR));
  const csr = await approve(t, h, 'signer-expired');
  expectSyncError(t, h, csr, 'Sync signer-expired failed with : error auto signing csr: the signer has expired: NotAfter=2026-01-01 01:00:00 +0000 UTC');
});

test('a signer that ended less than 5 minutes ago refuses: "refusing to sign a certificate that expired in the past"', async (t) => {
  const h = await start(t, SHORT_LIVED_SIGNER);
  await h.admin.request('POST', CSRS, csrObject('signer-just-ended', await csrPem()));
  // NotBefore (now - 5m) would still precede the signer's NotAfter, but now does not.
  h.clock.set(new Date(SIGNER_NOT_AFTER.getTime() + 2 * MINUTE));
  const csr = await approve(t, h, 'signer-just-ended');
  expectSyncError(t, h, csr, 'Sync signer-just-ended failed with : error auto signing csr: refusing to sign a certificate that expired in the past: NotAfter=2026-01-01 01:00:00 +0000 UTC');
});

test('the signer at its very NotAfter already refuses (now must be before it)', async (t) => {
  const h = await start(t, SHORT_LIVED_SIGNER);
  await h.admin.request('POST', CSRS, csrObject('signer-at-end', await csrPem()));
  h.clock.set(SIGNER_NOT_AFTER);
  const csr = await approve(t, h, 'signer-at-end');
  t.regex(h.manager.syncErrors.get('signer-at-end') ?? '', /: refusing to sign a certificate that expired in the past: NotAfter=/);
  t.is(csr.status.certificate, undefined);
});

// Pins: these already held on branch csrapi. The dates are the cluster clock's (here 30 minutes after NOW, where
// the wall clock is anywhere else), and the certificate ends with its signer.
test('issued near the signer\'s end: NotBefore = the cluster clock - 5m, NotAfter cut at the signer\'s NotAfter', async (t) => {
  const h = await start(t, SHORT_LIVED_SIGNER);
  await h.admin.request('POST', CSRS, csrObject('signer-ending', await csrPem()));
  h.clock.advance(30 * MINUTE);
  const csr = await approve(t, h, 'signer-ending');
  const cert = certificateOf(csr);
  t.is(new Date(cert.validFrom).toISOString(), new Date(Date.parse(NOW) + 25 * MINUTE).toISOString());
  t.is(new Date(cert.validTo).toISOString(), SIGNER_NOT_AFTER.toISOString());
  t.is(h.manager.syncErrors.size, 0);
});

// ---------------------------------------------------------------------------------------------
// The signing policy at any time: a certificate whose NotAfter precedes its NotBefore is never issued.

test('signCsr at any time around the signer\'s life: an error, or NotBefore < NotAfter <= the signer\'s NotAfter', async (t) => {
  const clock = fixedClock(NOW);
  const caKey = await generateKey('ecdsa-p256');
  const caCert = issueCertificate({
    cn: 'short-lived-ca', o: [], isCa: true, keyUsage: ['keyCertSign'], extKeyUsage: null, sans: [],
    notBefore: new Date(Date.parse(NOW) - DAY), notAfter: SIGNER_NOT_AFTER, subjectKey: caKey, memo: false,
  });
  const ca = { cert: caCert, key: caKey, certFile: 'ca.crt' };
  const parsed = parseCsrPem(Buffer.from(createCsrPem(await generateKey('ecdsa-p256'), 'alice', ['devs'], { dns: [], ips: [] })));
  if (!parsed.ok) throw new Error(parsed.error);
  const csr = csrObject('any-time', '');
  const seen = { issued: 0, refused: 0 };
  fc.assert(fc.property(
    fc.integer({ min: -2 * HOUR, max: 2 * HOUR }), fc.constantFrom(undefined, 600, 3600, 86_400), fc.constantFrom(HOUR, 8 * HOUR, 8760 * HOUR),
    (offset, expirationSeconds, duration) => {
      clock.set(new Date(SIGNER_NOT_AFTER.getTime() + offset));
      const now = clock.now();
      const outcome = signCsr({ ...csr, spec: { ...csr.spec, ...(expirationSeconds ? { expirationSeconds } : {}) } }, parsed.csr, ca, now, duration);
      seen[outcome.ok ? 'issued' : 'refused']++;
      if (!outcome.ok) return now >= SIGNER_NOT_AFTER;
      const cert = new X509Certificate(outcome.certificatePem);
      const [from, to] = [Date.parse(cert.validFrom), Date.parse(cert.validTo)];
      return now < SIGNER_NOT_AFTER && from < to && to <= SIGNER_NOT_AFTER.getTime() && Math.abs(from - (now.getTime() - 5 * MINUTE)) < 1000;
    },
  ), { numRuns: 200, seed: 9 });
  t.true(seen.issued > 0 && seen.refused > 0, JSON.stringify(seen));
});
