import type { Reason, Verdict } from '../verdict/reasons.js';
import { WILDCARD, similarity, templateOf, wordsOf } from './template.js';
import type { DiagnoseIndex } from './types.js';

/**
 * How a line met a catalogue template, strongest first: `contains` — the line holds the whole
 * template (a catalogue line with a log prefix before it); `part-of` — the line is a piece of the
 * template (etcd's line without "embed: ", Go's error without kubectl's "Unable to connect…");
 * `similar` — neither, but most words are shared (kubectl's "(Unauthorized)" for the catalogue's
 * longer 401 wording).
 */
export type MatchKind = 'contains' | 'part-of' | 'similar';
const KIND_RANK: Record<MatchKind, number> = { contains: 3, 'part-of': 2, similar: 1 };
/** Below this share of words, a line is not said to match: it only names the closest causes. */
export const SIMILAR_AT_LEAST = 0.6;

export interface LineMatch { line: string; template: string; kind: MatchKind; score: number }
export interface Cause {
  reason: Reason;
  verdict: Verdict;
  /** The input lines this cause explains, each with its best template. */
  matches: LineMatch[];
  /** Scenarios that print exactly a matched template, each with what is responsible and the fix. */
  scenarios: { name: string; responsible: string | null; fix: string }[];
}
export interface Diagnosis {
  lines: string[];
  causes: Cause[];
  /**
   * How many causes at the head of the list match the very same catalogue lines as the first: the
   * catalogue prints exactly that text for each of them, so the text alone cannot tell them apart
   * (1 when the first cause stands alone; 0 when nothing matched).
   */
  tiedFirst: number;
  closest: { reason: Reason; template: string; similarity: number }[];
}

/** Literal characters of a template: a longer literal match is a more specific one. */
const literal = (template: string) => template.split(WILDCARD).join('').length;

function matchLine(line: string, template: string, words: Set<string>, lineWords: Set<string>): LineMatch | { similar: number } {
  const t = templateOf(line);
  if (t.includes(template)) return { line, template, kind: 'contains', score: KIND_RANK.contains * 1e6 + literal(template) };
  if (literal(t) >= 12 && template.includes(t)) return { line, template, kind: 'part-of', score: KIND_RANK['part-of'] * 1e6 + literal(t) * 1000 - literal(template) };
  const similar = similarity(lineWords, words);
  if (similar >= SIMILAR_AT_LEAST) return { line, template, kind: 'similar', score: Math.round(similar * 1e6) };
  return { similar };
}

/** How many causes at the head match exactly the lines and templates the first one matches. */
export function tiedAtHead(causes: readonly Cause[]): number {
  const key = (c: Cause) => c.matches.map((m) => `${m.line}\u0000${m.template}`).sort().join('\u0001');
  if (causes.length === 0) return 0;
  const head = key(causes[0]!);
  const differs = causes.findIndex((c) => key(c) !== head);
  return differs === -1 ? causes.length : differs;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks the causes of the given lines: a cause (a reason) scores by how many lines it explains,
 * then by the sum of its best match per line; ties go to the cause more scenarios print, then by
 * name, so the order is the same on every run.
 */
export function diagnose(input: readonly string[], index: DiagnoseIndex, lang: 'en' | 'zh' = 'en'): Diagnosis {
  const lines = input.map((l) => l.trim()).filter((l) => l.length > 0);
  const byReason = new Map<Reason, { best: Map<string, LineMatch>; scenarios: Set<string> }>();
  const closest = new Map<Reason, { template: string; similarity: number }>();
  const entries = index.lines.map((e) => ({ ...e, words: wordsOf(e.template) }));
  for (const line of lines) {
    const lineWords = wordsOf(templateOf(line));
    for (const entry of entries) {
      const m = matchLine(line, entry.template, entry.words, lineWords);
      for (const name of entry.scenarios) {
        const reason = index.scenarios[name]!.reason;
        if (!('kind' in m)) {
          const seen = closest.get(reason);
          if (!seen || m.similar > seen.similarity) closest.set(reason, { template: entry.template, similarity: m.similar });
          continue;
        }
        const cause = byReason.get(reason) ?? { best: new Map<string, LineMatch>(), scenarios: new Set<string>() };
        byReason.set(reason, cause);
        const before = cause.best.get(line);
        if (!before || m.score > before.score || (m.score === before.score && m.template < before.template)) cause.best.set(line, m);
      }
    }
  }
  const causes: Cause[] = [...byReason].map(([reason, c]) => {
    const matched = new Set([...c.best.values()].map((m) => m.template));
    const names = entries.filter((e) => matched.has(e.template)).flatMap((e) => e.scenarios).filter((n) => index.scenarios[n]!.reason === reason);
    const unique = [...new Set(names)].sort(compare);
    return {
      reason, verdict: index.scenarios[unique[0]!]!.verdict, matches: [...c.best.values()],
      scenarios: unique.map((name) => ({ name, responsible: index.scenarios[name]!.responsible, fix: index.scenarios[name]!.fix[lang] })),
    };
  });
  const total = (c: Cause) => c.matches.reduce((s, m) => s + m.score, 0);
  causes.sort((a, b) => b.matches.length - a.matches.length || total(b) - total(a) || b.scenarios.length - a.scenarios.length || compare(a.reason, b.reason));
  const tiedFirst = tiedAtHead(causes);
  const near = causes.length > 0 ? [] : [...closest].filter(([, c]) => c.similarity > 0)
    .sort(([ra, a], [rb, b]) => b.similarity - a.similarity || compare(ra, rb)).slice(0, 3)
    .map(([reason, c]) => ({ reason, template: c.template, similarity: Math.round(c.similarity * 100) / 100 }));
  return { lines, causes, tiedFirst, closest: near };
}
