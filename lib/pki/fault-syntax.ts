// The command-line form of a fault, `RECORD=KIND[:ARG]` (`pki write --fault`): one compact ARG
// syntax per kind, read into the same Fault the library takes, and written back (so a scenario's
// faults can be shown as the flags that make its folder).
import { isIP } from 'node:net';
import { KubeMtlsSimError } from '../errors.js';
import { DAY, HOUR, MINUTE, YEAR } from '../clock.js';
import type { Fault, FaultKind } from './faults.js';
import { EXT_KEY_USAGES, KEY_ALGORITHMS, type ExtKeyUsage, type KeyAlgorithm, type KeyUsage, type San } from './types.js';

const KEY_USAGES: readonly KeyUsage[] = [
  'digitalSignature', 'contentCommitment', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
];

/** Each kind's ARG, as `pki write --help` and the README show it. */
export const FAULT_SYNTAX: Readonly<Record<FaultKind, string>> = {
  'signed-by': 'signed-by:ISSUER            signed by another record (a CA, or a leaf: then the issuer is no CA)',
  'signed-by-impostor': 'signed-by-impostor[:PATH]   signed by a CA of the same name and another key (written to PATH if given)',
  'self-signed': 'self-signed',
  expired: 'expired                     NotAfter a day before --now',
  'not-yet-valid': 'not-yet-valid               NotBefore a day after --now',
  validity: 'validity:FROM..TO           offsets from --now: -5m..3y (units ms s m h d y; y = 365d)',
  subject: 'subject:CN=NAME,O=GROUP,…   replaces the CN and/or the O list (`O=` alone: no O)',
  usages: 'usages:ku=A+B,eku=C+D       key usages and extended key usages (`eku=none`: no EKU extension)',
  sans: 'sans:DNS:NAME,IP:ADDRESS,…  replaces the SANs (`sans:` alone: none)',
  'mismatched-key': 'mismatched-key              the key file holds another key',
  'swapped-files': 'swapped-files               certificate and key exchanged',
  'via-intermediate': 'via-intermediate:send|omit  signed by an intermediate CA, sent in the chain or not',
  'name-encoding': 'name-encoding:utf8          the issuer name written as UTF8String (the CA\'s subject says PrintableString)',
  'path-length': 'path-length:N               a CA\'s basicConstraints pathLenConstraint',
  'name-constraints': 'name-constraints:permit=A+B,exclude=C  a CA\'s critical DNS name constraints',
  'critical-extension': 'critical-extension:OID      an unknown critical extension',
  'signature-algorithm': 'signature-algorithm:sha1|md5  signed with SHA-1 (ecdsa-with-SHA1, sha1WithRSAEncryption) or MD5 (md5WithRSAEncryption: RSA issuers only)',
  'issuer-key-type': 'issuer-key-type:rsa|ecdsa   signed by a CA of the same name with a key of this type',
  'expired-intermediate': 'expired-intermediate        signed by an intermediate CA, sent in the chain, that expired a day before --now',
  'key-algorithm': 'key-algorithm:ALGO          the record\'s own key is ALGO (one of --algo\'s), not --algo\'s (a CA brought with its own RSA key)',
};

const UNITS: readonly [string, number][] = [['y', YEAR], ['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', 1000], ['ms', 1]];

function duration(text: string, bad: (why: string) => never): number {
  const m = /^([+-]?)(\d+)(ms|s|m|h|d|y)$/.exec(text);
  if (!m) bad(`"${text}" is not a duration like -5m, 30d or 3y`);
  return (m![1] === '-' ? -1 : 1) * Number(m![2]) * UNITS.find(([u]) => u === m![3])![1];
}

function formatDuration(ms: number): string {
  const [unit, size] = UNITS.find(([, size]) => ms % size === 0)!;
  return `${ms < 0 ? '-' : ''}${Math.abs(ms) / size}${unit}`;
}

