import { parseArgs } from 'node:util';
import { fixedClock, systemClock, type Clock } from '../clock.js';
import { KubeMtlsSimError } from '../errors.js';
import { runScenarios, type ScenarioRun } from '../scenarios/run.js';
import { explain, type Lang } from '../verdict/explain.js';
import { renderTable } from './table.js';
import { formatInspect } from './pki.js';
import type { Scenario } from '../scenarios/types.js';
import { SCENARIOS } from '../../scenarios/index.js';
import { formatRun } from './report.js';

export const SCENARIO_USAGE = `Usage:
  kube-mtls-sim scenario NAME [NAME…] [--preset kubeadm|reference] [--lang en|zh] [--now ISO-TIME] [--json]
  kube-mtls-sim scenario --all [--grep PATTERN] [--lang en|zh] [--now ISO-TIME] [--json]
  kube-mtls-sim scenario --list [--grep PATTERN]

  Runs each named scenario for real: a fresh simulated cluster on 127.0.0.1, one TLS handshake
  and HTTP request over the edge, and a report of who presented what, who verified it against which
  CA, the verdict and what Kubernetes would print. Exit status 0 when every outcome matches its
  documented expectation, 1 when one does not.
  --preset reference   run the reference document's version of an edge (same as NAME reference-<edge>)
  --all                run the whole catalogue and print a summary table (scenario, expected, got, match)
  --grep PATTERN       only scenarios whose name, edge or title matches PATTERN (a regular expression)
  --lang zh            explanations in Simplified Chinese (default en)
  --expirations        after the run, the node's certificates and their expiry at the scenario's (virtual) time`;

function usage(message: string): never {
  throw new KubeMtlsSimError('ERR_USAGE', `${message}\n\n${SCENARIO_USAGE}`);
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function findScenario(name: string, preset?: string): Scenario {
  const wanted = preset === 'reference' && !name.startsWith('reference-') ? `reference-${name}` : name;
  const found = SCENARIOS.find((s) => s.name === wanted);
  if (found) return found;
  const close = [...SCENARIOS].sort((a, b) => distance(wanted, a.name) - distance(wanted, b.name)).slice(0, 3).map((s) => s.name);
  return usage(`unknown scenario "${name}". Did you mean: ${close.join(', ')}? (\`--list\` shows them all)`);
}

export async function scenarioCommand(args: string[], out: (text: string) => void, err: (text: string) => void = () => {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: {
      preset: { type: 'string' }, now: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' },
      all: { type: 'boolean' }, grep: { type: 'string' }, lang: { type: 'string' }, expirations: { type: 'boolean' },
    } });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.preset !== undefined && values.preset !== 'kubeadm' && values.preset !== 'reference') usage(`\`--preset\`: "${values.preset}" is not kubeadm or reference`);
  if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'zh') usage(`\`--lang\`: "${values.lang}" is not en or zh`);
  const lang: Lang = values.lang === 'zh' ? 'zh' : 'en';
  let pattern: RegExp | undefined;
  try {
    pattern = values.grep === undefined ? undefined : new RegExp(values.grep, 'i');
  } catch (error) {
    usage(`\`--grep\`: ${(error as Error).message}`);
  }
  const selected = SCENARIOS.filter((s) => !pattern || pattern.test(s.name) || pattern.test(s.edge) || pattern.test(s.title));
  if (values.list) {
    const byEdge = new Map<string, Scenario[]>();
    for (const s of selected) byEdge.set(s.edge, [...(byEdge.get(s.edge) ?? []), s]);
    for (const [edge, list] of byEdge) {
      out(`${edge}:`);
      for (const s of list) out(`  ${s.name.padEnd(54)} ${s.expect.verdict.padEnd(12)} ${s.title}`);
    }
    return 0;
  }
  if (positionals.length === 0 && !values.all) usage('missing scenario NAME (or --all)');
  if (positionals.length > 0 && values.all) usage('give scenario names or --all, not both');
  const clock = clockFrom(values.now);
  const scenarios = values.all ? selected : positionals.map((name) => findScenario(name, values.preset));
  if (scenarios.length === 0) usage(`\`--grep\`: no scenario matches "${values.grep}"`);
  const progress = scenarios.length > 3;
  const runs = await runScenarios(scenarios, clock, {
    concurrency: values.all ? 4 : 1,
    expirations: values.expirations === true,
    onResult: (run, done, total) => {
      if (progress) err(`[${String(done).padStart(String(total).length)}/${total}] ${run.mismatches.length === 0 ? 'ok      ' : 'MISMATCH'} ${run.scenario.name}`);
    },
  });
  if (values.json) {
    out(JSON.stringify(runs.map((r) => ({
      scenario: r.scenario.name, expect: r.scenario.expect, matches: r.mismatches.length === 0, mismatches: r.mismatches,
      result: r.result, explanation: explain(r.result, lang),
    })), null, 2));
  } else if (values.all) {
    out(summaryTable(runs));
  } else {
    out(runs.map((r) => `${formatRun(r, lang)}${r.expirations ? `\n\n${formatInspect(r.expirations)}` : ''}`).join('\n\n'));
  }
  return runs.every((r) => r.mismatches.length === 0) ? 0 : 1;
}

function summaryTable(runs: ScenarioRun[]): string {
  const describe = (e: { verdict: string; reason: string }) => `${e.verdict} ${e.reason}`;
  const rows = runs.map((r) => [r.scenario.name, describe(r.scenario.expect), describe(r.result), r.mismatches.length === 0 ? 'yes' : 'NO']);
  const failed = runs.filter((r) => r.mismatches.length > 0);
  return [
    renderTable(['SCENARIO', 'EXPECTED', 'GOT', 'MATCH'], rows),
    '',
    `${runs.length - failed.length} of ${runs.length} scenarios match their documented outcome${failed.length ? `; mismatches:\n${failed.map((r) => `  ${r.scenario.name}: ${r.mismatches.join('; ')}`).join('\n')}` : '.'}`,
  ].join('\n');
}

function clockFrom(now: string | undefined): Clock {
  if (now === undefined) return systemClock;
  if (Number.isNaN(new Date(now).getTime())) usage(`\`--now\`: "${now}" is not a date (use ISO 8601, e.g. 2026-01-01T00:00:00Z)`);
  return fixedClock(now);
}
