import type { Lang } from '../verdict/explain.js';
import type { MatchKind } from '../diagnose/match.js';
import { VERDICT_WORDS } from '../verdict/reason-text.js';
import type { Verdict } from '../verdict/reasons.js';

/**
 * The words `diagnose` prints around what it matched, in each language (issue 14: diagnose in English
 * and Chinese). One interface, so a sentence added in English does not compile without its Chinese
 * form. The catalogue lines, the user's lines, reason codes, scenario names, paths and flags are data
 * and stay as they are.
 */
export interface DiagnoseWords {
  noCause(hasClosest: boolean): string;
  closest(reason: string, percent: number, template: string): string;
  verdict(verdict: Verdict): string;
  kind: Record<MatchKind, string>;
  theText: string;
  scenarios: string;
  responsible: string;
  fix: string;
  tie(count: number, narrowed: boolean): string;
  notSeen(dir: string, at: string): string;
  seen(dir: string, edge: string, verdict: string, responsible: string | null): string;
  allWork(dir: string, at: string): string;
  alsoFails(dir: string, edge: string, verdict: string, reason: string, responsible: string | null): string;
  notStarted(dir: string, component: string, code: string, message: string): string;
}

export const DIAGNOSE_WORDS: Record<Lang, DiagnoseWords> = {
  en: {
    noCause: (hasClosest) => `No cause in the catalogue prints this text.${hasClosest ? ' Closest:' : ''}`,
    closest: (reason, percent, template) => `${reason} (${percent}% of words shared): ${template}`,
    verdict: (verdict) => verdict,
    kind: { contains: 'contains the catalogue line', 'part-of': 'is part of the catalogue line', similar: 'resembles the catalogue line' },
    theText: 'the text',
    scenarios: 'scenarios',
    responsible: 'responsible',
    fix: 'fix',
    tie: (count, narrowed) => `The first ${count} causes print exactly this text: it cannot tell them apart. ${narrowed ? 'The node\'s files above can.' : 'Add --dir DIR (the node\'s files), or a line from the other side of the connection.'}`,
    notSeen: (dir, at) => `on ${dir}: not seen (no edge fails with this reason at ${at})`,
    seen: (dir, edge, verdict, responsible) => `on ${dir}: ${edge} is ${verdict} with this reason${responsible ? ` — look at ${responsible}` : ''}`,
    allWork: (dir, at) => `Every edge of ${dir} works at ${at} (none is rejected or a config-error): the text does not come from these files' mutual TLS (or they are not the files of the component that printed it).`,
    alsoFails: (dir, edge, verdict, reason, responsible) => `Also on ${dir}: ${edge} is ${verdict} (${reason})${responsible ? ` — look at ${responsible}` : ''}`,
    notStarted: (dir, component, code, message) => `Also on ${dir}: ${component} does not start: ${code} ${message}`,
  },
  zh: {
    noCause: (hasClosest) => `场景库中没有任何原因会输出这段文字。${hasClosest ? '最接近的：' : ''}`,
    closest: (reason, percent, template) => `${reason}（${percent}% 的词相同）：${template}`,
    verdict: (verdict) => VERDICT_WORDS.zh[verdict],
    kind: { contains: '包含场景库中的这一行', 'part-of': '是场景库中这一行的一部分', similar: '与场景库中的这一行相似' },
    theText: '这段文字',
    scenarios: '场景',
    responsible: '责任方',
    fix: '修复',
    tie: (count, narrowed) => `前 ${count} 个原因输出的文字完全相同：仅凭这段文字无法区分它们。${narrowed ? '上面节点的文件可以区分。' : '请加上 --dir DIR（节点的文件），或者提供连接另一端输出的一行。'}`,
    notSeen: (dir, at) => `在 ${dir} 上：未发现（${at} 时没有连接因这个原因失败）`,
    seen: (dir, edge, verdict, responsible) => `在 ${dir} 上：${edge} 因这个原因${verdict}${responsible ? `——请检查 ${responsible}` : ''}`,
    allWork: (dir, at) => `${dir} 的所有连接在 ${at} 时都正常（没有拒绝或配置错误）：这段文字不是出自这些文件的双向 TLS（或者它们不是输出这段文字的组件的文件）。`,
    alsoFails: (dir, edge, verdict, reason, responsible) => `${dir} 上还有：${edge} 为${verdict}（${reason}）${responsible ? `——请检查 ${responsible}` : ''}`,
    notStarted: (dir, component, code, message) => `${dir} 上还有：${component} 无法启动：${code} ${message}`,
  },
};
