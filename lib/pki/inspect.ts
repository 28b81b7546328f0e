import type { Clock } from '../clock.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import type { IssuedCert } from './issue.js';
import { readLayout, type Layout, type LayoutEntry } from './layout.js';
import { PRESETS } from './presets/index.js';
import type { CertRecord } from './types.js';
import { nameFields, subjectFields, verifyAgainst, type VerifyResult } from './verify.js';

export interface CheckResult {
  ok: boolean;
  /** Stable reason code (`OK`, `UNKNOWN_AUTHORITY`, `CERT_HAS_EXPIRED`, `WRONG_EKU`, `KEY_MISMATCH`, …). */
  reason: string;
  detail: string;
}

export interface InspectRow {
  /** kubeadm's name for it (`apiserver`, `admin.conf`, `ca`) or, for a file outside the table, its path. */
  name: string;
  path: string;
  /** For certificates inside a kubeconfig: the field. */
  field?: string;
  /** The table record this file belongs to, when the folder is a known layout. */
  recordId?: string;
  role?: CertRecord extends infer R ? (R extends { role: infer X } ? X : never) | 'ca' : never;
  isCa: boolean;
  cn: string;
  o: string[];
  issuer: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** Milliseconds left at the clock's time (negative once expired). */
  residualMs: number;
  extKeyUsage: string[];
  sans: string[];
  /** Which CA certificate it was checked against (name and path). */
  verifiedAgainst?: { name: string; path: string };
  checks: { chain: CheckResult; eku: CheckResult; key: CheckResult };
}

export interface InspectReport {
  root: string;
  preset: Layout['preset'];
  at: Date;
  rows: InspectRow[];
  /** Files that could not be read, with the typed error. */
  problems: { path: string; code: string; message: string; goMessage?: string }[];
}

const EKU_NAMES: Record<string, string> = { '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth' };

/** `kubeadm certs check-expiration` plus the checks a learner needs: chain, usage, key. */
export function inspectLayout(root: string, clock: Clock): InspectReport {
  const layout = readLayout(root);
  const at = clock.now();
  const preset = layout.preset ? PRESETS[layout.preset] : null;
  const byPath = new Map(layout.entries.map((e) => [e.path, e] as const));
  const resolveLink = (entry: LayoutEntry | undefined): LayoutEntry | undefined => {
    if (entry?.kind !== 'symlink') return entry;
    const dir = entry.path.slice(0, entry.path.lastIndexOf('/'));
    return byPath.get(entry.target!.startsWith('/') ? entry.target! : `${dir}/${entry.target}`);
  };
  const caName = (path: string) => preset?.certs.find((r) => r.kind === 'ca' && r.files.kind === 'pair' && r.files.cert === path)?.id ?? nameFor(path);
  const caCandidates = layout.entries.filter((e) => e.certs?.[0]?.node.ca).map((e) => ({ name: caName(e.path), path: e.path, cert: e.certs![0]! }));
  const recordFor = (path: string) => preset?.certs.find((r) =>
    (r.files.kind === 'pair' && r.files.cert === path) || (r.files.kind === 'bundle' && r.files.link === path));
  const caOf = (record: CertRecord | undefined) => {
    if (!record || record.kind !== 'leaf') return undefined;
    const ca = preset!.certs.find((r) => r.id === record.ca);
    return ca?.files.kind === 'pair' ? caCandidates.find((c) => c.path === (ca.files as { cert: string }).cert) : undefined;
  };
  const rows: InspectRow[] = [];
  const problems: InspectReport['problems'] = [];
  const addProblem = (path: string, e: KubeMtlsSimError) => problems.push({ path, code: e.code, message: e.message, ...(e.goMessage ? { goMessage: e.goMessage } : {}) });

  for (const entry of layout.entries) {
    if (entry.problem) {
      addProblem(entry.path, entry.problem);
      continue;
    }
    if (entry.kind === 'cert' || entry.kind === 'cert-and-key') {
      if (preset?.certs.some((r) => r.kind === 'ca' && r.copies.includes(entry.path))) continue; // a copy of a CA listed once
      if (entry.kind === 'cert-and-key' && layout.entries.some((l) => l.kind === 'symlink' && resolveLink(l) === entry)) continue; // listed through its -current link
      const record = recordFor(entry.path);
      const keyEntry = record?.files.kind === 'pair' ? byPath.get(record.files.key) : entry.kind === 'cert-and-key' ? entry : byPath.get(guessKeyPath(entry.path));
      rows.push(row({ name: record?.id ?? nameFor(entry.path), path: entry.path, certs: entry.certs!, record, key: keyEntry?.key?.keyObject, keyProblem: keyEntry?.problem, expectedCa: caOf(record), caCandidates, at }));
    } else if (entry.kind === 'symlink') {
      const target = resolveLink(entry);
      if (target?.certs) {
        const record = recordFor(entry.path);
        rows.push(row({ name: record?.id ?? nameFor(entry.path), path: entry.path, certs: target.certs, record, key: target.key?.keyObject, expectedCa: caOf(record), caCandidates, at }));
      }
    } else if (entry.kind === 'kubeconfig') {
      try {
        const kc = parseKubeconfig(entry.raw.toString('utf8'), entry.file, { root });
        if (kc.clientCert && kc.clientCert.source.file === entry.file) {
          const id = preset?.kubeconfigs.find((k) => k.file === entry.path);
          const certId = id?.auth.kind === 'client-cert-data' ? id.auth.cert : undefined;
          const record = preset?.certs.find((r) => r.id === certId);
          rows.push(row({ name: id?.id ?? nameFor(entry.path), path: entry.path, field: kc.clientCert.source.field, certs: kc.clientCert.certs, record, key: kc.clientKey?.key.keyObject, expectedCa: caOf(record), caCandidates, at }));
        }
      } catch (error) {
        addProblem(entry.path, isKubeMtlsSimError(error)
          ? error
          : new KubeMtlsSimError('ERR_KUBECONFIG_FIELD', `${entry.path}: ${(error as Error).message}`, { file: entry.file, cause: error }));
      }
    }
  }
  rows.sort((a, b) => a.name.localeCompare(b.name));
  return { root, preset: layout.preset, at, rows, problems };
}

