/**
 * The protobuf bodies of `kubectl certificate approve|deny`: hand-encoded ones (a test-only encoder below,
 * field numbers from staging/src/k8s.io/api/certificates/v1/generated.proto) and two bodies captured from
 * the real kubectl v1.32.5 (see CAPTURED_* below).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import test from 'ava';
import { decodeCsr, decodeKubernetesProtobuf, fields, ProtobufError, readVarint } from '../lib/csr/protobuf.js';
import type { CertificateSigningRequest, CsrCondition } from '../lib/csr/types.js';

// ---- test-only encoder ----
function varint(n: bigint | number): Buffer {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    out.push(Number(v & 0x7fn) | (v > 0x7fn ? 0x80 : 0));
    v >>= 7n;
  } while (v > 0n);
  return Buffer.from(out);
}
const tag = (field: number, wire: number) => varint((field << 3) | wire);
const vint = (field: number, n: bigint | number) => Buffer.concat([tag(field, 0), varint(n)]);
const len = (field: number, body: Buffer | string) => {
  const b = Buffer.from(body);
  return Buffer.concat([tag(field, 2), varint(b.length), b]);
};
const msg = (...parts: (Buffer | false | undefined)[]) => Buffer.concat(parts.filter((p): p is Buffer => Buffer.isBuffer(p)));
const time = (iso: string | undefined) => {
  if (!iso) return Buffer.alloc(0);
  const ms = Date.parse(iso);
  const nanos = Number((/\.(\d+)Z$/.exec(iso)?.[1] ?? '').padEnd(9, '0'));
  return msg(vint(1, Math.floor(ms / 1000)), vint(2, nanos));
};
const map = (field: number, entries: Record<string, Buffer | string>) =>
  msg(...Object.entries(entries).map(([k, v]) => len(field, msg(len(1, k), len(2, v)))));
const condition = (c: CsrCondition) => msg(len(1, c.type), len(2, c.reason ?? ''), len(3, c.message ?? ''),
  len(4, time(c.lastUpdateTime)), len(5, time(c.lastTransitionTime)), len(6, c.status));

/**
 * Encodes a CSR the way kubectl's generated marshallers do (`k8s\0` + runtime.Unknown{typeMeta, raw}):
 * fields in number order, empty strings still written, nil bytes/pointers left out.
 */
