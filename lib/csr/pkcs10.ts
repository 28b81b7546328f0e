import { constants, sign, verify, type KeyObject } from 'node:crypto';
import type * as AsnSchema from '@peculiar/asn1-schema';
import type * as Asn from '@peculiar/asn1-x509';
import type * as AsnCsr from '@peculiar/asn1-csr';
import type * as AsnRsa from '@peculiar/asn1-rsa';
import { derElements, derEnd, derSequence, derSet, derTag } from '../pki/der.js';
import { lazyRequire } from '../util/lazy.js';
import { signedEnvelope, subjectNameDer } from '../pki/issue.js';
import { publicKeyFromSpki, signatureHash, type KeyMaterial } from '../pki/keys.js';

/**
 * PKCS#10 certificate requests (RFC 2986) as Go's crypto/x509 writes and reads them: written by
 * the kubelet's certificate manager, read by kube-apiserver (validation) and kube-controller-manager
 * (the signers). The ASN.1 is @peculiar's schema; signing and verifying are node:crypto's, on the
 * key objects the caller already holds, so no key is decoded twice.
 */

// The ASN.1 schemas load with the first CSR written or read, not with the package.
const asn = lazyRequire<typeof Asn>('@peculiar/asn1-x509', () => require('@peculiar/asn1-x509'));
const schema = lazyRequire<typeof AsnSchema>('@peculiar/asn1-schema', () => require('@peculiar/asn1-schema'));
const csr = lazyRequire<typeof AsnCsr>('@peculiar/asn1-csr', () => require('@peculiar/asn1-csr'));
const rsa = lazyRequire<typeof AsnRsa>('@peculiar/asn1-rsa', () => require('@peculiar/asn1-rsa'));

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const EXTENSION_REQUEST_OID = Buffer.from('06092a864886f70d01090e', 'hex');
const VERSION_1 = Buffer.from('020100', 'hex');

export interface CsrSubject {
  cn: string;
  o: readonly string[];
  dns?: readonly string[];
  ips?: readonly string[];
  emails?: readonly string[];
  uris?: readonly string[];
}

/** x509.CreateCertificateRequest: subject O then CN, SANs in an extensionRequest attribute only when there are any. */
export function createCsrDer(key: KeyMaterial, subject: CsrSubject): Buffer {
  const names = [
    ...(subject.dns ?? []).map((dNSName) => new (asn().GeneralName)({ dNSName })),
    ...(subject.emails ?? []).map((rfc822Name) => new (asn().GeneralName)({ rfc822Name })),
    ...(subject.ips ?? []).map((iPAddress) => new (asn().GeneralName)({ iPAddress })),
    ...(subject.uris ?? []).map((uniformResourceIdentifier) => new (asn().GeneralName)({ uniformResourceIdentifier })),
  ];
  // CertificationRequestInfo ::= SEQUENCE { version 0, subject, subjectPKInfo, attributes [0] }, the key as it already is.
  let attributes: Buffer = Buffer.from([0xa0, 0x00]);
  if (names.length > 0) {
    const san = new (asn().Extension)({ extnID: asn().id_ce_subjectAltName, critical: false, extnValue: new (schema().OctetString)(schema().AsnConvert.serialize(new (asn().SubjectAlternativeName)(names))) });
    attributes = derTag(0xa0, derSequence([EXTENSION_REQUEST_OID, derSet([Buffer.from(schema().AsnConvert.serialize(new (asn().Extensions)([san])))])]));
  }
  const infoDer = derSequence([VERSION_1, subjectNameDer(subject.cn, subject.o), key.spki, attributes]);
  return signedEnvelope(infoDer, key.algorithm, sign(signatureHash(key.algorithm), infoDer, key.keyObject));
}

/** A request as the API and the signers read it. */
export interface Pkcs10 {
  cn: string;
  o: string[];
  dns: string[];
  ips: string[];
  emails: string[];
  uris: string[];
  /** The request's public key as SubjectPublicKeyInfo DER. */
  spki: Buffer;
  /** The request's public key (decoded once, on first use). */
  publicKey(): KeyObject;
  /** csr.CheckSignature(): null when the self-signature holds, else Go's error text. Checked once. */
  checkSignature(): string | null;
}

