import test, { type ExecutionContext } from 'ava';
import { ApiClient, type ApiResponse } from '../lib/clients/api-client.js';
import { defineCluster, type StartedCluster } from '../lib/cluster/cluster.js';
import { fixedClock } from '../lib/clock.js';
import type { CertificateSigningRequest } from '../lib/csr/types.js';
import { createCsrPem } from '../lib/kubelet/csr-request.js';
import { generateKey, type KeyMaterial } from '../lib/pki/keys.js';

/**
 * Issue 9, item 6 and "the CSR API, held to kube-apiserver's own rules": bodies of the wrong types are
 * refused at decode (400, Go's encoding/json wording as handlers/rest.go transformDecodeError wraps
 * it), so nothing stored can break a later read; metadata, signerName, conditions and
 * status.certificate are validated with the texts of pkg/apis/certificates/validation and
 * apimachinery; updates keep what the stored object already breaks (ratcheting).
 */

const NOW = '2026-01-01T00:00:00Z';
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const CUSTOM = 'example.com/serving';

let started: Promise<{ cluster: StartedCluster; admin: ApiClient }> | undefined;
function harness() {
  started ??= (async () => {
    const clock = fixedClock(NOW);
    const cluster = await defineCluster({ clock }).start();
    const pair = cluster.pki.certs.get('admin')!;
    const admin = new ApiClient({
      port: cluster.servers['kube-apiserver'].port!, serverName: '10.0.0.10', roots: [cluster.pki.certs.get('ca')!.cert], clock,
      cert: { certPem: pair.cert.pem, keyPem: pair.key.pem },
    });
    return { cluster, admin };
  })();
  return started;
}
test.after.always(async () => {
  if (!started) return;
  const { cluster, admin } = await started;
  admin.close();
  await cluster.stop();
});

let key: Promise<KeyMaterial> | undefined;
const request = async () => Buffer.from(createCsrPem(await (key ??= generateKey('ecdsa-p256')), 'alice', ['devs'], { dns: [], ips: [] })).toString('base64');

async function csrBody(name: unknown, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  return { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name, ...metadata }, spec: { request: await request(), signerName: CUSTOM, usages: ['digital signature'], ...spec } };
}

interface Status { code: number; reason: string; message: string; details?: { causes?: { reason: string; message: string; field: string }[] } }

function expectStatus(t: ExecutionContext, res: ApiResponse, code: number, reason: string, message: string): void {
  t.is(res.status, code, res.body);
  t.like(res.json<Status>(), { kind: 'Status', status: 'Failure', code, reason, message });
}

