import type { ScenarioRun } from '../scenarios/run.js';
import { explain, explanationText, type Lang } from '../verdict/explain.js';
import { PHRASES } from '../verdict/phrases.js';
import type { CertSummary, EdgeResult, TrustSummary } from '../verdict/result.js';

/** The report a learner reads: who presented what, who checked it against which CA, the verdict, what Kubernetes prints. */
export function formatRun(run: ScenarioRun, lang: Lang = 'en'): string {
  const { scenario, result } = run;
  const lines: string[] = [];
  lines.push(`Scenario ${scenario.name} (${scenario.preset} preset, edge ${result.edge}): ${scenario.title}`);
  lines.push(wrap(scenario.description, '  '));
  lines.push('');
  lines.push(`CLIENT  ${result.client.component}${result.client.configuredBy ? `  (configured by ${result.client.configuredBy})` : ''}`);
  if (result.client.dialled) lines.push(`  dials        ${result.client.dialled}${result.server.listening ? `  (the simulated node network routes it to ${result.server.listening})` : ''}`);
  lines.push(`  presents     ${presented(result.client.presented)}`);
  lines.push(`  trusts       ${trust(result.client.trusts)}`);
  lines.push('');
  lines.push(`SERVER  ${result.server.component}`);
  lines.push(`  presents     ${presented(result.server.presented)}`);
  lines.push(`  verifies     ${trust(result.server.verifiesClientsWith)}`);
  lines.push('');
  lines.push(`VERDICT  ${result.verdict.toUpperCase()}${result.stage ? `  at ${result.stage}` : ''}${result.detectedBy ? `, decided by the ${result.detectedBy}` : ''}  [${result.reason}]`);
  lines.push(wrap(result.summary, '  '));
  if (result.identity) lines.push(`IDENTITY ${result.identity.name}${result.identity.groups.length ? `  groups ${result.identity.groups.join(', ')}` : ''}  (${result.identity.method})`);
  lines.push('WHAT KUBERNETES PRINTS');
  if (result.messages.length === 0) lines.push('  nothing: the edge works' + (result.verdict === 'insecure' ? ', which is exactly why this weakness goes unnoticed' : ''));
  for (const m of result.messages) lines.push(`  ${m.component} (${m.where}): ${m.text}`);
  const explanation = explain(result, lang);
  lines.push(PHRASES[lang].labels.explanation);
  for (const line of explanationText(explanation).split('\n')) lines.push(wrap(line, '  '));
  lines.push('');
  lines.push(run.mismatches.length === 0
    ? `EXPECTED ${scenario.expect.verdict} [${scenario.expect.reason}]: matches.`
    : `EXPECTED ${scenario.expect.verdict} [${scenario.expect.reason}]: DOES NOT MATCH\n${run.mismatches.map((m) => `  - ${m}`).join('\n')}`);
  return lines.join('\n');
}

function presented(p: EdgeResult['client']['presented']): string {
  if (!p) return 'nothing';
  if ('token' in p) return `a bearer token ${p.token} from ${p.field}${p.file ? ` (${p.file})` : ''}`;
  return cert(p);
}

function cert(c: CertSummary): string {
  const parts = [`${c.subject || '(empty subject)'}, issued by ${c.issuer}, serial ${c.serial}`, `valid ${c.notBefore} .. ${c.notAfter}`];
  if (c.extKeyUsage.length) parts.push(`EKU ${c.extKeyUsage.join(', ')}`);
  if (c.sans.length) parts.push(`SANs ${c.sans.join(', ')}`);
  if (c.field) parts.push(`from ${c.field}${c.file ? ` (${c.file})` : ''}`);
  return parts.join('\n               ');
}

function trust(t: TrustSummary | null): string {
  if (!t) return 'unknown (the component did not start)';
  if (t.kind === 'none') return `nothing: ${t.field}`;
  if (t.kind === 'system-roots') return `the system roots (no cluster CA): ${t.field}`;
  return `${t.field}${t.file ? ` (${t.file})` : ''}: ${t.subjects.join('; ')}`;
}

function wrap(text: string, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.length + word.length > 100 && line.trim()) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}
