import type { IssuedCert } from '../pki/issue.js';
import { KEY_CERT_SIGN } from '../pki/der-extensions.js';
import { formatIP, isIP, sameIP } from '../util/ip.js';

/**
 * Certificate verification with Go crypto/x509's semantics and wording, which is what every
 * Kubernetes component (and etcd) runs: the leaf's dates first, then the dialled name, then chain
 * building against the roots (hints for candidates that almost fit), then the extended key usage.
 * The checks themselves are OpenSSL's (node:crypto `verify`, dates, flags); the order and the
 * messages are Go's, so a verdict reads the way the real component logs it.
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

export type GoVerifyFailure = 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'SAN_MISMATCH' | 'UNKNOWN_AUTHORITY' | 'NOT_A_CA' | 'WRONG_EKU';

export type GoVerifyResult =
  | { ok: true; chain: IssuedCert[] }
  | {
      ok: false;
      reason: GoVerifyFailure;
      /** Go's error text, e.g. `x509: certificate signed by unknown authority`. */
      error: string;
      /** The candidate issuer that almost fitted, and why not (Go's "possibly because of" hint). */
      hint?: GoVerifyHint;
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

/** Go's time.RFC3339 in UTC, as in "current time … is after …". */
export function goTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function validity(cert: IssuedCert, now: Date): { reason: GoVerifyFailure; error: string } | null {
  const notBefore = new Date(cert.node.validFrom);
  const notAfter = new Date(cert.node.validTo);
  if (now < notBefore) return { reason: 'CERT_NOT_YET_VALID', error: `x509: certificate has expired or is not yet valid: current time ${goTime(now)} is before ${goTime(notBefore)}` };
  if (now > notAfter) return { reason: 'CERT_EXPIRED', error: `x509: certificate has expired or is not yet valid: current time ${goTime(now)} is after ${goTime(notAfter)}` };
  return null;
}

/** The SAN lists Go reads (DNSNames and IPAddresses). */
export function sanLists(cert: IssuedCert): { dns: string[]; ips: string[] } {
  const san = cert.node.subjectAltName ?? '';
  const entries = san ? san.split(', ') : [];
  return {
    dns: entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4)),
    ips: entries.filter((e) => e.startsWith('IP Address:')).map((e) => formatIP(e.slice(11))),
  };
}

/** Go's Certificate.VerifyHostname and HostnameError wording. */
export function verifyHostname(cert: IssuedCert, host: string): { reason: 'SAN_MISMATCH'; error: string } | null {
  const { dns, ips } = sanLists(cert);
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (isIP(host)) {
    if (ips.some((ip) => sameIP(ip, host))) return null;
  } else if (dns.some((name) => matchHostname(name.toLowerCase(), lower))) {
    return null;
  }
  // HostnameError.Error(): the legacy Common Name comes first, for an IP host too.
  const cn = cert.node.subject.split('\n').filter((l) => l.startsWith('CN=')).at(-1)?.slice(3) ?? '';
  if (!cert.node.subjectAltName && matchHostname(cn.toLowerCase(), lower)) {
    return { reason: 'SAN_MISMATCH', error: 'x509: certificate relies on legacy Common Name field, use SANs instead' };
  }
  if (isIP(host)) {
    if (ips.length === 0) return { reason: 'SAN_MISMATCH', error: `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs` };
    return { reason: 'SAN_MISMATCH', error: `x509: certificate is valid for ${ips.join(', ')}, not ${host}` };
  }
  if (dns.length === 0) return { reason: 'SAN_MISMATCH', error: `x509: certificate is not valid for any names, but wanted to match ${host}` };
  return { reason: 'SAN_MISMATCH', error: `x509: certificate is valid for ${dns.join(', ')}, not ${host}` };
}

function matchHostname(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const rest = host.slice(host.indexOf('.') + 1);
  return host.includes('.') && pattern.slice(2) === rest;
}

function keyUsageAllowsCertSign(cert: IssuedCert): boolean {
  const bits = cert.keyUsageBits;
  return bits === undefined || (bits & KEY_CERT_SIGN) !== 0;
}

/** Go's BasicConstraintsValid && IsCA (node:crypto reads basicConstraints). */
function basicConstraintsCa(cert: IssuedCert): boolean {
  return cert.node.ca;
}

/** Go's CheckSignatureFrom: the parent must be a CA allowed to sign, and its key must verify the signature. */
function checkSignatureFrom(cert: IssuedCert, parent: IssuedCert): { reason: 'NOT_A_CA' | 'BAD_SIGNATURE'; error: string } | null {
  if (!basicConstraintsCa(parent) || !keyUsageAllowsCertSign(parent)) {
    return { reason: 'NOT_A_CA', error: 'x509: invalid signature: parent certificate cannot sign this kind of certificate' };
  }
  const insecure = insecureAlgorithm(cert);
  if (insecure) return { reason: 'BAD_SIGNATURE', error: insecure };
  if (!signedBy(cert, parent)) {
    return { reason: 'BAD_SIGNATURE', error: parent.node.publicKey.asymmetricKeyType === 'rsa' ? 'crypto/rsa: verification error' : 'x509: ECDSA verification failure' };
  }
  return null;
}

