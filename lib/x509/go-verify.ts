import type { IssuedCert } from '../pki/issue.js';
import { buildChains, isValid, type GoError, type GoErrorKind, type GoVerifyFailure } from './go-chains.js';
import { verifyHostname } from './go-hostname.js';
import { goFacts } from './go-facts.js';

export { goTime, type GoErrorKind, type GoVerifyFailure } from './go-chains.js';
export { sanLists, verifyHostname } from './go-hostname.js';

/**
 * Certificate verification with Go crypto/x509's semantics and wording, which is what every
 * Kubernetes component (and etcd) runs: the leaf itself first, then the dialled name, then chain
 * building against the roots (go-chains.ts: raw names, key ids, constraints, hints for candidates
 * whose signature does not fit), then the extended key usage over every chain. Signatures are
 * OpenSSL's (node:crypto `verify`); the order, the constraints and the messages are Go's, checked
 * against Go itself by test/go-diff.test.ts.
 */

export type GoKeyUsage = 'serverAuth' | 'clientAuth' | 'any';

export interface GoVerifyOptions {
  /** Trust anchors (a CA bundle file may hold several, e.g. during CA rotation). */
  roots: readonly IssuedCert[];
  /** Certificates the peer sent after its leaf. */
  intermediates?: readonly IssuedCert[];
  now: Date;
  /** Required extended key usages; Go's default (empty) means serverAuth. */
  keyUsages: readonly GoKeyUsage[];
  /** The name or IP the client dialled (server verification only). */
  host?: string;
}


export type GoVerifyResult =
  | { ok: true; chain: IssuedCert[] }
  | {
      ok: false;
      reason: GoVerifyFailure;
      /** Go's error text, e.g. `x509: certificate signed by unknown authority`. */
      error: string;
      /** The candidate issuer that almost fitted, and why not (Go's "possibly because of" hint). */
      hint?: GoVerifyHint;
      /** Which of Go's errors this is (its type, or CertificateInvalidError's reason), finer than `reason`. */
      goError?: GoErrorKind;
    };

/** A failed verification, as data: the reason, Go's error text, and its hint. */
export type GoVerification = Extract<GoVerifyResult, { ok: false }>;

/** Go's "possibly because of" hint as data: the candidate, its name as Go prints it, and why it did not fit. */
export interface GoVerifyHint {
  candidate: IssuedCert;
  /** The candidate's name in Go's message: its CN, else its O, else its serial. */
  name: string;
  error: string;
  reason: GoVerifyFailure | 'BAD_SIGNATURE';
}

const EKU_OIDS: Record<GoKeyUsage, string> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2', any: '2.5.29.37.0' };

function commonName(cert: IssuedCert): string {
  const lines = cert.node.subject.split('\n');
  const cn = lines.filter((l) => l.startsWith('CN=')).at(-1)?.slice(3);
  if (cn) return cn;
  const o = lines.find((l) => l.startsWith('O='))?.slice(2);
  return o ?? `serial:${BigInt(`0x${cert.node.serialNumber}`).toString()}`;
}

/** Go's checkChainForKeyUsage: walking down from the root, each certificate with an EKU crosses out the usages it lacks. */
function chainAllows(chain: readonly IssuedCert[], wanted: readonly GoKeyUsage[]): boolean {
  let remaining = wanted.map((u) => EKU_OIDS[u]);
  for (let i = chain.length - 1; i >= 0; i--) {
    const ekus = chain[i]!.node.keyUsage;
    if (!ekus || ekus.length === 0 || ekus.includes(EKU_OIDS.any)) continue;
    remaining = remaining.filter((oid) => ekus.includes(oid));
    if (remaining.length === 0) return false;
  }
  return true;
}

function failure(e: GoError): GoVerifyResult {
  if (e.culprit && e.goError === 'Expired') {
    // A CA out of its dates: Go's text is the bare validity error; as data, the verdict keeps what it
    // always read — the chain reaches no valid trusted CA (UNKNOWN_AUTHORITY), and which CA and why.
    const hint: GoVerifyHint = { candidate: e.culprit, name: commonName(e.culprit), error: e.error, reason: e.reason };
    return { ok: false, reason: 'UNKNOWN_AUTHORITY', error: e.error, hint, goError: e.goError };
  }
  if (!e.hint) return { ok: false, reason: e.reason, error: e.error, goError: e.goError };
  const hint: GoVerifyHint = { ...e.hint, name: commonName(e.hint.candidate) };
  return {
    ok: false, reason: e.reason, hint, goError: e.goError,
    error: `${e.error} (possibly because of ${JSON.stringify(hint.error)} while trying to verify candidate authority certificate ${JSON.stringify(hint.name)})`,
  };
}

const unique = (pool: readonly IssuedCert[]) => (pool.length < 2 ? pool : pool.filter((c, i) => pool.findIndex((x) => x.der.equals(c.der)) === i));

/** Go's Certificate.Verify: the leaf itself, the dialled name, every chain to a root, then the key usages over all chains. */
export function goVerify(leaf: IssuedCert, options: GoVerifyOptions): GoVerifyResult {
  const { now } = options;
  // Go parses every certificate before it verifies anything (the peer's as they arrive, the roots
  // as the CA file is read): one it cannot parse ends the verification with the parser's error.
  for (const cert of [leaf, ...(options.intermediates ?? []), ...options.roots]) {
    const malformed = goFacts(cert).malformed;
    if (malformed) return { ok: false, reason: 'UNKNOWN_AUTHORITY', error: malformed, goError: 'Malformed' };
  }
  const roots = unique(options.roots);
  const leafError = isValid(leaf, 'leaf', [], now);
  if (leafError) return failure(leafError);
  if (options.host !== undefined && options.host !== '') {
    const name = verifyHostname(leaf, options.host);
    if (name) return { ok: false, ...name, goError: 'HostnameError' };
  }
  let chains: IssuedCert[][];
  if (roots.some((r) => r.der.equals(leaf.der))) chains = [[leaf]];
  else {
    const built = buildChains(leaf, [leaf], { roots, intermediates: unique(options.intermediates ?? []), now, sigChecks: 0 });
    if (built.err) return failure(built.err);
    chains = built.chains;
  }
  const wanted = options.keyUsages.length === 0 ? ['serverAuth' as const] : options.keyUsages;
  if (wanted.includes('any')) return { ok: true, chain: chains[0]! };
  const chain = chains.find((c) => chainAllows(c, wanted));
  if (!chain) return { ok: false, reason: 'WRONG_EKU', error: 'x509: certificate specifies an incompatible key usage', goError: 'IncompatibleUsage' };
  return { ok: true, chain };
}

/** k8s.io/apiserver's certificateIdentifier: `SN=<decimal>, SKID=<AA:BB…>, AKID=<AA:BB…>`. */
export function certificateIdentifier(cert: IssuedCert): string {
  const colonHex = (hex: string) => (hex ? hex.toUpperCase().match(/.{2}/g)!.join(':') : '');
  // Node prints a negative serial (which Go still parses) as "-7FD2…": BigInt wants the sign outside the 0x.
  const serial = cert.node.serialNumber;
  const sn = serial.startsWith('-') ? -BigInt(`0x${serial.slice(1)}`) : BigInt(`0x${serial}`);
  return `SN=${sn.toString()}, SKID=${colonHex(cert.subjectKeyIdHex)}, AKID=${colonHex(cert.authorityKeyIdHex)}`;
}
