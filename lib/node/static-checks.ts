// The checks kubeadm runs on a node's files without dialling anything: `kubeadm certs
// check-expiration`'s table, each certificate against its CA and its key, and each kubeconfig's CA
// data against the cluster CA (kubeadm's "exists already but has got the wrong CA cert"). `check`
// shows them beside the handshakes: a certificate that expires next month still handshakes today.
import type { Clock } from '../clock.js';
import { isKubeMtlsSimError } from '../errors.js';
import { readInRoot } from '../fs/read.js';
import { parseKubeconfig } from '../kubeconfig/parse.js';
import { inspectLayout, type InspectRow } from '../layout/inspect.js';
import { readCertificates } from '../pki/pem.js';
import type { IssuedCert } from '../pki/issued-cert.js';
import type { LoadedNode } from './load.js';
import { etcdPeerFindings } from './etcd-peer-checks.js';
import { REASON_TEXT } from '../verdict/reason-text.js';
import type { Reason } from '../verdict/reasons.js';

/** One row of `kubeadm certs check-expiration`'s tables. */
export interface ExpirationRow {
  /** kubeadm's name (`apiserver`, `admin.conf`, `ca`) or, outside kubeadm's table, the file's base name. */
  certificate: string;
  path: string;
  /** For a certificate inside a kubeconfig: its field. */
  field?: string;
  isCa: boolean;
  expires: string;
  /** Milliseconds left at the check's time (negative once expired). */
  residualMs: number;
  /** The CA it was checked against (kubeadm's CERTIFICATE AUTHORITY column; empty for a CA). */
  authority: string;
  /** kubeadm's EXTERNALLY MANAGED: the CA's private key is not on the node, so kubeadm cannot renew it. */
  externallyManaged: boolean;
}

export type StaticCheck = 'expiration' | 'chain' | 'usage' | 'key-pair' | 'kubeconfig-ca' | 'file';

/** Something a static check found: the file (and field) at fault, in one line, and what kubeadm would say when it says something. */
export interface StaticFinding {
  check: StaticCheck;
  /** `fail` counts against the node (exit 1); `note` is listed only (a file kubeadm's table names that this node does not have: kubeadm's `!MISSING!`). */
  severity: 'fail' | 'note';
  file: string;
  field?: string;
  message: string;
  /** The message in Simplified Chinese (`check --lang zh`); Go's and the checker's own words inside stay as they are. */
  zh?: string;
  kubeadm?: string;
}

export interface StaticChecks {
  at: string;
  expiration: ExpirationRow[];
  findings: StaticFinding[];
}

const keyAbsent = (row: InspectRow) => row.checks.key.reason === 'NO_KEY' || row.checks.key.reason === 'ERR_FILE_NOT_FOUND';

function expirationRows(rows: InspectRow[]): ExpirationRow[] {
  const cas = new Map(rows.filter((r) => r.isCa).map((r) => [r.path, r] as const));
  return rows.map((r) => {
    const ca = r.isCa ? r : r.verifiedAgainst ? cas.get(r.verifiedAgainst.path) : undefined;
    return {
      certificate: r.name, path: r.path, ...(r.field ? { field: r.field } : {}), isCa: r.isCa,
      expires: r.notAfter.toISOString(), residualMs: r.residualMs,
      authority: r.isCa ? '' : r.verifiedAgainst?.name ?? r.issuer,
      externallyManaged: ca !== undefined && keyAbsent(ca),
    };
  });
}

/** The key-pair check's outcomes that are no verdict reason, in Chinese. */
const KEY_ZH: Readonly<Record<string, string>> = { KEY_MISMATCH: '私钥与证书中的公钥不匹配。', NO_KEY: '证书旁边没有找到私钥。' };

/** A finding in Chinese: the reason's meaning (or `otherwise`), then the check's own words as they are. */
function zhFinding(name: string, reason: string, otherwise: string, detail: string): string {
  const meaning = (REASON_TEXT.zh as Readonly<Record<string, string>>)[reason as Reason] ?? otherwise;
  return `${name}：${meaning} 检查结果原文：${detail}`;
}