/** x509.ParseCertificateRequest; throws on malformed ASN.1. */
export function parsePkcs10(der: Buffer): Pkcs10 {
  // encoding/asn1 refuses bytes after the request; the schema would ignore them.
  if (derEnd(der) !== der.length) throw new GoParseError('asn1: syntax error: trailing data');
  const request = schema().AsnConvert.parse(der, csr().CertificationRequest);
  const info = request.certificationRequestInfo;
  const infoRaw = Buffer.from(request.certificationRequestInfoRaw ?? schema().AsnConvert.serialize(info));
  const cn: string[] = [];
  const o: string[] = [];
  for (const rdn of info.subject) {
    for (const attribute of rdn) {
      if (attribute.type === '2.5.4.3') cn.push(attribute.value.toString());
      else if (attribute.type === '2.5.4.10') o.push(attribute.value.toString());
    }
  }
  const general = subjectAltNames(info.attributes ?? new (csr().Attributes)());
  // The key exactly as sent: CertificationRequestInfo's third field.
  const spki = Buffer.from(derElements(infoRaw)[2] ?? Buffer.from(schema().AsnConvert.serialize(info.subjectPKInfo)));
  checkCurve(spki);
  const signature = Buffer.from(request.signature);
  const algorithm = request.signatureAlgorithm;
  // Whether the AlgorithmIdentifier carries parameters at all (NULL counts): Ed25519's must be absent.
  const algorithmHasParameters = derElements(derElements(der)[1]!).length > 1;
  let key: KeyObject | undefined;
  let checked: string | null | undefined;
  const publicKey = () => (key ??= publicKeyFromSpki(spki));
  return {
    cn: cn.at(-1) ?? '', o,
    dns: general.flatMap((n) => (n.dNSName !== undefined ? [n.dNSName] : [])),
    ips: general.flatMap((n) => (n.iPAddress !== undefined ? [n.iPAddress] : [])),
    emails: general.flatMap((n) => (n.rfc822Name !== undefined ? [n.rfc822Name] : [])),
    uris: general.flatMap((n) => (n.uniformResourceIdentifier !== undefined ? [n.uniformResourceIdentifier] : [])),
    spki,
    publicKey,
    checkSignature: () => (checked !== undefined ? checked : (checked = check(algorithm, algorithmHasParameters, infoRaw, signature, publicKey))),
  };
}

/**
 * parseCSRExtensions: the extensions of every extensionRequest attribute, none twice; then the SANs
 * of the subjectAltName one, where Go's parseSANExtension takes an iPAddress [7] of 4 or 16 bytes
 * only (the schema would turn any length into some string).
 */
function subjectAltNames(attributes: AsnCsr.Attributes): Asn.GeneralName[] {
  const seen = new Set<string>();
  let san: Asn.Extension | undefined;
  for (const attribute of attributes) {
    if (attribute.type !== EXTENSION_REQUEST || !attribute.values[0]) continue;
    for (const extension of schema().AsnConvert.parse(attribute.values[0], asn().Extensions)) {
      if (seen.has(extension.extnID)) throw new GoParseError('x509: certificate request contains duplicate requested extensions');
      seen.add(extension.extnID);
      if (extension.extnID === asn().id_ce_subjectAltName) san = extension;
    }
  }
  if (!san) return [];
  for (const name of derElements(Buffer.from(san.extnValue.buffer))) {
    const length = name.length - (name[1]! < 0x80 ? 2 : 2 + (name[1]! & 0x7f));
    if (name[0] === 0x87 && length !== 4 && length !== 16) throw new GoParseError(`x509: cannot parse IP address of length ${length}`);
  }
  return [...schema().AsnConvert.parse(san.extnValue, asn().SubjectAlternativeName)];
}

