import type { Clock } from '../clock.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import type { IssuedCert } from '../pki/issue.js';
import { closestPreset, expectedFileProblem, expectedFiles, resolveLink } from './layout-expect.js';
import { readLayout, type Layout, type LayoutEntry } from './layout.js';
import { PRESETS } from '../pki/presets/index.js';
import type { CertRecord } from '../pki/types.js';
import { actsAsCa, nameFields, subjectFields, verifyAgainst, type VerifyResult } from '../pki/verify.js';
import { goStringOrder } from '../util/order.js';
import { SENT_IN_THE_CHAIN } from './sent-in-chain.js';

export interface CheckResult {
  ok: boolean;
  /** Stable reason code (`OK`, `UNKNOWN_AUTHORITY`, `CERT_HAS_EXPIRED`, `WRONG_EKU`, `KEY_MISMATCH`, `CA_UNREADABLE`, …). */
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
  /**
   * Which CA file it was checked against (name and path); for a file holding several CA
   * certificates (a rotation bundle), which of them verified it: 1-based index, count and serial.
   */
  verifiedAgainst?: { name: string; path: string; certificate?: number; of?: number; serial?: string };
  checks: { chain: CheckResult; eku: CheckResult; key: CheckResult };
}

export interface InspectProblem {
  /** Path on the node (`/` for the folder itself). */
  path: string;
  code: string;
  message: string;
  goMessage?: string;
}

export interface InspectReport {
  root: string;
  /** The preset the folder was compared against (the closest one when files are missing), or null. */
  preset: Layout['preset'];
  at: Date;
  rows: InspectRow[];
  /** Files that are missing or cannot be read as what the layout puts there, with the typed error; an unknown layout too. */
  problems: InspectProblem[];
  /** False when there is any problem or any certificate fails a check: `pki inspect` exits 1. */
  ok: boolean;
}

/** A CA file: every certificate in it is a trust anchor (old and new CA during a rotation). */
interface CaFile {
  name: string;
  path: string;
  certs: IssuedCert[];
}

const EKU_NAMES: Record<string, string> = { '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth' };