function guessKeyPath(certPath: string): string {
  return certPath.endsWith('.crt') ? certPath.replace(/\.crt$/, '.key') : certPath.replace(/\.pem$/, '-key.pem');
}

function nameFor(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.(crt|pem|conf)$/, '') || path;
}

interface RowInput {
  name: string;
  path: string;
  field?: string;
  certs: IssuedCert[];
  record: CertRecord | undefined;
  key: import('node:crypto').KeyObject | undefined;
  keyProblem?: KubeMtlsSimError | undefined;
  expectedCa: { name: string; path: string; cert: IssuedCert } | undefined;
  caCandidates: { name: string; path: string; cert: IssuedCert }[];
  at: Date;
}

function row(input: RowInput): InspectRow {
  const leaf = input.certs[0]!;
  const { cn, o } = subjectFields(leaf);
  const ekuOids = leaf.node.keyUsage ?? [];
  const role = input.record ? (input.record.kind === 'ca' ? 'ca' : input.record.role) : leaf.node.ca ? 'ca' : undefined;
  const notBefore = new Date(leaf.node.validFrom);
  const notAfter = new Date(leaf.node.validTo);
  // The CA to check against: the table's CA for a known record, else any CA in the folder (or the chain) that issued it.
  const intermediates = input.certs.slice(1);
  const anchor = input.expectedCa ?? (leaf.node.ca && leaf.node.checkIssued(leaf.node) ? { name: input.name, path: input.path, cert: leaf }
    : input.caCandidates.find((c) => leaf.node.checkIssued(c.cert.node)) ?? chainAnchor(input, intermediates));
  const verdict: VerifyResult = anchor
    ? verifyAgainst(leaf, intermediates, [anchor.cert], input.at)
    : { ok: false, reason: 'UNKNOWN_AUTHORITY', detail: 'no CA in this folder issued it' };
  const chain: CheckResult = { ok: verdict.ok, reason: verdict.reason, detail: verdict.detail };
  const eku = ekuCheck(role, ekuOids);
  let key: CheckResult;
  if (input.keyProblem) key = { ok: false, reason: input.keyProblem.code, detail: input.keyProblem.message };
  else if (!input.key) key = { ok: role === 'ca' && !input.record, reason: 'NO_KEY', detail: 'no private key found beside it' };
  else if (leaf.node.checkPrivateKey(input.key)) key = { ok: true, reason: 'OK', detail: 'the private key matches' };
  else key = { ok: false, reason: 'KEY_MISMATCH', detail: 'tls: private key does not match public key' };
  if (input.record?.files.kind === 'none') key = { ok: true, reason: 'OK', detail: 'key discarded by design' };
  return {
    name: input.name, path: input.path, ...(input.field ? { field: input.field } : {}),
    ...(input.record ? { recordId: input.record.id } : {}), ...(role ? { role } : {}),
    isCa: leaf.node.ca, cn, o, issuer: nameFields(leaf.node.issuer).cn,
    serial: leaf.node.serialNumber, notBefore, notAfter, residualMs: notAfter.getTime() - input.at.getTime(),
    extKeyUsage: ekuOids.map((oid) => EKU_NAMES[oid] ?? oid),
    sans: leaf.node.subjectAltName ? leaf.node.subjectAltName.split(', ').map((s) => s.replace('IP Address:', 'IP:')) : [],
    ...(anchor ? { verifiedAgainst: { name: anchor.name, path: anchor.path } } : {}),
    checks: { chain, eku, key },
  };
}

function chainAnchor(input: RowInput, intermediates: IssuedCert[]) {
  const top = intermediates.at(-1);
  const name = input.record?.kind === 'leaf' ? input.record.ca : `${input.name} chain`;
  return top?.node.ca ? { name: `${name} (sent in the chain)`, path: input.path, cert: top } : undefined;
}

function ekuCheck(role: InspectRow['role'], oids: string[]): CheckResult {
  if (!role || role === 'ca') return { ok: true, reason: 'OK', detail: role === 'ca' ? 'CA certificate' : 'role unknown' };
  if (oids.length === 0) return { ok: true, reason: 'OK', detail: 'no EKU extension: any purpose' };
  const needs = role === 'server' ? ['serverAuth'] : role === 'client' ? ['clientAuth'] : ['serverAuth', 'clientAuth'];
  const names = oids.map((o) => EKU_NAMES[o] ?? o);
  const missing = needs.filter((n) => !names.includes(n));
  return missing.length === 0
    ? { ok: true, reason: 'OK', detail: `${names.join(', ')} fits a ${role} certificate` }
    : { ok: false, reason: 'WRONG_EKU', detail: `a ${role} certificate needs ${missing.join(' and ')}; it has ${names.join(', ')}` };
}
