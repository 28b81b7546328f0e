/**
 * PEM, certificates and private keys: parsePem, readCertificates, readPrivateKey, and what is done
 * next with a certificate that parsed (its accessors, checkKeyPair, goVerify). Inputs: arbitrary
 * text and bytes, PEM frames around random bodies, and real certificates and keys of every
 * algorithm with their DER or their PEM text mutated.
 */
import { testProp } from '@fast-check/ava';
import { createPrivateKey } from 'node:crypto';
import { toPem } from '../../lib/pki/issue.js';
import { checkKeyPair, parsePem, readCertificates, readPrivateKey } from '../../lib/pki/pem.js';
import { summarizeCert, summarizeTrust } from '../../lib/verdict/result.js';
import { certificateIdentifier, goVerify, sanLists, verifyHostname } from '../../lib/x509/go-verify.js';
import { CLOCK_TIME } from '../helpers/pki.js';
import { escaped, fc, mutated, params, samplePki } from './fuzz.js';

const now = new Date(CLOCK_TIME);
const pkis = await Promise.all((['ecdsa-p256', 'ecdsa-p384', 'rsa-2048'] as const).map((algorithm) => samplePki({ algorithm })));
const certs = pkis.flatMap((pki) => [...pki.certs.values()]);
const ca = certs.find((c) => c.record.id === 'ca')!.cert;
const certDers = certs.map((c) => c.cert.der);
const certPems = certs.map((c) => Buffer.from(c.cert.pem + c.chain.map((x) => x.pem).join('')));
const keyDers = pkis.flatMap((pki) => [...pki.keyPairs.values()].slice(0, 3)).flatMap((k) => {
  const key = createPrivateKey(k.pem);
  const legacy = key.asymmetricKeyType === 'rsa' ? 'RSA PRIVATE KEY' : 'EC PRIVATE KEY';
  return [
    { label: 'PRIVATE KEY', der: key.export({ format: 'der', type: 'pkcs8' }) },
    { label: legacy, der: key.export({ format: 'der', type: legacy === 'RSA PRIVATE KEY' ? 'pkcs1' : 'sec1' }) },
  ];
});
const keyPems = keyDers.map((k) => Buffer.from(toPem(k.label, k.der)));

const source = { file: 'fuzz.pem' };

/** A certificate that parsed is used: every accessor, the key pair check and Go's chain verification. */
function useCertificates(input: Buffer, host = 'kubernetes.default.svc'): void {
  const leaves = readCertificates(input, source);
  for (const cert of leaves) {
    void [cert.pem, cert.fingerprint, cert.subjectNameDer, cert.subjectKeyIdHex, cert.authorityKeyIdHex, cert.keyUsageBits, cert.notBefore];
    void [cert.node.subject, cert.node.subjectAltName, cert.node.validTo];
    // What a dial result and a verdict show of a certificate read from a file.
    void [summarizeCert(cert, { file: 'fuzz.pem', chain: leaves.slice(1) }), certificateIdentifier(cert), sanLists(cert), verifyHostname(cert, host)];
    summarizeTrust('ca', 'client-ca-file', leaves, 'fuzz.pem');
    for (const keyUsages of [['serverAuth'], ['clientAuth']] as const) {
      goVerify(cert, { roots: [ca], intermediates: leaves.slice(1), now, keyUsages, host });
      goVerify(certs[0]!.cert, { roots: [cert], now, keyUsages, host: '10.96.0.1' });
    }
  }
}

const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));
/** A PEM frame (sometimes broken) around a random body, with optional headers. */
const frame = fc.tuple(
  fc.constantFrom('CERTIFICATE', 'PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'CERTIFICATE REQUEST', 'X', ''),
  fc.constantFrom('CERTIFICATE', 'PRIVATE KEY', 'EC PRIVATE KEY', 'X'),
  fc.oneof(fc.base64String({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')), text),
  fc.constantFrom('', 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n', 'A: b\n', 'A:\n\n\n'),
  fc.constantFrom('\n', '\r\n', ''),
).map(([begin, end, body, headers, nl]) => `-----BEGIN ${begin}-----${nl}${headers}${body}${nl}-----END ${end}-----${nl}`);
const generated = fc.oneof(text, frame, fc.array(frame, { maxLength: 3 }).map((f) => f.join('')), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)));

/** DER of a certificate or key, mutated, inside a correct PEM frame: what reaches the DER parsers. */
const mutatedCertDer = mutated(certDers).map((der) => Buffer.from(toPem('CERTIFICATE', der)));
const mutatedKeyDer = fc.tuple(fc.constantFrom(...keyDers), fc.nat()).chain(([k]) => mutated([k.der]).map((der) => Buffer.from(toPem(k.label, der))));
const everything = fc.oneof(generated, mutatedCertDer, mutatedKeyDer, mutated(certPems), mutated(keyPems));

testProp('parsePem: a typed error or blocks', [everything], (t, input) => {
  t.is(escaped(() => parsePem(input, source, 'any')), null);
}, params(1));

testProp('readCertificates on generated input: a typed error or certificates that can be used', [generated], (t, input) => {
  t.is(escaped(() => useCertificates(Buffer.from(input))), null);
}, params(1));

/** The name a client dialled, checked against the SANs by goVerify. */
const host = fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 30 }), fc.constantFrom('kubernetes.default.svc', '10.96.0.1', '[::1]', '::1', '*.example.com', ''));

testProp('readCertificates on mutated certificates: a typed error or certificates that can be used', [fc.oneof(mutatedCertDer, mutated(certPems)), host], (t, input, dialled) => {
  t.is(escaped(() => useCertificates(input, dialled)), null);
}, params(2));

testProp('readPrivateKey: a typed error or a key', [fc.oneof(generated, mutatedKeyDer, mutated(keyPems))], (t, input) => {
  t.is(escaped(() => readPrivateKey(input, source)), null);
}, params(2));

testProp('checkKeyPair on a mutated certificate or key: a typed error or a verdict', [mutatedCertDer, mutatedKeyDer], (t, certPem, keyPem) => {
  t.is(escaped(() => {
    const [cert] = readCertificates(certPem, source);
    const key = readPrivateKey(keyPem, source).keyObject;
    checkKeyPair(cert!, key, source, source);
  }), null);
}, params(1));
