import test, { type ExecutionContext } from 'ava';
import { X509Certificate, webcrypto } from 'node:crypto';
import { ApiClient, type ApiResponse } from '../lib/clients/api-client.js';
import { defineCluster, type ClusterOptions, type StartedCluster } from '../lib/cluster/cluster.js';
import { fixedClock, HOUR, MINUTE } from '../lib/clock.js';
import type { CertificateSigningRequest, CsrCondition } from '../lib/csr/types.js';
import { handleCsrApi } from '../lib/endpoints/csr-api.js';
import { requestInfo } from '../lib/endpoints/request-info.js';
import { createCsrPem } from '../lib/kubelet/csr-request.js';
import { toPem } from '../lib/pki/issue.js';
import { generateKey, type KeyMaterial } from '../lib/pki/keys.js';
import * as x509 from './helpers/x509.js';

/**
 * certificates.k8s.io/v1 on the fake apiserver, rule by rule (docs: kubernetes-pki.md §5):
 * server-side validation on create, /approval and /status (5a–5c), the admission plugins
 * CertificateSubjectRestriction and CertificateApproval (5c, 5e), the built-in signers of
 * kube-controller-manager (5d) and its csrapproving controller (5e). Everything goes over real
 * HTTPS to a started cluster, as kubernetes-admin unless a test says otherwise; every expected
 * message is the one kube-apiserver / kube-controller-manager writes.
 *
 * Comments starting "Was a bug" pin library behaviour this suite found wrong (since fixed).
 */

const NOW = '2026-01-01T00:00:00Z';
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const CLIENT = 'kubernetes.io/kube-apiserver-client';
const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
const CUSTOM = 'example.com/serving';
const BOOTSTRAP_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

/** §5a: the allowed values of spec.usages, in the documented order. */
const DOCUMENTED_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign',
  'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime',
  'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
];

// ---------------------------------------------------------------------------------------------
// Clusters: started once per configuration, shared by the tests (every test uses its own CSR names).

const CLUSTERS = {
  /** kubeadm defaults (--cluster-signing-duration 8760h), plus a join token for TLS bootstrap. */
  kubeadm: {
    bootstrapTokens: [{ tokenId: 'abcdef', tokenSecret: '0123456789abcdef', usageBootstrapAuthentication: true, authExtraGroups: [BOOTSTRAP_GROUP] }],
  },
  shortSigning: { controllerManager: { '--cluster-signing-duration': '2h' } },
  /** External CA mode: kube-controller-manager has no signing key pair. */
  noSigningCert: { controllerManager: { '--cluster-signing-cert-file': null } },
  /** admin.conf's certificate says CN=jane, O=devs: authenticated, nothing beyond basic-user in RBAC. */
  jane: { faults: { admin: { kind: 'subject', cn: 'jane', o: ['devs'] } } },
} satisfies Record<string, Omit<ClusterOptions, 'clock'>>;

interface Harness {
  cluster: StartedCluster;
  /** The client certificate of the PKI record `id` (`admin` = kubernetes-admin, `kubelet-client` = system:node:control-plane). */
  as(id: string): ApiClient;
  withToken(token: string): ApiClient;
  /** kubernetes-admin (cluster-admin). */
  admin: ApiClient;
  stop(): Promise<void>;
}

const started = new Map<keyof typeof CLUSTERS, Promise<Harness>>();

function harness(kind: keyof typeof CLUSTERS = 'kubeadm'): Promise<Harness> {
  let h = started.get(kind);
  if (!h) {
    h = startHarness(CLUSTERS[kind]);
    started.set(kind, h);
  }
  return h;
}

test.after.always('stop the clusters', async () => {
  await Promise.all([...started.values()].map(async (h) => (await h).stop()));
});

