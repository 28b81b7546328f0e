// Where each box and arrow goes, computed by elkjs's layered (Sugiyama) algorithm when the page is
// written, so the page itself carries plain coordinates and needs no script or network to draw.
// elkjs is loaded here, on first use: the package's import and every other command stay light.
import { createRequire } from 'node:module';
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { PictureModel } from './model.js';

export const TITLE_SIZE = 15;
export const LINE_SIZE = 12;
export const PAD = 8;
export const LABEL_SIZE = 12;

export interface Point { x: number; y: number }
export interface PlacedBox { id: string; x: number; y: number; width: number; height: number }
export interface PlacedArrow { index: number; points: Point[]; label?: Point & { width: number; height: number } }
export interface Placed { width: number; height: number; boxes: PlacedBox[]; arrows: PlacedArrow[] }

/** Width of a text in pixels, estimated (no browser here): CJK characters are square, Latin ones ~0.6 em. */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) em += /[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(ch) ? 1 : 0.6;
  return Math.ceil(em * size);
}

let elk: ELK | undefined;
function loadElk(): ELK {
  if (!elk) {
    // The bundled build runs in this thread (no Worker); it is CommonJS, hence require.
    const ELKConstructor = createRequire(import.meta.url)('elkjs/lib/elk.bundled.js') as new () => ELK;
    elk = new ELKConstructor();
  }
  return elk;
}

export async function layOut(model: PictureModel): Promise<Placed> {
  const children: ElkNode[] = model.boxes.map((b) => {
    const texts = b.lines.flatMap((l) => [textWidth(l.text.en, LINE_SIZE), textWidth(l.text.zh, LINE_SIZE)]);
    return {
      id: b.id,
      width: Math.max(textWidth(b.id, TITLE_SIZE), ...texts) + 2 * PAD,
      height: TITLE_SIZE + 2 * PAD + b.lines.length * (LINE_SIZE + 4),
    };
  });
  const edges: ElkExtendedEdge[] = model.arrows.map((a, i) => ({
    id: `e${i}`, sources: [a.from], targets: [a.to],
    labels: [{ id: `l${i}`, text: a.label, width: textWidth(a.label, LABEL_SIZE) + 6, height: LABEL_SIZE + 4 }],
  }));
  const root: ElkNode = {
    id: 'cluster',
    layoutOptions: {
      'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70', 'elk.spacing.nodeNode': '30', 'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.inline': 'false', 'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children, edges,
  };
  const graph: ElkNode = await loadElk().layout(root);
  const boxes = (graph.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 }));
  const arrows = (graph.edges ?? []).map((e, index): PlacedArrow => {
    const points = (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
    const l = e.labels?.[0];
    return { index, points, ...(l && l.x !== undefined && l.y !== undefined ? { label: { x: l.x, y: l.y, width: l.width ?? 0, height: l.height ?? 0 } } : {}) };
  });
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), boxes, arrows };
}
