import { createHash, sign as signData, X509Certificate as NodeX509 } from 'node:crypto';
import type * as AsnSchema from '@peculiar/asn1-schema';
import type * as Asn from '@peculiar/asn1-x509';
import type * as X509Lib from '@peculiar/x509';
import { createRequire } from 'node:module';
import { authorityKeyIdHex, keyUsageBits, subjectKeyIdHex } from './der-extensions.js';
import { derElements, derSequence, derTag } from './der.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { lazyRequire } from '../util/lazy.js';
import { signatureHash, type KeyMaterial } from './keys.js';
import type { ExtKeyUsage, KeyAlgorithm, KeyUsage, San } from './types.js';

/** Everything that goes into one certificate. */
export interface IssueRequest {
  cn: string;
  o: readonly string[];
  isCa: boolean;
  keyUsage: readonly KeyUsage[];
  /** `null` leaves the extension out (a certificate then fits any purpose). */
  extKeyUsage: readonly ExtKeyUsage[] | null;
  sans: readonly CertSan[];
  notBefore: Date;
  notAfter: Date;
  /** Hex serial; derived from the request when absent. */
  serial?: string;
  subjectKey: KeyMaterial;
  /** The issuer; absent for a self-signed certificate. */
  issuer?: { cert: IssuedCert; key: KeyMaterial };
  /** Reuse an identical earlier certificate (only worth it when keys come back, as from a pool). @default true */
  memo?: boolean;
}

/** A subjectAltName entry: the DNS/IP SANs of the tables, or an email or URI SAN copied from a CSR by a signer. */
export type CertSan = San | { email: string } | { uri: string };

/**
 * @peculiar/x509's view of a certificate, typed here by what it offers rather than by that library's
 * own declarations: those need the DOM lib (`BufferSource`), and a package's public types must
 * compile without it. Everything else of that view is there at run time:
 * `cert.parsed as unknown as import('@peculiar/x509').X509Certificate` for the full type.
 */
export interface ParsedCertificate {
  readonly subject: string;
  readonly issuer: string;
  /** Hex. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly { readonly type: string; readonly critical: boolean }[];
  toString(format?: 'pem' | 'text' | 'hex' | 'base64' | 'base64url'): string;
}

/**
 * A certificate: its DER, and views made on first use — node:crypto's (OpenSSL semantics:
 * `checkIssued`, `checkHost`, `verify`, `checkPrivateKey`) and @peculiar/x509's (key usage bits,
 * subject fields as arrays, extensions). Most certificates of a simulated cluster are only ever
 * handed to node:tls as PEM, so nothing is parsed before it is asked for.
 */
export class IssuedCert {
  readonly der: Buffer;
  #pem?: string;
  #node?: NodeX509;
  #parsed?: ParsedCertificate;
  #fingerprint?: string;
  #subjectNameDer?: Buffer;
  #subjectKeyId?: ArrayBuffer | null;

  constructor(der: Buffer, known: { subjectNameDer?: Buffer; subjectKeyId?: ArrayBuffer | null; node?: NodeX509 } = {}) {
    this.der = der;
    if (known.node) this.#node = known.node;
    if (known.subjectNameDer) this.#subjectNameDer = known.subjectNameDer;
    if (known.subjectKeyId !== undefined) this.#subjectKeyId = known.subjectKeyId;
  }

