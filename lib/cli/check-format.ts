// What `check DIR` prints: the edges' table first (what works and what does not, and where to look),
// then why each failing edge fails, then kubeadm's static checks, the components that could not load
// and the flags not modelled (listed, never dropped).
import type { NodeCheck } from '../cluster/check-node.js';
import type { KubeletFallback } from '../cluster/check-kubelet-fallback.js';
import { fallbackLines } from './fallback-words.js';
import { metricsKubeletLines } from './metrics-kubelet-words.js';
import type { MetricsServerKubelet } from '../cluster/check-metrics-server-kubelet.js';
import type { ExpirationRow } from '../node/static-checks.js';
import { SENT_IN_THE_CHAIN } from '../layout/sent-in-chain.js';
import { explain, explanationText, type Explanation, type Lang } from '../verdict/explain.js';
import { responsibleFor } from '../verdict/responsible.js';
import type { EdgeResult } from '../verdict/result.js';
import { kubeadmDate, renderTable, residual } from './table.js';
import { REASON_TEXT, STAGE_WORDS, VERDICT_WORDS } from '../verdict/reason-text.js';
import { REPORT_WORDS, type ReportWords } from './report-words.js';

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
    ...(report.kubeletFallback ? { kubeletFallback: fallbackJson(report.kubeletFallback, lang) } : {}),
    metricsServerKubelet: metricsKubeletJson(report.metricsServerKubelet, lang),
    components: Object.fromEntries(Object.entries(report.node.components).map(([c, s]) => [c, { how: s.how, ...(s.file ? { file: s.file } : {}) }])),
  };
}

/** The kubelet's fallback as data: each outcome as an edge row (its assumption and what the kubelet logged beside it), and the report's sentences. */
function fallbackJson(f: KubeletFallback, lang: Lang) {
  return { ...f, outcomes: f.outcomes.map((o) => ({ assumption: o.assumption, log: o.log, ...edgeRow(o.result), detectedBy: o.result.detectedBy, identity: o.result.identity?.name ?? null, groups: o.result.identity?.groups ?? [] })), text: fallbackLines(f, lang) };
}

/** metrics-server → kubelet as data: the edge as a row (null when not dialled), and the report's sentences; never part of `ok`. */
function metricsKubeletJson(m: MetricsServerKubelet, lang: Lang) {
  const { result, ...rest } = m;
  return { ...rest, result: result ? { ...edgeRow(result), detectedBy: result.detectedBy } : null, text: metricsKubeletLines(m, lang) };
}

/** The authority column: a CA's name, and in the report's language that the file sends it itself. */
const authorityName = (w: ReportWords, name: string) => (name.endsWith(` ${SENT_IN_THE_CHAIN}`) ? `${name.slice(0, -SENT_IN_THE_CHAIN.length - 1)}${w.sentInChain.startsWith('(') ? ' ' : ''}${w.sentInChain}` : name);

function expirationTables(w: ReportWords, rows: ExpirationRow[]): string[] {
  const yesNo = (b: boolean) => (b ? w.yes : w.no);
  const leaves = rows.filter((r) => !r.isCa);
  const cas = rows.filter((r) => r.isCa);
  const [certificate, expires, residualTime, authority, external] = w.expirationHeaders;
  return [
    renderTable([certificate, expires, residualTime, authority, external],
      leaves.map((r) => [r.certificate, kubeadmDate(new Date(r.expires)), residual(r.residualMs), authorityName(w, r.authority), yesNo(r.externallyManaged)])),
    '',
    renderTable([authority, expires, residualTime, external],
      cas.map((r) => [r.certificate, kubeadmDate(new Date(r.expires)), residual(r.residualMs), yesNo(r.externallyManaged)])),
  ];
}

function sourceLine(w: ReportWords, report: NodeCheck): string {
  return Object.entries(report.node.components).map(([c, s]) => `${c}: ${s.how === 'absent' ? w.absent : `${s.how} ${s.file}`}`).join(', ');
}

/** A result's one sentence: its own summary in English, the reason's meaning in another language (the explanation gives the particulars). */
const summaryOf = (r: EdgeResult, lang: Lang) => (lang === 'en' ? r.summary : REASON_TEXT[lang][r.reason]);

