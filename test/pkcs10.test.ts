import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCsrDer, parsePkcs10 } from '../lib/csr/pkcs10.js';
import { parseCsrPem } from '../lib/csr/parse.js';
import { generateKey } from '../lib/pki/keys.js';
import { toPem } from '../lib/pki/issue.js';
import { run, tempDir, testWithTool } from './helpers/tools.js';

/** The DER of the PEM request openssl wrote to `file`. */
const der = (file: string) => Buffer.from(readFileSync(file, 'utf8').replace(/-----[^-]+-----|\s+/g, ''), 'base64');

for (const algorithm of ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048'] as const) {
  testWithTool('openssl')(`a kubelet-serving request (${algorithm}) is one openssl verifies and reads as written`, async (t) => {
    const dir = tempDir(t);
    const key = await generateKey(algorithm);
    const file = join(dir, 'req.csr');
    writeFileSync(file, toPem('CERTIFICATE REQUEST', createCsrDer(key, { cn: 'system:node:worker-1', o: ['system:nodes'], dns: ['worker-1'], ips: ['10.0.0.7', '::1'] })));
    const out = run('openssl', ['req', '-in', file, '-noout', '-verify', '-subject', '-text']);
    t.is(out.status, 0, out.stderr);
    t.regex(out.stdout + out.stderr, /verify OK/i);
    t.regex(out.stdout, /subject=O\s*=\s*system:nodes, CN\s*=\s*system:node:worker-1/);
    t.regex(out.stdout, /DNS:worker-1, IP Address:10\.0\.0\.7, IP Address:0:0:0:0:0:0:0:1/);
    const parsed = parsePkcs10(der(file));
    t.deepEqual([parsed.cn, parsed.o, parsed.dns, parsed.ips], ['system:node:worker-1', ['system:nodes'], ['worker-1'], ['10.0.0.7', '::1']]);
    t.true(parsed.spki.equals(key.spki));
    t.is(parsed.checkSignature(), null);
  });
}

testWithTool('openssl')('a client request has no extensionRequest attribute at all, as Go writes it', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'req.csr');
  writeFileSync(file, toPem('CERTIFICATE REQUEST', createCsrDer(await generateKey('ecdsa-p256'), { cn: 'alice', o: ['devs', 'qa'] })));
  // The attributes are an empty [0] (a0 00), directly before the signature algorithm.
  const structure = run('openssl', ['asn1parse', '-in', file]).stdout;
  t.regex(structure, /d=2\s+hl=2 l=\s*0 cons: cont \[ 0 \]\s*\n.*d=1\s+hl=2 l=\s*10 cons: SEQUENCE/);
  t.notRegex(structure, /Extension Request/);
  // One RDN holding both O values, in DER's SET OF order (by encoding: the shorter qa first), as Go writes it.
  t.regex(run('openssl', ['req', '-in', file, '-noout', '-subject']).stdout, /subject=O\s*=\s*qa \+ O\s*=\s*devs, CN\s*=\s*alice/);
});

/** openssl req -new with these extra arguments; the request's DER. */
function opensslCsr(dir: string, name: string, keyArgs: string[], signArgs: string[] = []): Buffer {
  const key = join(dir, `${name}.key`);
  run('openssl', ['genpkey', ...keyArgs, '-out', key]);
  const file = join(dir, `${name}.csr`);
  const made = run('openssl', ['req', '-new', '-key', key, '-subj', '/O=system:nodes/CN=system:node:n1', '-addext', 'subjectAltName=DNS:n1,email:a@example.com,URI:spiffe://x/y', ...signArgs, '-out', file]);
  if (made.status !== 0) throw new Error(made.stderr);
  return der(file);
}

/** The same request with one byte of its signature flipped. */
function tampered(request: Buffer): Buffer {
  const copy = Buffer.from(request);
  copy[copy.length - 3]! ^= 0x01;
  return copy;
}

const SIGNATURES: Array<{ title: string; key: string[]; sign?: string[]; expect: string | null; broken: string }> = [
  { title: 'ECDSA P-256 with SHA-256', key: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], expect: null, broken: 'x509: ECDSA verification failure' },
  { title: 'RSA with SHA-256', key: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], expect: null, broken: 'crypto/rsa: verification error' },
  { title: 'RSA with SHA-1 (still allowed on a CSR)', key: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], sign: ['-sha1'], expect: null, broken: 'crypto/rsa: verification error' },
  { title: 'RSA-PSS, salt the size of SHA-256', key: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], sign: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sigopt', 'rsa_mgf1_md:sha256'], expect: null, broken: 'crypto/rsa: verification error' },
  { title: 'RSA-PSS with a 20-byte salt (Go knows no such algorithm)', key: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], sign: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:20'], expect: 'x509: cannot verify signature: algorithm unimplemented', broken: 'x509: cannot verify signature: algorithm unimplemented' },
  { title: 'Ed25519', key: ['-algorithm', 'ED25519'], expect: null, broken: 'x509: Ed25519 verification failure' },
];

for (const s of SIGNATURES) {
  testWithTool('openssl')(`an openssl request signed with ${s.title}: CheckSignature as Go's`, (t) => {
    const request = opensslCsr(tempDir(t), 'r', s.key, s.sign);
    const parsed = parsePkcs10(request);
    t.deepEqual([parsed.cn, parsed.o, parsed.dns, parsed.emails, parsed.uris], ['system:node:n1', ['system:nodes'], ['n1'], ['a@example.com'], ['spiffe://x/y']]);
    t.is(parsed.checkSignature(), s.expect);
    t.is(parsePkcs10(tampered(request)).checkSignature(), s.broken);
  });
}

test('malformed DER throws (the API turns it into an asn1 structure error)', (t) => {
  t.throws(() => parsePkcs10(Buffer.from('3003020100', 'hex')));
});