/** The curves Go's x509 reads (namedCurveFromOID); an EC key on any other is refused when the request is parsed. */
const EC_PUBLIC_KEY = Buffer.from('06072a8648ce3d0201', 'hex');
const GO_CURVES = ['06052b81040021', '06082a8648ce3d030107', '06052b81040022', '06052b81040023'].map((hex) => Buffer.from(hex, 'hex'));
function checkCurve(spki: Buffer): void {
  const [algorithm, curve] = derElements(derElements(spki)[0]!);
  if (algorithm?.equals(EC_PUBLIC_KEY) && !GO_CURVES.some((known) => curve?.equals(known))) throw new GoParseError('x509: unsupported elliptic curve');
}

/** A request Go's ParseCertificateRequest refuses with a message of its own (not an encoding/asn1 one). */
export class GoParseError extends Error {}

type Scheme = { key: 'rsa' | 'ec' | 'ed25519'; hash: string | null; pss?: boolean; insecure?: string };

/** The signature algorithms Go verifies on a CSR (SHA-1 is still allowed there, MD5 is not). */
const SCHEMES: Record<string, Scheme> = {
  '1.2.840.113549.1.1.2': { key: 'rsa', hash: null, insecure: 'MD2-RSA' },
  '1.2.840.113549.1.1.4': { key: 'rsa', hash: null, insecure: 'MD5-RSA' },
  '1.2.840.113549.1.1.5': { key: 'rsa', hash: 'sha1' },
  '1.3.14.3.2.29': { key: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { key: 'rsa', hash: null, pss: true },
  '1.2.840.10045.4.1': { key: 'ec', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
  '1.3.101.112': { key: 'ed25519', hash: null },
};
const PSS_HASHES: Record<string, { name: string; size: number }> = {
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', size: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', size: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', size: 64 },
};
const FAILURE: Record<Scheme['key'], string> = {
  rsa: 'crypto/rsa: verification error',
  ec: 'x509: ECDSA verification failure',
  ed25519: 'x509: Ed25519 verification failure',
};
const MGF1 = '1.2.840.113549.1.1.8';
const UNIMPLEMENTED = 'x509: cannot verify signature: algorithm unimplemented';

function check(algorithm: Asn.AlgorithmIdentifier, hasParameters: boolean, data: Buffer, signature: Buffer, publicKey: () => KeyObject): string | null {
  const scheme = SCHEMES[algorithm.algorithm];
  // RFC 8410 §3, as Go reads it: Ed25519 with any parameters is no algorithm it knows.
  if (!scheme || (scheme.key === 'ed25519' && hasParameters)) return UNIMPLEMENTED;
  if (scheme.insecure) return `x509: cannot verify signature: insecure algorithm ${scheme.insecure}`;
  let key: KeyObject;
  try {
    key = publicKey();
  } catch {
    return 'x509: signature verification failure';
  }
  const type = key.asymmetricKeyType;
  if (type !== scheme.key) {
    const named = scheme.key === 'ec' ? 'ECDSA' : scheme.key === 'rsa' ? 'RSA' : 'Ed25519';
    const have = type === 'ec' ? '*ecdsa.PublicKey' : type === 'rsa' ? '*rsa.PublicKey' : type === 'ed25519' ? 'ed25519.PublicKey' : `${type}`;
    return `x509: signature algorithm specifies an ${named} public key, but have public key of type ${have}`;
  }
  try {
    if (scheme.pss) {
      // Go accepts PSS only with SHA-256/384/512, MGF1 over the same hash, and a salt the hash's size.
      const params = algorithm.parameters ? schema().AsnConvert.parse(algorithm.parameters, rsa().RsaSaPssParams) : undefined;
      const hash = params ? PSS_HASHES[params.hashAlgorithm.algorithm] : undefined;
      const mgf = params?.maskGenAlgorithm.algorithm === MGF1 && params.maskGenAlgorithm.parameters
        ? schema().AsnConvert.parse(params.maskGenAlgorithm.parameters, asn().AlgorithmIdentifier).algorithm : undefined;
      if (!params || !hash || mgf !== params.hashAlgorithm.algorithm || params.saltLength !== hash.size || params.trailerField !== 1) return UNIMPLEMENTED;
      return verify(hash.name, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hash.size }, signature) ? null : FAILURE.rsa;
    }
    return verify(scheme.hash, data, key, signature) ? null : FAILURE[scheme.key];
  } catch {
    return FAILURE[scheme.key];
  }
}
