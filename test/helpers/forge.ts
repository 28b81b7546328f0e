import { createHash, createPublicKey, constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { derSequence, derSet, derTag } from '../../lib/pki/der.js';
import { IssuedCert } from '../../lib/pki/issue.js';

/**
 * Certificates built field by field, for the differential corpus (test/go-diff.test.ts): the odd
 * shapes users bring from openssl, cfssl or a hand-made lab that lib/pki/issue.ts never writes —
 * UTF8String names, path lengths, unknown critical extensions, name constraints, SHA-1 signatures,
 * missing key identifiers or basicConstraints, Ed25519. Test-only: the library issues only what
 * kubeadm would.
 */

export type ForgeKeyType = 'p256' | 'p384' | 'rsa2048' | 'ed25519' | 'p192' | 'dsa';

export interface ForgeKey {
  type: ForgeKeyType;
  privateKey: KeyObject;
  spki: Buffer;
}

export function forgeKey(type: ForgeKeyType): ForgeKey {
  // P-192 and DSA: keys Go will not take (an unsupported curve at parse, DSA signatures at verification).
  const pair = type === 'rsa2048' ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : type === 'ed25519' ? generateKeyPairSync('ed25519')
      : type === 'dsa' ? generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 })
        : generateKeyPairSync('ec', { namedCurve: { p256: 'P-256', p384: 'P-384', p192: 'prime192v1' }[type] });
  return { type, privateKey: pair.privateKey, spki: createPublicKey(pair.privateKey).export({ type: 'spki', format: 'der' }) };
}

export type NameEncoding = 'printable' | 'utf8';

/** A Name with an O and a CN, each value in the string type asked for (Go writes PrintableString when it can). */
export function forgeName(cn: string, encoding: NameEncoding, o?: string): Buffer {
  const tag = encoding === 'printable' ? 0x13 : 0x0c;
  const rdn = (oid: string, value: string) => derSet([derSequence([oidDer(oid), derTag(tag, Buffer.from(value, 'utf8'))])]);
  return derSequence([...(o ? [rdn('2.5.4.10', o)] : []), ...(cn ? [rdn('2.5.4.3', cn)] : [])]);
}

export interface ForgeSpec {
  subject: Buffer;
  key: ForgeKey;
  /** The signer; absent: self-signed. `name` overrides the issuer field (e.g. the CA's name in another string type). */
  issuer?: { cert: Forged; key?: ForgeKey; name?: Buffer };
  notBefore: Date;
  notAfter: Date;
  /** undefined: no basicConstraints extension. */
  ca?: boolean;
  pathLen?: number;
  /** KeyUsage bits as Go numbers them (1 = digitalSignature, 32 = certSign); undefined: no extension. */
  keyUsage?: number;
  eku?: readonly ('serverAuth' | 'clientAuth' | 'any')[];
  dns?: readonly string[];
  ips?: readonly string[];
  emails?: readonly string[];
  uris?: readonly string[];
  /** Key identifiers (default: both, as Go writes them). */
  skid?: boolean;
  akid?: boolean;
  /** An extension nobody knows, marked critical. */
  unknownCritical?: boolean;
  /** DNS constraints; `email:…` and `uri:…` ones are rfc822Name and URI constraints. */
  nameConstraints?: { permitted?: readonly string[]; excluded?: readonly string[] };
  hash?: 'sha256' | 'sha384' | 'sha1';
  /** An RSASSA-PSS signature (RSA signers): its hash, salt length and the MGF1 hash the parameters claim (default: the hash). */
  pss?: { hash: PssHash; saltLength: number; mgfHash?: PssHash };
  /** A version 1 certificate: no version field, no extensions (a root made by `openssl x509 -req` without any). */
  v1?: boolean;
  /** An Ed25519 signature whose algorithm identifier carries NULL parameters (RFC 8410 says absent). */
  ed25519WithParams?: boolean;
  serial?: number;
  /** Shapes Go's parser refuses (go-parse.ts): a negative serial, a second SAN extension, a SAN IP of 5 bytes, an AIA that is no SEQUENCE. */
  negativeSerial?: boolean;
  duplicateSan?: boolean;
  malformedSan?: boolean;
  malformedAia?: boolean;
  /** A raw IP name constraint (address and mask), permitted. */
  ipConstraint?: Buffer;
}