function certificateFindings(rows: InspectRow[]): StaticFinding[] {
  const out: StaticFinding[] = [];
  for (const r of rows) {
    const at = { file: r.path, ...(r.field ? { field: r.field } : {}) };
    if (r.residualMs <= 0) out.push({ check: 'expiration', severity: 'fail', ...at, message: `${r.name} expired on ${r.notAfter.toISOString()}`, zh: `${r.name} 已于 ${r.notAfter.toISOString()} 过期`, kubeadm: `${r.name} <invalid>` });
    else if (!r.checks.chain.ok) out.push({ check: 'chain', severity: 'fail', ...at, message: `${r.name}: ${r.checks.chain.detail}`, zh: zhFinding(r.name, r.checks.chain.reason, '证书链校验失败。', r.checks.chain.detail) });
    if (!r.checks.eku.ok) out.push({ check: 'usage', severity: 'fail', ...at, message: `${r.name}: ${r.checks.eku.detail}`, zh: zhFinding(r.name, 'WRONG_EKU', '', r.checks.eku.detail) });
    // A CA without its key is kubeadm's external CA, not a mistake: EXTERNALLY MANAGED says it.
    if (!r.checks.key.ok && !(r.isCa && keyAbsent(r))) out.push({ check: 'key-pair', severity: 'fail', ...at, message: `${r.name}: ${r.checks.key.detail}`, zh: zhFinding(r.name, r.checks.key.reason, KEY_ZH[r.checks.key.reason] ?? '私钥无法使用。', r.checks.key.detail) });
  }
  return out;
}

/** The cluster CA: the certificates kube-apiserver verifies clients with (`--client-ca-file`, kubeadm's ca.crt). */
function clusterCa(node: LoadedNode): { file: string; certs: IssuedCert[] } | undefined {
  const file = node.spec['kube-apiserver']['--client-ca-file'];
  if (!file) return undefined;
  try {
    return { file, certs: readCertificates(readInRoot(node.root, file), { file }) };
  } catch (error) {
    if (isKubeMtlsSimError(error)) return undefined; // the apiserver's own problem, reported with its edges
    throw error;
  }
}

/** Each kubeconfig's CA against the cluster CA: one that holds none of the cluster CA's certificates is from another cluster. */
function kubeconfigFindings(node: LoadedNode): StaticFinding[] {
  const ca = clusterCa(node);
  if (!ca) return [];
  const known = new Set(ca.certs.map((c) => c.der.toString('base64')));
  const out: StaticFinding[] = [];
  const seen = new Set<string>();
  for (const [client, { kubeconfig }] of Object.entries(node.spec.clients)) {
    if (!kubeconfig || seen.has(kubeconfig) || node.problems.some((p) => p.component === client)) continue;
    seen.add(kubeconfig);
    let certs: IssuedCert[] | undefined;
    let field = 'certificate-authority-data';
    try {
      const kc = parseKubeconfig(readInRoot(node.root, kubeconfig).toString('utf8'), kubeconfig, {
        readFile: (path, by) => readInRoot(node.root, path, { field: by.field, file: by.file }),
      });
      certs = kc.ca?.certs;
      field = kc.ca?.source.field ?? field;
    } catch (error) {
      if (isKubeMtlsSimError(error)) continue; // loadNode already lists it as its client's problem
      throw error;
    }
    if (!certs || certs.some((c) => known.has(c.der.toString('base64')))) continue;
    out.push({
      check: 'kubeconfig-ca', severity: 'fail', file: kubeconfig, field,
      message: `${kubeconfig}: ${field} holds ${certs.map((c) => c.node.subject.replace(/\n/g, ', ')).join('; ')}, not the cluster CA of ${ca.file}: a CA from another cluster`,
      zh: `${kubeconfig}：${field} 中是 ${certs.map((c) => c.node.subject.replace(/\n/g, ', ')).join('; ')}，而不是 ${ca.file} 中的集群 CA：这是另一个集群的 CA`,
      kubeadm: `a kubeconfig file "${kubeconfig}" exists already but has got the wrong CA cert`,
    });
  }
  return out;
}

/** The static checks over a node read by loadNode, at the clock's time. */
export function staticChecks(node: LoadedNode, clock: Clock): StaticChecks {
  const report = inspectLayout(node.root, clock);
  const files: StaticFinding[] = report.problems
    // A node laid out otherwise than kubeadm's table is no finding; its files are still listed.
    .filter((p) => p.code !== 'ERR_LAYOUT_UNKNOWN')
    .map((p) => ({ check: 'file', severity: p.code === 'ERR_FILE_NOT_FOUND' ? 'note' : 'fail', file: p.path, message: `[${p.code}] ${p.message}` }));
  const certificates = certificateFindings(report.rows);
  // kubeadm's table already judges etcd/peer.crt's usages where it knows the file: said once.
  const peer = etcdPeerFindings(node, clock.now()).filter((f) => f.check !== 'usage' || !certificates.some((c) => c.check === 'usage' && c.file === f.file));
  return {
    at: report.at.toISOString(),
    expiration: expirationRows(report.rows),
    findings: [...certificates, ...kubeconfigFindings(node), ...peer, ...files],
  };
}
