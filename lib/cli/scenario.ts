import { fixedClock, systemClock, type Clock } from '../clock.js';
import { PRESET_NAMES } from '../pki/types.js';
import { EXIT, EXIT_STATUS_HELP, clip, isoTime, oneOf, parseCommandLine, refuseFlags, usageError, type FlagTable } from './contract.js';
import { runScenarios, type ScenarioRun } from '../scenarios/run.js';
import { explain, type Lang } from '../verdict/explain.js';
import { renderTable } from './table.js';
import { formatInspect } from './pki.js';
import type { Scenario } from '../scenarios/types.js';
import { SCENARIOS } from '../../scenarios/index.js';
import { formatRun } from './report.js';
import { htmlFile, writeHtml } from './picture.js';
import { EDGES } from '../edges/edges.js';
import { scenarioText } from '../../scenarios/zh/index.js';

export const SCENARIO_USAGE = `Usage:
  kube-mtls-sim scenario NAME [NAME…] [--preset kubeadm|reference] [--lang en|zh] [--now ISO-TIME] [--json] [--expirations] [--html FILE]
  kube-mtls-sim scenario --all [--grep PATTERN] [--preset kubeadm|reference] [--lang en|zh] [--now ISO-TIME] [--json] [--expirations]
  kube-mtls-sim scenario --list [--grep PATTERN] [--preset kubeadm|reference] [--lang en|zh] [--json]

  Runs each named scenario for real: a fresh simulated cluster on 127.0.0.1, one TLS handshake
  and HTTP request over the edge, and a report of who presented what, who verified it against which
  CA, the verdict and what Kubernetes would print. Exit status 0 when every outcome matches its
  documented expectation, 1 when one does not.
  --preset reference   with NAME: run the reference document's version of an edge (same as NAME reference-<edge>);
                       with --all or --list: only the scenarios of that preset
  --all                run the whole catalogue and print a summary table (scenario, expected, got, match)
  --list               list the catalogue by edge (--json: as JSON)
  --grep PATTERN       only scenarios whose name, edge or title (English or Chinese) matches PATTERN (a regular expression);
                       one that selects nothing is a usage error (exit 2), for --list as for --all
  --lang zh            the report (with --list: the titles) in Simplified Chinese (default en); what Kubernetes prints stays as it is
  --now ISO-TIME       the scenario's (virtual) time, e.g. 2026-01-01T00:00:00Z (default: now)
  --json               the runs (or the list) as JSON
  --expirations        after the run, the node's certificates and their expiry at the scenario's (virtual) time
  --html FILE          with one NAME: also write a picture of the scenario's cluster to FILE, one self-contained
                       HTML page (every edge dialled, an arrow coloured by verdict, each edge's report on click;
                       English and Chinese, opening in --lang)
  --help, -h           this text

${EXIT_STATUS_HELP}`;

/** Every flag of `scenario`, and those each of its three modes uses; any other is refused by name. */
const SCENARIO_FLAGS: FlagTable = {
  preset: { type: 'string' }, now: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' },
  all: { type: 'boolean' }, grep: { type: 'string' }, lang: { type: 'string' }, expirations: { type: 'boolean' },
  html: { type: 'string' },
};
const MODE_FLAGS = {
  'scenario NAME': ['preset', 'lang', 'now', 'json', 'expirations', 'html'],
  'scenario --all': ['all', 'grep', 'preset', 'lang', 'now', 'json', 'expirations'],
  'scenario --list': ['list', 'grep', 'preset', 'lang', 'json'],
} as const;

function usage(message: string): never {
  throw usageError(message, SCENARIO_USAGE);
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
  return usage(`unknown scenario "${clip(name)}". Did you mean: ${close.join(', ')}? (\`--list\` shows them all)`);
}

