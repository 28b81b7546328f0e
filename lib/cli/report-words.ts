import type { Lang } from '../verdict/phrases.js';

/**
 * Every word of the text reports (`scenario NAME`, `check DIR`) that is this project's own: headings,
 * labels, table headers, connecting phrases. One object per language, typed by ReportWords, so a
 * label without its Chinese form does not compile. What Kubernetes says (log lines, kubectl's
 * errors), flags, files, subjects and reason codes are never here: they are printed verbatim.
 */
export interface ReportWords {
  scenario(name: string, preset: string, edge: string, title: string): string;
  client: string;
  server: string;
  configuredBy(by: string): string;
  dials: string;
  routedTo(listening: string): string;
  presents: string;
  trusts: string;
  verifies: string;
  verdict: string;
  atStage(stage: string): string;
  decidedBy(side: string): string;
  identity: string;
  groups: string;
  kubernetesPrints: string;
  nothingPrinted(insecure: boolean): string;
  expected(verdict: string, reason: string, matches: boolean): string;
  nothing: string;
  bearerToken(token: string, field: string, file?: string): string;
  emptySubject: string;
  issuedBy(issuer: string, serial: string): string;
  valid(from: string, to: string): string;
  eku: string;
  sans: string;
  from(field: string, file?: string): string;
  trustUnknown: string;
  trustNone(field: string): string;
  trustSystemRoots(field: string): string;
  // check DIR
  checkAt(root: string, at: string): string;
  read(list: string): string;
  absent: string;
  checkHeaders: [edge: string, verdict: string, stage: string, responsible: string, reason: string, prints: string];
  notChecked(edge: string, why: string): string;
  lookAt: string;
  expirationAt(at: string): string;
  expirationHeaders: [certificate: string, expires: string, residual: string, authority: string, external: string];
  yes: string;
  /** After a CA's name in the expiry table when the CA is an intermediate the file itself sends. */
  sentInChain: string;
  no: string;
  staticClean: string;
  staticFindings(n: number): string;
  kubeadmWouldSay: string;
  severity: { fail: string; note: string };
  cannotStart: string;
  flagOrField: string;
  didNotStart: string;
  allFlagsModelled: string;
  unmodelledFlags(n: number): string;
  summary(ok: boolean, edges: number, counts: string, findings: number, problems: number): string;
}

const where = (field: string, file?: string) => `${field}${file ? ` (${file})` : ''}`;

const en: ReportWords = {
  scenario: (name, preset, edge, title) => `Scenario ${name} (${preset} preset, edge ${edge}): ${title}`,
  client: 'CLIENT', server: 'SERVER',
  configuredBy: (by) => `(configured by ${by})`,
  dials: 'dials', routedTo: (l) => `(the simulated node network routes it to ${l})`,
  presents: 'presents', trusts: 'trusts', verifies: 'verifies',
  verdict: 'VERDICT', atStage: (s) => `at ${s}`, decidedBy: (side) => `, decided by the ${side}`,
  identity: 'IDENTITY', groups: 'groups',
  kubernetesPrints: 'WHAT KUBERNETES PRINTS',
  nothingPrinted: (insecure) => `nothing: the edge works${insecure ? ', which is exactly why this weakness goes unnoticed' : ''}`,
  expected: (v, r, ok) => `EXPECTED ${v} [${r}]: ${ok ? 'matches.' : 'DOES NOT MATCH'}`,
  nothing: 'nothing',
  bearerToken: (token, field, file) => `a bearer token ${token} from ${where(field, file)}`,
  emptySubject: '(empty subject)',
  issuedBy: (issuer, serial) => `issued by ${issuer}, serial ${serial}`,
  valid: (a, b) => `valid ${a} .. ${b}`, eku: 'EKU', sans: 'SANs',
  from: (field, file) => `from ${where(field, file)}`,
  trustUnknown: 'unknown (the component did not start)',
  trustNone: (field) => `nothing: ${field}`,
  trustSystemRoots: (field) => `the system roots (no cluster CA): ${field}`,
  checkAt: (root, at) => `[check] ${root} at ${at}`,
  read: (list) => `[check] read: ${list}`, absent: 'absent',
  checkHeaders: ['EDGE', 'VERDICT', 'STAGE', 'RESPONSIBLE', 'REASON', 'KUBERNETES PRINTS'],
  notChecked: (edge, why) => `${edge}: not checked: ${why}`,
  lookAt: 'look at',
  expirationAt: (at) => `[check-expiration] as kubeadm certs check-expiration, at ${at}`,
  expirationHeaders: ['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED'],
  yes: 'yes', no: 'no', sentInChain: '(sent in the chain)',
  staticClean: '[static] every certificate verifies against its CA with a matching key, and every kubeconfig holds the cluster CA',
  staticFindings: (n) => `[static] ${n} finding(s):`,
  kubeadmWouldSay: 'kubeadm would say',
  severity: { fail: 'FAIL', note: 'note' },
  cannotStart: '[node] components that cannot load or start:',
  flagOrField: 'flag/field', didNotStart: 'did not start',
  allFlagsModelled: '[node] every flag is modelled',
  unmodelledFlags: (n) => `[node] ${n} flag(s) kept but not modelled by the simulator:`,
  summary: (ok, edges, counts, findings, problems) => `[check] ${ok ? 'ok' : 'FAIL'}: ${edges} edges (${counts}), ${findings} static finding(s), ${problems} component problem(s)`,
};

