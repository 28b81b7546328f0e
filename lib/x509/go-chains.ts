import type { IssuedCert } from '../pki/issue.js';
import { goFacts } from './go-facts.js';
import { checkNameConstraints } from './go-name-constraints.js';
import { checkSignatureFrom, type SignatureError } from './go-signature.js';

/**
 * Go's Certificate.buildChains and isValid (crypto/x509/verify.go), step for step: parents are found
 * by the raw issuer bytes, key-id matches first; each candidate's signature is checked (a failure
 * becomes the "possibly because of" hint), then the candidate itself (critical extensions, dates,
 * name constraints, CA flag, path length) — and that error, unlike a signature's, is returned bare
 * when no chain is found. Every chain is built, as Go builds them, so the key usage check can look
 * at all of them.
 */
export type CertType = 'leaf' | 'intermediate' | 'root';

/** The verdict-level reason of a failed verification (lib/verdict maps it to a Reason). */
export type GoVerifyFailure = 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'SAN_MISMATCH' | 'UNKNOWN_AUTHORITY' | 'NOT_A_CA' | 'WRONG_EKU';

/** One of Go's errors: the reason it maps to, its text, and the Go error value it is. */
export interface GoError {
  reason: GoVerifyFailure;
  error: string;
  goError: GoErrorKind;
  hint?: { candidate: IssuedCert; error: string; reason: GoVerifyFailure | 'BAD_SIGNATURE' };
  /** The CA whose own check (isValid) failed, when the error is a CA's rather than the leaf's. */
  culprit?: IssuedCert;
}

/** Go's error value: the type, or CertificateInvalidError's InvalidReason. */
export type GoErrorKind =
  | 'Expired' | 'UnhandledCriticalExtension' | 'NotAuthorizedToSign' | 'TooManyIntermediates' | 'CANotAuthorizedForThisName'
  | 'UnknownAuthorityError' | 'HostnameError' | 'IncompatibleUsage' | 'SignatureCheckLimit' | 'Malformed';

/** Go's time.RFC3339 in UTC, as in "current time … is after …". */
export function goTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// A certificate's validity window, read from node's strings once per certificate object.
const windows = new WeakMap<IssuedCert, { notBefore: Date; notAfter: Date }>();

export function dates(cert: IssuedCert, now: Date): GoError | null {
  let window = windows.get(cert);
  if (!window) windows.set(cert, (window = { notBefore: new Date(cert.node.validFrom), notAfter: new Date(cert.node.validTo) }));
  const { notBefore, notAfter } = window;
  const prefix = 'x509: certificate has expired or is not yet valid: current time';
  if (now < notBefore) return { reason: 'CERT_NOT_YET_VALID', goError: 'Expired', error: `${prefix} ${goTime(now)} is before ${goTime(notBefore)}` };
  if (now > notAfter) return { reason: 'CERT_EXPIRED', goError: 'Expired', error: `${prefix} ${goTime(now)} is after ${goTime(notAfter)}` };
  return null;
}

/** Go's Certificate.isValid for `cert` about to join `chain` as `type`. */
export function isValid(cert: IssuedCert, type: CertType, chain: readonly IssuedCert[], now: Date): GoError | null {
  const facts = goFacts(cert);
  if (facts.malformed) return { reason: 'UNKNOWN_AUTHORITY', goError: 'Malformed', error: facts.malformed };
  if (facts.unhandledCritical) return { reason: 'UNKNOWN_AUTHORITY', goError: 'UnhandledCriticalExtension', error: 'x509: unhandled critical extension' };
  const child = chain.at(-1);
  if (child && !goFacts(child).rawIssuer.equals(facts.rawSubject)) {
    return { reason: 'UNKNOWN_AUTHORITY', goError: 'UnknownAuthorityError', error: 'x509: issuer name does not match subject from issuing certificate' };
  }
  const expired = dates(cert, now);
  if (expired) return expired;
  if (type !== 'leaf' && facts.nameConstraints) {
    const error = checkNameConstraints(facts, goFacts(chain[0]!));
    if (error) return { reason: 'NOT_A_CA', goError: 'CANotAuthorizedForThisName', error };
  }
  if (type === 'intermediate' && (!facts.basicConstraintsValid || !facts.isCA)) {
    return { reason: 'NOT_A_CA', goError: 'NotAuthorizedToSign', error: 'x509: certificate is not authorized to sign other certificates' };
  }
  if (facts.basicConstraintsValid && facts.maxPathLen >= 0 && chain.length - 1 > facts.maxPathLen) {
    return { reason: 'NOT_A_CA', goError: 'TooManyIntermediates', error: 'x509: too many intermediates for path length constraint' };
  }
  return null;
}