export async function scenarioCommand(args: string[], out: (text: string) => void, err: (text: string) => void = () => {}): Promise<number> {
  const parsed = parseCommandLine(args, 'scenario', SCENARIO_FLAGS, SCENARIO_USAGE);
  if (parsed.help) {
    out(SCENARIO_USAGE);
    return EXIT.OK;
  }
  const { positionals } = parsed;
  const values = parsed.values as { preset?: string; now?: string; json?: boolean; list?: boolean; all?: boolean; grep?: string; lang?: string; expirations?: boolean; html?: string };
  if (values.list && values.all) usage('give --list or --all, not both');
  if (positionals.length > 0 && (values.list || values.all)) usage(`give scenario names or ${values.list ? '--list' : '--all'}, not both`);
  if (positionals.length === 0 && !values.all && !values.list) usage('missing scenario NAME (or --all, --list)');
  const mode = values.list ? 'scenario --list' : values.all ? 'scenario --all' : 'scenario NAME';
  refuseFlags(values, MODE_FLAGS[mode], mode, SCENARIO_USAGE);
  const preset = values.preset === undefined ? undefined : oneOf('preset', values.preset, PRESET_NAMES, 'ERR_PRESET_UNKNOWN');
  const lang: Lang = values.lang === undefined ? 'en' : oneOf('lang', values.lang, ['en', 'zh'] as const);
  const html = htmlFile(values.html, SCENARIO_USAGE);
  if (html !== undefined && positionals.length !== 1) usage('`--html` draws one scenario: give one NAME');
  let pattern: RegExp | undefined;
  try {
    pattern = values.grep === undefined ? undefined : new RegExp(values.grep, 'i');
  } catch (error) {
    usage(`\`--grep\`: ${clip((error as Error).message)}`);
  }
  // --grep and --preset select from the catalogue; a selection that is empty is most likely a typo,
  // so it is a usage error for --list and --all alike (as an unknown NAME is), not a vacuous success.
  const selected = SCENARIOS.filter((s) => (!pattern || pattern.test(s.name) || pattern.test(s.edge) || pattern.test(s.title) || pattern.test(scenarioText(s, 'zh').title)) && (!preset || s.preset === preset));
  if ((values.list || values.all) && selected.length === 0) {
    usage(`no scenario matches${values.grep === undefined ? '' : ` --grep "${clip(values.grep)}"`}${preset ? ` with --preset ${preset}` : ''}`);
  }
  if (values.list) {
    if (values.json) {
      out(JSON.stringify(selected.map((s) => ({ name: s.name, edge: s.edge, preset: s.preset, title: scenarioText(s, lang).title, expect: s.expect })), null, 2));
      return EXIT.OK;
    }
    const byEdge = new Map<string, Scenario[]>();
    for (const s of selected) byEdge.set(s.edge, [...(byEdge.get(s.edge) ?? []), s]);
    for (const [edge, list] of byEdge) {
      out(`${edge}:`);
      for (const s of list) out(`  ${s.name.padEnd(54)} ${s.expect.verdict.padEnd(12)} ${scenarioText(s, lang).title}`);
    }
    return EXIT.OK;
  }
  const clock = clockFrom(values.now);
  const scenarios = values.all ? selected : positionals.map((name) => findScenario(name, preset));
  const progress = scenarios.length > 3;
  const runs = await runScenarios(scenarios, clock, {
    concurrency: values.all ? 4 : 1,
    expirations: values.expirations === true,
    otherEdges: html !== undefined,
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
    out(runs.map((r) => `${formatRun(r, lang)}${r.expirations ? `\n\n${formatInspect(r.expirations, lang)}` : ''}`).join('\n\n'));
  }
  if (html !== undefined) {
    const { scenario, result, otherEdges } = runs[0]!;
    const results = [result, ...(otherEdges ?? [])].sort((a, b) => EDGES[a.edge].number - EDGES[b.edge].number);
    const text = scenarioText(scenario, lang);
    const written = await writeHtml(html, results, { lang, title: `${scenario.name}: ${text.title}`, description: text.description, focus: scenario.edge });
    err(`picture: ${written}`);
  }
  return runs.every((r) => r.mismatches.length === 0) ? EXIT.OK : EXIT.PROBLEM;
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
  return now === undefined ? systemClock : fixedClock(isoTime('now', now));
}
