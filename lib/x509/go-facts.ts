import type { IssuedCert } from '../pki/issue.js';
import { derElements } from '../pki/der.js';
import { goParseError } from './go-parse.js';
import { pssAlgorithm, RSA_PSS } from './go-pss.js';

/**
 * What Go's x509.ParseCertificate keeps of a certificate that chain building reads and node:crypto
 * does not offer: the raw subject and issuer bytes (Go matches names byte for byte, so a UTF8String
 * issuer never finds a PrintableString subject), basicConstraints with the path length, the
 * critical extensions Go does not handle, name constraints, the SAN extension as bytes, and the
 * signature algorithm. Read once per certificate from its DER.
 */
export interface GoFacts {
  version: number;
  rawSubject: Buffer;
  rawIssuer: Buffer;
  rawSpki: Buffer;
  basicConstraintsValid: boolean;
  isCA: boolean;
  /** -1 when absent, as Go has it. */
  maxPathLen: number;
  unhandledCritical: boolean;
  /** The SAN extension's value, or undefined when there is none. */
  san: Buffer | undefined;
  nameConstraints: NameConstraints | undefined;
  signature: SignatureAlgorithm;
  /**
   * Go's parse error when an extension Go reads does not decode (Go refuses the whole certificate in
   * x509.ParseCertificate); OpenSSL loaded it, so the verdict says Go would not have.
   */
  malformed?: string;
}

export interface NameConstraints {
  permittedDNS: string[];
  excludedDNS: string[];
  permittedIP: Buffer[];
  excludedIP: Buffer[];
  /** rfc822Name constraints: a mailbox (`a@b`), a host (`b`) or a domain's hosts (`.b`). */
  permittedEmail: string[];
  excludedEmail: string[];
  /** URI constraints: the host a URI must (or must not) name, `.b` for b's subdomains. */
  permittedURI: string[];
  excludedURI: string[];
}

export interface SignatureAlgorithm {
  /** Go's SignatureAlgorithm.String(), e.g. `ECDSA-SHA256`. */
  name: string;
  /** Go's PublicKeyAlgorithm.String() the algorithm needs. */
  publicKey: 'RSA' | 'ECDSA' | 'Ed25519' | 'DSA' | '';
  hash: 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'none' | '';
}

// Signature algorithm OIDs (content bytes, hex) as Go's signatureAlgorithmDetails name them.
const SIGNATURES: Record<string, SignatureAlgorithm> = {
  '2a864886f70d010104': { name: 'MD5-RSA', publicKey: 'RSA', hash: 'md5' },
  '2a864886f70d010105': { name: 'SHA1-RSA', publicKey: 'RSA', hash: 'sha1' },
  '2a864886f70d01010b': { name: 'SHA256-RSA', publicKey: 'RSA', hash: 'sha256' },
  '2a864886f70d01010c': { name: 'SHA384-RSA', publicKey: 'RSA', hash: 'sha384' },
  '2a864886f70d01010d': { name: 'SHA512-RSA', publicKey: 'RSA', hash: 'sha512' },
  '2a8648ce380403': { name: 'DSA-SHA1', publicKey: 'DSA', hash: 'sha1' },
  '608648016503040302': { name: 'DSA-SHA256', publicKey: 'DSA', hash: 'sha256' },
  '2a8648ce3d0401': { name: 'ECDSA-SHA1', publicKey: 'ECDSA', hash: 'sha1' },
  '2a8648ce3d040302': { name: 'ECDSA-SHA256', publicKey: 'ECDSA', hash: 'sha256' },
  '2a8648ce3d040303': { name: 'ECDSA-SHA384', publicKey: 'ECDSA', hash: 'sha384' },
  '2a8648ce3d040304': { name: 'ECDSA-SHA512', publicKey: 'ECDSA', hash: 'sha512' },
  '2b6570': { name: 'Ed25519', publicKey: 'Ed25519', hash: 'none' },
};
const UNKNOWN_SIGNATURE: SignatureAlgorithm = { name: '0', publicKey: '', hash: '' };

function signatureAlgorithm(identifier: Buffer): SignatureAlgorithm {
  const [oid, params] = derElements(identifier);
  const id = content(oid!).toString('hex');
  if (id === RSA_PSS) return pssAlgorithm(params) ?? UNKNOWN_SIGNATURE;
  // Ed25519 takes no parameters (RFC 8410); Go reads one with parameters as an unknown algorithm.
  if (id === '2b6570' && params) return UNKNOWN_SIGNATURE;
  return SIGNATURES[id] ?? UNKNOWN_SIGNATURE;
}

