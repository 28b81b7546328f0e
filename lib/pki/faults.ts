import { isIP } from '../util/ip.js';
import { KubeMtlsSimError } from '../errors.js';
import { DAY, YEAR } from '../clock.js';
import { KEY_ALGORITHMS, type CertRecord, type ExtKeyUsage, type KeyAlgorithm, type KeyUsage, type San } from './types.js';
import type { CertVariations } from './issue.js';

/**
 * Deliberate misconfigurations, as data applied to one certificate record. Each one makes a real
 * certificate (or file) with that property; nothing pretends. Scenarios combine them.
 */
export type Fault =
  /** Signed by another record of the table (a CA, or a leaf: then the issuer is not a CA). */
  | { kind: 'signed-by'; issuer: string }
  /**
   * Signed by a CA with the same name as the real one but another key (a re-initialised cluster,
   * or the successor CA during a rotation). `caFile` also writes that CA's certificate there.
   */
  | { kind: 'signed-by-impostor'; caFile?: string }
  /** Self-signed instead of CA-signed. */
  | { kind: 'self-signed' }
  /** Not valid any more at generation time (NotAfter a day ago). */
  | { kind: 'expired' }
  /** Not valid yet at generation time (NotBefore a day ahead). */
  | { kind: 'not-yet-valid' }
  /** Validity as offsets in milliseconds from the generation time. */
  | { kind: 'validity'; notBefore: number; notAfter: number }
  | { kind: 'subject'; cn?: string; o?: string[] }
  /** `extKeyUsage: null` drops the EKU extension altogether. */
  | { kind: 'usages'; keyUsage?: KeyUsage[]; extKeyUsage?: ExtKeyUsage[] | null }
  | { kind: 'sans'; sans: San[] }
  /** The key file holds a key that does not belong to the certificate. */
  | { kind: 'mismatched-key' }
  /** The certificate path holds the key and the key path the certificate. */
  | { kind: 'swapped-files' }
  /** Signed by an intermediate CA under the record's CA; the chain file includes it only if `sendIntermediate`. */
  | { kind: 'via-intermediate'; sendIntermediate: boolean }
  /** The issuer name written as UTF8String where the issuer's subject says PrintableString (Go matches raw bytes). */
  | { kind: 'name-encoding'; encoding: 'utf8' }
  /** A CA's basicConstraints pathLenConstraint. */
  | { kind: 'path-length'; pathLen: number }
  /** A CA's critical nameConstraints extension, DNS subtrees. */
  | { kind: 'name-constraints'; permittedDNS?: string[]; excludedDNS?: string[] }
  /** A critical extension of this OID, which no verifier knows (value: an ASN.1 NULL). */
  | { kind: 'critical-extension'; oid: string }
  /** Signed with SHA-1, or MD5 (RSA issuers only), by its issuer (Go: insecure algorithm). */
  | { kind: 'signature-algorithm'; hash: 'sha1' | 'md5' }
  /** Signed by a CA of the same name whose key is of this type (an ECDSA chain under a trusted RSA CA, or the reverse). */
  | { kind: 'issuer-key-type'; keyType: 'rsa' | 'ecdsa' }
  /** Signed by an intermediate CA under the record's CA that expired a day ago, sent in the chain. */
  | { kind: 'expired-intermediate' }
  /**
   * The record's own key is of this algorithm instead of the PKI's (`algorithm`): a CA brought to
   * kubeadm with its own RSA key, while kubeadm makes the others with its encryptionAlgorithm.
   */
  | { kind: 'key-algorithm'; algorithm: KeyAlgorithm };

export type FaultKind = Fault['kind'];
export type FaultMap = Readonly<Record<string, Fault | readonly Fault[]>>;

const KINDS: readonly FaultKind[] = [
  'signed-by', 'signed-by-impostor', 'self-signed', 'expired', 'not-yet-valid', 'validity', 'subject', 'usages', 'sans',
  'mismatched-key', 'swapped-files', 'via-intermediate', 'name-encoding', 'path-length', 'name-constraints', 'critical-extension', 'signature-algorithm',
  'issuer-key-type', 'expired-intermediate', 'key-algorithm',
];

