// What `check DIR` prints: the edges' table first (what works and what does not, and where to look),
// then why each failing edge fails, then kubeadm's static checks, the components that could not load
// and the flags not modelled (listed, never dropped).
import type { NodeCheck } from '../cluster/check-node.js';
import type { ExpirationRow } from '../node/static-checks.js';
import { explain, explanationText, type Explanation, type Lang } from '../verdict/explain.js';
import { responsibleFor } from '../verdict/responsible.js';
import type { EdgeResult } from '../verdict/result.js';
import { kubeadmDate, renderTable, residual } from './table.js';

/** A table cell holds one line: a long reason or message is cut (the JSON and the explanations keep it whole). */
const CELL = 64;
const oneLine = (text: string, limit = CELL) => {
  const flat = [...text.replace(/\s*\n\s*/g, ' ')];
  return flat.length <= limit ? flat.join('') : `${flat.slice(0, limit - 1).join('')}…`;
};

/** One row of the edges' table, as data (the JSON's `edges`, and the text table's cells). */
export function edgeRow(r: EdgeResult) {
  return {
    edge: r.edge, verdict: r.verdict, stage: r.stage, responsible: responsibleFor(r), reason: r.reason, summary: r.summary,
    kubernetes: r.messages.map((m) => `${m.component} (${m.where}): ${m.text}`),
  };
}

const failing = (r: EdgeResult) => r.verdict !== 'ok';

export function checkJson(report: NodeCheck, ok: boolean, lang: Lang) {
  return {
    root: report.root, at: report.at, ok,
    edges: report.edges.map(edgeRow),
    skipped: report.skipped,
    explanations: report.edges.filter(failing).map((r): { edge: string } & Explanation => ({ edge: r.edge, ...explain(r, lang) })),
    expiration: report.static.expiration,
    findings: report.static.findings,
    notStarted: report.notStarted,
    problems: report.problems.map((p) => ({ component: p.component, code: p.error.code, message: p.error.message, ...(p.error.file ? { file: p.error.file } : {}), ...(p.error.field ? { field: p.error.field } : {}) })),
    unmodelledFlags: report.unmodelledFlags,
    components: Object.fromEntries(Object.entries(report.node.components).map(([c, s]) => [c, { how: s.how, ...(s.file ? { file: s.file } : {}) }])),
  };
}

function expirationTables(rows: ExpirationRow[]): string[] {
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  const leaves = rows.filter((r) => !r.isCa);
  const cas = rows.filter((r) => r.isCa);
  return [
    renderTable(['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED'],
      leaves.map((r) => [r.certificate, kubeadmDate(new Date(r.expires)), residual(r.residualMs), r.authority, yesNo(r.externallyManaged)])),
    '',
    renderTable(['CERTIFICATE AUTHORITY', 'EXPIRES', 'RESIDUAL TIME', 'EXTERNALLY MANAGED'],
      cas.map((r) => [r.certificate, kubeadmDate(new Date(r.expires)), residual(r.residualMs), yesNo(r.externallyManaged)])),
  ];
}

function sourceLine(report: NodeCheck): string {
  return Object.entries(report.node.components).map(([c, s]) => `${c}: ${s.how === 'absent' ? 'absent' : `${s.how} ${s.file}`}`).join(', ');
}

export function formatCheck(report: NodeCheck, ok: boolean, lang: Lang): string {
  const lines: string[] = [];
  lines.push(`[check] ${report.root} at ${report.at}`);
  lines.push(`[check] read: ${sourceLine(report)}`);
  lines.push('');
  lines.push(renderTable(['EDGE', 'VERDICT', 'STAGE', 'RESPONSIBLE', 'REASON', 'KUBERNETES PRINTS'], report.edges.map((r) => {
    const row = edgeRow(r);
    return [row.edge, row.verdict, row.stage ?? '-', oneLine(row.responsible || '-', 80), row.reason === 'OK' ? 'OK' : `${row.reason}: ${oneLine(row.summary, 48)}`, oneLine(row.kubernetes[0] ?? '-')];
  })));
  for (const s of report.skipped) lines.push(`${s.edge}: not checked: ${s.why}`);
  for (const r of report.edges.filter(failing)) {
    lines.push('');
    lines.push(`${r.edge}: ${r.verdict.toUpperCase()} [${r.reason}]${r.stage ? ` at ${r.stage}` : ''}: ${r.summary}`);
    const responsible = responsibleFor(r);
    if (responsible) lines.push(`  look at: ${responsible}`);
    for (const m of r.messages) lines.push(`  ${m.component} (${m.where}): ${m.text}`);
    for (const line of explanationText(explain(r, lang)).split('\n')) lines.push(`  ${line}`);
  }
  lines.push('');
  lines.push(`[check-expiration] as kubeadm certs check-expiration, at ${report.static.at}`);
  lines.push(...expirationTables(report.static.expiration));
  lines.push('');
  const findings = report.static.findings;
  lines.push(findings.length === 0
    ? '[static] every certificate verifies against its CA with a matching key, and every kubeconfig holds the cluster CA'
    : `[static] ${findings.length} finding(s):`);
  for (const f of findings) {
    lines.push(`  ${f.severity === 'fail' ? 'FAIL' : 'note'} ${f.check} ${f.file}${f.field ? ` ${f.field}` : ''}: ${f.message}`);
    if (f.kubeadm) lines.push(`       kubeadm would say: ${f.kubeadm}`);
  }
  if (report.notStarted.length + report.problems.length > 0) {
    lines.push('');
    lines.push('[node] components that cannot load or start:');
    for (const p of report.problems) lines.push(`  ${p.component}: [${p.error.code}] ${p.error.message}${p.error.field ? ` (flag/field: ${p.error.field})` : ''}`);
    for (const s of report.notStarted) lines.push(`  ${s.component} did not start: [${s.code}] ${s.message}`);
  }
  lines.push('');
  lines.push(report.unmodelledFlags.length === 0 ? '[node] every flag is modelled' : `[node] ${report.unmodelledFlags.length} flag(s) kept but not modelled by the simulator:`);
  for (const f of report.unmodelledFlags) lines.push(`  ${f.component} ${f.flag}=${oneLine(f.value)}  (${f.file})`);
  lines.push('');
  const counts = (['ok', 'insecure', 'rejected', 'config-error'] as const).map((v) => `${report.edges.filter((e) => e.verdict === v).length} ${v}`).join(', ');
  lines.push(`[check] ${ok ? 'ok' : 'FAIL'}: ${report.edges.length} edges (${counts}), ${findings.filter((f) => f.severity === 'fail').length} static finding(s), ${report.problems.length + report.notStarted.length} component problem(s)`);
  return lines.join('\n');
}
