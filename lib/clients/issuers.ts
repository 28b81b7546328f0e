import type { Pki } from '../layout/generate.js';
import type { IssuedCert } from '../pki/issue.js';
import type { IssuerOf } from '../verdict/observation.js';

/**
 * The certificate that really signed each certificate of a generated PKI, by fingerprint: what the
 * cluster knows and a verifier does not, so a result can say that a chain lacks its intermediate.
 */
export function pkiIssuers(pki: Pki): IssuerOf {
  const byFingerprint = new Map<string, IssuedCert>();
  for (const { cert, issuer } of pki.certs.values()) byFingerprint.set(cert.fingerprint, issuer);
  return (cert) => byFingerprint.get(cert.fingerprint);
}
