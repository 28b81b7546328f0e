/**
 * Certificate assembly: an IssueRequest becomes a signed X.509 v3 certificate, DER put together from
 * pre-encoded parts (subject as Go's pkix.Name writes it, extensions cached, serial derived).
 */
import { createHash, sign as signData } from 'node:crypto';
import type * as AsnSchema from '@peculiar/asn1-schema';
import type * as Asn from '@peculiar/asn1-x509';
import { derElements, derEnd, derSequence, derSet, derTag } from './der.js';
import {
  derAuthorityKeyId, derBasicConstraints, derExtension, derExtKeyUsage, derKeyUsage, derName, derSubjectAltName, derSubjectKeyId,
  derValidity, EKU_OID, EXTENSION_OID, KEY_USAGE_BIT, SIGNATURE_ALGORITHM_DER,
} from './der-x509.js';
import { IssuedCert } from './issued-cert.js';
import { lazyRequire } from '../util/lazy.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { signatureHash, type KeyMaterial } from './keys.js';
import type { ExtKeyUsage, KeyAlgorithm, KeyUsage, San } from './types.js';
import { KubeMtlsSimError } from '../errors.js';

// The certificate view and its parse cache live in issued-cert.ts; importers of this module keep
// finding them here, so this module stays the one door to "a certificate of the PKI".
export { fromDer, fromX509, IssuedCert, PublicKeyDecodeError, toPem, type ParsedCertificate } from './issued-cert.js';

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
  /** Structural variations faults make (lib/pki/faults.ts); absent on every ordinary certificate. */
  variations?: CertVariations;
}

/** What some CAs and tools write and the table's certificates never do: each one changes Go's verdict. */
export interface CertVariations {
  /** basicConstraints pathLenConstraint (a CA only). */
  pathLen?: number;
  /** A critical nameConstraints extension with these DNS subtrees. */
  nameConstraints?: { permittedDNS?: readonly string[]; excludedDNS?: readonly string[] };
  /** Further extensions, e.g. an unknown critical one. */
  extraExtensions?: readonly { oid: string; critical: boolean; valueDer: Buffer }[];
  /** The issuer name re-encoded with UTF8String where the issuer's own subject says PrintableString. */
  issuerNameEncoding?: 'utf8';
  /** Signed with SHA-1 (ecdsa-with-SHA1 or sha1WithRSAEncryption) or MD5 (md5WithRSAEncryption), which Go refuses as insecure. */
  signatureHash?: 'sha1' | 'md5';
}

/** A subjectAltName entry: the DNS/IP SANs of the tables, or an email or URI SAN copied from a CSR by a signer. */
export type CertSan = San | { email: string } | { uri: string };

// Certificates are written by der-x509.ts; @peculiar's ASN.1 schemas load only for what it leaves to
// them (name constraints, a time or SAN it does not write), not with the first certificate issued.
const asn = lazyRequire<typeof Asn>('@peculiar/asn1-x509', () => require('@peculiar/asn1-x509'));
const schema = lazyRequire<typeof AsnSchema>('@peculiar/asn1-schema', () => require('@peculiar/asn1-schema'));

/** The AlgorithmIdentifier a key of this algorithm signs with, DER. */
function signatureAlgorithmDer(algorithm: KeyAlgorithm): Buffer {
  return SIGNATURE_ALGORITHM_DER[algorithm.startsWith('rsa') ? 'rsa-sha256' : algorithm === 'ecdsa-p384' ? 'ec-sha384' : 'ec-sha256'];
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
    // Only when present, so that every ordinary certificate keeps its key (and derived serial).
    ...(r.variations ? [{ ...r.variations, extraExtensions: r.variations.extraExtensions?.map((e) => [e.oid, e.critical, e.valueDer.toString('hex')]) }] : []),
  ]);
}