function encodeKubernetesProtobufCsr(csr: CertificateSigningRequest): Buffer {
  const { metadata: m, spec: s, status: st } = csr;
  const raw = msg(
    len(1, msg(len(1, m.name), len(2, ''), len(3, ''), len(4, ''), len(5, m.uid ?? ''), len(6, m.resourceVersion ?? ''), vint(7, 0), len(8, time(m.creationTimestamp)),
      map(11, m.labels ?? {}), map(12, m.annotations ?? {}))),
    len(2, msg(len(1, Buffer.from(s.request, 'base64')), len(2, s.username ?? ''), len(3, s.uid ?? ''),
      ...(s.groups ?? []).map((g) => len(4, g)), ...(s.usages ?? []).map((u) => len(5, u)),
      map(6, Object.fromEntries(Object.entries(s.extra ?? {}).map(([k, items]) => [k, msg(...items.map((i) => len(1, i)))]))),
      len(7, s.signerName), s.expirationSeconds !== undefined && vint(8, s.expirationSeconds))),
    len(3, msg(...(st.conditions ?? []).map((c) => len(1, condition(c))), st.certificate !== undefined && len(2, Buffer.from(st.certificate, 'base64')))),
  );
  const unknown = msg(len(1, msg(len(1, csr.apiVersion), len(2, csr.kind))), len(2, raw), len(3, ''), len(4, ''));
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

const K8S = Buffer.from('k8s\0', 'latin1');

const full: CertificateSigningRequest = {
  apiVersion: 'certificates.k8s.io/v1',
  kind: 'CertificateSigningRequest',
  metadata: { name: 'carol', uid: 'u-3', resourceVersion: '77', creationTimestamp: '2024-02-29T23:59:59Z', labels: { team: 'x' }, annotations: { a: '1', b: '' } },
  spec: {
    request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\n').toString('base64'),
    signerName: 'example.com/s', expirationSeconds: 3600, usages: ['client auth', 'digital signature'],
    username: 'u', uid: 'uid-u', groups: ['g1', 'g2'], extra: { scopes: ['a', 'b'], empty: [] },
  },
  status: {
    conditions: [
      { type: 'Approved', status: 'True', reason: 'R', message: 'M', lastUpdateTime: '2025-01-02T03:04:05.5Z', lastTransitionTime: '2025-01-02T03:04:05.000000001Z' },
      { type: 'Failed', status: 'True' },
    ],
    certificate: Buffer.from('cert data').toString('base64'),
  },
};
const { apiVersion: _a, kind: _k, ...fullBody } = full;

test('hand-encoded: every decoded field round-trips', (t) => {
  const env = decodeKubernetesProtobuf(encodeKubernetesProtobufCsr(full));
  t.like(env, { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', contentEncoding: '', contentType: '' });
  t.deepEqual(decodeCsr(env.raw), fullBody);
});

test('hand-encoded: empty optional strings, zero times and empty lists are omitted; expirationSeconds only when sent', (t) => {
  const bare: CertificateSigningRequest = { ...full, metadata: { name: 'd' }, spec: { request: '', signerName: '' }, status: { conditions: [{ type: 'Denied', status: 'True' }] } };
  t.deepEqual(decodeCsr(decodeKubernetesProtobuf(encodeKubernetesProtobufCsr(bare)).raw), { metadata: { name: 'd' }, spec: { request: '', signerName: '' }, status: { conditions: [{ type: 'Denied', status: 'True' }] } });
  t.deepEqual(decodeCsr(Buffer.alloc(0)), {});
  t.deepEqual(decodeCsr(len(2, vint(8, -1))), { spec: { request: '', signerName: '', expirationSeconds: -1 } }, 'negative int32: 10-byte varint');
  t.deepEqual(decodeCsr(len(1, len(8, msg(vint(1, -62_135_596_800))))), { metadata: { name: '' } }, 'Go zero time');
});

test('unknown fields of every wire type are skipped; repeated message fields merge', (t) => {
  const junk = msg(vint(99, 5), len(98, 'x'), tag(97, 1), Buffer.alloc(8), tag(96, 5), Buffer.alloc(4));
  const raw = msg(junk, len(1, msg(len(1, 'e'), junk)), len(1, len(6, '9')), len(3, msg(junk, len(2, 'QQ'))));
  t.deepEqual(decodeCsr(raw), { metadata: { name: 'e', resourceVersion: '9' }, status: { certificate: Buffer.from('QQ').toString('base64') } });
});

test('envelope: contentEncoding and contentType are returned; map fields keep the last value of a key', (t) => {
  const unknown = msg(len(1, msg(len(2, 'K'), len(1, 'v1'))), len(2, 'RAW'), len(3, 'gzip'), len(4, 'application/json'));
  t.deepEqual(decodeKubernetesProtobuf(Buffer.concat([K8S, unknown])), { apiVersion: 'v1', kind: 'K', raw: Buffer.from('RAW'), contentEncoding: 'gzip', contentType: 'application/json' });
  t.deepEqual(decodeCsr(len(1, map(11, { k: 'first' }))).metadata, { name: '', labels: { k: 'first' } });
  t.deepEqual(decodeCsr(len(1, msg(map(11, { k: 'first' }), map(11, { k: 'second' })))).metadata, { name: '', labels: { k: 'second' } });
});

test('readVarint and fields: the wire format itself', (t) => {
  t.deepEqual(readVarint(Buffer.from([0xac, 0x02]), 0), { value: 300n, next: 2 });
  t.deepEqual(readVarint(varint(-1), 0), { value: 2n ** 64n - 1n, next: 10 });
  t.deepEqual([...fields(msg(vint(1, 150), len(2, 'hi')))].map((f) => [f.field, f.wireType, f.varint, f.bytes.toString()]), [[1, 0, 150n, ''], [2, 2, 0n, 'hi']]);
});

const bad = (raw: Buffer) => () => decodeCsr(raw);

test('bad envelopes are ProtobufErrors with the apimachinery texts', (t) => {
  t.throws(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"CertificateSigningRequest"}')), { instanceOf: ProtobufError, message: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]' });
  t.throws(() => decodeKubernetesProtobuf(Buffer.from('k8s')), { instanceOf: ProtobufError, message: /expected prefix/ });
  t.throws(() => decodeKubernetesProtobuf(Buffer.alloc(0)), { instanceOf: ProtobufError, message: 'empty data' });
  t.throws(() => decodeKubernetesProtobuf(K8S), { instanceOf: ProtobufError, message: 'empty body' });
  t.throws(() => decodeKubernetesProtobuf(Buffer.concat([K8S, vint(1, 3)])), { instanceOf: ProtobufError, message: /Unknown.typeMeta.*wire type 0/ });
});

test('truncated input is a ProtobufError', (t) => {
  t.throws(bad(Buffer.from([0x0a, 0x80])), { instanceOf: ProtobufError, message: /truncated varint/ });
  t.throws(bad(Buffer.from([0x08, 0xff, 0xff])), { instanceOf: ProtobufError, message: /truncated varint/ });
  t.throws(bad(Buffer.from([0x0a, 0x05, 0x61, 0x62])), { instanceOf: ProtobufError, message: /claims 5 bytes, only 2 left/ });
  t.throws(bad(Buffer.from([0x09, 1, 2, 3])), { instanceOf: ProtobufError, message: /truncated fixed64/ });
  t.throws(bad(Buffer.from([0x0d, 1, 2])), { instanceOf: ProtobufError, message: /truncated fixed32/ });
  t.throws(bad(Buffer.from([0x08, ...Array(9).fill(0xff), 0x02])), { instanceOf: ProtobufError, message: /overflows 64 bits/ });
  t.throws(bad(Buffer.from([0x08, ...Array(10).fill(0xff), 0x01])), { instanceOf: ProtobufError, message: /overflows 64 bits/ });
  const body = Buffer.from(CAPTURED_APPROVE_ALICE, 'base64');
  for (const cut of [5, 40, 100, body.length - 1]) {
    t.throws(() => decodeCsr(decodeKubernetesProtobuf(body.subarray(0, cut)).raw), { instanceOf: ProtobufError }, `cut at ${cut}`);
  }
});

test('a known field with the wrong wire type, groups and field number 0 are ProtobufErrors', (t) => {
  t.throws(bad(vint(1, 7)), { instanceOf: ProtobufError, message: 'metadata (field 1) has wire type 0 (varint), expected 2 (length-delimited)' });
  t.throws(bad(len(1, vint(1, 7))), { instanceOf: ProtobufError, message: /^metadata\.name \(field 1\) has wire type 0/ });
  t.throws(bad(len(2, len(8, 'x'))), { instanceOf: ProtobufError, message: /^spec\.expirationSeconds \(field 8\) has wire type 2/ });
  t.throws(bad(len(3, vint(1, 1))), { instanceOf: ProtobufError, message: /^status\.conditions/ });
  t.throws(bad(len(3, len(1, vint(6, 1)))), { instanceOf: ProtobufError, message: /^condition\.status/ });
  t.throws(bad(len(1, len(8, msg(tag(1, 5), Buffer.alloc(4))))), { instanceOf: ProtobufError, message: /creationTimestamp\.seconds.*wire type 5 \(fixed32\)/ });
  t.throws(bad(msg(tag(5, 3), tag(5, 4))), { instanceOf: ProtobufError, message: /unsupported wire type 3/ });
  t.throws(bad(Buffer.from([0x0f])), { instanceOf: ProtobufError, message: /unsupported wire type 7/ });
  t.throws(bad(Buffer.from([0x02, 0x00])), { instanceOf: ProtobufError, message: /invalid field number 0/ });
  t.throws(bad(len(1, len(8, msg(vint(2, 1_000_000_000))))), { instanceOf: ProtobufError, message: /nanos 1000000000 is out of range/ });
  t.throws(bad(len(1, len(8, msg(vint(1, 2n ** 60n))))), { instanceOf: ProtobufError, message: /seconds .* is out of range/ });
});

/*
 * Captured on 2026-11-29 from the real kubectl v1.32.5 (/usr/lib/google-cloud-sdk/bin/kubectl.1.32,
 * UA "kubectl.1.32/v1.32.5 (linux/amd64) kubernetes/9894294"): the body of
 * PUT /apis/certificates.k8s.io/v1/certificatesigningrequests/NAME/approval
 * (Content-Type application/vnd.kubernetes.protobuf) sent by
 *   kubectl.1.32 --kubeconfig K --cache-dir $(mktemp -d) certificate approve alice
 *   kubectl.1.32 --kubeconfig K --cache-dir $(mktemp -d) certificate deny bob
 * against a throwaway node:https server that served aggregated discovery and the two CSRs as JSON
 * (alice: labels, annotations, spec.uid, spec.extra, expirationSeconds 86400; bob: none of those).
 * The request PEMs are throwaway EC P-256 CSRs made with openssl for the capture.
 */
const CAPTURED_APPROVE_ALICE = [
  'azhzAAozChZjZXJ0aWZpY2F0ZXMuazhzLmlvL3YxEhlDZXJ0aWZpY2F0ZVNpZ25pbmdSZXF1ZXN0Es8FCmIKBWFsaWNlEgAaACIA',
  'KiQ1ZjFjN2EyZS0xMTExLTRhNGEtOWI5Yi0wMDAwMDAwMDAwMDEyAzEwMTgAQggIpYTYuwYQAFoLCgNhcHASBGRlbW9iDwoEbm90',
  'ZRIHY2FwdHVyZRKBBArzAi0tLS0tQkVHSU4gQ0VSVElGSUNBVEUgUkVRVUVTVC0tLS0tCk1JSGFNSUdCQWdFQU1COHhEVEFMQmdO',
  'VkJBb01CR1JsZG5NeERqQU1CZ05WQkFNTUJXRnNhV05sTUZrd0V3WUgKS29aSXpqMENBUVlJS29aSXpqMERBUWNEUWdBRUtSNEty',
  'djc2b3lmak5aMElJRU9IYzd2Zis1NjVGY05KVWg4awovdzlWNEw3SHZoQkhpdWIzQ2t5dmo0S251czBzdmo2eVVoTkg5K2xkOEpi',
  'MkFGY05XNkFBTUFvR0NDcUdTTTQ5CkJBTUNBMGdBTUVVQ0lRQ01EOTBoM3dIcmR2cE1EenhEVkFmY25NaHZuZ2lQN2VaV0ppREdH',
  'Mmwzb0FJZ1BMYVkKN2o3QzVUY2pqUHF4WWgrVlhsYUUzYXJDdGNKOWRGTjhXdTVXT2lzPQotLS0tLUVORCBDRVJUSUZJQ0FURSBS',
  'RVFVRVNULS0tLS0KEhBrdWJlcm5ldGVzLWFkbWluGglhZG1pbi11aWQiDnN5c3RlbTptYXN0ZXJzIhRzeXN0ZW06YXV0aGVudGlj',
  'YXRlZCoLY2xpZW50IGF1dGgyEAoGc2NvcGVzEgYKAWEKAWI6I2t1YmVybmV0ZXMuaW8va3ViZS1hcGlzZXJ2ZXItY2xpZW50QICj',
  'BRplCmMKCEFwcHJvdmVkEg5LdWJlY3RsQXBwcm92ZRo1VGhpcyBDU1Igd2FzIGFwcHJvdmVkIGJ5IGt1YmVjdGwgY2VydGlmaWNh',
  'dGUgYXBwcm92ZS4iCAi14LDYBhAAKgAyBFRydWUaACIA',
].join('');
const CAPTURED_DENY_BOB = [
  'azhzAAozChZjZXJ0aWZpY2F0ZXMuazhzLmlvL3YxEhlDZXJ0aWZpY2F0ZVNpZ25pbmdSZXF1ZXN0EvAECkIKA2JvYhIAGgAiACok',
  'NWYxYzdhMmUtMjIyMi00YTRhLTliOWItMDAwMDAwMDAwMDAyMgMxMDI4AEIICKaE2LsGEAASzAMK2wItLS0tLUJFR0lOIENFUlRJ',
  'RklDQVRFIFJFUVVFU1QtLS0tLQpNSUhKTUhBQ0FRQXdEakVNTUFvR0ExVUVBd3dEWW05aU1Ga3dFd1lIS29aSXpqMENBUVlJS29a',
  'SXpqMERBUWNEClFnQUVUalJSYUdzV3pYYVhoU2htUnVNZ3JtRUx1dzJBRlk5dnhDcDk4cjl5MkZHc3h1eEdPYUhOcGdFRi9WemMK',
  'TFgxMUNrcDBTMGtGNlQyTW9ZTXNKa3JJVzZBQU1Bb0dDQ3FHU000OUJBTUNBMGtBTUVZQ0lRQ05qRnpDMTBFUwpuT0poSS9wNUlq',
  'dXZNbGlyRUIwcGsrNXZWdjV0Q2kxZjNRSWhBS2g1clRYTFAybDZCSXdVNTZXWTcvb3hzNjZtCkJMRnYzbEFkWE5GajBZc2oKLS0t',
  'LS1FTkQgQ0VSVElGSUNBVEUgUkVRVUVTVC0tLS0tChIQa3ViZXJuZXRlcy1hZG1pbhoAIg5zeXN0ZW06bWFzdGVycyIUc3lzdGVt',
  'OmF1dGhlbnRpY2F0ZWQqEWRpZ2l0YWwgc2lnbmF0dXJlKgtjbGllbnQgYXV0aDoSZXhhbXBsZS5jb20vY3VzdG9tGlsKWQoGRGVu',
  'aWVkEgtLdWJlY3RsRGVueRowVGhpcyBDU1Igd2FzIGRlbmllZCBieSBrdWJlY3RsIGNlcnRpZmljYXRlIGRlbnkuIggIteCw2AYQ',
  'ACoAMgRUcnVlGgAiAA==',
].join('');

function captured(b64: string) {
  const env = decodeKubernetesProtobuf(Buffer.from(b64, 'base64'));
  const csr = decodeCsr(env.raw);
  const pem = Buffer.from(csr.spec?.request ?? '', 'base64').toString('latin1');
  const subject = new x509.Pkcs10CertificateRequest(pem).subject;
  return { env, csr, pem, subject };
}

test('captured kubectl 1.32 `certificate approve alice` body', (t) => {
  const { env, csr, pem, subject } = captured(CAPTURED_APPROVE_ALICE);
  t.like(env, { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', contentEncoding: '', contentType: '' });
  t.is(env.raw.length, 719);
  t.regex(pem, /^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/);
  t.is(pem.length, 371);
  t.is(subject, 'O=devs, CN=alice');
  t.deepEqual({ ...csr, spec: { ...csr.spec, request: '<checked above>' } }, {
    metadata: { name: 'alice', uid: '5f1c7a2e-1111-4a4a-9b9b-000000000001', resourceVersion: '101', creationTimestamp: '2025-01-02T03:04:05Z', labels: { app: 'demo' }, annotations: { note: 'capture' } },
    spec: {
      request: '<checked above>', signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 86400, usages: ['client auth'],
      username: 'kubernetes-admin', uid: 'admin-uid', groups: ['system:masters', 'system:authenticated'], extra: { scopes: ['a', 'b'] },
    },
    status: { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.', lastUpdateTime: '2026-11-29T14:01:25Z' }] },
  });
});

test('captured kubectl 1.32 `certificate deny bob` body', (t) => {
  const { env, csr, pem, subject } = captured(CAPTURED_DENY_BOB);
  t.like(env, { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest' });
  t.is(env.raw.length, 624);
  t.is(pem.length, 347);
  t.is(subject, 'CN=bob');
  t.deepEqual({ ...csr, spec: { ...csr.spec, request: '<checked above>' } }, {
    metadata: { name: 'bob', uid: '5f1c7a2e-2222-4a4a-9b9b-000000000002', resourceVersion: '102', creationTimestamp: '2025-01-02T03:04:06Z' },
    spec: {
      request: '<checked above>', signerName: 'example.com/custom', usages: ['digital signature', 'client auth'],
      username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'],
    },
    status: { conditions: [{ type: 'Denied', status: 'True', reason: 'KubectlDeny', message: 'This CSR was denied by kubectl certificate deny.', lastUpdateTime: '2026-11-29T14:01:25Z' }] },
  });
});

test('the test encoder reproduces both captured bodies byte for byte', (t) => {
  for (const body of [CAPTURED_APPROVE_ALICE, CAPTURED_DENY_BOB]) {
    const { csr } = captured(body);
    const again = encodeKubernetesProtobufCsr({ ...(csr as Required<typeof csr>), apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest' });
    t.is(again.toString('base64'), body);
  }
});
