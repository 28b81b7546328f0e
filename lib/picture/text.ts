// The page's own words in each language, and HTML escaping. Certificate subjects, file names and
// messages come from the user's files: every one goes through `esc` before it reaches the page.
import type { Lang } from '../verdict/explain.js';
import type { Verdict } from '../verdict/reasons.js';

export const LANGS = ['en', 'zh'] as const satisfies readonly Lang[];

/**
 * Text for HTML content and attribute values alike (both quotes escaped). The colon of a URL's
 * scheme (a dialled `https://10.0.0.10:6443`) becomes a character reference: it reads and copies the
 * same, and the page's source then holds no URL at all, which a test checks (the page fetches nothing).
 */
export function esc(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
    .replace(/\b([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1&#58;');
}

export interface PageWords {
  verdicts: Record<Verdict, string>;
  legend: string;
  client: string;
  server: string;
  presents: string;
  trusts: string;
  verifiesClients: string;
  dials: string;
  verdict: string;
  decidedBy: (side: string, stage: string) => string;
  reason: string;
  kubernetesSays: string;
  kubernetesSilent: string;
  lookAt: string;
  fix: string;
  explanation: string;
  identity: string;
  nothing: string;
  unknownTrust: string;
  systemRoots: string;
  noVerification: string;
  requestsClientCert: (yes: boolean | null) => string;
  /** A component's box: what it verifies its clients with, and what it trusts as the client of a server. */
  boxVerifies: string;
  boxTrusts: (server: string) => string;
  hint: string;
  at: string;
  language: string;
  validity: string;
  issuedBy: string;
}

export const WORDS: Readonly<Record<Lang, PageWords>> = {
  en: {
    verdicts: { ok: 'ok', rejected: 'rejected', insecure: 'insecure', 'config-error': 'config error' },
    legend: 'Arrows: client → server, coloured by verdict',
    client: 'Client', server: 'Server', presents: 'presents', trusts: 'verifies the server with', verifiesClients: 'verifies clients with',
    dials: 'dials', verdict: 'Verdict', decidedBy: (side, stage) => `decided by the ${side} at ${stage}`, reason: 'Reason',
    kubernetesSays: 'What Kubernetes says', kubernetesSilent: 'nothing: the edge works', lookAt: 'Look at', fix: 'Fix',
    explanation: 'Explanation', identity: 'Identity', nothing: 'nothing', unknownTrust: 'unknown (the component did not start)',
    systemRoots: 'the system roots', noVerification: 'nothing (no verification)',
    requestsClientCert: (yes) => (yes === null ? 'did not answer' : yes ? 'asks for a client certificate' : 'does not ask for a client certificate'),
    boxVerifies: 'clients', boxTrusts: (server) => `→ ${server}`,
    hint: 'Click, tap or hover an arrow for its report.', at: 'at', language: 'Language', validity: 'valid', issuedBy: 'issued by',
  },
  zh: {
    verdicts: { ok: '正常', rejected: '被拒绝', insecure: '不安全', 'config-error': '配置错误' },
    legend: '箭头：客户端 → 服务端，颜色表示结论',
    client: '客户端', server: '服务端', presents: '出示', trusts: '用以验证服务端', verifiesClients: '用以验证客户端',
    dials: '连接', verdict: '结论', decidedBy: (side, stage) => `由${side === 'client' ? '客户端' : '服务端'}在 ${stage} 阶段判定`, reason: '原因',
    kubernetesSays: 'Kubernetes 的输出', kubernetesSilent: '无：该连接正常', lookAt: '检查', fix: '修复',
    explanation: '解释', identity: '身份', nothing: '无', unknownTrust: '未知（组件未启动）',
    systemRoots: '系统根证书', noVerification: '无（不验证）',
    requestsClientCert: (yes) => (yes === null ? '未应答' : yes ? '要求客户端证书' : '不要求客户端证书'),
    boxVerifies: '客户端', boxTrusts: (server) => `→ ${server}`,
    hint: '点击、轻触或悬停箭头查看该连接的报告。', at: '时间', language: '语言', validity: '有效期', issuedBy: '签发者',
  },
};

/** One text per language, shown by the page's language switch (CSS hides the other). */
export function both(render: (lang: Lang) => string, tag = 'span'): string {
  return LANGS.map((lang) => `<${tag} class="l-${lang}" lang="${lang === 'zh' ? 'zh-Hans' : 'en'}">${render(lang)}</${tag}>`).join('');
}
