import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from './x509.js';
import { signingAlgorithm, type KeyMaterial } from './keys.js';
import type { ExtKeyUsage, KeyUsage, San } from './types.js';

/** Everything that goes into one certificate. */
export interface IssueRequest {
  cn: string;
  o: readonly string[];
  isCa: boolean;
  keyUsage: readonly KeyUsage[];
  /** `null` leaves the extension out (a certificate then fits any purpose). */
  extKeyUsage: readonly ExtKeyUsage[] | null;
  sans: readonly San[];
  notBefore: Date;
  notAfter: Date;
  /** Hex serial; derived from the request when absent. */
  serial?: string;
  subjectKey: KeyMaterial;
  /** The issuer; absent for a self-signed certificate. */
  issuer?: { cert: IssuedCert; key: KeyMaterial };
}

/** A certificate in the three forms the library uses. */
export interface IssuedCert {
  /** PEM with a trailing newline. */
  pem: string;
  der: Buffer;
  /** node:crypto view: OpenSSL semantics (`checkIssued`, `checkHost`, `verify`, `checkPrivateKey`). */
  node: NodeX509;
  /** @peculiar/x509 view: key usage bits, subject fields as arrays, extensions. */
  parsed: x509.X509Certificate;
  /** SHA-256 of the DER, hex. */
  fingerprint: string;
}

const KEY_USAGE_FLAGS: Record<KeyUsage, x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
};
const EKU_OIDS: Record<ExtKeyUsage, string> = { serverAuth: x509.ExtendedKeyUsage.serverAuth, clientAuth: x509.ExtendedKeyUsage.clientAuth };

/**
 * Identical requests give the identical certificate: with pooled keys, a second cluster built from
 * the same table at the same clock time costs no signatures at all. Bounded, oldest dropped first.
 */
const memo = new Map<string, Promise<IssuedCert>>();
const MEMO_LIMIT = 4096;

export function issueCertificate(request: IssueRequest): Promise<IssuedCert> {
  const key = memoKey(request);
  let cert = memo.get(key);
  if (!cert) {
    cert = sign(request);
    memo.set(key, cert);
    cert.catch(() => memo.delete(key));
    if (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  }
  return cert;
}

function memoKey(r: IssueRequest): string {
  return JSON.stringify([
    r.cn, r.o, r.isCa, r.keyUsage, r.extKeyUsage, r.sans, r.notBefore.getTime(), r.notAfter.getTime(), r.serial ?? null,
    r.subjectKey.fingerprint, r.issuer?.cert.fingerprint ?? null, r.issuer?.key.fingerprint ?? null,
  ]);
}

/** Subject as Go's pkix.Name writes it: all O values in one RDN, then CN. */
export function subjectName(cn: string, o: readonly string[]): x509.JsonName {
  const name: x509.JsonName = [];
  if (o.length > 0) name.push({ O: [...o] });
  if (cn !== '') name.push({ CN: [cn] });
  return name;
}

/**
 * Extensions are immutable once built, and most certificates share the same key usage, basic
 * constraints and EKU: building each distinct one once saves an ASN.1 encoding per certificate.
 */
const extensionCache = new Map<string, x509.Extension>();
function cachedExtension(key: string, build: () => x509.Extension): x509.Extension {
  let extension = extensionCache.get(key);
  if (!extension) {
    extension = build();
    if (extensionCache.size < 1024) extensionCache.set(key, extension);
  }
  return extension;
}

async function sign(r: IssueRequest): Promise<IssuedCert> {
  const serial = r.serial ?? derivedSerial(r);
  const flags = r.keyUsage.reduce((acc, u) => acc | KEY_USAGE_FLAGS[u], 0);
  const extensions: x509.Extension[] = [
    cachedExtension(`ku:${flags}`, () => new x509.KeyUsagesExtension(flags, true)),
    cachedExtension(`bc:${r.isCa}`, () => new x509.BasicConstraintsExtension(r.isCa, undefined, true)),
  ];
  if (r.extKeyUsage && r.extKeyUsage.length > 0) {
    const ekus = r.extKeyUsage.map((u) => EKU_OIDS[u]);
    extensions.push(cachedExtension(`eku:${ekus.join(',')}`, () => new x509.ExtendedKeyUsageExtension(ekus, false)));
  }
  if (r.isCa) extensions.push(new x509.SubjectKeyIdentifierExtension(subjectKeyId(r.subjectKey), false));
  if (r.issuer) {
    const issuerKeyId = r.issuer.cert.parsed.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? subjectKeyId(r.issuer.key);
    extensions.push(new x509.AuthorityKeyIdentifierExtension(issuerKeyId, false));
  }
  if (r.sans.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(r.sans.map((s): x509.JsonGeneralName => ('dns' in s ? { type: 'dns', value: s.dns } : { type: 'ip', value: s.ip })), false),
    );
  }
  const subject = subjectName(r.cn, r.o);
  const signer = r.issuer?.key ?? r.subjectKey;
  const parsed = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: r.issuer ? r.issuer.cert.parsed.subjectName : subject,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    publicKey: r.subjectKey.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signingAlgorithm(signer.algorithm),
    extensions,
  });
  return fromDer(Buffer.from(parsed.rawData), parsed);
}

/** RFC 5280 §4.2.1.2 method 1, as Go computes it: SHA-1 of the subjectPublicKey bit string. */
function subjectKeyId(key: KeyMaterial): string {
  return createHash('sha1').update(key.publicKeyBits).digest('hex');
}

/** Wraps DER bytes (from a generator or a file) in the three views. */
export function fromDer(der: Buffer, parsed = new x509.X509Certificate(new Uint8Array(der))): IssuedCert {
  return {
    der,
    pem: toPem('CERTIFICATE', der),
    node: new NodeX509(der),
    parsed,
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/**
 * Serial numbers are unique per certificate without reading a random source or the wall clock:
 * a hash of what the certificate says, kept positive and below 2^63 as kubeadm's are.
 */
function derivedSerial(r: IssueRequest): string {
  const digest = createHash('sha256').update(memoKey(r)).digest();
  digest[0] = (digest[0]! & 0x7f) | 0x01;
  return digest.subarray(0, 8).toString('hex');
}