function list<T extends string>(text: string, allowed: readonly T[], what: string, bad: (why: string) => never): T[] {
  const items = text === '' ? [] : text.split('+');
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) bad(`"${item}" is not a ${what} (${allowed.join(', ')})`);
  return items as T[];
}

function parseArg(kind: FaultKind, arg: string | undefined, bad: (why: string) => never): Fault {
  const needs = () => (arg === undefined ? bad(`${kind} needs an argument: ${FAULT_SYNTAX[kind].split(/\s{2,}/)[0]}`) : arg);
  const none = () => (arg === undefined ? undefined : bad(`${kind} takes no argument (given "${arg}")`));
  switch (kind) {
    case 'signed-by': return { kind, issuer: needs() };
    case 'signed-by-impostor': return arg === undefined || arg === '' ? { kind } : { kind, caFile: arg };
    case 'self-signed': case 'expired': case 'not-yet-valid': case 'mismatched-key': case 'swapped-files': case 'expired-intermediate':
      none();
      return { kind };
    case 'validity': {
      const [from, to, ...rest] = needs().split('..');
      if (to === undefined || rest.length > 0) bad(`validity needs FROM..TO, e.g. -5m..3y (given "${arg}")`);
      return { kind, notBefore: duration(from!, bad), notAfter: duration(to!, bad) };
    }
    case 'subject': {
      const fault: Fault & { kind: 'subject' } = { kind };
      for (const part of needs().split(',')) {
        const [key, ...value] = part.split('=');
        if (value.length === 0 || !['CN', 'O'].includes(key!.toUpperCase())) bad(`"${part}" is neither CN=NAME nor O=GROUP`);
        if (key!.toUpperCase() === 'CN') fault.cn = value.join('=');
        else fault.o = [...(fault.o ?? []), ...(value.join('=') === '' ? [] : [value.join('=')])];
      }
      return fault;
    }
    case 'usages': {
      const fault: Fault & { kind: 'usages' } = { kind };
      for (const part of needs().split(',')) {
        const [key, value = ''] = part.split('=');
        if (key === 'ku') fault.keyUsage = list(value, KEY_USAGES, 'key usage', bad);
        else if (key === 'eku') fault.extKeyUsage = value === 'none' ? null : list<ExtKeyUsage>(value, EXT_KEY_USAGES, 'extended key usage', bad);
        else bad(`"${part}" is neither ku=A+B nor eku=A+B`);
      }
      return fault;
    }
    case 'sans': {
      const sans = needs() === '' ? [] : arg!.split(',').map((part): San => {
        const m = /^(DNS|IP):(.+)$/i.exec(part);
        if (!m) bad(`"${part}" is neither DNS:NAME nor IP:ADDRESS`);
        if (m![1]!.toUpperCase() === 'IP' && isIP(m![2]!) === 0) bad(`"${m![2]}" is not an IP address`);
        return m![1]!.toUpperCase() === 'IP' ? { ip: m![2]! } : { dns: m![2]! };
      });
      return { kind, sans };
    }
    case 'name-encoding':
      if (needs() !== 'utf8') bad(`name-encoding takes utf8 (given "${arg}")`);
      return { kind, encoding: 'utf8' };
    case 'path-length':
      if (!/^\d+$/.test(needs())) bad(`path-length takes a whole number (given "${arg}")`);
      return { kind, pathLen: Number(arg) };
    case 'name-constraints': {
      const fault: Fault & { kind: 'name-constraints' } = { kind };
      for (const part of needs().split(',')) {
        const [key, value = ''] = part.split('=');
        const names = value === '' ? [] : value.split('+');
        if (key === 'permit') fault.permittedDNS = names;
        else if (key === 'exclude') fault.excludedDNS = names;
        else bad(`"${part}" is neither permit=A+B nor exclude=A+B`);
      }
      return fault;
    }
    case 'critical-extension': return { kind, oid: needs() };
    case 'signature-algorithm': {
      const hash = needs();
      if (hash !== 'sha1' && hash !== 'md5') bad(`signature-algorithm takes sha1 or md5 (given "${arg}")`);
      return { kind, hash };
    }
    case 'issuer-key-type': {
      const keyType = needs();
      if (keyType !== 'rsa' && keyType !== 'ecdsa') bad(`issuer-key-type takes rsa or ecdsa (given "${arg}")`);
      return { kind, keyType };
    }
    case 'key-algorithm':
      if (!(KEY_ALGORITHMS as readonly string[]).includes(needs())) bad(`key-algorithm takes one of ${KEY_ALGORITHMS.join(', ')} (given "${arg}")`);
      return { kind, algorithm: arg as KeyAlgorithm };
    case 'via-intermediate':
      if (needs() !== 'send' && arg !== 'omit') bad(`via-intermediate takes send or omit (given "${arg}")`);
      return { kind, sendIntermediate: arg === 'send' };
  }
}

