/**
 * CSR API bodies: the Kubernetes protobuf decoders (a `ProtobufError`, the caller's 400, or a
 * value) and the certificatesigningrequests handler itself, driven directly with JSON and protobuf
 * bodies, generated and mutated from valid requests. The handler must answer: a throw is the
 * apiserver's 500, which kube-apiserver never gives for a bad body; and whatever it stored must
 * list, as objects and as kubectl's table.
 */
import { testProp } from '@fast-check/ava';
import { fixedClock } from '../../lib/clock.js';
import { createCsrDer } from '../../lib/csr/pkcs10.js';
import { decodeCsr, decodeKubernetesProtobuf, ProtobufError } from '../../lib/csr/protobuf.js';
import { CsrStore } from '../../lib/csr/store.js';
import { handleCsrApi } from '../../lib/endpoints/csr-api.js';
import { requestInfo } from '../../lib/endpoints/request-info.js';
import { toPem } from '../../lib/pki/issue.js';
import { CLOCK_TIME } from '../helpers/pki.js';
import { anyValue, escaped, escapedAsync, fc, mutated, params, reshaped, samplePki } from './fuzz.js';

const pki = await samplePki();
const key = [...pki.keyPairs.values()][0]!;
const requestPem = toPem('CERTIFICATE REQUEST', createCsrDer(key, { cn: 'system:node:worker-1', o: ['system:nodes'] }));
const request = Buffer.from(requestPem).toString('base64');
const certificate = Buffer.from(pki.certs.get('ca')!.cert.pem).toString('base64');

const valid = [
  { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'node-csr-1' },
    spec: { request, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], expirationSeconds: 3600 } },
  { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'csr-2', resourceVersion: '101' },
    spec: { request, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] },
    status: { conditions: [{ type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'ok' }], certificate } },
];
const KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'generateName', 'labels', 'annotations', 'resourceVersion', 'spec', 'request', 'signerName',
  'usages', 'expirationSeconds', 'status', 'conditions', 'type', 'status', 'certificate'];

// --- A minimal protobuf writer for valid bodies (the decoder's own tests pin the format against kubectl's bytes).
const varint = (n: number): Buffer => {
  const out: number[] = [];
  for (let v = n; ; v = Math.floor(v / 128)) {
    if (v < 128) { out.push(v); break; }
    out.push((v % 128) | 0x80);
  }
  return Buffer.from(out);
};
const len = (field: number, payload: Buffer | string): Buffer => {
  const bytes = Buffer.from(payload);
  return Buffer.concat([varint(field * 8 + 2), varint(bytes.length), bytes]);
};
function protobuf(csr: (typeof valid)[number]): Buffer {
  const spec = Buffer.concat([len(1, Buffer.from(csr.spec.request, 'base64')), ...csr.spec.usages.map((u) => len(5, u)), len(7, csr.spec.signerName),
    ...(csr.spec.expirationSeconds ? [varint(8 * 8), varint(csr.spec.expirationSeconds)] : [])]);
  const status = 'status' in csr && csr.status ? Buffer.concat([...csr.status.conditions.map((c) => len(1, Buffer.concat([len(1, c.type), len(6, c.status), len(2, c.reason), len(3, c.message)]))), len(2, Buffer.from(csr.status.certificate, 'base64'))]) : Buffer.alloc(0);
  const raw = Buffer.concat([len(1, len(1, csr.metadata.name)), len(2, spec), len(3, status)]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), len(1, Buffer.concat([len(1, csr.apiVersion), len(2, csr.kind)])), len(2, raw)]);
}
const protobufBodies = valid.map(protobuf);

const isProtobufError = (error: unknown) => error instanceof ProtobufError;
const protobufInputs = fc.oneof(fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from('k8s\0', 'latin1'), b])), mutated(protobufBodies, 6));

testProp('protobuf: a ProtobufError or a decoded CertificateSigningRequest', [protobufInputs], (t, body) => {
  t.is(escaped(() => decodeCsr(decodeKubernetesProtobuf(body).raw), isProtobufError), null);
}, params(3));

// --- The handler.
const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';
const jsonBody = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');
const bodies = fc.oneof(
  fc.tuple(fc.constant(JSON_TYPE), fc.oneof(anyValue(KEYS).map(jsonBody), reshaped(valid, KEYS).map(jsonBody), mutated(valid.map(jsonBody)), fc.string({ maxLength: 100 }).map((s) => Buffer.from(s)))),
  fc.tuple(fc.constant(PROTOBUF_TYPE), protobufInputs),
);
const admin = { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

/** One API session: a valid CSR stored, then the generated body sent as a create and as /approval and /status updates, then a list. */
async function session([contentType, body]: [string, Buffer]): Promise<void> {
  const ctx = { store: new CsrStore(fixedClock(CLOCK_TIME)), user: admin, modes: ['AlwaysAllow' as const] };
  const call = async (method: string, path: string, accept: string, sent: Buffer) => {
    const answer = await handleCsrApi(ctx, requestInfo(method, path), accept, contentType, sent);
    if (answer.status >= 500) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  };
  await call('POST', CSRS, JSON_TYPE, protobufOrJson(valid[0]!));
  await call('POST', CSRS, JSON_TYPE, body);
  await call('PUT', `${CSRS}/node-csr-1/approval`, JSON_TYPE, body);
  await call('PUT', `${CSRS}/node-csr-1/status`, JSON_TYPE, body);
  await call('GET', CSRS, JSON_TYPE, Buffer.alloc(0));
  await call('GET', CSRS, 'application/json;as=Table;v=v1;g=meta.k8s.io', Buffer.alloc(0));
  function protobufOrJson(csr: (typeof valid)[number]) {
    return contentType === PROTOBUF_TYPE ? protobuf(csr) : jsonBody(csr);
  }
}

// Bodies of any shape: types are checked at decode (400), so nothing stored can break a later list.
testProp('CSR API: any body is answered (never a throw or a 5xx), and what is stored still lists', [bodies], async (t, input) => {
  t.is(await escapedAsync(() => session(input), () => false), null);
}, params(1));