const derOf = (value: unknown) => Buffer.from(schema().AsnConvert.serialize(value));
/** A subject Name encoded, as a certificate or a CSR carries it (O values sorted as Go's pkix sorts a SET). */
export const subjectNameDer = (cn: string, o: readonly string[]): Buffer => derName(cn, o);
const extension = (extnID: string, critical: boolean, value: unknown) => derExtension(extnID, critical, derOf(value));

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

/** The SAN extension's value: written directly, or by the schema for a name der-x509.ts does not write. */
function subjectAltNameDer(sans: readonly CertSan[]): Buffer {
  return derSubjectAltName(sans) ?? derOf(new (asn().SubjectAlternativeName)(sans.map((s) => new (asn().GeneralName)(
    'dns' in s ? { dNSName: s.dns } : 'ip' in s ? { iPAddress: s.ip } : 'email' in s ? { rfc822Name: s.email } : { uniformResourceIdentifier: s.uri },
  ))));
}

/** [0] EXPLICIT Version v3. */
const VERSION_3 = Buffer.from('a003020102', 'hex');

/**
 * TBSCertificate ::= SEQUENCE { version, serialNumber, signature, issuer, validity, subject,
 * subjectPublicKeyInfo, extensions [3] }, put together from encoded parts: the key goes in as the
 * SubjectPublicKeyInfo DER it already is, the issuer's name as the issuer encoded it.
 */
function sign(r: IssueRequest): IssuedCert {
  const flags = r.keyUsage.reduce((acc, u) => acc | KEY_USAGE_BIT[u], 0);
  const extensions: Buffer[] = [];
  // Like Go, no key usage extension at all when no bit is set (an empty one is invalid to OpenSSL).
  if (flags !== 0) extensions.push(cached(`ku:${flags}`, () => derExtension(EXTENSION_OID.keyUsage, true, derKeyUsage(flags))));
  const pathLen = r.variations?.pathLen;
  extensions.push(cached(`bc:${r.isCa}:${pathLen ?? ''}`, () => derExtension(EXTENSION_OID.basicConstraints, true, derBasicConstraints(r.isCa, pathLen))));
  if (r.extKeyUsage && r.extKeyUsage.length > 0) {
    const oids = r.extKeyUsage.map((u) => EKU_OID[u]);
    extensions.push(cached(`eku:${oids.join(',')}`, () => derExtension(EXTENSION_OID.extKeyUsage, false, derExtKeyUsage(oids))));
  }
  const ownKeyId = r.isCa ? keyId(r.subjectKey) : null;
  if (ownKeyId) extensions.push(derExtension(EXTENSION_OID.subjectKeyIdentifier, false, derSubjectKeyId(new Uint8Array(ownKeyId))));
  if (r.issuer) {
    const authorityKeyId = new Uint8Array(r.issuer.cert.subjectKeyId ?? keyId(r.issuer.key));
    extensions.push(cached(`aki:${Buffer.from(authorityKeyId).toString('hex')}`, () => derExtension(EXTENSION_OID.authorityKeyIdentifier, false, derAuthorityKeyId(authorityKeyId))));
  }
  if (r.sans.length > 0) extensions.push(derExtension(EXTENSION_OID.subjectAltName, false, subjectAltNameDer(r.sans)));
  if (r.variations) extensions.push(...variationExtensions(r.variations));
  const signer = r.issuer?.key ?? r.subjectKey;
  const subjectDer = derName(r.cn, r.o);
  const weak = r.variations?.signatureHash;
  const algorithmDer = weak ? weakAlgorithmDer(weak, signer.algorithm) : signatureAlgorithmDer(signer.algorithm);
  const tbsDer = derSequence([
    VERSION_3,
    derTag(0x02, Buffer.from(r.serial ?? derivedSerial(r), 'hex')),
    algorithmDer,
    issuerNameDer(r, subjectDer),
    derValidity(r.notBefore, r.notAfter) ?? derOf(new (asn().Validity)({ notBefore: r.notBefore, notAfter: r.notAfter })),
    subjectDer,
    r.subjectKey.spki,
    derTag(0xa3, derSequence(extensions)),
  ]);
  const der = signedEnvelope(tbsDer, signer.algorithm, signData(weak ?? signatureHash(signer.algorithm), tbsDer, signer.keyObject), algorithmDer);
  return new IssuedCert(der, { subjectNameDer: subjectDer, subjectKeyId: ownKeyId });
}