/** What the faults of one record change, merged in order. */
export interface FaultEffect {
  issuer?: { kind: 'record'; id: string } | { kind: 'impostor'; caFile?: string; keyType?: 'rsa' | 'ecdsa' } | { kind: 'self' } | { kind: 'intermediate'; send: boolean; expired?: boolean };
  validity?: { notBefore: number; notAfter: number };
  cn?: string;
  o?: string[];
  keyUsage?: KeyUsage[];
  extKeyUsage?: ExtKeyUsage[] | null;
  sans?: San[];
  mismatchedKey?: boolean;
  swappedFiles?: boolean;
  /** The algorithm of the record's key, when not the PKI's. */
  keyAlgorithm?: KeyAlgorithm;
  /** Structural variations of the certificate itself (issue.ts CertVariations). */
  variations?: CertVariations;
}

export function normalizeFaults(faults: FaultMap | undefined, records: readonly CertRecord[]): Map<string, FaultEffect> {
  const effects = new Map<string, FaultEffect>();
  const ids = new Set(records.map((r) => r.id));
  for (const [id, value] of Object.entries(faults ?? {})) {
    const field = `faults.${id}`;
    const record = records.find((r) => r.id === id);
    if (!record) {
      throw new KubeMtlsSimError('ERR_FAULT_INVALID', `\`${field}\`: no certificate "${id}" in this preset (known: ${[...ids].join(', ')})`, { field });
    }
    const effect: FaultEffect = {};
    for (const fault of Array.isArray(value) ? value : [value as Fault]) {
      applyFault(effect, fault, record, ids, field);
    }
    effects.set(id, effect);
  }
  return effects;
}