/**
 * Reads `RECORD=KIND[:ARG]`. The record is not checked here (it depends on the preset: generatePki's
 * `faults` refuses an unknown one); everything else is, with `field` (the flag) named in the error.
 */
export function parseFaultFlag(text: string, field = '--fault'): { record: string; fault: Fault } {
  const bad = (why: string): never => {
    throw new KubeMtlsSimError('ERR_FAULT_INVALID', `\`${field}\`: "${text}": ${why}`, { field });
  };
  const eq = text.indexOf('=');
  if (eq <= 0) bad('expected RECORD=KIND[:ARG], e.g. apiserver=expired');
  const record = text.slice(0, eq);
  const spec = text.slice(eq + 1);
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  if (!(kind in FAULT_SYNTAX)) bad(`unknown fault kind "${kind}" (kinds: ${Object.keys(FAULT_SYNTAX).join(', ')})`);
  return { record, fault: parseArg(kind as FaultKind, colon < 0 ? undefined : spec.slice(colon + 1), bad) };
}

/** The `--fault` value that makes `fault` on `record` (parseFaultFlag reads it back to the same Fault). */
export function formatFaultFlag(record: string, fault: Fault): string {
  const arg = ((): string | undefined => {
    switch (fault.kind) {
      case 'signed-by': return fault.issuer;
      case 'signed-by-impostor': return fault.caFile;
      case 'validity': return `${formatDuration(fault.notBefore)}..${formatDuration(fault.notAfter)}`;
      case 'subject': return [...(fault.cn !== undefined ? [`CN=${fault.cn}`] : []), ...(fault.o === undefined ? [] : fault.o.length === 0 ? ['O='] : fault.o.map((o) => `O=${o}`))].join(',');
      case 'usages': return [
        ...(fault.keyUsage !== undefined ? [`ku=${fault.keyUsage.join('+')}`] : []),
        ...(fault.extKeyUsage !== undefined ? [`eku=${fault.extKeyUsage === null ? 'none' : fault.extKeyUsage.join('+')}`] : []),
      ].join(',');
      case 'sans': return fault.sans.map((s) => ('ip' in s ? `IP:${s.ip}` : `DNS:${s.dns}`)).join(',');
      case 'via-intermediate': return fault.sendIntermediate ? 'send' : 'omit';
      case 'name-encoding': return fault.encoding;
      case 'path-length': return String(fault.pathLen);
      case 'name-constraints': return [
        ...(fault.permittedDNS !== undefined ? [`permit=${fault.permittedDNS.join('+')}`] : []),
        ...(fault.excludedDNS !== undefined ? [`exclude=${fault.excludedDNS.join('+')}`] : []),
      ].join(',');
      case 'critical-extension': return fault.oid;
      case 'signature-algorithm': return fault.hash;
      case 'issuer-key-type': return fault.keyType;
      case 'key-algorithm': return fault.algorithm;
      default: return undefined;
    }
  })();
  return `${record}=${fault.kind}${arg === undefined ? '' : `:${arg}`}`;
}
