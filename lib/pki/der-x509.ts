/**
 * The DER of the parts an ordinary certificate of the tables is made of — names, validity, and the
 * key usage, basic constraints, EKU, key id and SAN extensions — written directly, byte for byte as
 * @peculiar's schema writes them (test/der-x509.test.ts holds the two side by side). Loading and
 * running that schema (asn1js and friends) was about a third of `pki write`'s time as a process;
 * issue.ts still turns to it for what only faults make (name constraints) and for what these
 * writers do not take on (returning undefined): a time with milliseconds past 2049, a SAN that is
 * not plain ASCII or an IP address they cannot read.
 */
import { derSequence, derSet, derTag } from './der.js';
import type { ExtKeyUsage, KeyUsage } from './types.js';

/** OBJECT IDENTIFIER from its dotted form. */
export function derOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const base128 = (value: number) => {
    const bytes = [value & 0x7f];
    for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) bytes.unshift((rest & 0x7f) | 0x80);
    body.push(...bytes);
  };
  base128(arcs[0]! * 40 + arcs[1]!);
  for (const arc of arcs.slice(2)) base128(arc);
  return derTag(0x06, Buffer.from(body));
}

/** A small non-negative INTEGER (a path length). */
function derSmallInteger(value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  if (bytes.length === 0 || bytes[0]! >= 0x80) bytes.unshift(0);
  return derTag(0x02, Buffer.from(bytes));
}

const TRUE = Buffer.from('0101ff', 'hex');

/** Bit i of a KeyUsage value is RFC 5280's bit i (digitalSignature is 0): @peculiar's KeyUsageFlags, numbered from the lowest. */
export const KEY_USAGE_BIT: Record<KeyUsage, number> = {
  digitalSignature: 1, contentCommitment: 2, keyEncipherment: 4, dataEncipherment: 8, keyAgreement: 16,
  keyCertSign: 32, cRLSign: 64, encipherOnly: 128, decipherOnly: 256,
};

/** Go's extKeyUsageOIDs (crypto/x509). */
export const EKU_OID: Record<ExtKeyUsage, string> = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  ipsecEndSystem: '1.3.6.1.5.5.7.3.5',
  ipsecTunnel: '1.3.6.1.5.5.7.3.6',
  ipsecUser: '1.3.6.1.5.5.7.3.7',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  microsoftServerGatedCrypto: '1.3.6.1.4.1.311.10.3.3',
  netscapeServerGatedCrypto: '2.16.840.1.113730.4.1',
};

export const EXTENSION_OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
export function derExtension(oid: string, critical: boolean, valueDer: Buffer): Buffer {
  return derSequence([derOid(oid), ...(critical ? [TRUE] : []), derTag(0x04, valueDer)]);
}

/** KeyUsage BIT STRING: RFC 5280 bit 0 is the first byte's high bit; no trailing zero byte, unused bits counted. */
export function derKeyUsage(flags: number): Buffer {
  const bytes: number[] = [];
  for (let bit = 0; bit < 9; bit++) {
    if ((flags & (1 << bit)) === 0) continue;
    const at = bit >> 3;
    while (bytes.length <= at) bytes.push(0);
    bytes[at]! |= 0x80 >> (bit & 7);
  }
  const last = bytes[bytes.length - 1] ?? 0;
  let unused = 0;
  while (unused < 8 && last !== 0 && (last & (1 << unused)) === 0) unused++;
  return derTag(0x03, Buffer.from([unused, ...bytes]));
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }. */
export function derBasicConstraints(isCa: boolean, pathLen: number | undefined): Buffer {
  return derSequence([...(isCa ? [TRUE] : []), ...(pathLen === undefined ? [] : [derSmallInteger(pathLen)])]);
}

export const derExtKeyUsage = (oids: readonly string[]): Buffer => derSequence(oids.map(derOid));
export const derSubjectKeyId = (keyId: Uint8Array): Buffer => derTag(0x04, Buffer.from(keyId));
/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING }. */
export const derAuthorityKeyId = (keyId: Uint8Array): Buffer => derSequence([derTag(0x80, Buffer.from(keyId))]);

