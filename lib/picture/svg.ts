// The drawing: boxes and arrows at the coordinates elkjs computed, as inline SVG. Each arrow is a
// group carrying its edge name and verdict (data attributes and a class), which the page's script
// and the browser test read; a wide transparent stroke makes a thin arrow easy to tap on a phone.
import type { Verdict } from '../verdict/reasons.js';
import type { Placed } from './layout.js';
import { LABEL_SIZE, LINE_SIZE, PAD, TITLE_SIZE } from './layout.js';
import type { PictureModel } from './model.js';
import { esc, LANGS, WORDS } from './text.js';

export const VERDICT_COLOURS: Readonly<Record<Verdict, string>> = {
  ok: '#2e7d32', rejected: '#c62828', insecure: '#e65100', 'config-error': '#6a1b9a',
};

const n = (x: number) => String(Math.round(x * 10) / 10);

function markers(): string {
  return Object.entries(VERDICT_COLOURS).map(([v, colour]) =>
    `<marker id="head-${v}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${colour}"/></marker>`).join('');
}

export function drawSvg(model: PictureModel, placed: Placed, focus: string | undefined): string {
  const parts: string[] = [];
  parts.push(`<svg id="wiring" viewBox="0 0 ${placed.width} ${placed.height}" role="img" aria-label="cluster wiring" preserveAspectRatio="xMidYMin meet"><defs>${markers()}</defs>`);
  for (const b of placed.boxes) {
    const box = model.boxes.find((x) => x.id === b.id)!;
    parts.push(`<g class="box" data-component="${esc(b.id)}"><rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="6"/>`);
    parts.push(`<text class="title" x="${n(b.x + PAD)}" y="${n(b.y + PAD + TITLE_SIZE - 2)}">${esc(b.id)}</text>`);
    box.lines.forEach((line, i) => {
      const y = n(b.y + PAD + TITLE_SIZE + 4 + (i + 1) * (LINE_SIZE + 4) - 4);
      for (const lang of LANGS) parts.push(`<text class="trust l-${lang}" x="${n(b.x + PAD)}" y="${y}">${esc(line.text[lang])}</text>`);
    });
    parts.push('</g>');
  }
  for (const a of placed.arrows) {
    const arrow = model.arrows[a.index]!;
    const r = arrow.result;
    const d = a.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)},${n(p.y)}`).join(' ');
    const names = LANGS.map((lang) => `${r.edge}: ${WORDS[lang].verdicts[r.verdict]} (${r.reason})`).join(' / ');
    parts.push(`<g class="edge v-${r.verdict}${focus === r.edge ? ' focus' : ''}" data-edge="${esc(r.edge)}" data-verdict="${r.verdict}" tabindex="0" role="button" aria-label="${esc(names)}">`);
    parts.push(`<title>${esc(names)}</title>`);
    parts.push(`<path class="hit" d="${d}"/><path class="line" d="${d}" marker-end="url(#head-${r.verdict})"/>`);
    if (a.label) {
      parts.push(`<rect class="label" x="${n(a.label.x)}" y="${n(a.label.y)}" width="${n(a.label.width)}" height="${n(a.label.height)}" rx="3"/>`);
      parts.push(`<text class="label" x="${n(a.label.x + 3)}" y="${n(a.label.y + LABEL_SIZE)}">${esc(arrow.label)}</text>`);
    }
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export function legend(): string {
  return `<ul class="legend">${(Object.keys(VERDICT_COLOURS) as Verdict[]).map((v) =>
    `<li data-verdict="${v}"><span class="swatch v-bg-${v}"></span>${LANGS.map((lang) => `<span class="l-${lang}">${esc(WORDS[lang].verdicts[v])}</span>`).join('')}</li>`).join('')}</ul>`;
}
