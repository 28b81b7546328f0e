// The picture as data, before any layout: one box per component that appears in an edge, one arrow
// per edge (client → server), and in each box the CA that component trusts on each side it plays.
import { EDGES } from '../edges/edges.js';
import type { Lang } from '../verdict/explain.js';
import type { EdgeResult, TrustSummary } from '../verdict/result.js';
import { WORDS } from './text.js';

export interface BoxLine {
  /** The line in each language (the CA subjects themselves are not translated). */
  text: Record<Lang, string>;
}

export interface Box {
  id: string;
  lines: BoxLine[];
}

export interface Arrow {
  result: EdgeResult;
  number: number;
  from: string;
  to: string;
  label: string;
}

export interface PictureModel {
  boxes: Box[];
  arrows: Arrow[];
}

/** A trust as a box shows it: the CA subjects, or what stands in for them. */
export function trustShort(t: TrustSummary | null, lang: Lang): string {
  const w = WORDS[lang];
  if (!t) return w.unknownTrust;
  if (t.kind === 'none') return w.noVerification;
  if (t.kind === 'system-roots') return w.systemRoots;
  return t.subjects.length ? t.subjects.join(' + ') : w.nothing;
}

function line(render: (lang: Lang) => string): BoxLine {
  return { text: { en: render('en'), zh: render('zh') } };
}

/**
 * Each component once, in the order the edges name them; its lines say which CA it verifies its
 * clients with (as a server: one line, the same for every client edge unless they differ) and which
 * CA it checks each server against (as a client).
 */
export function pictureModel(results: readonly EdgeResult[]): PictureModel {
  const boxes = new Map<string, Box>();
  const seen = new Map<string, Set<string>>();
  const box = (id: string) => {
    if (!boxes.has(id)) boxes.set(id, { id, lines: [] });
    return boxes.get(id)!;
  };
  const addLine = (id: string, l: BoxLine) => {
    const keys = seen.get(id) ?? new Set<string>();
    seen.set(id, keys);
    if (keys.has(l.text.en)) return;
    keys.add(l.text.en);
    box(id).lines.push(l);
  };
  const arrows: Arrow[] = [];
  for (const r of results) {
    const from = r.client.component;
    const to = r.server.component;
    box(from);
    box(to);
    arrows.push({ result: r, number: EDGES[r.edge]?.number ?? arrows.length + 1, from, to, label: `${EDGES[r.edge]?.number ?? ''} ${r.reason}`.trim() });
  }
  for (const r of results) {
    addLine(r.server.component, line((lang) => `${WORDS[lang].boxVerifies}: ${trustShort(r.server.verifiesClientsWith, lang)}`));
    addLine(r.client.component, line((lang) => `${WORDS[lang].boxTrusts(r.server.component)}: ${trustShort(r.client.trusts, lang)}`));
  }
  return { boxes: [...boxes.values()], arrows };
}
