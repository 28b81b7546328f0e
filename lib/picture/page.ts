// The picture of a cluster's wiring as one self-contained HTML page: inline SVG, inline style and
// script, no URL of any kind (a Content-Security-Policy forbids every fetch), both languages in the
// page with a switch. Readable on a phone: the drawing scales to the screen and the details stack below it.
import { type Lang } from '../verdict/explain.js';
import type { EdgeResult } from '../verdict/result.js';
import { layOut } from './layout.js';
import { pictureModel } from './model.js';
import { edgeReport } from './report.js';
import { drawSvg, legend, VERDICT_COLOURS } from './svg.js';
import { both, esc, LANGS, WORDS } from './text.js';

export interface PictureOptions {
  /** The language the page opens in; the other is one click away. @default 'en' */
  lang?: Lang;
  /** The page's heading, e.g. the scenario's name and title. */
  title: string;
  /** A paragraph under the heading (the scenario's description, the folder checked). */
  description?: string;
  /** The edge selected when the page opens (a scenario's own edge); else the first edge not ok. */
  focus?: string;
  /** Lines shown under the drawing (edges not dialled, and why). */
  notes?: string[];
}

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

function style(): string {
  const verdicts = Object.entries(VERDICT_COLOURS).map(([v, c]) =>
    `.edge.v-${v} .line{stroke:${c}}.v-bg-${v},.badge.v-${v}{background:${c}}.v-text-${v}{color:${c}}`).join('');
  return `*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;background:#fafafa}
header,main{padding:12px 16px}header h1{font-size:1.25em;margin:0 0 4px}header p{margin:2px 0;color:#444}
html[data-lang=en] .l-zh,html[data-lang=zh] .l-en{display:none}
.lang button{font:inherit;padding:2px 10px;border:1px solid #888;background:#fff;border-radius:4px;cursor:pointer}
html[data-lang=en] .lang [data-set-lang=en],html[data-lang=zh] .lang [data-set-lang=zh]{background:#1b1b1b;color:#fff}
main{display:flex;gap:16px;align-items:flex-start}#picture{flex:3;min-width:0}#details{flex:2;min-width:0;background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px;overflow-wrap:anywhere}
@media (max-width:1100px){main{flex-direction:column}#picture,#details{width:100%}}
.drawing{overflow-x:auto}svg{width:100%;height:auto;display:block}@media (max-width:600px){svg{min-width:560px}}
.box rect{fill:#fff;stroke:#555;stroke-width:1.2}.box .title{font:600 15px system-ui,sans-serif}.box .trust{font:12px system-ui,sans-serif;fill:#333}
.edge{cursor:pointer;outline:none}.edge .line{fill:none;stroke-width:2}.edge .hit{fill:none;stroke:transparent;stroke-width:14}
.edge.focus .line{stroke-width:3.5}.edge.selected .line,.edge:focus .line{stroke-width:4.5}
.edge rect.label{fill:#fff;stroke:#ccc}.edge text.label{font:12px ui-monospace,monospace;fill:#1b1b1b}
.legend{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:14px}.swatch{display:inline-block;width:22px;height:5px;margin-right:6px;vertical-align:middle}
.badge{color:#fff;border-radius:4px;padding:1px 8px;font-size:.8em;vertical-align:middle}
h2{font-size:1.1em;margin:6px 0}h3{font-size:.95em;margin:12px 0 4px;border-bottom:1px solid #eee}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:0}dt{color:#555}dd{margin:0}
code{font:.85em ui-monospace,monospace;background:#f1f1f1;padding:0 3px}.attacker{color:${VERDICT_COLOURS.insecure}}.hint,.notes{color:#555;font-size:.9em}
${verdicts}`;
}

/** Shows one edge's report: the pinned one (click, tap, Enter), or the one under the pointer while it hovers. */
const SCRIPT = `(()=>{const d=document.documentElement;const edges=[...document.querySelectorAll('g.edge')];let pinned=d.dataset.focus;
const show=(name)=>{for(const s of document.querySelectorAll('section.report'))s.hidden=s.dataset.edge!==name;for(const e of edges)e.classList.toggle('selected',e.dataset.edge===name);};
for(const e of edges){const pin=()=>{pinned=e.dataset.edge;show(pinned);};e.addEventListener('click',pin);
e.addEventListener('keydown',(ev)=>{if(ev.key==='Enter'||ev.key===' '){ev.preventDefault();pin();}});
e.addEventListener('mouseenter',()=>show(e.dataset.edge));e.addEventListener('mouseleave',()=>show(pinned));}
for(const b of document.querySelectorAll('[data-set-lang]'))b.addEventListener('click',()=>{d.dataset.lang=b.dataset.setLang;d.lang=b.dataset.setLang==='zh'?'zh-Hans':'en';});
show(pinned);})();`;

/** The page for these edges' results; elkjs lays it out here, in Node, so the page draws with no script. */
export async function renderPicture(results: readonly EdgeResult[], options: PictureOptions): Promise<string> {
  const lang = options.lang ?? 'en';
  const model = pictureModel(results);
  const placed = await layOut(model);
  const focus = options.focus ?? (results.find((r) => r.verdict !== 'ok') ?? results[0])?.edge ?? '';
  const at = results[0]?.at;
  const reports = results.map((r) => `<section class="report" data-edge="${esc(r.edge)}"${r.edge === focus ? '' : ' hidden'}>${LANGS.map((l) => `<div class="l-${l}">${edgeReport(r, l)}</div>`).join('')}</section>`);
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-Hans' : 'en'}" data-lang="${lang}" data-focus="${esc(focus)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(options.title)} · kube-mtls-sim</title>
<style>${style()}</style>
</head>
<body>
<header>
<h1>${esc(options.title)}</h1>
${options.description ? `<p>${esc(options.description)}</p>` : ''}
${at ? `<p>${both((l) => `${esc(WORDS[l].at)} ${esc(at)}`)}</p>` : ''}
<p class="lang">${both((l) => esc(WORDS[l].language))}: <button type="button" data-set-lang="en">English</button> <button type="button" data-set-lang="zh">中文</button></p>
</header>
<main>
<div id="picture">
<div class="drawing">${drawSvg(model, placed, focus)}</div>
<p class="legend-title">${both((l) => esc(WORDS[l].legend))}</p>
${legend()}
<p class="hint">${both((l) => esc(WORDS[l].hint))}</p>
${options.notes?.length ? `<ul class="notes">${options.notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
</div>
<aside id="details">
${reports.join('\n')}
</aside>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