/** Go's pkix.Name encodes a value as PrintableString when it can (its set adds '*' and '&'), else UTF8String. */
export const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;
const attribute = (oid: string, value: string) => derSequence([derOid(oid), PRINTABLE.test(value) ? derTag(0x13, Buffer.from(value, 'latin1')) : derTag(0x0c, Buffer.from(value, 'utf8'))]);

/**
 * Subject as Go's pkix.Name writes it: all O values in one RDN, then CN. An RDN is a SET OF, which
 * DER (and Go's encoding/asn1 since 1.15) orders by the values' encodings: O=qa before O=devs.
 */
export function derName(cn: string, o: readonly string[]): Buffer {
  const rdns: Buffer[] = [];
  if (o.length > 0) rdns.push(derSet(o.map((value) => attribute('2.5.4.10', value)).sort(Buffer.compare)));
  if (cn !== '') rdns.push(derSet([attribute('2.5.4.3', cn)]));
  return derSequence(rdns);
}

const two = (n: number) => String(n).padStart(2, '0');

/** Time: UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5); undefined for a GeneralizedTime with milliseconds. */
function derTime(date: Date): Buffer | undefined {
  const year = date.getUTCFullYear();
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year <= 2049) return derTag(0x17, Buffer.from(`${two(year % 100)}${rest}`, 'latin1'));
  if (date.getUTCMilliseconds() !== 0 || year < 1950 || year > 9999) return undefined;
  return derTag(0x18, Buffer.from(`${year}${rest}`, 'latin1'));
}

/** Validity ::= SEQUENCE { notBefore Time, notAfter Time }, or undefined (see derTime). */
export function derValidity(notBefore: Date, notAfter: Date): Buffer | undefined {
  const from = derTime(notBefore);
  const to = derTime(notAfter);
  return from && to ? derSequence([from, to]) : undefined;
}

const ASCII = /^[\x20-\x7e]*$/;

/** node:net's IPv4 octet: no leading zero. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;
const GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * The 4 or 16 bytes of an IP address; undefined for any other form (an IPv4 tail, a zone), which
 * the schema then writes. Read here rather than with node:net's isIPv6, whose pattern costs
 * milliseconds to compile in every process that issues etcd's certificate (its SANs hold ::1).
 */
function ipBytes(ip: string): Buffer | undefined {
  if (IPV4.test(ip)) return Buffer.from(ip.split('.').map(Number));
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const zeros = halves.length === 2 ? 8 - left.length - right.length : 0;
  const all = [...left, ...Array<string>(Math.max(zeros, 0)).fill('0'), ...right];
  if (all.length !== 8 || (halves.length === 2 && zeros < 1) || !all.every((g) => GROUP.test(g))) return undefined;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** SubjectAltName ::= SEQUENCE OF GeneralName (dNSName [2], iPAddress [7], rfc822Name [1], URI [6]); undefined when one is not plain. */
export function derSubjectAltName(sans: readonly ({ dns: string } | { ip: string } | { email: string } | { uri: string })[]): Buffer | undefined {
  const names: Buffer[] = [];
  for (const s of sans) {
    const [tag, text] = 'dns' in s ? [0x82, s.dns] : 'email' in s ? [0x81, s.email] : 'uri' in s ? [0x86, s.uri] : [0x87, undefined];
    if (text === undefined) {
      const bytes = ipBytes((s as { ip: string }).ip);
      if (!bytes) return undefined;
      names.push(derTag(0x87, bytes));
    } else {
      if (!ASCII.test(text)) return undefined;
      names.push(derTag(tag, Buffer.from(text, 'latin1')));
    }
  }
  return derSequence(names);
}

/** The signature AlgorithmIdentifiers: ecdsa-with-SHA256/384 (no parameters), sha256WithRSAEncryption (NULL). */
export const SIGNATURE_ALGORITHM_DER = {
  'ec-sha256': Buffer.from('300a06082a8648ce3d040302', 'hex'),
  'ec-sha384': Buffer.from('300a06082a8648ce3d040303', 'hex'),
  'rsa-sha256': Buffer.from('300d06092a864886f70d01010b0500', 'hex'),
} as const;