  /** PEM with a trailing newline. */
  get pem(): string {
    return (this.#pem ??= toPem('CERTIFICATE', this.der));
  }
  get node(): NodeX509 {
    return (this.#node ??= new NodeX509(this.der));
  }
  /** @peculiar/x509's view (extensions as objects), loaded on first use: the library itself reads certificates without it. */
  get parsed(): ParsedCertificate {
    return (this.#parsed ??= new (peculiarX509().X509Certificate)(new Uint8Array(this.der)) as ParsedCertificate);
  }
  /** SHA-256 of the DER, hex. */
  get fingerprint(): string {
    return (this.#fingerprint ??= createHash('sha256').update(this.der).digest('hex'));
  }
  /** The subject encoded, as it goes into the issuer field of what this certificate signs. */
  get subjectNameDer(): Buffer {
    // The bytes as this certificate holds them (Go copies the parent's RawSubject): TBSCertificate's
    // subject, the sixth field, or the fifth when the optional [0] version is absent (a v1 certificate).
    if (!this.#subjectNameDer) {
      const tbs = derElements(derElements(this.der)[0]!);
      this.#subjectNameDer = Buffer.from(tbs[tbs[0]![0] === 0xa0 ? 5 : 4]!);
    }
    return this.#subjectNameDer;
  }
  get subjectKeyId(): ArrayBuffer | null {
    if (this.#subjectKeyId === undefined) {
      const ski = subjectKeyIdHex(this.der);
      this.#subjectKeyId = ski ? new Uint8Array(Buffer.from(ski, 'hex')).buffer : null;
    }
    return this.#subjectKeyId;
  }
  /** Hex key identifiers ('' when absent). */
  get subjectKeyIdHex(): string {
    return subjectKeyIdHex(this.der) ?? '';
  }
  get authorityKeyIdHex(): string {
    return authorityKeyIdHex(this.der) ?? '';
  }
  /** KeyUsage bits (RFC 5280 order), undefined when the extension is absent. */
  get keyUsageBits(): number | undefined {
    return keyUsageBits(this.der);
  }
  get notBefore(): Date {
    return new Date(this.node.validFrom);
  }
}

// @peculiar/x509 (and the Reflect polyfill its schemas need) only when a certificate's `parsed` view is asked for.
const requireCjs = createRequire(import.meta.url);
let peculiar: typeof X509Lib | undefined;
function peculiarX509(): typeof X509Lib {
  if (!peculiar) {
    requireCjs('reflect-metadata');
    peculiar = requireCjs('@peculiar/x509') as typeof X509Lib;
  }
  return peculiar;
}

/**
 * Certificates read from files, kubeconfigs and handshakes recur (every client sees the same
 * serving certificate): parsed once, by their bytes. Bounded, oldest dropped first.
 */
const parsedByDer = new BoundedCache<string, IssuedCert>(2048);

/**
 * Wraps DER bytes read from a file, a kubeconfig or a handshake; a malformed certificate fails here,
 * and so does one whose public key does not decode (OpenSSL parses the envelope and decodes the key
 * only when asked; Go's x509.ParseCertificate refuses both at once).
 */
export function fromDer(der: Buffer): IssuedCert {
  return parsedByDer.getOrCreate(der.toString('base64'), () => {
    const cert = new IssuedCert(Buffer.from(der));
    void cert.node; // parse now, so a malformed certificate fails where it is read
    try {
      void cert.node.publicKey;
    } catch (cause) {
      throw new PublicKeyDecodeError(cert.der, cause);
    }
    // Node parses a certificate whose UTCTime/GeneralizedTime is malformed and reports the date as
    // "Bad time value"; Go's x509.ParseCertificate refuses it ("x509: malformed UTCTime" / "GeneralizedTime").
    for (const [field, value] of [['notBefore', cert.node.validFrom], ['notAfter', cert.node.validTo]] as const) {
      if (Number.isNaN(Date.parse(value))) throw new Error(`its ${field} time does not parse (${value})`);
    }
    return cert;
  });
}

/** A certificate that parses but whose SubjectPublicKeyInfo does not decode; `goMessage` is Go's parser's error for that key type. */
export class PublicKeyDecodeError extends Error {
  readonly goMessage: string;
  constructor(der: Buffer, cause: unknown) {
    super(`its public key does not decode (${(cause as Error).message})`, { cause });
    this.name = 'PublicKeyDecodeError';
    this.goMessage = goPublicKeyError(der);
  }
}

// crypto/x509/parser.go's parsePublicKey errors, by the key's algorithm OID (DER content bytes).
const GO_PUBLIC_KEY_ERRORS: Record<string, string> = {
  '2a8648ce3d0201': 'x509: failed to unmarshal elliptic curve point', // id-ecPublicKey
  '2a864886f70d010101': 'x509: invalid RSA public key', // rsaEncryption
  '2b6570': 'x509: wrong Ed25519 public key size', // id-Ed25519
};

function goPublicKeyError(der: Buffer): string {
  try {
    const tbs = derElements(derElements(der)[0]!);
    const spki = tbs[tbs[0]![0] === 0xa0 ? 6 : 5]!;
    const oid = derElements(derElements(spki)[0]!)[0]!;
    return GO_PUBLIC_KEY_ERRORS[oid.subarray(2).toString('hex')] ?? 'x509: malformed certificate';
  } catch {
    return 'x509: malformed certificate';
  }
}

/** Wraps a certificate node:tls already parsed (a peer's, from a handshake): by its bytes, as `fromDer`, without parsing it again. */
export function fromX509(node: NodeX509, der: Buffer = node.raw): IssuedCert {
  return parsedByDer.getOrCreate(der.toString('base64'), () => new IssuedCert(Buffer.from(der), { node }));
}

// The ASN.1 schemas load with the first certificate issued, not with the package: importing it, or a
// command that only reads files, does not pay for them.
const asn = lazyRequire<typeof Asn>('@peculiar/asn1-x509');
const schema = lazyRequire<typeof AsnSchema>('@peculiar/asn1-schema');
const lazyTable = <T>(make: () => T): (() => T) => {
  let table: T | undefined;
  return () => (table ??= make());
};

const KEY_USAGE_FLAGS = lazyTable((): Record<KeyUsage, number> => ({
  digitalSignature: asn().KeyUsageFlags.digitalSignature,
  contentCommitment: asn().KeyUsageFlags.nonRepudiation,
  keyEncipherment: asn().KeyUsageFlags.keyEncipherment,
  dataEncipherment: asn().KeyUsageFlags.dataEncipherment,
  keyAgreement: asn().KeyUsageFlags.keyAgreement,
  keyCertSign: asn().KeyUsageFlags.keyCertSign,
  cRLSign: asn().KeyUsageFlags.cRLSign,
  encipherOnly: asn().KeyUsageFlags.encipherOnly,
  decipherOnly: asn().KeyUsageFlags.decipherOnly,
}));
/** Go's extKeyUsageOIDs (crypto/x509). */
const EKU_OIDS = lazyTable((): Record<ExtKeyUsage, string> => ({
  any: asn().anyExtendedKeyUsage,
  serverAuth: asn().id_kp_serverAuth,
  clientAuth: asn().id_kp_clientAuth,
  codeSigning: asn().id_kp_codeSigning,
  emailProtection: asn().id_kp_emailProtection,
  ipsecEndSystem: '1.3.6.1.5.5.7.3.5',
  ipsecTunnel: '1.3.6.1.5.5.7.3.6',
  ipsecUser: '1.3.6.1.5.5.7.3.7',
  timeStamping: asn().id_kp_timeStamping,
  ocspSigning: asn().id_kp_OCSPSigning,
  microsoftServerGatedCrypto: '1.3.6.1.4.1.311.10.3.3',
  netscapeServerGatedCrypto: '2.16.840.1.113730.4.1',
}));

/** DER of the signature AlgorithmIdentifier: ecdsa-with-SHA256/384 (no parameters), sha256WithRSAEncryption (NULL). */
const SIGNATURE_ALGORITHMS = lazyTable((): Record<'ec-sha256' | 'ec-sha384' | 'rsa-sha256', Asn.AlgorithmIdentifier> => ({
  'ec-sha256': new (asn().AlgorithmIdentifier)({ algorithm: '1.2.840.10045.4.3.2' }),
  'ec-sha384': new (asn().AlgorithmIdentifier)({ algorithm: '1.2.840.10045.4.3.3' }),
  'rsa-sha256': new (asn().AlgorithmIdentifier)({ algorithm: '1.2.840.113549.1.1.11', parameters: null }),
}));
const SIGNATURE_ALGORITHMS_DER = lazyTable(() => Object.fromEntries(Object.entries(SIGNATURE_ALGORITHMS()).map(([name, id]) => [name, Buffer.from(schema().AsnConvert.serialize(id))])) as Record<'ec-sha256' | 'ec-sha384' | 'rsa-sha256', Buffer>);
/** The AlgorithmIdentifier a key of this algorithm signs with, DER. */
function signatureAlgorithmDer(algorithm: KeyAlgorithm): Buffer {
  return SIGNATURE_ALGORITHMS_DER()[algorithm.startsWith('rsa') ? 'rsa-sha256' : algorithm === 'ecdsa-p384' ? 'ec-sha384' : 'ec-sha256'];
}

/**
 * Identical requests give the identical certificate: with pooled keys, a second cluster built from
 * the same table at the same clock time costs no signatures at all. Bounded, oldest dropped first.
 */
const memo = new BoundedCache<string, IssuedCert>(2048);

/** Signs a certificate: synchronous (node:crypto signs in a few hundred microseconds). */
export function issueCertificate(request: IssueRequest): IssuedCert {
  if (request.memo === false) return sign(request);
  return memo.getOrCreate(memoKey(request), () => sign(request));
}

function memoKey(r: IssueRequest): string {
  return JSON.stringify([
    r.cn, r.o, r.isCa, r.keyUsage, r.extKeyUsage, r.sans, r.notBefore.getTime(), r.notAfter.getTime(), r.serial ?? null,
    r.subjectKey.fingerprint, r.issuer?.cert.fingerprint ?? null, r.issuer?.key.fingerprint ?? null,
  ]);
}

// Go's pkix.Name encodes a value as PrintableString when it can (its set adds '*' and '&'), else UTF8String.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;
const attribute = (type: string, value: string) =>
  new (asn().AttributeTypeAndValue)({ type, value: new (asn().AttributeValue)(PRINTABLE.test(value) ? { printableString: value } : { utf8String: value }) });

/**
 * Subject as Go's pkix.Name writes it: all O values in one RDN, then CN. An RDN is a SET OF, which
 * DER (and Go's encoding/asn1 since 1.15) orders by the values' encodings: O=qa before O=devs.
 */
function subjectName(cn: string, o: readonly string[]): Asn.Name {
  const rdns: Asn.RelativeDistinguishedName[] = [];
  if (o.length > 0) {
    const values = o.map((value) => attribute('2.5.4.10', value)).map((a) => ({ a, der: Buffer.from(schema().AsnConvert.serialize(a)) }));
    rdns.push(new (asn().RelativeDistinguishedName)(values.sort((x, y) => Buffer.compare(x.der, y.der)).map((v) => v.a)));
  }
  if (cn !== '') rdns.push(new (asn().RelativeDistinguishedName)([attribute('2.5.4.3', cn)]));
  return new (asn().Name)(rdns);
}

const derOf = (value: unknown) => Buffer.from(schema().AsnConvert.serialize(value));
/** A subject Name encoded, as a certificate or a CSR carries it (O values sorted as Go's pkix sorts a SET). */
export const subjectNameDer = (cn: string, o: readonly string[]): Buffer => derOf(subjectName(cn, o));
const extension = (extnID: string, critical: boolean, value: unknown) =>
  derOf(new (asn().Extension)({ extnID, critical, extnValue: new (schema().OctetString)(schema().AsnConvert.serialize(value)) }));

/**
 * Most certificates share the same key usage, basic constraints, EKU and issuer key id: each
 * distinct extension is encoded once, as DER.
 */
const extensionCache = new BoundedCache<string, Buffer>(256);
const cached = (key: string, build: () => Buffer) => extensionCache.getOrCreate(key, build);

/** RFC 5280 §4.2.1.2 method 1, as Go computes it: SHA-1 of the subjectPublicKey bit string. */
function keyId(key: KeyMaterial): ArrayBuffer {
  return new Uint8Array(createHash('sha1').update(key.publicKeyBits).digest()).buffer;
}

/** [0] EXPLICIT Version v3. */
const VERSION_3 = Buffer.from('a003020102', 'hex');

/**
 * TBSCertificate ::= SEQUENCE { version, serialNumber, signature, issuer, validity, subject,
 * subjectPublicKeyInfo, extensions [3] }, put together from encoded parts: the key goes in as the
 * SubjectPublicKeyInfo DER it already is, the issuer's name as the issuer encoded it.
 */
function sign(r: IssueRequest): IssuedCert {
  const flags = r.keyUsage.reduce((acc, u) => acc | KEY_USAGE_FLAGS()[u], 0);
  const extensions: Buffer[] = [];
  // Like Go, no key usage extension at all when no bit is set (an empty one is invalid to OpenSSL).
  if (flags !== 0) extensions.push(cached(`ku:${flags}`, () => extension(asn().id_ce_keyUsage, true, new (asn().KeyUsage)(flags))));
  extensions.push(cached(`bc:${r.isCa}`, () => extension(asn().id_ce_basicConstraints, true, new (asn().BasicConstraints)({ cA: r.isCa }))));
  if (r.extKeyUsage && r.extKeyUsage.length > 0) {
    const oids = r.extKeyUsage.map((u) => EKU_OIDS()[u]);
    extensions.push(cached(`eku:${oids.join(',')}`, () => extension(asn().id_ce_extKeyUsage, false, new (asn().ExtendedKeyUsage)(oids))));
  }
  const ownKeyId = r.isCa ? keyId(r.subjectKey) : null;
  if (ownKeyId) extensions.push(extension(asn().id_ce_subjectKeyIdentifier, false, new (asn().SubjectKeyIdentifier)(ownKeyId)));
  if (r.issuer) {
    const authorityKeyId = r.issuer.cert.subjectKeyId ?? keyId(r.issuer.key);
    extensions.push(cached(`aki:${Buffer.from(authorityKeyId).toString('hex')}`, () => extension(asn().id_ce_authorityKeyIdentifier, false, new (asn().AuthorityKeyIdentifier)({ keyIdentifier: new (asn().KeyIdentifier)(authorityKeyId) }))));
  }
  if (r.sans.length > 0) {
    const names = r.sans.map((s) => new (asn().GeneralName)(
      'dns' in s ? { dNSName: s.dns } : 'ip' in s ? { iPAddress: s.ip } : 'email' in s ? { rfc822Name: s.email } : { uniformResourceIdentifier: s.uri },
    ));
    extensions.push(extension(asn().id_ce_subjectAltName, false, new (asn().SubjectAlternativeName)(names)));
  }
  const signer = r.issuer?.key ?? r.subjectKey;
  const subject = subjectName(r.cn, r.o);
  const subjectDer = derOf(subject);
  const tbsDer = derSequence([
    VERSION_3,
    derTag(0x02, Buffer.from(r.serial ?? derivedSerial(r), 'hex')),
    signatureAlgorithmDer(signer.algorithm),
    r.issuer ? r.issuer.cert.subjectNameDer : subjectDer,
    derOf(new (asn().Validity)({ notBefore: r.notBefore, notAfter: r.notAfter })),
    subjectDer,
    r.subjectKey.spki,
    derTag(0xa3, derSequence(extensions)),
  ]);
  const der = signedEnvelope(tbsDer, signer.algorithm, signData(signatureHash(signer.algorithm), tbsDer, signer.keyObject));
  return new IssuedCert(der, { subjectNameDer: subjectDer, subjectKeyId: ownKeyId });
}

/** What a certificate and a certification request both are: SEQUENCE { the signed part, its AlgorithmIdentifier, the signature as a BIT STRING }. */
export function signedEnvelope(signed: Buffer, algorithm: KeyAlgorithm, signature: Buffer): Buffer {
  return derSequence([signed, signatureAlgorithmDer(algorithm), derTag(0x03, Buffer.concat([Buffer.from([0]), signature]))]);
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
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