const zh: ReportWords = {
  scenario: (name, preset, edge, title) => `场景 ${name}（${preset} 预设，连接 ${edge}）：${title}`,
  client: '客户端', server: '服务端',
  // `kube-apiserver flags` is the report's own phrase (clients/credentials.ts); a kubeconfig path stays as it is.
  configuredBy: (by) => `（配置来自 ${by.replace(/ flags$/, ' 的命令行参数')}）`,
  dials: '拨号', routedTo: (l) => `（模拟的节点网络把它转到 ${l}）`,
  presents: '出示', trusts: '信任', verifies: '校验',
  verdict: '结论', atStage: (s) => `阶段：${s}`, decidedBy: (side) => `，由${side}判定`,
  identity: '身份', groups: '组',
  kubernetesPrints: 'KUBERNETES 输出',
  nothingPrinted: (insecure) => `无：该连接正常工作${insecure ? '，这正是这一弱点不被察觉的原因' : ''}`,
  expected: (v, r, ok) => `预期 ${v} [${r}]：${ok ? '一致。' : '不一致'}`,
  nothing: '无',
  bearerToken: (token, field, file) => `来自 ${where(field, file)} 的 Bearer Token ${token}`,
  emptySubject: '（空主题）',
  issuedBy: (issuer, serial) => `签发者 ${issuer}，序列号 ${serial}`,
  valid: (a, b) => `有效期 ${a} .. ${b}`, eku: '扩展密钥用法', sans: '主题备用名称',
  from: (field, file) => `来自 ${where(field, file)}`,
  trustUnknown: '未知（组件没有启动）',
  trustNone: (field) => `无：${field}`,
  trustSystemRoots: (field) => `系统根证书（没有集群 CA）：${field}`,
  checkAt: (root, at) => `[检查] ${root}，时间 ${at}`,
  read: (list) => `[检查] 读取：${list}`, absent: '不存在',
  checkHeaders: ['连接', '结论', '阶段', '责任方', '原因', 'KUBERNETES 输出'],
  notChecked: (edge, why) => `${edge}：未检查：${why}`,
  lookAt: '请查看',
  expirationAt: (at) => `[证书到期] 如 kubeadm certs check-expiration，时间 ${at}`,
  expirationHeaders: ['证书', '到期时间', '剩余时间', '证书颁发机构', '外部管理'],
  yes: '是', no: '否', sentInChain: '（随证书链发送）',
  staticClean: '[静态检查] 每个证书都能用其 CA 校验且密钥匹配，每个 kubeconfig 都包含集群 CA',
  staticFindings: (n) => `[静态检查] ${n} 个发现：`,
  kubeadmWouldSay: 'kubeadm 会说',
  severity: { fail: '失败', note: '提示' },
  cannotStart: '[节点] 无法加载或启动的组件：',
  flagOrField: '参数/字段', didNotStart: '没有启动',
  allFlagsModelled: '[节点] 所有参数都已建模',
  unmodelledFlags: (n) => `[节点] ${n} 个参数被保留但模拟器未建模：`,
  summary: (ok, edges, counts, findings, problems) => `[检查] ${ok ? '通过' : '失败'}：${edges} 条连接（${counts}），${findings} 个静态发现，${problems} 个组件问题`,
};

export const REPORT_WORDS: Record<Lang, ReportWords> = { en, zh };