/** CertPool.findPotentialParents: same raw subject as the issuer, key-id matches first, then one side without, then mismatches. */
function potentialParents(pool: readonly IssuedCert[], cert: IssuedCert): IssuedCert[] {
  const issuer = goFacts(cert).rawIssuer;
  const akid = cert.authorityKeyIdHex;
  const ranked: IssuedCert[][] = [[], [], []];
  for (const candidate of pool) {
    if (!goFacts(candidate).rawSubject.equals(issuer)) continue;
    const skid = candidate.subjectKeyIdHex;
    ranked[skid === akid ? 0 : !skid !== !akid ? 1 : 2]!.push(candidate);
  }
  return ranked.flat();
}

/** alreadyInChain: the same subject, key and SAN extension as a certificate of the chain (stops cross-signing loops). */
function alreadyInChain(candidate: IssuedCert, chain: readonly IssuedCert[]): boolean {
  const c = goFacts(candidate);
  return chain.some((x) => {
    const f = goFacts(x);
    if (!f.rawSubject.equals(c.rawSubject) || !f.rawSpki.equals(c.rawSpki)) return false;
    return !f.san && !c.san ? true : !!f.san && !!c.san && f.san.equals(c.san);
  });
}

export interface ChainContext {
  roots: readonly IssuedCert[];
  intermediates: readonly IssuedCert[];
  now: Date;
  sigChecks: number;
}

export function buildChains(cert: IssuedCert, chain: IssuedCert[], ctx: ChainContext): { chains: IssuedCert[][]; err: GoError | null } {
  const chains: IssuedCert[][] = [];
  let err: GoError | null = null;
  let hint: { candidate: IssuedCert } & SignatureError | undefined;
  const consider = (type: CertType, candidate: IssuedCert) => {
    if (alreadyInChain(candidate, chain)) return;
    if (++ctx.sigChecks > 100) {
      err = { reason: 'UNKNOWN_AUTHORITY', goError: 'SignatureCheckLimit', error: 'x509: signature check attempts limit reached while verifying certificate chain' };
      return;
    }
    const signature = checkSignatureFrom(cert, candidate);
    if (signature) {
      hint ??= { candidate, ...signature };
      return;
    }
    err = isValid(candidate, type, chain, ctx.now);
    if (err) {
      err = { ...err, culprit: candidate };
      return;
    }
    if (type === 'root') chains.push([...chain, candidate]);
    else {
      const below = buildChains(candidate, [...chain, candidate], ctx);
      err = below.err;
      chains.push(...below.chains);
    }
  };
  for (const root of potentialParents(ctx.roots, cert)) consider('root', root);
  for (const intermediate of potentialParents(ctx.intermediates, cert)) consider('intermediate', intermediate);
  if (chains.length > 0) return { chains, err: null };
  return { chains, err: err ?? unknownAuthority(hint) };
}

function unknownAuthority(hint: ({ candidate: IssuedCert } & SignatureError) | undefined): GoError {
  const base: GoError = { reason: 'UNKNOWN_AUTHORITY', goError: 'UnknownAuthorityError', error: 'x509: certificate signed by unknown authority' };
  if (!hint) return base;
  return { ...base, reason: hint.reason === 'NOT_A_CA' ? 'NOT_A_CA' : 'UNKNOWN_AUTHORITY', hint };
}