/** The `<field>: <body>` of every cause of a 422. */
function causes(t: ExecutionContext, res: ApiResponse): string[] {
  t.is(res.status, 422, res.body);
  return (res.json<Status>().details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
}

const undecodable = (detail: string) => `CertificateSigningRequest in version "v1" cannot be handled as a CertificateSigningRequest: ${detail}`;

async function listsStillWork(t: ExecutionContext, admin: ApiClient): Promise<void> {
  t.is((await admin.request('GET', CSRS)).status, 200);
}

// --- item 6: types are checked at decode --------------------------------------------------------

const decodeCases: { title: string; body: () => Promise<unknown>; message: string }[] = [
  { title: 'metadata.name an object', body: () => csrBody({ x: 1 }), message: 'json: cannot unmarshal object into Go struct field ObjectMeta.metadata.name of type string' },
  { title: 'spec.usages a string', body: () => csrBody('usages-string', { usages: 'x' }), message: 'json: cannot unmarshal string into Go struct field CertificateSigningRequestSpec.spec.usages of type []v1.KeyUsage' },
  { title: 'spec.expirationSeconds a string', body: () => csrBody('expiration-string', { expirationSeconds: 'abc' }), message: 'json: cannot unmarshal string into Go struct field CertificateSigningRequestSpec.spec.expirationSeconds of type int32' },
  { title: 'spec.expirationSeconds not an integer', body: () => csrBody('expiration-fraction', { expirationSeconds: 1000.5 }), message: 'json: cannot unmarshal number 1000.5 into Go struct field CertificateSigningRequestSpec.spec.expirationSeconds of type int32' },
  { title: 'spec.expirationSeconds past int32', body: () => csrBody('expiration-huge', { expirationSeconds: 2 ** 31 }), message: 'json: cannot unmarshal number 2147483648 into Go struct field CertificateSigningRequestSpec.spec.expirationSeconds of type int32' },
  { title: 'spec.request not base64', body: () => csrBody('request-not-base64', { request: 'ab!d' }), message: 'illegal base64 data at input byte 2' },
  { title: 'a label value a number', body: () => csrBody('label-number', {}, { labels: { team: 1 } }), message: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string' },
  { title: 'the first error in document order', body: async () => ({ metadata: { name: 5 }, spec: { usages: 5 } }), message: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string' },
];

for (const c of decodeCases) {
  test(`create is a 400 at decode: ${c.title}`, async (t) => {
    const { admin } = await harness();
    expectStatus(t, await admin.request('POST', CSRS, await c.body()), 400, 'BadRequest', undecodable(c.message));
    await listsStillWork(t, admin);
  });
}

test('create: a body that is not an object is unrecognized (400)', async (t) => {
  const { admin } = await harness();
  const res = await admin.request('POST', CSRS, [1]);
  t.is(res.status, 400, res.body);
  t.true(res.json<Status>().message.startsWith("the object provided is unrecognized (must be of type CertificateSigningRequest): couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct"), res.body);
  t.true(res.json<Status>().message.endsWith(' (5b315d)'), 'the body summarized in hex, as summarizeData does');
});

test('create: a null body is an empty object: 422, not 500', async (t) => {
  const { admin } = await harness();
  const res = await admin.request('POST', CSRS, null);
  t.deepEqual(causes(t, res).map((c) => c.split(':')[0]), ['metadata.name', 'spec.request', 'spec.usages', 'spec.signerName']);
});

test('after a refused poisoned create, list and the kubectl table still answer 200', async (t) => {
  const { admin, cluster } = await harness();
  await admin.request('POST', CSRS, await csrBody({ x: 1 }));
  t.false(cluster.csrs.list().some((c) => typeof c.metadata.name !== 'string'));
  await listsStillWork(t, admin);
});

test('create: a name that is not a path segment is Invalid, with path.ValidatePathSegmentName\'s messages', async (t) => {
  const { admin } = await harness();
  t.deepEqual(causes(t, await admin.request('POST', CSRS, await csrBody('a/b%c'))), [
    `metadata.name: Invalid value: "a/b%c": may not contain '/'`, `metadata.name: Invalid value: "a/b%c": may not contain '%'`,
  ]);
  t.deepEqual(causes(t, await admin.request('POST', CSRS, await csrBody('..'))), [`metadata.name: Invalid value: "..": may not be '..'`]);
});

test('create: labels are validated as ObjectMeta is', async (t) => {
  const { admin } = await harness();
  const res = await admin.request('POST', CSRS, await csrBody('bad-label', {}, { labels: { 'bad key!': 'ok' } }));
  t.deepEqual(causes(t, res), [
    `metadata.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  ]);
});

// --- spec.signerName: ValidateSignerName, each rule with its own message ---------------------------

const LABEL_RULE = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_RULE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const long = (n: number) => 'a'.repeat(n);

const signerCases: { signer: string; errors: string[] }[] = [
  { signer: 'example/signer', errors: ['spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots'] },
  { signer: 'Example.com/signer', errors: [`spec.signerName: Invalid value: "Example.com": validating label "Example": ${LABEL_RULE}`] },
  { signer: `${long(64)}.com/signer`, errors: [`spec.signerName: Invalid value: "${long(64)}.com": validating label "${long(64)}": must be no more than 63 characters`] },
  { signer: 'example.com/Signer_', errors: [`spec.signerName: Invalid value: "Signer_": validating label "Signer_": ${SUBDOMAIN_RULE}`] },
  { signer: 'example.com/', errors: [`spec.signerName: Invalid value: "": validating label "": ${SUBDOMAIN_RULE}`] },
  { signer: `${Array(5).fill(long(63)).join('.')}/signer`, errors: ['spec.signerName: Too long: must have at most 253 bytes'] },
  { signer: `example.com/${long(253)}.${long(253)}.${long(60)}`, errors: ['spec.signerName: Too long: must have at most 571 bytes'] },
];

for (const c of signerCases) {
  test(`create: signerName ${c.signer.length > 40 ? `${c.signer.slice(0, 30)}… (${c.signer.length} bytes)` : c.signer}`, async (t) => {
    const { admin } = await harness();
    t.deepEqual(causes(t, await admin.request('POST', CSRS, await csrBody(`signer-${signerCases.indexOf(c)}`, { signerName: c.signer }))), c.errors);
  });
}

// --- conditions and status.certificate on updates ------------------------------------------------

async function pending(t: ExecutionContext, name: string): Promise<CertificateSigningRequest> {
  const { admin } = await harness();
  const res = await admin.request('POST', CSRS, await csrBody(name));
  t.is(res.status, 201, res.body);
  return res.json<CertificateSigningRequest>();
}

async function approved(t: ExecutionContext, name: string): Promise<CertificateSigningRequest> {
  const { admin } = await harness();
  const csr = await pending(t, name);
  const res = await admin.request('PUT', `${CSRS}/${name}/approval`, { ...csr, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove' }] } });
  t.is(res.status, 200, res.body);
  return res.json<CertificateSigningRequest>();
}

test('approval: a null condition is an empty one (Required type and status), not a 500', async (t) => {
  const { admin } = await harness();
  const csr = await pending(t, 'null-condition');
  t.deepEqual(causes(t, await admin.request('PUT', `${CSRS}/null-condition/approval`, { ...csr, status: { conditions: [null] } })), [
    'status.conditions[0].type: Required value', 'status.conditions[0].status: Required value',
  ]);
});

test('approval: an empty status is Required; another type\'s status must be True, False or Unknown; a type twice is Duplicate', async (t) => {
  const { admin } = await harness();
  const csr = await pending(t, 'condition-rules');
  const res = await admin.request('PUT', `${CSRS}/condition-rules/approval`, { ...csr, status: { conditions: [
    { type: 'Approved', status: '' }, { type: 'Custom', status: 'Maybe' }, { type: 'Custom', status: 'True' },
  ] } });
  t.deepEqual(causes(t, res), [
    'status.conditions[0].status: Required value',
    'status.conditions[1].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
    'status.conditions[2].type: Duplicate value: "Custom"',
  ]);
});

test('status: status.certificate with a wrong type as JSON is a 400 at decode', async (t) => {
  const { admin } = await harness();
  const csr = await approved(t, 'certificate-number');
  expectStatus(t, await admin.request('PUT', `${CSRS}/certificate-number/status`, { ...csr, status: { ...csr.status, certificate: 5 } }), 400, 'BadRequest',
    undecodable('json: cannot unmarshal number into Go struct field CertificateSigningRequestStatus.status.certificate of type []uint8'));
});

const pemOf = (type: string, der: Buffer, headers = '') => `-----BEGIN ${type}-----\n${headers}${der.toString('base64')}\n-----END ${type}-----\n`;

test('status: status.certificate holds only CERTIFICATE blocks, without headers, of valid DER', async (t) => {
  const { admin, cluster } = await harness();
  const der = cluster.pki.certs.get('admin')!.cert.der;
  const cases: [string, string][] = [
    [pemOf('PRIVATE KEY', der), 'only CERTIFICATE PEM blocks are allowed, found "PRIVATE KEY"'],
    [pemOf('CERTIFICATE', der) + pemOf('CERTIFICATE', der, 'Proc-Type: 4,ENCRYPTED\n\n'), 'no PEM block headers are permitted'],
    [pemOf('CERTIFICATE', Buffer.from('not DER at all')), 'x509: malformed certificate'],
  ];
  for (const [i, [pem, message]] of cases.entries()) {
    const csr = await approved(t, `certificate-rule-${i}`);
    const res = await admin.request('PUT', `${CSRS}/certificate-rule-${i}/status`, { ...csr, status: { ...csr.status, certificate: Buffer.from(pem).toString('base64') } });
    t.deepEqual(causes(t, res), [`status.certificate: Invalid value: "<certificate data>": ${message}`]);
  }
});

test('status: an update that drops an issued certificate is Forbidden', async (t) => {
  const { admin, cluster } = await harness();
  const csr = await approved(t, 'certificate-dropped');
  const certificate = Buffer.from(cluster.pki.certs.get('admin')!.cert.pem).toString('base64');
  const issued = await admin.request('PUT', `${CSRS}/certificate-dropped/status`, { ...csr, status: { ...csr.status, certificate } });
  t.is(issued.status, 200, issued.body);
  const current = issued.json<CertificateSigningRequest>();
  const res = await admin.request('PUT', `${CSRS}/certificate-dropped/status`, { ...current, status: { conditions: current.status.conditions } });
  t.deepEqual(causes(t, res), ['status.certificate: Forbidden: updates may not modify existing certificate content']);
  t.is(cluster.csrs.get('certificate-dropped')?.status.certificate, certificate);
});

test('ratcheting: a stored CSR that is both Approved and Denied, of the legacy signer, may still be updated', async (t) => {
  const { admin, cluster } = await harness();
  const csr = await pending(t, 'ratchet');
  cluster.csrs.delete('ratchet');
  const legacy = cluster.csrs.create({ ...csr, spec: { ...csr.spec, signerName: 'kubernetes.io/legacy-unknown', usages: ['digital signature', 'digital signature'] } });
  const both = cluster.csrs.updateStatus('ratchet', { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Denied', status: 'True' }] });
  t.is(legacy.spec.signerName, 'kubernetes.io/legacy-unknown');
  t.is(cluster.csrs.get('ratchet')?.status.certificate, undefined, 'Approved and Denied: not approved, so never signed');
  const res = await admin.request('PUT', `${CSRS}/ratchet/approval`, { ...both, status: { conditions: [...both.status.conditions!, { type: 'Custom', status: 'True' }] } });
  t.is(res.status, 200, res.body);
  // What the stored object did not already break is still refused.
  const worse = await admin.request('PUT', `${CSRS}/ratchet/approval`, { ...res.json<CertificateSigningRequest>(), status: { conditions: [...both.status.conditions!, { type: 'Custom', status: 'True' }, { type: 'Custom', status: 'True' }] } });
  t.deepEqual(causes(t, worse), ['status.conditions[3].type: Duplicate value: "Custom"']);
});