function issuerNameDer(r: IssueRequest, subjectDer: Buffer): Buffer {
  const name = r.issuer ? r.issuer.cert.subjectNameDer : subjectDer;
  return r.variations?.issuerNameEncoding === 'utf8' ? utf8Name(name) : name;
}

/**
 * The same Name with every PrintableString value written as UTF8String: equal to the eye and to
 * RFC 5280's comparison, different bytes to Go, which matches issuer to subject by raw DER.
 */
function utf8Name(name: Buffer): Buffer {
  return derSequence(derElements(name).map((rdn) => derSet(derElements(rdn).map((atv) => {
    const [type, value] = derElements(atv) as [Buffer, Buffer];
    if (value[0] !== 0x13) return atv;
    return derSequence([type, derTag(0x0c, value.subarray(headerLength(value), derEnd(value)))]);
  }))));
}
const headerLength = (der: Buffer): number => (der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f));

function variationExtensions(v: CertVariations): Buffer[] {
  const out: Buffer[] = [];
  if (v.nameConstraints) {
    const subtrees = (names: readonly string[] | undefined) => (names && names.length > 0
      ? new (asn().GeneralSubtrees)(names.map((dns) => new (asn().GeneralSubtree)({ base: new (asn().GeneralName)({ dNSName: dns }) })))
      : undefined);
    const permitted = subtrees(v.nameConstraints.permittedDNS);
    const excluded = subtrees(v.nameConstraints.excludedDNS);
    out.push(extension(asn().id_ce_nameConstraints, true, new (asn().NameConstraints)({
      ...(permitted ? { permittedSubtrees: permitted } : {}), ...(excluded ? { excludedSubtrees: excluded } : {}),
    })));
  }
  for (const e of v.extraExtensions ?? []) out.push(rawExtension(e));
  return out;
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } with the value given as DER. */
function rawExtension(e: { oid: string; critical: boolean; valueDer: Buffer }): Buffer {
  return derExtension(e.oid, e.critical, e.valueDer);
}

/** What a certificate and a certification request both are: SEQUENCE { the signed part, its AlgorithmIdentifier, the signature as a BIT STRING }. */
export function signedEnvelope(signed: Buffer, algorithm: KeyAlgorithm, signature: Buffer, algorithmDer = signatureAlgorithmDer(algorithm)): Buffer {
  return derSequence([signed, algorithmDer, derTag(0x03, Buffer.concat([Buffer.from([0]), signature]))]);
}

/** ecdsa-with-SHA1 (no parameters) or sha1WithRSAEncryption (NULL parameters), DER. */
function weakAlgorithmDer(hash: 'sha1' | 'md5', algorithm: KeyAlgorithm): Buffer {
  if (hash === 'md5') {
    // There is no ECDSA-with-MD5 (nor does Go name one): MD5 signatures are RSA's.
    if (!algorithm.startsWith('rsa')) throw new KubeMtlsSimError('ERR_FAULT_INVALID', `signature-algorithm:md5 needs an RSA issuer key (the issuer's is ${algorithm}): md5WithRSAEncryption is the only MD5 signature`, { field: 'faults' });
    return Buffer.from('300d06092a864886f70d0101040500', 'hex');
  }
  return algorithm.startsWith('rsa') ? Buffer.from('300d06092a864886f70d0101050500', 'hex') : Buffer.from('300906072a8648ce3d0401', 'hex');
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
