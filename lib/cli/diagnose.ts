import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixedClock, systemClock } from '../clock.js';
import { CATALOGUE_INDEX } from '../diagnose/catalogue-index.js';
import { diagnose, type Diagnosis } from '../diagnose/match.js';
import { failing, narrow, type NarrowedDiagnosis, type NodeEvidence } from '../diagnose/narrow.js';
import type { Lang } from '../verdict/explain.js';
import { DIAGNOSE_WORDS, type DiagnoseWords } from './diagnose-words.js';
import { EXIT, EXIT_STATUS_HELP, isoTime, oneOf, parseCommandLine, usageError, type FlagTable } from './contract.js';

export const DIAGNOSE_USAGE = `Usage:
  kube-mtls-sim diagnose "ERROR TEXT" [--lang en|zh] [--json]
  kube-mtls-sim diagnose - [--lang en|zh] [--json]      # a log on stdin, one line at a time
  kube-mtls-sim diagnose "ERROR TEXT" --dir DIR [--now ISO-TIME]

  Matches a line printed by kubectl, kube-apiserver, etcd or the kubelet against the lines the
  scenario catalogue prints (names, addresses, ports, times, serials and key ids read as wildcards)
  and prints the likely causes, best first: the scenarios that print that text, the file or flag
  usually responsible, and the fix. Needs no cluster files. Exit status 0 when a cause matched, 1
  when none did (the closest are named).
  With --dir, the node's own files (laid out as for \`check DIR\`) are checked too: causes that
  an edge of DIR fails with come first, marked with the edge and the file or flag to look at;
  the others stay, marked as not seen there; edges that fail for another reason are listed.
  --dir DIR       narrow the causes by running \`check\` on DIR
  --now ISO-TIME  with --dir: check at that time (default: the current time)
  --lang zh       the diagnosis in Simplified Chinese (default en); the lines matched stay as they are
  --json          the diagnosis as JSON
  --help, -h      this text

${EXIT_STATUS_HELP}`;

const DIAGNOSE_FLAGS: FlagTable = { lang: { type: 'string' }, json: { type: 'boolean' }, dir: { type: 'string' }, now: { type: 'string' } };

/** Runs \`check\` on DIR (loaded only then: a plain diagnose needs no cluster) and keeps what narrowing needs. */
async function nodeEvidence(dir: string, now: string | undefined): Promise<NodeEvidence> {
  const [{ checkNode }, { responsibleFor }] = await Promise.all([import('../cluster/check-node.js'), import('../verdict/responsible.js')]);
  const report = await checkNode(resolve(dir), now ? fixedClock(now) : systemClock);
  return {
    dir, at: report.at,
    edges: report.edges.map((r) => ({ edge: r.edge, verdict: r.verdict, reason: r.reason, responsible: responsibleFor(r), ...(r.messages[0] ? { says: r.messages[0].text } : {}) })),
    notStarted: report.notStarted.map((n) => ({ component: n.component, code: n.code, message: n.message })),
  };
}

export async function diagnoseCommand(args: string[], out: (text: string) => void, stdin: () => string = () => readFileSync(0, 'utf8')): Promise<number> {
  const parsed = parseCommandLine(args, 'diagnose', DIAGNOSE_FLAGS, DIAGNOSE_USAGE);
  if (parsed.help) {
    out(DIAGNOSE_USAGE);
    return EXIT.OK;
  }
  const values = parsed.values as { lang?: string; json?: boolean; dir?: string; now?: string };
  const lang = values.lang === undefined ? 'en' : oneOf('lang', values.lang, ['en', 'zh'] as const);
  if (values.now !== undefined && values.dir === undefined) throw usageError('--now needs --dir (it is the time to check DIR at)', DIAGNOSE_USAGE);
  const now = values.now === undefined ? undefined : isoTime('now', values.now);
  if (parsed.positionals.length !== 1) throw usageError(parsed.positionals.length === 0 ? 'missing the error text (or `-` to read a log on stdin)' : 'give one error text, in quotes (or `-` to read a log on stdin)', DIAGNOSE_USAGE);
  const text = parsed.positionals[0] === '-' ? stdin() : parsed.positionals[0]!;
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw usageError('the error text is empty', DIAGNOSE_USAGE);
  const plain = diagnose(lines, CATALOGUE_INDEX, lang);
  const diagnosis = values.dir === undefined ? plain : narrow(plain, await nodeEvidence(values.dir, now));
  out(values.json ? JSON.stringify(diagnosis, null, 2) : formatDiagnosis(diagnosis, lang));
  return diagnosis.causes.length > 0 ? EXIT.OK : EXIT.PROBLEM;
}

const isNarrowed = (d: Diagnosis | NarrowedDiagnosis): d is NarrowedDiagnosis => 'node' in d;

/** What DIR showed, under a cause (confirmed or not) and after the causes (other failures). */
function nodeLines(d: NarrowedDiagnosis, onNode: NarrowedDiagnosis['causes'][number]['onNode'], w: DiagnoseWords): string[] {
  if (onNode.length === 0) return [`   ${w.notSeen(d.node.dir, d.node.at)}`];
  return onNode.map((e) => `   ${w.seen(d.node.dir, e.edge, w.verdict(e.verdict), e.responsible)}`);
}

function nodeSummary(d: NarrowedDiagnosis, w: DiagnoseWords): string[] {
  const lines: string[] = [];
  const bad = d.node.edges.filter(failing);
  if (bad.length === 0 && d.node.notStarted.length === 0) lines.push(w.allWork(d.node.dir, d.node.at));
  for (const e of d.node.otherFailures) lines.push(w.alsoFails(d.node.dir, e.edge, w.verdict(e.verdict), e.reason, e.responsible));
  for (const n of d.node.notStarted) lines.push(w.notStarted(d.node.dir, n.component, n.code, n.message));
  return lines;
}

export function formatDiagnosis(d: Diagnosis | NarrowedDiagnosis, lang: Lang = 'en'): string {
  const w = DIAGNOSE_WORDS[lang];
  const tail = isNarrowed(d) ? nodeSummary(d, w) : [];
  if (d.causes.length === 0) {
    return [w.noCause(d.closest.length > 0), ...d.closest.map((c) => `  ${w.closest(c.reason, Math.round(c.similarity * 100), c.template)}`), ...tail].join('\n');
  }
  const causes = d.causes.map((c, i) => {
    const responsible = [...new Set(c.scenarios.map((s) => s.responsible).filter((r): r is string => r !== null))];
    const fixes = [...new Set(c.scenarios.map((s) => s.fix))];
    return [
      `${i + 1}. ${c.reason} (${w.verdict(c.verdict)})`,
      ...c.matches.map((m) => `   ${d.lines.length > 1 ? `"${m.line}" ` : `${w.theText} `}${w.kind[m.kind]}: ${m.template}`),
      `   ${w.scenarios}: ${c.scenarios.map((s) => s.name).join(', ')}`,
      `   ${w.responsible}: ${responsible.join('; ') || '-'}`,
      ...fixes.map((f) => `   ${w.fix}: ${f}`),
      ...(isNarrowed(d) ? nodeLines(d, (c as NarrowedDiagnosis['causes'][number]).onNode, w) : []),
    ].join('\n');
  });
  const tie = d.tiedFirst > 1 ? [w.tie(d.tiedFirst, isNarrowed(d))] : [];
  return [...tie, ...causes, ...(tail.length ? [tail.join('\n')] : [])].join('\n\n');
}