/** The content bytes of one DER element (its header skipped). */
function content(element: Buffer): Buffer {
  const first = element[1]!;
  return element.subarray(first < 0x80 ? 2 : 2 + (first & 0x7f));
}

// The id-ce extensions Go's parser handles (2.5.29.n); a critical one of any other OID is "unhandled".
const HANDLED_CE = new Set([14, 15, 17, 19, 30, 31, 32, 35, 37]);
const AIA = '2b06010505070101';

const cache = new WeakMap<IssuedCert, GoFacts>();

export function goFacts(cert: IssuedCert): GoFacts {
  let facts = cache.get(cert);
  if (!facts) cache.set(cert, (facts = read(cert.der)));
  return facts;
}

function read(der: Buffer): GoFacts {
  const [tbsDer, algorithm] = derElements(der);
  const tbs = derElements(tbsDer!);
  const v3 = tbs[0]![0] === 0xa0;
  const at = v3 ? 1 : 0;
  const facts: GoFacts = {
    version: v3 ? content(content(tbs[0]!))[0]! + 1 : 1,
    rawIssuer: tbs[at + 2]!, rawSubject: tbs[at + 4]!, rawSpki: tbs[at + 5]!,
    basicConstraintsValid: false, isCA: false, maxPathLen: -1, unhandledCritical: false, san: undefined, nameConstraints: undefined,
    signature: signatureAlgorithm(algorithm!),
  };
  const extensions = tbs.slice(at + 6).find((e) => e[0] === 0xa3);
  try {
    if (extensions) for (const extension of derElements(content(extensions))) readExtension(facts, derElements(extension));
  } catch {
    facts.malformed = 'x509: malformed extension';
  }
  // What Go's parser refuses outright (go-parse.ts) comes first: Go would not have read further.
  const refused = goParseError(der);
  if (refused) facts.malformed = refused;
  return facts;
}

function readExtension(facts: GoFacts, fields: Buffer[]): void {
  const oid = content(fields[0]!).toString('hex');
  const critical = fields.length === 3 && content(fields[1]!)[0] !== 0;
  const value = content(fields[fields.length - 1]!);
  let handled = true;
  if (oid.length === 6 && oid.startsWith('551d')) {
    const n = parseInt(oid.slice(4), 16);
    handled = HANDLED_CE.has(n);
    if (n === 19) readBasicConstraints(facts, value);
    if (n === 17) facts.san = value;
    if (n === 30) handled = readNameConstraints(facts, value);
  } else if (oid !== AIA) {
    handled = false;
  }
  if (critical && !handled) facts.unhandledCritical = true;
}

function readBasicConstraints(facts: GoFacts, value: Buffer): void {
  facts.basicConstraintsValid = true;
  for (const field of derElements(value)) {
    if (field[0] === 0x01) facts.isCA = content(field)[0] !== 0;
    if (field[0] === 0x02) facts.maxPathLen = content(field).reduce((n, b) => n * 256 + b, 0);
  }
}

/** Go handles DNS, IP, email and URI constraints; a constraint of any other type makes the extension unhandled. */
function readNameConstraints(facts: GoFacts, value: Buffer): boolean {
  const nc: NameConstraints = { permittedDNS: [], excludedDNS: [], permittedIP: [], excludedIP: [], permittedEmail: [], excludedEmail: [], permittedURI: [], excludedURI: [] };
  let handled = true;
  for (const subtrees of derElements(value)) {
    const permitted = subtrees[0] === 0xa0;
    for (const subtree of derElements(Buffer.concat([Buffer.from([0x30]), subtrees.subarray(1)]))) {
      const base = derElements(subtree)[0]!;
      const tag = base[0]! & 0x1f;
      if (tag === 2) (permitted ? nc.permittedDNS : nc.excludedDNS).push(content(base).toString('latin1'));
      else if (tag === 7) (permitted ? nc.permittedIP : nc.excludedIP).push(Buffer.from(content(base)));
      else if (tag === 1) (permitted ? nc.permittedEmail : nc.excludedEmail).push(content(base).toString('latin1'));
      else if (tag === 6) (permitted ? nc.permittedURI : nc.excludedURI).push(content(base).toString('latin1'));
      else handled = false;
    }
  }
  facts.nameConstraints = nc;
  return handled;
}