/**
 * Whether `parent`'s key verifies `cert`'s signature: a fact of the two certificates, remembered per
 * pair (every client of a server checks the same serving certificate against the same CA).
 */
const signatures = new WeakMap<IssuedCert, WeakMap<IssuedCert, boolean>>();
function signedBy(cert: IssuedCert, parent: IssuedCert): boolean {
  let byParent = signatures.get(cert);
  if (!byParent) signatures.set(cert, (byParent = new WeakMap()));
  let verified = byParent.get(parent);
  if (verified === undefined) byParent.set(parent, (verified = cert.node.verify(parent.node.publicKey)));
  return verified;
}

// Signature algorithm OIDs, DER-encoded, that Go (since 1.18) refuses to verify: InsecureAlgorithmError.
const INSECURE: ReadonlyArray<[Buffer, string]> = [
  [Buffer.from('06092a864886f70d010105', 'hex'), 'SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)'],
  [Buffer.from('06072a8648ce3d0401', 'hex'), 'ECDSA-SHA1 (temporarily override with GODEBUG=x509sha1=1)'],
  [Buffer.from('06092a864886f70d010104', 'hex'), 'MD5-RSA'],
];

/** The Go 1.23 wording (Kubernetes 1.32 is built with it) for a certificate signed with SHA-1 or MD5. */
function insecureAlgorithm(cert: IssuedCert): string | null {
  for (const [oid, name] of INSECURE) if (cert.der.includes(oid)) return `x509: cannot verify signature: insecure algorithm ${name}`;
  return null;
}

function commonName(cert: IssuedCert): string {
  const lines = cert.node.subject.split('\n');
  const cn = lines.filter((l) => l.startsWith('CN=')).at(-1)?.slice(3);
  if (cn) return cn;
  const o = lines.find((l) => l.startsWith('O='))?.slice(2);
  return o ?? `serial:${BigInt(`0x${cert.node.serialNumber}`).toString()}`;
}

export function goVerify(leaf: IssuedCert, options: GoVerifyOptions): GoVerifyResult {
  const { roots, now } = options;
  const intermediates = options.intermediates ?? [];
  const leafDates = validity(leaf, now);
  if (leafDates) return { ok: false, ...leafDates };
  if (options.host !== undefined) {
    const name = verifyHostname(leaf, options.host);
    if (name) return { ok: false, ...name };
  }
  let hint: { candidate: IssuedCert; error: string; reason: GoVerifyFailure | 'BAD_SIGNATURE' } | undefined;
  const isRoot = (c: IssuedCert) => roots.some((r) => r.fingerprint === c.fingerprint);

  const build = (cert: IssuedCert, chain: IssuedCert[]): IssuedCert[] | null => {
    if (chain.length > 8) return null;
    // Roots first, then intermediates; within each pool, Go's findPotentialParents order: key id match,
    // then one side without a key id, then mismatching key ids.
    const rank = (c: IssuedCert) => {
      const skid = c.subjectKeyIdHex;
      const akid = cert.authorityKeyIdHex;
      return skid === akid ? 0 : !skid !== !akid ? 1 : 2;
    };
    const parents = (pool: readonly IssuedCert[]) => pool
      .filter((c) => c.node.subject === cert.node.issuer && !chain.some((x) => x.fingerprint === c.fingerprint))
      .map((c, i) => ({ c, i, r: rank(c) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.c);
    const candidates = [...parents(roots), ...parents(intermediates)];
    for (const candidate of candidates) {
      const signature = checkSignatureFrom(cert, candidate);
      if (signature) {
        hint ??= { candidate, ...signature };
        continue;
      }
      const dates = validity(candidate, now);
      if (dates) {
        hint ??= { candidate, ...dates };
        continue;
      }
      if (isRoot(candidate)) return [...chain, candidate];
      const longer = build(candidate, [...chain, candidate]);
      if (longer) return longer;
    }
    return null;
  };

  const chain = isRoot(leaf) ? [leaf] : build(leaf, [leaf]);
  if (!chain) {
    const base = 'x509: certificate signed by unknown authority';
    if (!hint) return { ok: false, reason: 'UNKNOWN_AUTHORITY', error: base };
    const reason: GoVerifyFailure = hint.reason === 'NOT_A_CA' ? 'NOT_A_CA' : 'UNKNOWN_AUTHORITY';
    const named: GoVerifyHint = { ...hint, name: commonName(hint.candidate) };
    return {
      ok: false, reason, hint: named,
      error: `${base} (possibly because of ${JSON.stringify(named.error)} while trying to verify candidate authority certificate ${JSON.stringify(named.name)})`,
    };
  }
  const wanted = options.keyUsages.length === 0 ? ['serverAuth' as const] : options.keyUsages;
  if (!wanted.includes('any')) {
    const fits = chain.every((cert) => {
      const ekus = cert.node.keyUsage;
      if (!ekus || ekus.length === 0 || ekus.includes(EKU_OIDS.any)) return true;
      return wanted.some((u) => ekus.includes(EKU_OIDS[u]));
    });
    if (!fits) return { ok: false, reason: 'WRONG_EKU', error: 'x509: certificate specifies an incompatible key usage' };
  }
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
