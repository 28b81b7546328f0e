import { parseArgs } from 'node:util';
import { fixedClock, systemClock, type Clock } from '../clock.js';
import { KubeMtlsSimError } from '../errors.js';
import { runScenario, type ScenarioRun } from '../scenarios/run.js';
import type { Scenario } from '../scenarios/types.js';
import { SCENARIOS } from '../../scenarios/index.js';
import { formatRun } from './report.js';

export const SCENARIO_USAGE = `Usage:
  kube-mtls-sim scenario NAME [NAME…] [--preset kubeadm|reference] [--now ISO-TIME] [--json]
  kube-mtls-sim scenario --list

  Runs each named scenario for real: a fresh simulated cluster on 127.0.0.1, one TLS handshake
  and HTTP request over the edge, and a report of who presented what, who verified it against which
  CA, the verdict and what Kubernetes would print. Exit status 0 when every outcome matches its
  documented expectation, 1 when one does not.
  --preset reference   run the reference document's version of an edge (same as NAME reference-<edge>)`;

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

export async function scenarioCommand(args: string[], out: (text: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: {
      preset: { type: 'string' }, now: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' },
    } });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.preset !== undefined && values.preset !== 'kubeadm' && values.preset !== 'reference') usage(`\`--preset\`: "${values.preset}" is not kubeadm or reference`);
  if (values.list) {
    const byEdge = new Map<string, Scenario[]>();
    for (const s of SCENARIOS) byEdge.set(s.edge, [...(byEdge.get(s.edge) ?? []), s]);
    for (const [edge, list] of byEdge) {
      out(`${edge}:`);
      for (const s of list) out(`  ${s.name.padEnd(44)} ${s.expect.verdict.padEnd(12)} ${s.title}`);
    }
    return 0;
  }
  if (positionals.length === 0) usage('missing scenario NAME');
  const clock = clockFrom(values.now);
  const scenarios = positionals.map((name) => findScenario(name, values.preset));
  const runs: ScenarioRun[] = [];
  for (const scenario of scenarios) runs.push(await runScenario(scenario, clock));
  if (values.json) out(JSON.stringify(runs.map((r) => ({ scenario: r.scenario.name, expect: r.scenario.expect, matches: r.mismatches.length === 0, mismatches: r.mismatches, result: r.result })), null, 2));
  else out(runs.map(formatRun).join('\n\n'));
  return runs.every((r) => r.mismatches.length === 0) ? 0 : 1;
}

function clockFrom(now: string | undefined): Clock {
  if (now === undefined) return systemClock;
  if (Number.isNaN(new Date(now).getTime())) usage(`\`--now\`: "${now}" is not a date (use ISO 8601, e.g. 2026-01-01T00:00:00Z)`);
  return fixedClock(now);
}