export interface Forged {
  cert: IssuedCert;
  subject: Buffer;
  key: ForgeKey;
  skid: Buffer;
}

const EKU: Record<string, string> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2', any: '2.5.29.37.0' };

function oidDer(oid: string): Buffer {
  const [a, b, ...rest] = oid.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return derTag(0x06, Buffer.from(bytes));
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return date.getUTCFullYear() < 2050 ? derTag(0x17, Buffer.from(iso.slice(2))) : derTag(0x18, Buffer.from(iso));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return derSequence([oidDer(oid), ...(critical ? [Buffer.from('0101ff', 'hex')] : []), derTag(0x04, value)]);
}

function integer(n: number): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return derTag(0x02, Buffer.from(hex, 'hex'));
}

type PssHash = 'sha256' | 'sha384' | 'sha512';
const HASH_OIDS: Record<PssHash, string> = { sha256: '2.16.840.1.101.3.4.2.1', sha384: '2.16.840.1.101.3.4.2.2', sha512: '2.16.840.1.101.3.4.2.3' };

/** id-RSASSA-PSS with RSASSA-PSS-params: hash, MGF1 with its hash, salt length (the trailer field left at its default). */
function pssAlgorithm(pss: NonNullable<ForgeSpec['pss']>): Buffer {
  const hashId = (h: PssHash) => derSequence([oidDer(HASH_OIDS[h]), Buffer.from('0500', 'hex')]);
  return derSequence([oidDer('1.2.840.113549.1.1.10'), derSequence([
    derTag(0xa0, hashId(pss.hash)),
    derTag(0xa1, derSequence([oidDer('1.2.840.113549.1.1.8'), hashId(pss.mgfHash ?? pss.hash)])),
    derTag(0xa2, integer(pss.saltLength)),
  ])]);
}

function signatureAlgorithm(type: ForgeKeyType, hash: 'sha256' | 'sha384' | 'sha1'): Buffer {
  if (type === 'ed25519') return derSequence([oidDer('1.3.101.112')]);
  if (type === 'dsa') return derSequence([oidDer(hash === 'sha1' ? '1.2.840.10040.4.3' : '2.16.840.1.101.3.4.3.2')]);
  if (type === 'rsa2048') {
    const oid = { sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha1: '1.2.840.113549.1.1.5' }[hash];
    return derSequence([oidDer(oid), Buffer.from('0500', 'hex')]);
  }
  return derSequence([oidDer({ sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha1: '1.2.840.10045.4.1' }[hash])]);
}

function keyUsageDer(bits: number): Buffer {
  // Go's KeyUsage n is bit n-1 counted from the most significant bit of the first byte.
  let value = 0;
  for (let i = 0; i < 9; i++) if (bits & (1 << i)) value |= 1 << (15 - i);
  const bytes = Buffer.from([value >> 8, value & 0xff]);
  const used = bytes[1] === 0 ? bytes.subarray(0, 1) : bytes;
  let unused = 0;
  const last = used[used.length - 1]!;
  while (unused < 8 && !(last & (1 << unused))) unused++;
  return derTag(0x03, Buffer.concat([Buffer.from([last === 0 ? 0 : unused]), used]));
}