async function startHarness(options: Omit<ClusterOptions, 'clock'>): Promise<Harness> {
  const clock = fixedClock(NOW);
  const cluster = await defineCluster({ clock, ...options }).start();
  const clients: ApiClient[] = [];
  const base = { port: cluster.servers['kube-apiserver'].port!, serverName: '10.0.0.10', roots: [cluster.pki.certs.get('ca')!.cert], clock };
  const track = (client: ApiClient) => {
    clients.push(client);
    return client;
  };
  const as = (id: string) => {
    const pair = cluster.pki.certs.get(id)!;
    return track(new ApiClient({ ...base, cert: { certPem: pair.cert.pem, keyPem: pair.key.pem } }));
  };
  return {
    cluster, as, admin: as('admin'),
    withToken: (token) => track(new ApiClient({ ...base, token })),
    async stop() {
      for (const client of clients) client.close();
      await cluster.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSRs and requests.

interface Subject {
  cn: string;
  o: string[];
  dns?: string[];
  ips?: string[];
  emails?: string[];
  uris?: string[];
}

let sharedKey: Promise<KeyMaterial> | undefined;
const requestKey = () => (sharedKey ??= generateKey('ecdsa-p256'));

/** A real PKCS#10 request (PEM), signed by `requestKey()`; email/URI SANs go through @peculiar/x509 directly. */
async function csrPem(s: Subject): Promise<string> {
  if (!s.emails?.length && !s.uris?.length) return createCsrPem(await requestKey(), s.cn, s.o, { dns: s.dns ?? [], ips: s.ips ?? [] });
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const names: x509.JsonGeneralName[] = [
    ...(s.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(s.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(s.emails ?? []).map((value) => ({ type: 'email' as const, value })), ...(s.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ O: s.o }, { CN: [s.cn] }], keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    extensions: [new x509.SubjectAlternativeNameExtension(names)],
  });
  return toPem('CERTIFICATE REQUEST', new Uint8Array(request.rawData));
}

const pemDer = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

/** Go's %#v of a []byte: how field.Invalid renders spec.request in a message. */
const goBytes = (text: string): string => `[]byte{${[...Buffer.from(text)].map((b) => `0x${b.toString(16)}`).join(', ')}}`;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Spec = Partial<CertificateSigningRequest['spec']>;

/** A CSR object as `kubectl create -f` sends it; `request` is PEM text (base64-encoded here), `undefined` fields are left out. */
function csrObject(name: string | undefined, request: string | undefined, spec: Spec = {}, status?: CertificateSigningRequest['status']) {
  return {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
    spec: { request: request === undefined ? undefined : Buffer.from(request).toString('base64'), signerName: CLIENT, usages: ['client auth'], ...spec },
    ...(status ? { status } : {}),
  };
}

const createCsr = (client: ApiClient, body: unknown) => client.request('POST', CSRS, body);

async function createOk(t: ExecutionContext, client: ApiClient, name: string, subject: Subject, spec: Spec = {}): Promise<CertificateSigningRequest> {
  const res = await createCsr(client, csrObject(name, await csrPem(subject), spec));
  t.is(res.status, 201, res.body);
  return get(t, client, name);
}

async function get(t: ExecutionContext, client: ApiClient, name: string): Promise<CertificateSigningRequest> {
  const res = await client.request('GET', `${CSRS}/${name}`);
  t.is(res.status, 200, res.body);
  return res.json<CertificateSigningRequest>();
}

const KUBECTL: Record<'Approved' | 'Denied', { reason: string; message: string }> = {
  Approved: { reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' },
  Denied: { reason: 'KubectlDeny', message: 'This CSR was denied by kubectl certificate deny.' },
};

const condition = (type: 'Approved' | 'Denied', status = 'True'): CsrCondition => ({ type, status, ...KUBECTL[type], lastUpdateTime: NOW });

const withConditions = (csr: CertificateSigningRequest, conditions: CsrCondition[]) => ({ ...csr, status: { ...csr.status, conditions } });

const putApproval = (client: ApiClient, name: string, body: unknown) => client.request('PUT', `${CSRS}/${name}/approval`, body);
const putStatus = (client: ApiClient, name: string, body: unknown) => client.request('PUT', `${CSRS}/${name}/status`, body);

/** `kubectl certificate approve|deny`: GET, append the condition, PUT /approval; returns the CSR as it is afterwards. */
async function decide(t: ExecutionContext, client: ApiClient, name: string, type: 'Approved' | 'Denied' = 'Approved'): Promise<CertificateSigningRequest> {
  const current = await get(t, client, name);
  const res = await putApproval(client, name, withConditions(current, [...(current.status.conditions ?? []), condition(type)]));
  t.is(res.status, 200, res.body);
  return get(t, client, name);
}

interface Status {
  kind: 'Status';
  status: 'Failure';
  reason: string;
  message: string;
  code: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason: string; message: string; field: string }[] };
}

/** The field.ErrorType of an error body (apimachinery's ErrorType.String()). */
function causeReason(body: string): string {
  const types: [string, string][] = [
    ['Required value', 'FieldValueRequired'], ['Invalid value', 'FieldValueInvalid'], ['Unsupported value', 'FieldValueNotSupported'],
    ['Duplicate value', 'FieldValueDuplicate'], ['Forbidden', 'FieldValueForbidden'],
  ];
  return types.find(([prefix]) => body.startsWith(prefix))?.[1] ?? 'unknown';
}

/**
 * The 422 kube-apiserver answers: `CertificateSigningRequest.certificates.k8s.io "<name>" is invalid: <errors>`,
 * one error alone or several as `[a, b]`, and one `details.causes` entry per error. `errors` are `<field>: <body>`.
 */
function expectInvalid(t: ExecutionContext, res: ApiResponse, name: string, errors: readonly string[]): void {
  t.is(res.status, 422, res.body);
  const status = res.json<Status>();
  t.like(status, { kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, details: { name, group: 'certificates.k8s.io', kind: 'CertificateSigningRequest' } });
  t.is(status.message, `CertificateSigningRequest.certificates.k8s.io ${JSON.stringify(name)} is invalid: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`);
  t.deepEqual(status.details?.causes, errors.map((e) => {
    const at = e.indexOf(': ');
    const body = e.slice(at + 2);
    return { reason: causeReason(body), message: body, field: e.slice(0, at) };
  }));
}

/** The single cause of a 422, for rules whose exact wording is checked elsewhere. */
function singleCause(t: ExecutionContext, res: ApiResponse, name: string): { reason: string; message: string; field: string } {
  t.is(res.status, 422, res.body);
  const status = res.json<Status>();
  t.is(status.reason, 'Invalid');
  const causes = status.details?.causes ?? [];
  t.is(causes.length, 1, res.body);
  const cause = causes[0] ?? { reason: '', message: '', field: '' };
  t.is(status.message, `CertificateSigningRequest.certificates.k8s.io ${JSON.stringify(name)} is invalid: ${cause.field}: ${cause.message}`);
  return cause;
}

function expectStatus(t: ExecutionContext, res: ApiResponse, code: number, reason: string, message: string): void {
  t.is(res.status, code, res.body);
  t.like(res.json<Status>(), { kind: 'Status', status: 'Failure', code, reason, message });
}

const certificateOf = (csr: CertificateSigningRequest): X509Certificate => new X509Certificate(Buffer.from(csr.status.certificate ?? '', 'base64'));
const typesOf = (csr: CertificateSigningRequest) => (csr.status.conditions ?? []).map((c) => c.type);

// ---------------------------------------------------------------------------------------------
// 5a/5c — validation on create.

const node = (name: string): Subject => ({ cn: `system:node:${name}`, o: ['system:nodes'] });
const alice: Subject = { cn: 'alice', o: ['devs'] };

interface CreateCase {
  title: string;
  name: string;
  /** The body to POST (a function: CSRs are generated). */
  body: () => Promise<unknown>;
  /** The errors as `<field>: <body>`, in kube-apiserver's order. */
  errors: (body: unknown) => string[];
}

const requestOf = (body: unknown) => Buffer.from((body as { spec: { request: string } }).spec.request, 'base64').toString();

const createCases: CreateCase[] = [
  {
    title: 'a PEM block of another type (CERTIFICATE)', name: 'pem-certificate',
    body: async () => csrObject('pem-certificate', toPem('CERTIFICATE', pemDer(await csrPem(alice)))),
    errors: (body) => [`spec.request: Invalid value: ${goBytes(requestOf(body))}: PEM block type must be CERTIFICATE REQUEST`],
  },
  {
    title: "a NEW CERTIFICATE REQUEST block (openssl's legacy label)", name: 'pem-new-certificate-request',
    body: async () => csrObject('pem-new-certificate-request', toPem('NEW CERTIFICATE REQUEST', pemDer(await csrPem(alice)))),
    errors: (body) => [`spec.request: Invalid value: ${goBytes(requestOf(body))}: PEM block type must be CERTIFICATE REQUEST`],
  },
  {
    title: 'garbage instead of PEM', name: 'garbage',
    body: async () => csrObject('garbage', 'hello'),
    errors: () => ['spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type must be CERTIFICATE REQUEST'],
  },
  {
    title: 'no spec.signerName', name: 'no-signer',
    body: async () => csrObject('no-signer', await csrPem(alice), { signerName: undefined }),
    errors: () => ['spec.signerName: Required value'],
  },
  {
    title: 'the legacy signer kubernetes.io/legacy-unknown', name: 'legacy-signer',
    body: async () => csrObject('legacy-signer', await csrPem(alice), { signerName: 'kubernetes.io/legacy-unknown' }),
    errors: () => ['spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version'],
  },
  {
    title: 'a signerName that is not a qualified domain/path', name: 'unqualified-signer',
    body: async () => csrObject('unqualified-signer', await csrPem(alice), { signerName: 'example-signer' }),
    errors: () => [`spec.signerName: Invalid value: "example-signer": must be a fully qualified domain and path of the form 'example.com/signer-name'`],
  },
  {
    title: 'no spec.usages', name: 'no-usages',
    body: async () => csrObject('no-usages', await csrPem(alice), { usages: undefined }),
    errors: () => ['spec.usages: Required value'],
  },
  {
    title: 'empty spec.usages', name: 'empty-usages',
    body: async () => csrObject('empty-usages', await csrPem(alice), { usages: [] }),
    errors: () => ['spec.usages: Required value'],
  },
  {
    title: 'a duplicate usage', name: 'duplicate-usage',
    body: async () => csrObject('duplicate-usage', await csrPem(alice), { usages: ['client auth', 'digital signature', 'client auth'] }),
    errors: () => ['spec.usages[2]: Duplicate value: "client auth"'],
  },
  {
    title: 'expirationSeconds 599', name: 'expiration-599',
    body: async () => csrObject('expiration-599', await csrPem(alice), { expirationSeconds: 599 }),
    errors: () => ['spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)'],
  },
  {
    title: 'no name and no generateName', name: '',
    body: async () => csrObject(undefined, await csrPem(alice)),
    errors: () => ['metadata.name: Required value: name or generateName is required'],
  },
  {
    title: 'several errors at once', name: 'several-errors',
    body: async () => csrObject('several-errors', 'hello', { signerName: 'kubernetes.io/legacy-unknown', expirationSeconds: 60 }),
    errors: () => [
      'spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type must be CERTIFICATE REQUEST',
      'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version',
      'spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)',
    ],
  },
];

for (const c of createCases) {
  test(`create is refused: ${c.title}`, async (t) => {
    const { admin, cluster } = await harness();
    const body = await c.body();
    expectInvalid(t, await createCsr(admin, body), c.name, c.errors(body));
    if (c.name) t.false(cluster.csrs.has(c.name));
  });
}

test('create is refused: a request that does not parse inside a CERTIFICATE REQUEST block', async (t) => {
  const { admin } = await harness();
  const pem = toPem('CERTIFICATE REQUEST', Buffer.from('not DER at all'));
  const cause = singleCause(t, await createCsr(admin, csrObject('bad-der', pem)), 'bad-der');
  t.is(cause.field, 'spec.request');
  t.is(cause.reason, 'FieldValueInvalid');
  // x509.ParseCertificateRequest's error: encoding/asn1 wording (the exact text is Go's parser's).
  t.true(cause.message.startsWith(`Invalid value: ${goBytes(pem)}: asn1: `), cause.message);
});

/** The CSR of `alice` with one byte of its subject changed: it still parses, but its self-signature no longer holds. */
async function tamperedCsrPem(): Promise<string> {
  const der = pemDer(await csrPem({ cn: 'tamper-me', o: ['devs'] }));
  const at = der.indexOf('tamper-me');
  der[at + 'tamper-m'.length] = 'f'.charCodeAt(0);
  return toPem('CERTIFICATE REQUEST', der);
}

test('create is refused: a tampered CSR (bad self-signature)', async (t) => {
  const { admin } = await harness();
  const pem = await tamperedCsrPem();
  t.regex(new x509.Pkcs10CertificateRequest(new Uint8Array(pemDer(pem))).subject, /CN=tamper-mf/, 'it still parses');
  const cause = singleCause(t, await createCsr(admin, csrObject('tampered', pem)), 'tampered');
  t.is(cause.field, 'spec.request');
  t.is(cause.reason, 'FieldValueInvalid');
  t.regex(cause.message, new RegExp(`^Invalid value: ${escape(goBytes(pem))}: x509: .*verification failure$`));
});

// Was a bug, found by this suite: validateCreate (lib/csr/validation.ts) reports `x509: signature verification failure`; kube-apiserver puts
// Go's csr.CheckSignature() error there [K-CSRVAL validateCSR], which for an ECDSA key is `x509: ECDSA verification
// failure` (crypto/x509 checkSignature; lib/x509/go-verify.ts already uses that wording for certificates).
test('create is refused: a tampered ECDSA CSR, with the x509 CheckSignature error', async (t) => {
  const { admin } = await harness();
  const pem = await tamperedCsrPem();
  expectInvalid(t, await createCsr(admin, csrObject('tampered-go', pem)), 'tampered-go', [`spec.request: Invalid value: ${goBytes(pem)}: x509: ECDSA verification failure`]);
});

test('create is refused: an unknown usage, NotSupported with the allowed values', async (t) => {
  const { admin } = await harness();
  const res = await createCsr(admin, csrObject('unknown-usage', await csrPem(alice), { usages: ['client auth', 'foo'] }));
  const cause = singleCause(t, res, 'unknown-usage');
  t.is(cause.field, 'spec.usages[1]');
  t.is(cause.reason, 'FieldValueNotSupported');
  const prefix = 'Unsupported value: "foo": supported values: ';
  t.true(cause.message.startsWith(prefix), cause.message);
  const listed = cause.message.slice(prefix.length).split(', ').map((v) => JSON.parse(v) as string);
  t.deepEqual([...listed].sort(), [...DOCUMENTED_USAGES].sort());
});

// Was a bug, found by this suite: lib/csr/validation.ts lists the supported values in the order of types.go; kube-apiserver passes
// allValidUsages.List() (a sets.String, so sorted) to field.NotSupported [K-CSRVAL validateCertificateSigningRequest].
test('create is refused: an unknown usage, the supported values sorted as kube-apiserver lists them', async (t) => {
  const { admin } = await harness();
  const res = await createCsr(admin, csrObject('unknown-usage-sorted', await csrPem(alice), { usages: ['foo'] }));
  const sorted = [...DOCUMENTED_USAGES].sort().map((u) => JSON.stringify(u)).join(', ');
  expectInvalid(t, res, 'unknown-usage-sorted', [`spec.usages[0]: Unsupported value: "foo": supported values: ${sorted}`]);
});

// Was a bug, found by this suite: lib/csr/validation.ts checks signerName and expirationSeconds before usages; kube-apiserver's order is
// metadata, request, usages (Required, NotSupported, Duplicate), signerName, expirationSeconds, conditions
// [K-CSRVAL validateCertificateSigningRequest; §5c lists the checks in that order]. Several errors come out in it.
test('create is refused: several errors, in kube-apiserver order (usages before signerName)', async (t) => {
  const { admin } = await harness();
  const res = await createCsr(admin, csrObject('errors-in-order', await csrPem(alice), { signerName: undefined, usages: undefined }));
  expectInvalid(t, res, 'errors-in-order', ['spec.usages: Required value', 'spec.signerName: Required value']);
});

// Was a bug, found by this suite: lib/csr/validation.ts answers `spec.request: Required value`; kube-apiserver has no Required rule for
// spec.request: ParseCSR fails on the nil []byte [K-CSRHELP ParseCSR, K-CSRVAL], so the §5c text is the answer.
test('create is refused: no spec.request at all is an unparsable request', async (t) => {
  const { admin } = await harness();
  const res = await createCsr(admin, csrObject('no-request', undefined));
  expectInvalid(t, res, 'no-request', ['spec.request: Invalid value: []byte(nil): PEM block type must be CERTIFICATE REQUEST']);
});

// Was a bug, found by this suite: lib/csr/validation.ts requires metadata.name to be a DNS-1123 subdomain; for CSRs kube-apiserver's
// ValidateCertificateRequestName returns nil ("We don't care what you call your certificate requests.") [K-CSRVAL].
test('create accepts any name (CSR names are not validated)', async (t) => {
  const { admin } = await harness();
  const res = await createCsr(admin, csrObject('Alice_Laptop', await csrPem(alice)));
  t.is(res.status, 201, res.body);
});

const acceptedCases: { title: string; name: string; spec: Spec }[] = [
  { title: 'expirationSeconds 600 (the minimum)', name: 'expiration-600', spec: { expirationSeconds: 600 } },
  { title: 'a custom signer example.com/serving', name: 'custom-signer', spec: { signerName: CUSTOM, usages: ['digital signature', 'server auth'] } },
  { title: 'every documented usage (custom signer)', name: 'all-usages', spec: { signerName: CUSTOM, usages: DOCUMENTED_USAGES } },
];

for (const c of acceptedCases) {
  test(`create is accepted: ${c.title}`, async (t) => {
    const { admin } = await harness();
    const csr = await createOk(t, admin, c.name, alice, c.spec);
    t.like(csr.spec, c.spec);
  });
}

test('create: spec.username/uid/groups/extra come from the requester and status is wiped (no pre-approved CSRs)', async (t) => {
  const { admin } = await harness();
  const pem = await csrPem(alice);
  const forged = csrObject('forged', pem, { username: 'system:node:evil', uid: 'forged-uid', groups: ['system:masters'], extra: { scopes: ['all'] } }, {
    conditions: [{ type: 'Approved', status: 'True', reason: 'Forged', message: 'pre-approved' }],
    certificate: Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64'),
  });
  const res = await createCsr(admin, forged);
  t.is(res.status, 201, res.body);
  for (const csr of [res.json<CertificateSigningRequest>(), await get(t, admin, 'forged')]) {
    t.is(csr.spec.username, 'kubernetes-admin');
    t.deepEqual(csr.spec.groups, ['kubeadm:cluster-admins', 'system:authenticated']);
    t.is(csr.spec.uid, undefined);
    t.is(csr.spec.extra, undefined);
    t.deepEqual(csr.status, {}, 'neither Approved nor a certificate survive create; the signer had nothing to do');
    t.is(Buffer.from(csr.spec.request, 'base64').toString(), pem);
  }
});

test('create: AlreadyExists (409) for a name that is taken', async (t) => {
  const { admin } = await harness();
  const first = await createOk(t, admin, 'taken', alice);
  const res = await createCsr(admin, csrObject('taken', await csrPem({ cn: 'bob', o: ['devs'] })));
  expectStatus(t, res, 409, 'AlreadyExists', 'certificatesigningrequests.certificates.k8s.io "taken" already exists');
  t.deepEqual(await get(t, admin, 'taken'), first);
});

const restrictionCases: { title: string; name: string; o: string[]; signerName: string; refused: boolean }[] = [
  { title: 'O=system:masters with kube-apiserver-client is refused', name: 'masters-client', o: ['system:masters'], signerName: CLIENT, refused: true },
  { title: 'system:masters among other groups is refused', name: 'masters-among', o: ['devs', 'system:masters'], signerName: CLIENT, refused: true },
  { title: 'system:masters with another signer is admitted', name: 'masters-custom', o: ['system:masters'], signerName: CUSTOM, refused: false },
  { title: 'other groups with kube-apiserver-client are admitted', name: 'devs-client', o: ['devs', 'system:nodes'], signerName: CLIENT, refused: false },
];

for (const c of restrictionCases) {
  test(`admission CertificateSubjectRestriction: ${c.title}`, async (t) => {
    const { admin, cluster } = await harness();
    const res = await createCsr(admin, csrObject(c.name, await csrPem({ cn: 'mallory', o: c.o }), { signerName: c.signerName }));
    if (c.refused) {
      expectStatus(t, res, 403, 'Forbidden', `certificatesigningrequests.certificates.k8s.io "${c.name}" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed`);
      t.false(cluster.csrs.has(c.name));
    } else {
      t.is(res.status, 201, res.body);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 5b/5c/5e — /approval.

/** A CSR for the custom signer (nobody signs it, so only the API's rules act), decided as `state` says. */
async function customCsr(t: ExecutionContext, client: ApiClient, name: string, state: 'Pending' | 'Approved' | 'Denied'): Promise<CertificateSigningRequest> {
  await createOk(t, client, name, alice, { signerName: CUSTOM, usages: ['digital signature', 'server auth'] });
  return state === 'Pending' ? get(t, client, name) : decide(t, client, name, state);
}

const approvalCases: { title: string; name: string; state: 'Pending' | 'Approved' | 'Denied'; conditions: (csr: CertificateSigningRequest) => CsrCondition[]; errors: string[] }[] = [
  {
    title: 'removing the Approved condition', name: 'remove-approved', state: 'Approved', conditions: () => [],
    errors: ['status.conditions: Forbidden: updates may not remove a condition of type "Approved"'],
  },
  {
    title: 'removing the Denied condition', name: 'remove-denied', state: 'Denied', conditions: () => [],
    errors: ['status.conditions: Forbidden: updates may not remove a condition of type "Denied"'],
  },
  {
    title: 'an Approved condition with status False', name: 'approved-false', state: 'Pending', conditions: () => [condition('Approved', 'False')],
    errors: ['status.conditions[0].status: Unsupported value: "False": supported values: "True"'],
  },
  {
    title: 'a Denied condition with status Unknown', name: 'denied-unknown', state: 'Pending', conditions: () => [condition('Denied', 'Unknown')],
    errors: ['status.conditions[0].status: Unsupported value: "Unknown": supported values: "True"'],
  },
  {
    title: 'two Approved conditions', name: 'approved-twice', state: 'Pending', conditions: () => [condition('Approved'), condition('Approved')],
    errors: ['status.conditions[1].type: Duplicate value: "Approved"'],
  },
];

for (const c of approvalCases) {
  test(`approval is refused: ${c.title}`, async (t) => {
    const { admin } = await harness();
    const before = await customCsr(t, admin, c.name, c.state);
    expectInvalid(t, await putApproval(admin, c.name, withConditions(before, c.conditions(before))), c.name, c.errors);
    t.deepEqual(await get(t, admin, c.name), before, 'a refused update changes nothing');
  });
}

const exclusiveCases: { title: string; name: string; state: 'Pending' | 'Approved' }[] = [
  { title: 'Approved and Denied sent together', name: 'approve-and-deny', state: 'Pending' },
  { title: 'Denied added to an Approved CSR', name: 'deny-approved', state: 'Approved' },
];

for (const c of exclusiveCases) {
  test(`approval is refused: ${c.title} (mutually exclusive)`, async (t) => {
    const { admin } = await harness();
    const before = await customCsr(t, admin, c.name, c.state);
    const conditions = c.state === 'Pending' ? [condition('Approved'), condition('Denied')] : [...(before.status.conditions ?? []), condition('Denied')];
    const cause = singleCause(t, await putApproval(admin, c.name, withConditions(before, conditions)), c.name);
    t.is(cause.reason, 'FieldValueInvalid');
    t.true(cause.field.startsWith('status.conditions'), cause.field);
    t.true(cause.message.endsWith(': Approved and Denied conditions are mutually exclusive'), cause.message);
    t.deepEqual(await get(t, admin, c.name), before);
  });
}

// Was a bug, found by this suite: lib/csr/validation.ts reports `status.conditions: Invalid value: "Approved": …`; kube-apiserver's validateConditions
// reports it on the second of the two conditions, `status.conditions[i].type`, with that condition's type as the value [K-CSRVAL].
test('approval is refused: Approved and Denied together, reported on the later condition', async (t) => {
  const { admin } = await harness();
  const before = await customCsr(t, admin, 'approve-and-deny-field', 'Pending');
  const res = await putApproval(admin, 'approve-and-deny-field', withConditions(before, [condition('Approved'), condition('Denied')]));
  expectInvalid(t, res, 'approve-and-deny-field', ['status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive']);
});

test('approval: a stale resourceVersion is a 409 Conflict', async (t) => {
  const { admin } = await harness();
  const stale = await customCsr(t, admin, 'stale', 'Pending');
  t.truthy(stale.metadata.resourceVersion);
  const approved = await putApproval(admin, 'stale', withConditions(stale, [condition('Approved')]));
  t.is(approved.status, 200, approved.body);
  const after = await get(t, admin, 'stale');
  t.not(after.metadata.resourceVersion, stale.metadata.resourceVersion);
  const res = await putApproval(admin, 'stale', withConditions(stale, [condition('Denied')]));
  expectStatus(t, res, 409, 'Conflict',
    'Operation cannot be fulfilled on certificatesigningrequests.certificates.k8s.io "stale": the object has been modified; please apply your changes to the latest version and try again');
  t.deepEqual(await get(t, admin, 'stale'), after);
});

test('approval by kubectl (cluster-admin): the Approved condition is stored as sent', async (t) => {
  const { admin } = await harness();
  const csr = await customCsr(t, admin, 'kubectl-approve', 'Approved');
  t.like(csr.status.conditions, [{ type: 'Approved', status: 'True', ...KUBECTL.Approved }]);
  const denied = await customCsr(t, admin, 'kubectl-deny', 'Denied');
  t.like(denied.status.conditions, [{ type: 'Denied', status: 'True', ...KUBECTL.Denied }]);
});

test('RBAC and CertificateApproval: jane (authenticated, basic-user only) may neither create nor approve', async (t) => {
  const h = await harness('jane');
  const jane = h.admin;
  const root = h.as('super-admin'); // system:masters
  const pem = await csrPem({ cn: 'jane', o: ['devs'] });

  // RBAC, before the CSR registry: the authorizer's wording.
  expectStatus(t, await createCsr(jane, csrObject('jane', pem)), 403, 'Forbidden',
    'certificatesigningrequests.certificates.k8s.io is forbidden: User "jane" cannot create resource "certificatesigningrequests" in API group "certificates.k8s.io" at the cluster scope');
  t.is((await createCsr(root, csrObject('jane', pem))).status, 201);
  const pending = await get(t, root, 'jane');
  expectStatus(t, await putApproval(jane, 'jane', withConditions(pending, [condition('Approved')])), 403, 'Forbidden',
    'certificatesigningrequests.certificates.k8s.io "jane" is forbidden: User "jane" cannot update resource "certificatesigningrequests/approval" in API group "certificates.k8s.io" at the cluster scope');

  // Admission CertificateApproval, for a user RBAC lets through to the registry (update on /approval): without
  // `approve` on signers/<signerName> (or <domain>/*) the approval is refused. No default role has one without the
  // other, so the registry is called directly with jane's identity.
  const answer = await handleCsrApi(
    { store: h.cluster.csrs, user: { name: 'jane', groups: ['devs', 'system:authenticated'] }, modes: ['Node', 'RBAC'] },
    requestInfo('PUT', `${CSRS}/jane/approval`), 'application/json', 'application/json',
    Buffer.from(JSON.stringify(withConditions(pending, [condition('Approved')]))),
  );
  t.is(answer.status, 403);
  t.like(answer.body as Status, {
    reason: 'Forbidden', code: 403,
    message: 'certificatesigningrequests.certificates.k8s.io "jane" is forbidden: user not permitted to approve requests with signerName "kubernetes.io/kube-apiserver-client"',
  });
  t.deepEqual(await get(t, root, 'jane'), pending, 'still Pending');
});

// ---------------------------------------------------------------------------------------------
// 5b/5c — /status.

test('status: an issued certificate may not be changed', async (t) => {
  const { admin, cluster } = await harness();
  await createOk(t, admin, 'issued-once', alice);
  const issued = await decide(t, admin, 'issued-once');
  t.truthy(issued.status.certificate);
  const other = Buffer.from(cluster.pki.certs.get('admin')!.cert.pem).toString('base64');
  const cause = singleCause(t, await putStatus(admin, 'issued-once', { ...issued, status: { ...issued.status, certificate: other } }), 'issued-once');
  t.is(cause.field, 'status.certificate');
  t.true(cause.message.endsWith('updates may not modify existing certificate content'), cause.message);
  t.deepEqual(await get(t, admin, 'issued-once'), issued);
});

// Was a bug, found by this suite: lib/csr/validation.ts makes this a FieldValueInvalid (`Invalid value: "<certificate>": …`); kube-apiserver's
// validateCertificateSigningRequestUpdate returns field.Forbidden(status.certificate, …) [K-CSRVAL].
test('status: changing an issued certificate is Forbidden, in kube-apiserver wording', async (t) => {
  const { admin, cluster } = await harness();
  await createOk(t, admin, 'issued-once-go', alice);
  const issued = await decide(t, admin, 'issued-once-go');
  const other = Buffer.from(cluster.pki.certs.get('admin')!.cert.pem).toString('base64');
  const res = await putStatus(admin, 'issued-once-go', { ...issued, status: { ...issued.status, certificate: other } });
  expectInvalid(t, res, 'issued-once-go', ['status.certificate: Forbidden: updates may not modify existing certificate content']);
});

test('status: a Failed condition may not be removed', async (t) => {
  const { admin } = await harness();
  await createOk(t, admin, 'failed-stays', alice, { usages: ['client auth', 'server auth'] });
  const failed = await decide(t, admin, 'failed-stays');
  t.deepEqual(typesOf(failed), ['Approved', 'Failed']);
  const res = await putStatus(admin, 'failed-stays', withConditions(failed, (failed.status.conditions ?? []).filter((c) => c.type !== 'Failed')));
  expectInvalid(t, res, 'failed-stays', ['status.conditions: Forbidden: updates may not remove a condition of type "Failed"']);
  t.deepEqual(await get(t, admin, 'failed-stays'), failed);
});

// Was a bug, found by this suite: /status accepts an Approved condition (lib/endpoints/csr-api.ts, lib/csr/validation.ts validateStatusUpdate), which
// also bypasses CertificateApproval. §5b: Approved/Denied are added via /approval only; kube-apiserver's status strategy
// keeps them as they were and validation refuses the addition [K-CSRTYPES; K-CSRVAL allowSettingApprovalConditions].
test('status: an Approved condition cannot be added through /status', async (t) => {
  const { admin } = await harness();
  const pending = await customCsr(t, admin, 'approve-via-status', 'Pending');
  const res = await putStatus(admin, 'approve-via-status', withConditions(pending, [condition('Approved')]));
  expectInvalid(t, res, 'approve-via-status', ['status.conditions: Forbidden: updates may not add a condition of type "Approved"']);
  t.deepEqual(typesOf(await get(t, admin, 'approve-via-status')), []);
});

// Was a bug, found by this suite: /status stores any status.certificate; §5b: it holds PEM CERTIFICATE block(s), and kube-apiserver's
// validateCertificate refuses anything else [K-CSRVAL validateCertificateSigningRequest].
test('status: status.certificate must hold CERTIFICATE PEM blocks', async (t) => {
  const { admin } = await harness();
  const approved = await customCsr(t, admin, 'not-a-certificate', 'Approved');
  const res = await putStatus(admin, 'not-a-certificate', { ...approved, status: { ...approved.status, certificate: Buffer.from('not a certificate').toString('base64') } });
  expectInvalid(t, res, 'not-a-certificate', ['status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block']);
});

// ---------------------------------------------------------------------------------------------
// 5d — the built-in signers' rules: after approval, a violation is a Failed condition and no certificate.

const SERVING_USAGES = ['digital signature', 'server auth'];
const KUBELET_CLIENT_USAGES = ['digital signature', 'client auth'];

interface SignerCase {
  title: string;
  name: string;
  signerName: string;
  subject: Subject;
  usages: string[];
  message: string | RegExp;
}

const signerCases: SignerCase[] = [
  { title: 'kube-apiserver-client: server auth', name: 'client-server-auth', signerName: CLIENT, subject: alice, usages: ['client auth', 'server auth'], message: 'invalid usage for client certificate: server auth' },
  { title: 'kube-apiserver-client: no client auth', name: 'client-no-client-auth', signerName: CLIENT, subject: alice, usages: ['digital signature', 'key encipherment'], message: 'missing required usage for client certificate: client auth' },

  { title: 'kubelet client: organization', name: 'kc-org', signerName: KUBELET_CLIENT, subject: { cn: 'system:node:worker-1', o: ['devs'] }, usages: KUBELET_CLIENT_USAGES, message: 'subject organization is not system:nodes' },
  { title: 'kubelet client: organization not exactly [system:nodes]', name: 'kc-org-extra', signerName: KUBELET_CLIENT, subject: { cn: 'system:node:worker-1', o: ['system:nodes', 'devs'] }, usages: KUBELET_CLIENT_USAGES, message: 'subject organization is not system:nodes' },
  { title: 'kubelet client: common name', name: 'kc-cn', signerName: KUBELET_CLIENT, subject: { cn: 'worker-1', o: ['system:nodes'] }, usages: KUBELET_CLIENT_USAGES, message: 'subject common name does not begin with system:node:' },
  { title: 'kubelet client: DNS SAN', name: 'kc-dns', signerName: KUBELET_CLIENT, subject: { ...node('worker-1'), dns: ['worker-1'] }, usages: KUBELET_CLIENT_USAGES, message: 'DNS subjectAltNames are not allowed' },
  { title: 'kubelet client: IP SAN', name: 'kc-ip', signerName: KUBELET_CLIENT, subject: { ...node('worker-1'), ips: ['10.0.0.11'] }, usages: KUBELET_CLIENT_USAGES, message: 'IP subjectAltNames are not allowed' },
  { title: 'kubelet client: email SAN', name: 'kc-email', signerName: KUBELET_CLIENT, subject: { ...node('worker-1'), emails: ['kubelet@example.com'] }, usages: KUBELET_CLIENT_USAGES, message: 'Email subjectAltNames are not allowed' },
  { title: 'kubelet client: URI SAN', name: 'kc-uri', signerName: KUBELET_CLIENT, subject: { ...node('worker-1'), uris: ['spiffe://cluster.local/node/worker-1'] }, usages: KUBELET_CLIENT_USAGES, message: 'URI subjectAltNames are not allowed' },
  { title: 'kubelet client: usages', name: 'kc-usages', signerName: KUBELET_CLIENT, subject: node('worker-1'), usages: ['client auth'], message: /^usages did not match \[/ },

  { title: 'kubelet serving: organization', name: 'ks-org', signerName: KUBELET_SERVING, subject: { cn: 'system:node:worker-1', o: ['devs'], dns: ['worker-1'] }, usages: SERVING_USAGES, message: 'subject organization is not system:nodes' },
  { title: 'kubelet serving: common name', name: 'ks-cn', signerName: KUBELET_SERVING, subject: { cn: 'worker-1', o: ['system:nodes'], dns: ['worker-1'] }, usages: SERVING_USAGES, message: 'subject common name does not begin with system:node:' },
  { title: 'kubelet serving: no DNS or IP SAN', name: 'ks-no-san', signerName: KUBELET_SERVING, subject: node('worker-1'), usages: SERVING_USAGES, message: 'DNS or IP subjectAltName is required' },
  { title: 'kubelet serving: email SAN', name: 'ks-email', signerName: KUBELET_SERVING, subject: { ...node('worker-1'), dns: ['worker-1'], emails: ['kubelet@example.com'] }, usages: SERVING_USAGES, message: 'Email subjectAltNames are not allowed' },
  { title: 'kubelet serving: URI SAN', name: 'ks-uri', signerName: KUBELET_SERVING, subject: { ...node('worker-1'), dns: ['worker-1'], uris: ['spiffe://cluster.local/node/worker-1'] }, usages: SERVING_USAGES, message: 'URI subjectAltNames are not allowed' },
  { title: 'kubelet serving: usages', name: 'ks-usages', signerName: KUBELET_SERVING, subject: { ...node('worker-1'), dns: ['worker-1'] }, usages: ['digital signature', 'server auth', 'client auth'], message: /^usages did not match \[/ },
];

async function signerFailure(t: ExecutionContext, c: Omit<SignerCase, 'title'>): Promise<CsrCondition | undefined> {
  const { admin } = await harness();
  const pending = await createOk(t, admin, c.name, c.subject, { signerName: c.signerName, usages: c.usages });
  t.deepEqual(pending.status, {}, 'Pending until someone approves it');
  const after = await decide(t, admin, c.name);
  t.is(after.status.certificate, undefined, 'never issued');
  t.deepEqual(typesOf(after), ['Approved', 'Failed']);
  const failed = after.status.conditions?.[1];
  t.like(failed, { type: 'Failed', status: 'True', reason: 'SignerValidationFailure' });
  return failed;
}

for (const c of signerCases) {
  test(`signer refuses after approval: ${c.title}`, async (t) => {
    const failed = await signerFailure(t, c);
    if (typeof c.message === 'string') t.is(failed?.message, c.message);
    else t.regex(failed?.message ?? '', c.message);
  });
}

// Was a bug, found by this suite: lib/csr/signer.ts writes `usages did not match [[key encipherment digital signature client auth] [digital signature client auth]]`;
// the kubelet signers' check returns fmt.Errorf("usages did not match %v", kubeletClientRequiredUsages.List()) — one sorted
// list, the full set [K-CSRHELP ValidateKubeletClientCSR / ValidateKubeletServingCSR; §5d `usages did not match [...]`].
const usageMessages = [
  { title: 'kubelet client', name: 'kc-usages-text', signerName: KUBELET_CLIENT, subject: node('worker-2'), usages: ['client auth'], message: 'usages did not match [client auth digital signature key encipherment]' },
  { title: 'kubelet serving', name: 'ks-usages-text', signerName: KUBELET_SERVING, subject: { ...node('worker-2'), dns: ['worker-2'] }, usages: ['server auth'], message: 'usages did not match [digital signature key encipherment server auth]' },
];
for (const c of usageMessages) {
  test(`signer refuses after approval: ${c.title} usages, with Kubernetes' message`, async (t) => {
    const failed = await signerFailure(t, c);
    t.is(failed?.message, c.message);
  });
}

// ---------------------------------------------------------------------------------------------
// 5d — what the signers issue.

function expectIssued(t: ExecutionContext, h: Harness, csr: CertificateSigningRequest, key: KeyMaterial): X509Certificate {
  t.truthy(csr.status.certificate, 'Issued');
  t.false(typesOf(csr).includes('Failed'));
  const cert = certificateOf(csr);
  const ca = new X509Certificate(h.cluster.pki.certs.get('ca')!.cert.pem);
  t.is(cert.issuer, ca.subject);
  t.true(cert.checkIssued(ca), 'issued by the signing CA');
  t.true(cert.verify(ca.publicKey), 'signed with the CA key');
  t.false(cert.ca);
  t.true(cert.publicKey.export({ type: 'spki', format: 'der' }).equals(key.spki), "the CSR's public key");
  t.is(new Date(cert.validFrom).toISOString(), new Date(Date.parse(NOW) - 5 * MINUTE).toISOString(), 'back-dated 5 minutes');
  return cert;
}

/** A distinguished name as Node renders it (one RDN a line, multi-valued RDNs joined by ` + `), as a sorted list of attributes. */
const sortedLines = (dn: string) => dn.split(/\n| \+ /).sort();

test('issued (kube-apiserver-client): subject and client auth EKU from the CSR, signed by the cluster CA', async (t) => {
  const h = await harness();
  await createOk(t, h.admin, 'issued-client', { cn: 'alice', o: ['devs', 'qa'] }, { usages: ['digital signature', 'key encipherment', 'client auth'] });
  const cert = expectIssued(t, h, await decide(t, h.admin, 'issued-client'), await requestKey());
  t.deepEqual(sortedLines(cert.subject), ['CN=alice', 'O=devs', 'O=qa']);
  t.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  t.is(cert.subjectAltName, undefined);
});

test('issued (kubelet-serving): DNS and IP SANs and server auth EKU from the CSR', async (t) => {
  const h = await harness();
  await createOk(t, h.admin, 'issued-serving', { ...node('control-plane'), dns: ['control-plane', 'control-plane.example.com'], ips: ['10.0.0.10'] }, { signerName: KUBELET_SERVING, usages: ['key encipherment', 'digital signature', 'server auth'] });
  const cert = expectIssued(t, h, await decide(t, h.admin, 'issued-serving'), await requestKey());
  t.deepEqual(sortedLines(cert.subject), ['CN=system:node:control-plane', 'O=system:nodes']);
  t.is(cert.subjectAltName, 'DNS:control-plane, DNS:control-plane.example.com, IP Address:10.0.0.10');
  t.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
});

const lifetimeCases: { title: string; expirationSeconds?: number; lifetime: number }[] = [
  { title: 'no expirationSeconds: --cluster-signing-duration (2h)', lifetime: 2 * HOUR },
  { title: 'expirationSeconds 86400 is capped at --cluster-signing-duration (2h)', expirationSeconds: 86400, lifetime: 2 * HOUR },
  { title: 'expirationSeconds 3600 is honoured (1h)', expirationSeconds: 3600, lifetime: HOUR },
  { title: 'expirationSeconds 600 is honoured (10m)', expirationSeconds: 600, lifetime: 10 * MINUTE },
];

for (const [i, c] of lifetimeCases.entries()) {
  test(`issued lifetime = min(--cluster-signing-duration, expirationSeconds): ${c.title}`, async (t) => {
    const h = await harness('shortSigning');
    const name = `lifetime-${i}`;
    await createOk(t, h.admin, name, alice, c.expirationSeconds === undefined ? {} : { expirationSeconds: c.expirationSeconds });
    const cert = expectIssued(t, h, await decide(t, h.admin, name), await requestKey());
    // Short-lived (< 8h): notAfter = now + lifetime; only notBefore is back-dated.
    t.is(new Date(cert.validTo).toISOString(), new Date(Date.parse(NOW) + c.lifetime).toISOString());
  });
}

// Was a bug, found by this suite: lib/csr/signer.ts always sets notAfter = now + lifetime. kube-controller-manager's PermissiveSigningPolicy
// (Backdate 5m, Short 8h) back-dates notAfter too when the lifetime is 8h or more: notAfter = now + ttl - 5m, so that
// notAfter - notBefore = --cluster-signing-duration [K-SIGNER signer.go sign(), authority/policies.go apply()].
test('issued lifetime of a long-lived certificate (default 8760h): notAfter is back-dated as well', async (t) => {
  const h = await harness();
  await createOk(t, h.admin, 'lifetime-year', alice);
  const cert = expectIssued(t, h, await decide(t, h.admin, 'lifetime-year'), await requestKey());
  t.is(new Date(cert.validTo).toISOString(), new Date(Date.parse(NOW) - 5 * MINUTE + 8760 * HOUR).toISOString());
});

test('a custom signer (example.com/serving) is nobody\'s: Approved, never Issued, never Failed', async (t) => {
  const { admin } = await harness();
  const approved = await customCsr(t, admin, 'custom-approved', 'Approved');
  t.deepEqual(typesOf(approved), ['Approved']);
  t.is(approved.status.certificate, undefined);
});

test('without --cluster-signing-cert-file the signers do not run: approved CSRs are never issued', async (t) => {
  const h = await harness('noSigningCert');
  await createOk(t, h.admin, 'unsigned-client', alice);
  const approved = await decide(t, h.admin, 'unsigned-client');
  t.deepEqual(typesOf(approved), ['Approved']);
  t.is(approved.status.certificate, undefined);
  // csrapproving still runs: the node's renewal is approved, and stays unsigned.
  const renewal = await createOk(t, h.as('kubelet-client'), 'unsigned-kubelet', node('control-plane'), { signerName: KUBELET_CLIENT, usages: KUBELET_CLIENT_USAGES });
  t.like(renewal.status.conditions, [{ type: 'Approved', reason: 'AutoApproved' }]);
  t.is(renewal.status.certificate, undefined);
});

// ---------------------------------------------------------------------------------------------
// 5e — csrapproving: kubelet client CSRs only, after a SubjectAccessReview.

test('auto-approval, bootstrap: a join token asks for system:node:worker-1 (nodeclient)', async (t) => {
  const h = await harness();
  const bootstrap = h.withToken('abcdef.0123456789abcdef');
  const csr = await createOk(t, bootstrap, 'bootstrap-worker-1', node('worker-1'), { signerName: KUBELET_CLIENT, usages: ['key encipherment', 'digital signature', 'client auth'] });
  t.is(csr.spec.username, 'system:bootstrap:abcdef');
  t.true(csr.spec.groups?.includes(BOOTSTRAP_GROUP));
  t.like(csr.status.conditions, [{ type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' }]);
  t.is(csr.status.conditions?.length, 1);
  const cert = expectIssued(t, h, csr, await requestKey());
  t.deepEqual(sortedLines(cert.subject), ['CN=system:node:worker-1', 'O=system:nodes']);
});

test('auto-approval, renewal: the node asks for its own certificate (selfnodeclient)', async (t) => {
  const h = await harness();
  const csr = await createOk(t, h.as('kubelet-client'), 'renew-control-plane', node('control-plane'), { signerName: KUBELET_CLIENT, usages: KUBELET_CLIENT_USAGES });
  t.is(csr.spec.username, 'system:node:control-plane');
  t.like(csr.status.conditions, [{ type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'Auto approving self kubelet client certificate after SubjectAccessReview.' }]);
  t.is(csr.status.conditions?.length, 1);
  expectIssued(t, h, csr, await requestKey());
});

const neverAutoApproved: { title: string; name: string; who: 'node' | 'token'; subject: Subject; signerName: string; usages: string[] }[] = [
  { title: 'a kubelet-serving CSR, even from the node itself', name: 'serving-pending', who: 'node', subject: { ...node('control-plane'), dns: ['control-plane'], ips: ['10.0.0.10'] }, signerName: KUBELET_SERVING, usages: SERVING_USAGES },
  { title: 'a kubelet-serving CSR shaped like a kubelet client one (no SANs, client usages)', name: 'serving-client-shaped', who: 'node', subject: node('control-plane'), signerName: KUBELET_SERVING, usages: KUBELET_CLIENT_USAGES },
  { title: "a node asking for another node's client certificate (no nodeclient permission: left Pending, not Denied)", name: 'other-node-pending', who: 'node', subject: node('worker-2'), signerName: KUBELET_CLIENT, usages: KUBELET_CLIENT_USAGES },
  { title: 'a kubelet client CSR that fails the shape check (DNS SAN)', name: 'bootstrap-bad-shape', who: 'token', subject: { ...node('worker-3'), dns: ['worker-3'] }, signerName: KUBELET_CLIENT, usages: KUBELET_CLIENT_USAGES },
  { title: 'a kubelet client CSR that fails the shape check (CN)', name: 'bootstrap-bad-cn', who: 'token', subject: { cn: 'worker-3', o: ['system:nodes'] }, signerName: KUBELET_CLIENT, usages: KUBELET_CLIENT_USAGES },
  { title: 'a kube-apiserver-client CSR shaped like a kubelet client', name: 'client-signer-node', who: 'token', subject: node('worker-3'), signerName: CLIENT, usages: KUBELET_CLIENT_USAGES },
];

for (const c of neverAutoApproved) {
  test(`never auto-approved: ${c.title}`, async (t) => {
    const h = await harness();
    const client = c.who === 'node' ? h.as('kubelet-client') : h.withToken('abcdef.0123456789abcdef');
    const csr = await createOk(t, client, c.name, c.subject, { signerName: c.signerName, usages: c.usages });
    t.deepEqual(csr.status, {});
  });
}

// Was a bug, found by this suite: lib/components/controller-manager.ts (signerViolationForApproval) only asks that usages include client auth and
// digital signature; csrapproving recognizes a CSR only if it passes ValidateKubeletClientCSR, whose usages must be exactly
// {key encipherment, digital signature, client auth} or {digital signature, client auth} [K-APPROVER isNodeClientCert,
// K-CSRHELP; §5e "pass the kubelet-client shape check", §5d usage rules]. Here the CSR is approved, then Failed by the signer.
test('never auto-approved: a kubelet client CSR with an extra usage (server auth)', async (t) => {
  const h = await harness();
  const bootstrap = h.withToken('abcdef.0123456789abcdef');
  const csr = await createOk(t, bootstrap, 'bootstrap-extra-usage', node('worker-4'), { signerName: KUBELET_CLIENT, usages: ['digital signature', 'client auth', 'server auth'] });
  t.deepEqual(csr.status, {});
});
