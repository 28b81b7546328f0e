/**
 * Certificate signing requests, PEM and DER: parseCsrPem answers with a result (ok, or Go's error
 * text) and never throws; what it returns can be used (the signature check, the key, the signer's
 * rules and, for a request whose signature holds, the signer itself). Inputs: arbitrary text, PEM
 * frames, and real requests of every key algorithm with their DER or PEM text mutated.
 */
import { testProp } from '@fast-check/ava';
import { parseCsrPem } from '../../lib/csr/parse.js';
import { createCsrDer } from '../../lib/csr/pkcs10.js';
import { BUILTIN_SIGNERS, signCsr, signerViolation } from '../../lib/csr/signer.js';
import type { CertificateSigningRequest } from '../../lib/csr/types.js';
import { toPem } from '../../lib/pki/issue.js';
import { CLOCK_TIME } from '../helpers/pki.js';
import { escaped, fc, mutated, params, samplePki } from './fuzz.js';

const now = new Date(CLOCK_TIME);
const pkis = await Promise.all((['ecdsa-p256', 'ecdsa-p384', 'rsa-2048'] as const).map((algorithm) => samplePki({ algorithm })));
const keys = pkis.map((pki) => [...pki.keyPairs.values()][0]!);
const subjects = [
  { cn: 'system:node:worker-1', o: ['system:nodes'] },
  { cn: 'system:node:worker-1', o: ['system:nodes'], dns: ['worker-1'], ips: ['10.0.0.7', '::1'] },
  { cn: 'alice', o: ['devs', 'qa'], emails: ['alice@example.com'], uris: ['spiffe://cluster.local/ns/a/sa/b'] },
];
const csrDers = keys.flatMap((key) => subjects.map((subject) => createCsrDer(key, subject)));
const csrPems = csrDers.map((der) => Buffer.from(toPem('CERTIFICATE REQUEST', der)));
const ca = { cert: pkis[0]!.certs.get('ca')!.cert, key: pkis[0]!.certs.get('ca')!.key, certFile: 'ca.crt' };

const USAGES = ['digital signature', 'key encipherment', 'client auth', 'server auth', 'signing', 'any'];

/** Everything a request goes through after it parses: validation's signature check, the signer's rules, the signer. */
function useCsr(pem: Buffer, signerName: string, usages: string[]): void {
  const parsed = parseCsrPem(pem);
  if (!parsed.ok) return;
  const { csr } = parsed;
  void [csr.cn, csr.o, csr.dns, csr.ips, csr.emails, csr.uris];
  if (csr.checkSignature() !== null) return; // refused by validation (422): never reaches a signer
  signerViolation(signerName, csr, usages);
  const object = { spec: { request: pem.toString('base64'), signerName, usages } } as CertificateSigningRequest;
  signCsr(object, csr, ca, now, 365 * 24 * 3600_000);
}

/** parseCsrPem's contract is a result, not an exception: nothing may be thrown at all. */
const nothing = () => false;

const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }));
const frame = fc.tuple(fc.constantFrom('CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST', 'CERTIFICATE', ''), fc.oneof(fc.base64String({ maxLength: 400 }), text))
  .map(([label, body]) => Buffer.from(`-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`));
const inputs = fc.oneof(
  text.map((s) => Buffer.from(s, 'latin1')),
  frame,
  mutated(csrDers).map((der) => Buffer.from(toPem('CERTIFICATE REQUEST', der))),
  mutated(csrPems),
);

testProp('parseCsrPem: a result, never a throw; a request that parses can be checked, judged and signed', [inputs, fc.constantFrom(...BUILTIN_SIGNERS, 'example.com/x'), fc.subarray(USAGES)], (t, pem, signerName, usages) => {
  t.is(escaped(() => useCsr(pem, signerName, usages), nothing), null);
}, params(3));

/** Requests signed correctly around odd subjects and SANs: they reach the signer, which must answer. */
const anyText = fc.string({ unit: 'grapheme', maxLength: 40 });
const oddRequest = fc.record({
  key: fc.constantFrom(...keys),
  cn: anyText, o: fc.array(anyText, { maxLength: 3 }), dns: fc.array(anyText, { maxLength: 3 }),
  // (IPv6 as eight hex groups: @peculiar's writer does not take every textual form, and the writer is not under test.)
  ips: fc.array(fc.oneof(fc.ipV4(), fc.array(fc.nat({ max: 0xffff }), { minLength: 8, maxLength: 8 }).map((g) => g.map((n) => n.toString(16)).join(':'))), { maxLength: 2 }), emails: fc.array(anyText, { maxLength: 2 }), uris: fc.array(anyText, { maxLength: 2 }),
}).map(({ key, ...subject }) => Buffer.from(toPem('CERTIFICATE REQUEST', createCsrDer(key, subject))));

testProp('a well-signed request with any subject and SANs: parsed, judged and signed without a throw', [oddRequest, fc.constantFrom(...BUILTIN_SIGNERS, 'example.com/x'), fc.subarray(USAGES)], (t, pem, signerName, usages) => {
  t.is(escaped(() => useCsr(pem, signerName, usages), nothing), null);
}, params(0.5));
