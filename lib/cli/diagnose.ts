import { readFileSync } from 'node:fs';
import { CATALOGUE_INDEX } from '../diagnose/catalogue-index.js';
import { diagnose, type Diagnosis } from '../diagnose/match.js';
import { EXIT, EXIT_STATUS_HELP, oneOf, parseCommandLine, usageError, type FlagTable } from './contract.js';

export const DIAGNOSE_USAGE = `Usage:
  kube-mtls-sim diagnose "ERROR TEXT" [--lang en|zh] [--json]
  kube-mtls-sim diagnose - [--lang en|zh] [--json]      # a log on stdin, one line at a time

  Matches a line printed by kubectl, kube-apiserver, etcd or the kubelet against the lines the
  scenario catalogue prints (names, addresses, ports, times, serials and key ids read as wildcards)
  and prints the likely causes, best first: the scenarios that print that text, the file or flag
  usually responsible, and the fix. Needs no cluster files. Exit status 0 when a cause matched, 1
  when none did (the closest are named).
  --lang zh    fixes in Simplified Chinese (default en)
  --json       the diagnosis as JSON
  --help, -h   this text

${EXIT_STATUS_HELP}`;

const DIAGNOSE_FLAGS: FlagTable = { lang: { type: 'string' }, json: { type: 'boolean' } };

export async function diagnoseCommand(args: string[], out: (text: string) => void, stdin: () => string = () => readFileSync(0, 'utf8')): Promise<number> {
  const parsed = parseCommandLine(args, 'diagnose', DIAGNOSE_FLAGS, DIAGNOSE_USAGE);
  if (parsed.help) {
    out(DIAGNOSE_USAGE);
    return EXIT.OK;
  }
  const values = parsed.values as { lang?: string; json?: boolean };
  const lang = values.lang === undefined ? 'en' : oneOf('lang', values.lang, ['en', 'zh'] as const);
  if (parsed.positionals.length !== 1) throw usageError(parsed.positionals.length === 0 ? 'missing the error text (or `-` to read a log on stdin)' : 'give one error text, in quotes (or `-` to read a log on stdin)', DIAGNOSE_USAGE);
  const text = parsed.positionals[0] === '-' ? stdin() : parsed.positionals[0]!;
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw usageError('the error text is empty', DIAGNOSE_USAGE);
  const diagnosis = diagnose(lines, CATALOGUE_INDEX, lang);
  out(values.json ? JSON.stringify(diagnosis, null, 2) : formatDiagnosis(diagnosis));
  return diagnosis.causes.length > 0 ? EXIT.OK : EXIT.PROBLEM;
}

const KIND_WORDS = { contains: 'contains the catalogue line', 'part-of': 'is part of the catalogue line', similar: 'resembles the catalogue line' } as const;

export function formatDiagnosis(d: Diagnosis): string {
  if (d.causes.length === 0) {
    return [`No cause in the catalogue prints this text.${d.closest.length ? ' Closest:' : ''}`,
      ...d.closest.map((c) => `  ${c.reason} (${Math.round(c.similarity * 100)}% of words shared): ${c.template}`)].join('\n');
  }
  return d.causes.map((c, i) => {
    const responsible = [...new Set(c.scenarios.map((s) => s.responsible).filter((r): r is string => r !== null))];
    const fixes = [...new Set(c.scenarios.map((s) => s.fix))];
    return [
      `${i + 1}. ${c.reason} (${c.verdict})`,
      ...c.matches.map((m) => `   ${d.lines.length > 1 ? `"${m.line}" ` : 'the text '}${KIND_WORDS[m.kind]}: ${m.template}`),
      `   scenarios: ${c.scenarios.map((s) => s.name).join(', ')}`,
      `   responsible: ${responsible.join('; ') || '-'}`,
      ...fixes.map((f) => `   fix: ${f}`),
    ].join('\n');
  }).join('\n\n');
}
