import type { ScenarioRun } from '../scenarios/run.js';
import { explain, explanationText, type Lang } from '../verdict/explain.js';
import { PHRASES } from '../verdict/phrases.js';
import type { CertSummary, EdgeResult, TrustSummary } from '../verdict/result.js';
import { REASON_TEXT, SIDE_WORDS, STAGE_WORDS, VERDICT_WORDS } from '../verdict/reason-text.js';
import { REPORT_WORDS, type ReportWords } from './report-words.js';
import { displayWidth } from './table.js';
import { scenarioText } from '../../scenarios/zh/index.js';

/** The report a learner reads: who presented what, who checked it against which CA, the verdict, what Kubernetes prints. */
export function formatRun(run: ScenarioRun, lang: Lang = 'en'): string {
  const { scenario, result } = run;
  const w = REPORT_WORDS[lang];
  const label = (name: string) => `  ${name.padEnd(lang === 'en' ? 12 : 10)} `;
  const lines: string[] = [];
  const text = scenarioText(scenario, lang);
  lines.push(w.scenario(scenario.name, scenario.preset, result.edge, text.title));
  lines.push(wrap(text.description, '  '));
  lines.push('');
  lines.push(`${w.client}  ${result.client.component}${result.client.configuredBy ? `  ${w.configuredBy(result.client.configuredBy)}` : ''}`);
  if (result.client.dialled) lines.push(`${label(w.dials)}${result.client.dialled}${result.server.listening ? `  ${w.routedTo(result.server.listening)}` : ''}`);
  lines.push(`${label(w.presents)}${presented(w, result.client.presented)}`);
  lines.push(`${label(w.trusts)}${trust(w, result.client.trusts)}`);
  lines.push('');
  lines.push(`${w.server}  ${result.server.component}`);
  lines.push(`${label(w.presents)}${presented(w, result.server.presented)}`);
  lines.push(`${label(w.verifies)}${trust(w, result.server.verifiesClientsWith)}`);
  lines.push('');
  const stage = result.stage ? `  ${w.atStage(STAGE_WORDS[lang][result.stage])}` : '';
  const side = result.detectedBy ? w.decidedBy(SIDE_WORDS[lang][result.detectedBy]) : '';
  lines.push(`${w.verdict}  ${VERDICT_WORDS[lang][result.verdict]}${stage}${side}  [${result.reason}]`);
  // The summary is a sentence of its own: in another language, the reason's meaning (the explanation below gives the particulars).
  lines.push(wrap(lang === 'en' ? result.summary : REASON_TEXT[lang][result.reason], '  '));
  if (result.identity) lines.push(`${w.identity} ${result.identity.name}${result.identity.groups.length ? `  ${w.groups} ${result.identity.groups.join(', ')}` : ''}  (${result.identity.method})`);
  lines.push(w.kubernetesPrints);
  if (result.messages.length === 0) lines.push(`  ${w.nothingPrinted(result.verdict === 'insecure')}`);
  for (const m of result.messages) lines.push(`  ${m.component} (${m.where}): ${m.text}`);
  const explanation = explain(result, lang);
  lines.push(PHRASES[lang].labels.explanation);
  for (const line of explanationText(explanation).split('\n')) lines.push(wrap(line, '  '));
  lines.push('');
  const matches = run.mismatches.length === 0;
  lines.push(`${w.expected(VERDICT_WORDS[lang][scenario.expect.verdict].toLowerCase(), scenario.expect.reason, matches)}${matches ? '' : `\n${run.mismatches.map((m) => `  - ${m}`).join('\n')}`}`);
  return lines.join('\n');
}

function presented(w: ReportWords, p: EdgeResult['client']['presented']): string {
  if (!p) return w.nothing;
  if ('token' in p) return w.bearerToken(p.token, p.field, p.file);
  return cert(w, p);
}

function cert(w: ReportWords, c: CertSummary): string {
  const parts = [`${c.subject || w.emptySubject}, ${w.issuedBy(c.issuer, c.serial)}`, w.valid(c.notBefore, c.notAfter)];
  if (c.extKeyUsage.length) parts.push(`${w.eku} ${c.extKeyUsage.join(', ')}`);
  if (c.sans.length) parts.push(`${w.sans} ${c.sans.join(', ')}`);
  if (c.field) parts.push(w.from(c.field, c.file));
  return parts.join('\n               ');
}

function trust(w: ReportWords, t: TrustSummary | null): string {
  if (!t) return w.trustUnknown;
  if (t.kind === 'none') return w.trustNone(t.field);
  if (t.kind === 'system-roots') return w.trustSystemRoots(t.field);
  return `${t.field}${t.file ? ` (${t.file})` : ''}: ${t.subjects.join('; ')}`;
}

/**
 * A CJK character or a run of anything else, with the brackets and punctuation that must not start or end a line: where a line may break inside a word.
 * Opening （「“ and closing ，。：；）、！？”」 are written as escapes: the CLI bundle stays ASCII, which the bin reads faster (scripts/cli-bin.cjs).
 */
const PIECES = /[\uFF08\u300C\u201C]*(?:[\u2E80-\u9FFF\u3000-\u303F\uFF00-\uFFEF][\uFF0C\u3002\uFF1A\uFF1B\uFF09\u3001\uFF01\uFF1F\u201D\u300D]*|[^\u2E80-\u9FFF\u3000-\u303F\uFF00-\uFFEF]+)/g;

/** Wraps at 100 terminal columns; Chinese, which has no spaces, may break between any two characters. */
function wrap(text: string, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    for (const piece of word.match(PIECES) ?? ['']) {
      if (displayWidth(line) + displayWidth(piece) > 100 && line.trim()) {
        lines.push(line.trimEnd());
        line = indent;
      }
      line += piece;
    }
    line += ' ';
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}
