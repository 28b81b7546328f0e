import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';

/** Signature algorithms by name: the weak ones node:tls (OpenSSL's default security level) refuses to load and Go refuses to verify, and a strong one. */
const ALGORITHMS = {
  'ecdsa-with-SHA1': { oid: '1.2.840.10045.4.1', hash: 'sha1', nullParams: false },
  'ecdsa-with-SHA256': { oid: '1.2.840.10045.4.3.2', hash: 'sha256', nullParams: false },
  'sha1WithRSAEncryption': { oid: '1.2.840.113549.1.1.5', hash: 'sha1', nullParams: true },
  'md5WithRSAEncryption': { oid: '1.2.840.113549.1.1.4', hash: 'md5', nullParams: true },
} as const;
export type SignatureAlgorithmName = keyof typeof ALGORITHMS;

const pemBody = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

/**
 * The same certificate signed again by `issuerKey` with `algorithm` (as `openssl x509 -sha1` would),
 * keeping its names, validity and extensions; with `subjectKey`, for that public key instead (an
 * RSA-512 key OpenSSL refuses to load at its default level).
 */
export function resign(certPem: string, issuerKey: KeyObject, algorithm: SignatureAlgorithmName, subjectKey?: KeyObject): string {
  const { oid, hash, nullParams } = ALGORITHMS[algorithm];
  const cert = AsnConvert.parse(pemBody(certPem), Certificate);
  const id = new AlgorithmIdentifier({ algorithm: oid });
  if (nullParams) id.parameters = new Uint8Array([0x05, 0x00]).buffer;
  cert.tbsCertificate.signature = id;
  cert.signatureAlgorithm = id;
  if (subjectKey) {
    const spki = (subjectKey.type === 'public' ? subjectKey : createPublicKey(subjectKey)).export({ type: 'spki', format: 'der' });
    cert.tbsCertificate.subjectPublicKeyInfo = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  }
  const tbs = Buffer.from(AsnConvert.serialize(cert.tbsCertificate));
  cert.signatureValue = new Uint8Array(sign(hash, tbs, issuerKey)).buffer;
  const out = Buffer.from(AsnConvert.serialize(cert)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${out.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}