/** `kubeadm certs check-expiration` plus the checks a learner needs: files present and readable, chain, usage, key. */
export function inspectLayout(root: string, clock: Clock): InspectReport {
  const layout = readLayout(root);
  const at = clock.now();
  const presetName = closestPreset(layout);
  const preset = presetName ? PRESETS[presetName] : null;
  const byPath = new Map(layout.entries.map((e) => [e.path, e] as const));
  const problems = new Map<string, InspectProblem>();
  const addProblem = (path: string, e: KubeMtlsSimError) => {
    if (!problems.has(path)) problems.set(path, { path, code: e.code, message: e.message, ...(e.goMessage ? { goMessage: e.goMessage } : {}) });
  };
  for (const entry of layout.entries) if (entry.problem) addProblem(entry.path, entry.problem);
  const expected = preset ? expectedFiles(preset) : [];
  for (const file of expected) {
    const problem = expectedFileProblem(layout, presetName!, file, byPath);
    if (problem) addProblem(file.path, problem);
  }
  if (!preset) {
    const message = layout.entries.length === 0
      ? `${root}: is empty: no kubeadm or reference layout to inspect`
      : `${root}: holds ${layout.entries.length} file(s), but not the CA and server certificate files of the kubeadm or the reference layout`;
    addProblem('/', new KubeMtlsSimError('ERR_LAYOUT_UNKNOWN', message, { file: root }));
  }
  const isKubeconfig = (entry: LayoutEntry) => entry.kind === 'kubeconfig' || expected.some((f) => f.path === entry.path && f.kind === 'kubeconfig');

  const caName = (path: string) => preset?.certs.find((r) => r.kind === 'ca' && r.files.kind === 'pair' && r.files.cert === path)?.id ?? nameFor(path);
  const caFiles: CaFile[] = layout.entries.filter((e) => !problems.has(e.path) && e.certs?.[0] && actsAsCa(e.certs[0])).map((e) => ({ name: caName(e.path), path: e.path, certs: e.certs! }));
  const recordFor = (path: string) => preset?.certs.find((r) =>
    (r.files.kind === 'pair' && r.files.cert === path) || (r.files.kind === 'bundle' && r.files.link === path));
  // The CA the table says signs it; never another CA that happens to verify it.
  const caOf = (record: CertRecord | undefined): Pick<RowInput, 'expectedCa' | 'caUnreadable'> => {
    if (!record || record.kind !== 'leaf') return {};
    const ca = preset!.certs.find((r) => r.id === record.ca);
    if (ca?.files.kind !== 'pair') return {}; // the kubelet's throwaway CA rides in the leaf's chain
    const file = caFiles.find((c) => c.path === (ca.files as { cert: string }).cert);
    return file ? { expectedCa: file } : { caUnreadable: ca.files.cert };
  };
  const rows: InspectRow[] = [];

  for (const entry of layout.entries) {
    if (problems.has(entry.path)) continue;
    if (isKubeconfig(entry)) {
      try {
        const kc = parseKubeconfig(entry.raw.toString('utf8'), entry.file, { root });
        if (kc.clientCert && kc.clientCert.source.file === entry.file) {
          const id = preset?.kubeconfigs.find((k) => k.file === entry.path);
          const certId = id?.auth.kind === 'client-cert-data' ? id.auth.cert : undefined;
          const record = preset?.certs.find((r) => r.id === certId);
          rows.push(row({ name: id?.id ?? nameFor(entry.path), path: entry.path, field: kc.clientCert.source.field, certs: kc.clientCert.certs, record, key: kc.clientKey?.key.keyObject, ...caOf(record), caFiles, at }));
        }
      } catch (error) {
        addProblem(entry.path, isKubeMtlsSimError(error)
          ? error
          : new KubeMtlsSimError('ERR_KUBECONFIG_FIELD', `${entry.path}: ${(error as Error).message}`, { file: entry.file, cause: error }));
      }
    } else if (entry.kind === 'cert' || entry.kind === 'cert-and-key') {
      if (preset?.certs.some((r) => r.kind === 'ca' && r.copies.includes(entry.path))) continue; // a copy of a CA listed once
      if (entry.kind === 'cert-and-key' && layout.entries.some((l) => l.kind === 'symlink' && resolveLink(l, byPath) === entry)) continue; // listed through its -current link
      const record = recordFor(entry.path);
      const keyEntry = record?.files.kind === 'pair' ? byPath.get(record.files.key) : entry.kind === 'cert-and-key' ? entry : byPath.get(guessKeyPath(entry.path));
      rows.push(row({ name: record?.id ?? nameFor(entry.path), path: entry.path, certs: entry.certs!, record, key: keyEntry?.key?.keyObject, keyProblem: keyEntry?.problem, ...caOf(record), caFiles, at }));
    } else if (entry.kind === 'symlink') {
      const target = resolveLink(entry, byPath);
      if (target?.certs && !target.problem) {
        const record = recordFor(entry.path);
        rows.push(row({ name: record?.id ?? nameFor(entry.path), path: entry.path, certs: target.certs, record, key: target.key?.keyObject, ...caOf(record), caFiles, at }));
      }
    }
  }
  rows.sort((a, b) => goStringOrder(a.name, b.name));
  const list = [...problems.values()].sort((a, b) => goStringOrder(a.path, b.path));
  const ok = list.length === 0 && rows.every((r) => r.checks.chain.ok && r.checks.eku.ok && r.checks.key.ok);
  return { root, preset: presetName, at, rows, problems: list, ok };
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
  /** The CA file the table says signs it. */
  expectedCa?: CaFile;
  /** That CA file's path, when it is missing or unreadable: the chain cannot be checked. */
  caUnreadable?: string;
  caFiles: CaFile[];
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
  const anchor: CaFile | undefined = input.caUnreadable ? undefined : input.expectedCa
    ?? (leaf.node.ca && leaf.node.checkIssued(leaf.node) ? { name: input.name, path: input.path, certs: [leaf] }
      : input.caFiles.find((c) => c.certs.some((a) => leaf.node.checkIssued(a.node))) ?? chainAnchor(input, intermediates));
  const verdict: VerifyResult | undefined = anchor ? verifyAgainst(leaf, intermediates, anchor.certs, input.at) : undefined;
  const chain: CheckResult = input.caUnreadable
    ? { ok: false, reason: 'CA_UNREADABLE', detail: `cannot check: its CA file ${input.caUnreadable} is unreadable` }
    : verdict
      ? { ok: verdict.ok, reason: verdict.reason, detail: verdict.detail }
      : { ok: false, reason: 'UNKNOWN_AUTHORITY', detail: 'no CA in this folder issued it' };
  const eku = ekuCheck(role, ekuOids);
  let key: CheckResult;
  if (input.keyProblem) key = { ok: false, reason: input.keyProblem.code, detail: input.keyProblem.message };
  else if (!input.key) key = { ok: role === 'ca' && !input.record, reason: 'NO_KEY', detail: 'no private key found beside it' };
  else if (leaf.node.checkPrivateKey(input.key)) key = { ok: true, reason: 'OK', detail: 'the private key matches' };
  else key = keyMismatch(input.certs, input.key);
  if (input.record?.files.kind === 'none') key = { ok: true, reason: 'OK', detail: 'key discarded by design' };
  // Which certificate of a CA bundle it verified against: during a rotation, the old or the new CA.
  const index = verdict?.anchor && anchor && anchor.certs.length > 1 ? anchor.certs.indexOf(verdict.anchor) : -1;
  return {
    name: input.name, path: input.path, ...(input.field ? { field: input.field } : {}),
    ...(input.record ? { recordId: input.record.id } : {}), ...(role ? { role } : {}),
    isCa: leaf.node.ca, cn, o, issuer: nameFields(leaf.node.issuer).cn,
    serial: leaf.node.serialNumber, notBefore, notAfter, residualMs: notAfter.getTime() - input.at.getTime(),
    extKeyUsage: ekuOids.map((oid) => EKU_NAMES[oid] ?? oid),
    sans: leaf.node.subjectAltName ? leaf.node.subjectAltName.split(', ').map((s) => s.replace('IP Address:', 'IP:')) : [],
    ...(anchor ? { verifiedAgainst: { name: anchor.name, path: anchor.path, ...(index >= 0 ? { certificate: index + 1, of: anchor.certs.length, serial: verdict!.anchor!.node.serialNumber } : {}) } } : {}),
    checks: { chain, eku, key },
  };
}

/**
 * Go's tls.X509KeyPair pairs the key with the first certificate of the file, so a CA bundle whose
 * key belongs to a later certificate still fails; saying which one it matches shows the order is wrong.
 */
function keyMismatch(certs: IssuedCert[], key: import('node:crypto').KeyObject): CheckResult {
  const later = certs.findIndex((c, i) => i > 0 && c.node.checkPrivateKey(key));
  const detail = later > 0
    ? `tls: private key does not match public key (it matches certificate ${later + 1} of ${certs.length}; Go pairs a key with the first)`
    : 'tls: private key does not match public key';
  return { ok: false, reason: 'KEY_MISMATCH', detail };
}

function chainAnchor(input: RowInput, intermediates: IssuedCert[]): CaFile | undefined {
  const top = intermediates.at(-1);
  const name = input.record?.kind === 'leaf' ? input.record.ca : `${input.name} chain`;
  return top?.node.ca ? { name: `${name} ${SENT_IN_THE_CHAIN}`, path: input.path, certs: [top] } : undefined;
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
