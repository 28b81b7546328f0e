import type { IssuedCert } from './issue.js';
import { derElements } from './der.js';

export interface VerifyResult {
  ok: boolean;
  /** OpenSSL's verify code names where one applies (`CERT_HAS_EXPIRED`, …), plus `UNKNOWN_AUTHORITY`. */
  reason: 'OK' | 'UNKNOWN_AUTHORITY' | 'CERT_HAS_EXPIRED' | 'CERT_NOT_YET_VALID' | 'INVALID_CA' | 'SELF_SIGNED' | 'BAD_SIGNATURE';
  detail: string;
  /** On success, the anchor the chain ended at (which certificate of a CA bundle). */
  anchor?: IssuedCert;
}

/**
 * CN and O values of a certificate's subject. node:crypto prints one RDN a line, the values of a
 * multi-valued RDN (Go puts all O values in one) joined by " + ", with RFC 2253 escapes.
 */
export function subjectFields(cert: Pick<IssuedCert, 'node'>): { cn: string; o: string[] } {
  return nameFields(cert.node.subject);
}

export function nameFields(name: string): { cn: string; o: string[] } {
  const attributes = name.split('\n').flatMap((line) => line.split(/(?<!\\) \+ /));
  const values = (key: string) => attributes.filter((a) => a.startsWith(`${key}=`)).map((a) => a.slice(key.length + 1).replace(/\\(.)/g, '$1'));
  return { cn: values('CN').at(-1) ?? '', o: values('O') };
}

/**
 * Whether OpenSSL's X509_check_ca lets the certificate sign: a v3 CA (node:crypto's `ca`), or a
 * self-signed version 1 certificate — no extensions at all, as `openssl x509 -req` makes a root —
 * which OpenSSL (and Go, for a root) treats as a CA although node's `ca` says false.
 */
export function actsAsCa(cert: IssuedCert): boolean {
  if (cert.node.ca) return true;
  const version1 = derElements(derElements(cert.der)[0]!)[0]![0] !== 0xa0;
  return version1 && cert.node.checkIssued(cert.node) && cert.node.verify(cert.node.publicKey);
}

/**
 * Chain verification with OpenSSL's semantics, using node:crypto's OpenSSL-backed checks:
 * `checkIssued` (names, key identifiers, key usage), signature, CA flag, and every date against
 * the given time. Walks leaf → intermediates → one of the anchors.
 */
export function verifyAgainst(leaf: IssuedCert, intermediates: IssuedCert[], anchors: IssuedCert[], at: Date): VerifyResult {
  const path: IssuedCert[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    const anchor = anchors.find((a) => current.node.checkIssued(a.node) && current.node.verify(a.node.publicKey));
    if (anchor) {
      path.push(anchor);
      break;
    }
    const next = intermediates.find((i) => i !== current && current.node.checkIssued(i.node) && current.node.verify(i.node.publicKey));
    if (!next) {
      if (path.length === 1 && current.node.subject === current.node.issuer && current.node.verify(current.node.publicKey)) {
        return { ok: false, reason: 'SELF_SIGNED', detail: 'self-signed, and not one of the trusted CAs' };
      }
      const signer = [...intermediates, ...anchors].find((c) => c !== current && current.node.verify(c.node.publicKey));
      if (signer && !actsAsCa(signer)) {
        return { ok: false, reason: 'INVALID_CA', detail: `"${signer.node.subject.replace(/\n/g, ', ')}" signed it but is not a CA (CA:FALSE)` };
      }
      const sameName = anchors.find((a) => a.node.subject === current.node.issuer);
      return sameName
        ? { ok: false, reason: 'BAD_SIGNATURE', detail: `issuer is named "${current.node.issuer.replace(/\n/g, ', ')}" like the trusted CA, but that CA's key did not sign it` }
        : { ok: false, reason: 'UNKNOWN_AUTHORITY', detail: `issuer "${current.node.issuer.replace(/\n/g, ', ')}" is not a trusted CA${intermediates.length === 0 && depth === 0 ? ' (and no intermediate was sent)' : ''}` };
    }
    path.push(next);
    current = next;
  }
  for (const [i, cert] of path.entries()) {
    if (i > 0 && !actsAsCa(cert)) return { ok: false, reason: 'INVALID_CA', detail: `"${cert.node.subject.replace(/\n/g, ', ')}" signed it but is not a CA (CA:FALSE)` };
    const from = new Date(cert.node.validFrom);
    const to = new Date(cert.node.validTo);
    const who = i === 0 ? 'certificate' : `issuer "${cert.node.subject.replace(/\n/g, ', ')}"`;
    if (at < from) return { ok: false, reason: 'CERT_NOT_YET_VALID', detail: `${who} is not valid before ${from.toISOString()}` };
    if (at > to) return { ok: false, reason: 'CERT_HAS_EXPIRED', detail: `${who} expired at ${to.toISOString()}` };
  }
  return { ok: true, reason: 'OK', detail: `verified against "${path.at(-1)!.node.subject.replace(/\n/g, ', ')}"`, anchor: path.at(-1)! };
}