function applyFault(effect: FaultEffect, fault: Fault, record: CertRecord, ids: Set<string>, field: string): void {
  const invalid = (why: string): never => {
    throw new KubeMtlsSimError('ERR_FAULT_INVALID', `\`${field}\`: ${why}`, { field });
  };
  if (typeof fault !== 'object' || fault === null || !KINDS.includes(fault.kind)) {
    invalid(`unknown fault ${JSON.stringify(fault)} (kinds: ${KINDS.join(', ')})`);
  }
  switch (fault.kind) {
    case 'signed-by':
      if (!ids.has(fault.issuer)) invalid(`signed-by names no certificate "${fault.issuer}"`);
      if (fault.issuer === record.id) invalid('signed-by names the certificate itself; use `self-signed`');
      effect.issuer = { kind: 'record', id: fault.issuer };
      return;
    case 'signed-by-impostor':
      if (record.kind === 'ca') invalid('a CA has no issuer to impersonate; fault its leaves instead');
      if (fault.caFile !== undefined && !fault.caFile.startsWith('/')) invalid(`caFile "${fault.caFile}" is not an absolute path`);
      effect.issuer = fault.caFile ? { kind: 'impostor', caFile: fault.caFile } : { kind: 'impostor' };
      return;
    case 'self-signed':
      effect.issuer = { kind: 'self' };
      return;
    case 'via-intermediate':
      if (record.kind === 'ca') invalid('via-intermediate applies to leaves');
      effect.issuer = { kind: 'intermediate', send: fault.sendIntermediate };
      return;
    case 'expired-intermediate':
      if (record.kind === 'ca') invalid('expired-intermediate applies to leaves');
      effect.issuer = { kind: 'intermediate', send: true, expired: true };
      return;
    case 'issuer-key-type':
      if (record.kind === 'ca') invalid('issuer-key-type applies to leaves');
      if (fault.keyType !== 'rsa' && fault.keyType !== 'ecdsa') invalid(`issuer-key-type takes rsa or ecdsa (given ${JSON.stringify(fault.keyType)})`);
      effect.issuer = { kind: 'impostor', keyType: fault.keyType };
      return;
    case 'expired':
      effect.validity = { notBefore: -YEAR - DAY, notAfter: -DAY };
      return;
    case 'not-yet-valid':
      effect.validity = { notBefore: DAY, notAfter: YEAR };
      return;
    case 'validity':
      if (!(fault.notBefore < fault.notAfter)) invalid('validity needs notBefore < notAfter');
      effect.validity = { notBefore: fault.notBefore, notAfter: fault.notAfter };
      return;
    case 'subject':
      if (fault.cn !== undefined) effect.cn = fault.cn;
      if (fault.o !== undefined) effect.o = [...fault.o];
      return;
    case 'usages':
      if (fault.keyUsage !== undefined) effect.keyUsage = [...fault.keyUsage];
      if (fault.extKeyUsage !== undefined) effect.extKeyUsage = fault.extKeyUsage === null ? null : [...fault.extKeyUsage];
      return;
    case 'sans':
      fault.sans.forEach((san, i) => {
        const ok = typeof san === 'object' && san !== null && ('ip' in san ? isIP(san.ip) !== 0 : 'dns' in san && /^(\*\.)?[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/.test(san.dns));
        if (!ok) invalid(`sans[${i}] ${JSON.stringify(san)} is neither { dns: <name> } nor { ip: <address> }`);
      });
      effect.sans = [...fault.sans];
      return;
    case 'mismatched-key':
      effect.mismatchedKey = true;
      return;
    case 'key-algorithm':
      if (!(KEY_ALGORITHMS as readonly string[]).includes(fault.algorithm)) invalid(`key-algorithm takes one of ${KEY_ALGORITHMS.join(', ')} (given ${JSON.stringify(fault.algorithm)})`);
      effect.keyAlgorithm = fault.algorithm;
      return;
    case 'name-encoding': case 'path-length': case 'name-constraints': case 'critical-extension': case 'signature-algorithm':
      effect.variations = { ...effect.variations, ...structureVariation(fault, record, invalid, effect.variations?.extraExtensions) };
      return;
    case 'swapped-files':
      if (record.files.kind !== 'pair' && record.files.kind !== 'kubeconfig') invalid(`swapped-files needs a cert and a key file; "${record.id}" is stored as ${record.files.kind}`);
      effect.swappedFiles = true;
      return;
  }
}

type StructureFault = Extract<Fault, { kind: 'name-encoding' | 'path-length' | 'name-constraints' | 'critical-extension' | 'signature-algorithm' }>;

/** What a structural fault changes in the certificate (`extras`: extensions earlier faults added). */
function structureVariation(fault: StructureFault, record: CertRecord, invalid: (why: string) => never, extras?: CertVariations['extraExtensions']): CertVariations {
  switch (fault.kind) {
    case 'name-encoding':
      if (fault.encoding !== 'utf8') invalid(`name-encoding takes utf8 (given ${JSON.stringify(fault.encoding)})`);
      return { issuerNameEncoding: 'utf8' };
    case 'path-length':
      if (record.kind !== 'ca') invalid('path-length applies to a CA');
      if (!Number.isInteger(fault.pathLen) || fault.pathLen < 0) invalid(`path-length needs a whole number >= 0 (given ${fault.pathLen})`);
      return { pathLen: fault.pathLen };
    case 'name-constraints': {
      if (record.kind !== 'ca') invalid('name-constraints applies to a CA');
      const dns = [...(fault.permittedDNS ?? []), ...(fault.excludedDNS ?? [])];
      if (dns.length === 0) invalid('name-constraints needs a permitted or excluded DNS name');
      for (const name of dns) if (!/^\.?[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/.test(name)) invalid(`name-constraints: "${name}" is not a DNS name`);
      return { nameConstraints: { ...(fault.permittedDNS ? { permittedDNS: [...fault.permittedDNS] } : {}), ...(fault.excludedDNS ? { excludedDNS: [...fault.excludedDNS] } : {}) } };
    }
    case 'critical-extension':
      if (!/^[0-2](\.\d+)+$/.test(fault.oid)) invalid(`critical-extension needs a dotted OID (given "${fault.oid}")`);
      return { extraExtensions: [...(extras ?? []), { oid: fault.oid, critical: true, valueDer: Buffer.from('0500', 'hex') }] };
    case 'signature-algorithm':
      if (fault.hash !== 'sha1' && fault.hash !== 'md5') invalid(`signature-algorithm takes sha1 or md5 (given ${JSON.stringify(fault.hash)})`);
      return { signatureHash: fault.hash };
  }
}

/**
 * Who signs whom once faults are applied must be a tree: `ca` signed by `apiserver` while the
 * apiserver is signed by `ca` has no first certificate to make.
 */
export function checkSigningCycles(records: readonly CertRecord[], effects: ReadonlyMap<string, FaultEffect>): void {
  const issuerOf = (id: string): string | null => {
    const effect = effects.get(id)?.issuer;
    if (effect?.kind === 'record') return effect.id;
    if (effect) return effect.kind === 'intermediate' ? (records.find((r) => r.id === id) as Extract<CertRecord, { kind: 'leaf' }>).ca : null;
    const record = records.find((r) => r.id === id);
    return record?.kind === 'leaf' ? record.ca : null;
  };
  for (const start of effects.keys()) {
    const seen = [start];
    for (let next = issuerOf(start); next !== null; next = issuerOf(next)) {
      if (seen.includes(next)) {
        const field = `faults.${start}`;
        throw new KubeMtlsSimError('ERR_FAULT_INVALID', `\`${field}\`: signing cycle ${[...seen, next].join(' <- ')}: no certificate in it can be made first`, { field });
      }
      seen.push(next);
    }
  }
}