test('an IP SAN of 5 bytes is refused as Go refuses it, at create, and never reaches a signer', async (t) => {
  const { derSequence, derSet, derTag } = await import('../lib/pki/der.js');
  const { sign } = await import('node:crypto');
  const { validateCreate } = await import('../lib/csr/validation.js');
  const key = await generateKey('ecdsa-p256');
  const hex = (h: string) => Buffer.from(h, 'hex');
  const rdn = (oid: string, value: string) => derSet([derSequence([hex(oid), derTag(0x13, Buffer.from(value))])]);
  const san = derSequence([hex('0603551d11'), derTag(0x04, derSequence([derTag(0x82, Buffer.from('n1')), derTag(0x87, hex('0a00000109'))]))]);
  const info = derSequence([hex('020100'), derSequence([rdn('060355040a', 'system:nodes'), rdn('0603550403', 'system:node:n1')]), key.spki,
    derTag(0xa0, derSequence([hex('06092a864886f70d01090e'), derSet([derSequence([san])])]))]);
  const der = derSequence([info, hex('300a06082a8648ce3d040302'), derTag(0x03, Buffer.concat([hex('00'), sign('sha256', info, key.keyObject)]))]);
  const pem = toPem('CERTIFICATE REQUEST', der);
  const errors = await validateCreate({
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'csr-ip' },
    spec: { request: Buffer.from(pem).toString('base64'), signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] }, status: {},
  } as never);
  t.is(errors.length, 1);
  t.regex(JSON.stringify(errors[0]), /spec\.request/);
  t.regex(JSON.stringify(errors[0]), /x509: cannot parse IP address of length 5/);
});

/**
 * Requests built byte by byte, each with what Go 1.19's x509.ParseCertificateRequest and
 * CheckSignature answered for these bytes (run while this suite was written): parse error, or the
 * SANs and the signature check. KMS_WRITE_CSR_VECTORS=DIR writes them as DIR/<n>.der to ask Go again.
 */
test('odd requests are read and checked as Go reads and checks them', async (t) => {
  const { derSequence, derSet, derTag } = await import('../lib/pki/der.js');
  const { generateKeyPairSync, sign } = await import('node:crypto');
  const hex = (h: string) => Buffer.from(h, 'hex');
  const subject = derSequence([derSet([derSequence([hex('0603550403'), derTag(0x13, Buffer.from('n1'))])])]);
  const san = (name: string) => derSequence([hex('0603551d11'), derTag(0x04, derSequence([derTag(0x82, Buffer.from(name))]))]);
  const extensionRequest = (...extensions: Buffer[]) => derSequence([hex('06092a864886f70d01090e'), derSet([derSequence(extensions)])]);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const spki = (k: { publicKey: { export(o: object): Buffer | string } }) => k.publicKey.export({ type: 'spki', format: 'der' }) as Buffer;
  const csr = (key: typeof rsa, algorithm: string, digest: string | null, attributes: Buffer[] = []) => {
    const info = derSequence([hex('020100'), subject, spki(key), derTag(0xa0, Buffer.concat(attributes))]);
    return derSequence([info, hex(algorithm), derTag(0x03, Buffer.concat([hex('00'), sign(digest, info, key.privateKey)]))]);
  };
  const SHA256_RSA = '300d06092a864886f70d01010b0500';
  const ECDSA_SHA256 = '300a06082a8648ce3d040302';
  const cases: Array<{ title: string; der: Buffer; go: string | { dns: string[]; check: string | null } }> = [
    { title: 'a key on secp256k1', der: csr(k1 as never, ECDSA_SHA256, 'sha256'), go: 'x509: unsupported elliptic curve' },
    { title: 'Ed25519 with NULL parameters', der: csr(ed as never, '300706032b65700500', null), go: { dns: [], check: 'x509: cannot verify signature: algorithm unimplemented' } },
    { title: 'Ed25519 as RFC 8410 says', der: csr(ed as never, '300506032b6570', null), go: { dns: [], check: null } },
    { title: 'MD5-RSA', der: csr(rsa, '300d06092a864886f70d0101040500', 'md5'), go: { dns: [], check: 'x509: cannot verify signature: insecure algorithm MD5-RSA' } },
    { title: 'SHA1-RSA under the OIW OID 1.3.14.3.2.29', der: csr(rsa, '300906052b0e03021d0500', 'sha1'), go: { dns: [], check: null } },
    { title: 'a SAN in a second extensionRequest attribute', der: csr(ec as never, ECDSA_SHA256, 'sha256', [extensionRequest(hex('300e0603551d0f0101ff040403020780')), extensionRequest(san('n1'))]), go: { dns: ['n1'], check: null } },
    { title: 'two SAN extensions', der: csr(ec as never, ECDSA_SHA256, 'sha256', [extensionRequest(san('n1'), san('n2'))]), go: 'x509: certificate request contains duplicate requested extensions' },
    { title: 'a byte after the request', der: Buffer.concat([csr(rsa, SHA256_RSA, 'sha256'), hex('00')]), go: 'asn1: syntax error: trailing data' },
  ];
  if (process.env.KMS_WRITE_CSR_VECTORS) for (const [i, c] of cases.entries()) (await import('node:fs')).writeFileSync(`${process.env.KMS_WRITE_CSR_VECTORS}/${i}.der`, c.der);
  for (const c of cases) {
    const parsed = parseCsrPem(Buffer.from(toPem('CERTIFICATE REQUEST', c.der)));
    if (typeof c.go === 'string') t.deepEqual(parsed, { ok: false, error: c.go }, c.title);
    else t.deepEqual(parsed.ok ? { dns: parsed.csr.dns, check: parsed.csr.checkSignature() } : parsed, c.go, c.title);
  }
});