function extensions(s: ForgeSpec, skid: Buffer): Buffer[] {
  const out: Buffer[] = [];
  if (s.keyUsage !== undefined) out.push(extension('2.5.29.15', true, keyUsageDer(s.keyUsage)));
  if (s.ca !== undefined) {
    const fields = s.ca ? [Buffer.from('0101ff', 'hex'), ...(s.pathLen !== undefined ? [integer(s.pathLen)] : [])] : [];
    out.push(extension('2.5.29.19', true, derSequence(fields)));
  }
  if (s.eku) out.push(extension('2.5.29.37', false, derSequence(s.eku.map((u) => oidDer(EKU[u]!)))));
  if (s.skid ?? true) out.push(extension('2.5.29.14', false, derTag(0x04, skid)));
  if (s.issuer && (s.akid ?? true)) out.push(extension('2.5.29.35', false, derSequence([derTag(0x80, s.issuer.cert.skid)])));
  const names = [...(s.dns ?? []).map((d) => derTag(0x82, Buffer.from(d))), ...(s.ips ?? []).map((ip) => derTag(0x87, Buffer.from(ip.split('.').map(Number)))),
    ...(s.emails ?? []).map((m) => derTag(0x81, Buffer.from(m))), ...(s.uris ?? []).map((u) => derTag(0x86, Buffer.from(u)))];
  if (names.length) out.push(extension('2.5.29.17', false, derSequence(names)));
  if (s.nameConstraints) {
    const subtrees = (tag: number, list?: readonly string[]) => (list?.length ? [derTag(tag, Buffer.concat(list.map((d) => derSequence([constraintName(d)]))))] : []);
    out.push(extension('2.5.29.30', true, derSequence([...subtrees(0xa0, s.nameConstraints.permitted), ...subtrees(0xa1, s.nameConstraints.excluded)])));
  }
  if (s.ipConstraint) out.push(extension('2.5.29.30', true, derSequence([derTag(0xa0, derSequence([derTag(0x87, s.ipConstraint)]))])));
  if (s.duplicateSan && names.length) out.push(extension('2.5.29.17', false, derSequence(names)));
  if (s.malformedSan) out.push(extension('2.5.29.17', false, derSequence([derTag(0x87, Buffer.from([10, 0, 0, 1, 0]))])));
  if (s.malformedAia) out.push(extension('1.3.6.1.5.5.7.1.1', false, derTag(0x04, Buffer.from('not a sequence'))));
  if (s.unknownCritical) out.push(extension('1.3.6.1.4.1.99999.1', true, Buffer.from('0500', 'hex')));
  return out;
}

// Serials count up: deterministic, and distinct within a run.
let serials = 0x1000;

/** Builds and signs one certificate. */
export function forge(s: ForgeSpec): Forged {
  const signer = s.issuer?.key ?? s.issuer?.cert.key ?? s.key;
  const hash = s.hash ?? (signer.type === 'p384' ? 'sha384' : 'sha256');
  const skid = createHash('sha1').update(s.key.spki).digest();
  const algorithm = s.pss ? pssAlgorithm(s.pss) : s.ed25519WithParams ? derSequence([oidDer('1.3.101.112'), Buffer.from('0500', 'hex')]) : signatureAlgorithm(signer.type, hash);
  const exts = s.v1 ? [] : extensions(s, skid);
  const tbs = derSequence([
    ...(s.v1 ? [] : [Buffer.from('a003020102', 'hex')]),
    s.negativeSerial ? derTag(0x02, Buffer.from([0xff, ++serials & 0xff])) : integer(s.serial ?? ++serials),
    algorithm,
    s.issuer?.name ?? s.issuer?.cert.subject ?? s.subject,
    derSequence([time(s.notBefore), time(s.notAfter)]),
    s.subject,
    s.key.spki,
    ...(exts.length ? [derTag(0xa3, derSequence(exts))] : []),
  ]);
  const signature = s.pss
    ? sign(s.pss.hash, tbs, { key: signer.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: s.pss.saltLength })
    : sign(signer.type === 'ed25519' ? null : hash, tbs, signer.privateKey);
  const der = derSequence([tbs, algorithm, derTag(0x03, Buffer.concat([Buffer.from([0]), signature]))]);
  return { cert: new IssuedCert(der), subject: s.subject, key: s.key, skid };
}

/** A name constraint's base: `email:x` an rfc822Name, `uri:x` a URI, anything else a dNSName. */
function constraintName(text: string): Buffer {
  const [, type, value] = /^(?:(email|uri):)?(.*)$/s.exec(text)!;
  return derTag(type === 'email' ? 0x81 : type === 'uri' ? 0x86 : 0x82, Buffer.from(value!));
}