export function formatCheck(report: NodeCheck, ok: boolean, lang: Lang): string {
  const w = REPORT_WORDS[lang];
  const lines: string[] = [];
  lines.push(w.checkAt(report.root, report.at));
  lines.push(w.read(sourceLine(w, report)));
  lines.push('');
  lines.push(renderTable([...w.checkHeaders], report.edges.map((r) => {
    const row = edgeRow(r);
    return [row.edge, VERDICT_WORDS[lang][r.verdict].toLowerCase(), r.stage ? STAGE_WORDS[lang][r.stage] : '-', oneLine(row.responsible || '-', 80),
      row.reason === 'OK' ? 'OK' : `${row.reason}: ${oneLine(summaryOf(r, lang), 48)}`, oneLine(row.kubernetes[0] ?? '-')];
  })));
  for (const s of report.skipped) lines.push(w.notChecked(s.edge, (lang === 'zh' && s.zh) || s.why));
  for (const r of report.edges.filter(failing)) {
    lines.push('');
    lines.push(`${r.edge}: ${VERDICT_WORDS[lang][r.verdict]} [${r.reason}]${r.stage ? ` ${w.atStage(STAGE_WORDS[lang][r.stage])}` : ''}: ${summaryOf(r, lang)}`);
    const responsible = responsibleFor(r);
    if (responsible) lines.push(`  ${w.lookAt}: ${responsible}`);
    for (const m of r.messages) lines.push(`  ${m.component} (${m.where}): ${m.text}`);
    for (const line of explanationText(explain(r, lang)).split('\n')) lines.push(`  ${line}`);
  }
  if (report.kubeletFallback) {
    const [heading, ...rest] = fallbackLines(report.kubeletFallback, lang);
    lines.push('', heading!, ...rest.map((line) => `  ${line}`));
  }
  const [scrapeHeading, ...scrape] = metricsKubeletLines(report.metricsServerKubelet, lang);
  lines.push('', scrapeHeading!, ...scrape.map((line) => `  ${line}`));
  lines.push('');
  lines.push(w.expirationAt(report.static.at));
  lines.push(...expirationTables(w, report.static.expiration));
  lines.push('');
  lines.push(...staticLines(w, report));
  lines.push('');
  const counts = (['ok', 'insecure', 'rejected', 'config-error'] as const).map((v) => `${report.edges.filter((e) => e.verdict === v).length} ${VERDICT_WORDS[lang][v].toLowerCase()}`).join(', ');
  lines.push(w.summary(ok, report.edges.length, counts, report.static.findings.filter((f) => f.severity === 'fail').length, report.problems.length + report.notStarted.length));
  return lines.join('\n');
}

/** kubeadm's static checks, the components that could not load, the flags not modelled. */
function staticLines(w: ReportWords, report: NodeCheck): string[] {
  const lines: string[] = [];
  const findings = report.static.findings;
  lines.push(findings.length === 0 ? w.staticClean : w.staticFindings(findings.length));
  for (const f of findings) {
    lines.push(`  ${w.severity[f.severity === 'fail' ? 'fail' : 'note']} ${f.check} ${f.file}${f.field ? ` ${f.field}` : ''}: ${(w === REPORT_WORDS.zh && f.zh) || f.message}`);
    if (f.kubeadm) lines.push(`       ${w.kubeadmWouldSay}: ${f.kubeadm}`);
  }
  if (report.notStarted.length + report.problems.length > 0) {
    lines.push('');
    lines.push(w.cannotStart);
    for (const p of report.problems) lines.push(`  ${p.component}: [${p.error.code}] ${p.error.message}${p.error.field ? ` (${w.flagOrField}: ${p.error.field})` : ''}`);
    for (const s of report.notStarted) lines.push(`  ${s.component} ${w.didNotStart}: [${s.code}] ${s.message}`);
  }
  lines.push('');
  lines.push(report.unmodelledFlags.length === 0 ? w.allFlagsModelled : w.unmodelledFlags(report.unmodelledFlags.length));
  for (const f of report.unmodelledFlags) lines.push(`  ${f.component} ${f.flag}=${oneLine(f.value)}  (${f.file})`);
  return lines;
}
