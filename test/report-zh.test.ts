import { rmSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { REPORT_WORDS } from '../lib/cli/report-words.js';
import { displayWidth, renderTable } from '../lib/cli/table.js';
import { REASON_TEXT, SIDE_WORDS, STAGE_WORDS, VERDICT_WORDS } from '../lib/verdict/reason-text.js';
import { SCENARIOS } from '../scenarios/index.js';
import { SCENARIO_ZH } from '../scenarios/zh/index.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tools.js';

/**
 * `--lang zh` translates the whole text report of `scenario` and `check` (issue 13), not only the
 * explanation: headings, labels, verdict and stage words, table headers. What Kubernetes prints,
 * flags, files and reason codes stay as they are.
 */
const CJK = /[\u4e00-\u9fff]/;
const NOW = '2026-01-01T00:00:00Z';

/** Every word of a table, functions called with a marker for each argument: the literal text they add around it. */
function texts(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return [[path, String((value as (...a: unknown[]) => unknown)('\u0001', '\u0001', '\u0001', '\u0001', '\u0001'))]];
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => texts(v, path ? `${path}.${k}` : k));
  return [];
}

test('every label of the report has a Chinese form (the same keys, each with Chinese in it)', (t) => {
  for (const [en, zh] of [[REPORT_WORDS.en, REPORT_WORDS.zh], [VERDICT_WORDS.en, VERDICT_WORDS.zh], [STAGE_WORDS.en, STAGE_WORDS.zh], [SIDE_WORDS.en, SIDE_WORDS.zh], [REASON_TEXT.en, REASON_TEXT.zh]] as const) {
    const english = texts(en);
    const chinese = new Map(texts(zh));
    t.deepEqual(english.map(([k]) => k), [...chinese.keys()]);
    for (const [key] of english) t.regex(chinese.get(key)!, CJK, key);
  }
});

/** The English labels: each literal piece of REPORT_WORDS.en and the verdict, stage and side words, as whole words of 4 letters or more. */
const ENGLISH_LABELS = [...new Set([REPORT_WORDS.en, VERDICT_WORDS.en, STAGE_WORDS.en, SIDE_WORDS.en].flatMap((table) => texts(table).flatMap(([, text]) => text.split('\u0001')))
  .map((piece) => piece.replace(/[[\]():,.;]/g, ' ').trim()).filter((piece) => /[a-z]{4}/i.test(piece)))];

/** The report without what is data, not labels: the catalogue's English title and description, and Kubernetes' own lines. */
function labelsOnly(report: string): string {
  return report.split('\n').filter((line, i) => i > 1 && !/^ {2}\S+ \((stderr|log)\): /.test(line) && !/^ {2}(失败|提示) /.test(line) && !/^ {2}\S+ --/.test(line))
    .map((line) => line.replace(/^(场景|\[检查\] ).*/, '').replace(/\S+ \((stderr|log)\): .*$/, '')).join('\n');
}

function assertNoEnglishLabel(t: import('ava').ExecutionContext, report: string): void {
  const left = ENGLISH_LABELS.filter((label) => new RegExp(`(^|[^A-Za-z-])${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z-])`, 'm').test(labelsOnly(report)));
  t.deepEqual(left, [], report);
}

test('the zh report of a failing scenario has no English label left; Kubernetes\' words stay verbatim', async (t) => {
  const r = await cli(['scenario', 'apiserver-kubelet-client-from-etcd-ca', '--lang', 'zh', '--now', NOW]);
  t.is(r.status, 0, r.stderr);
  t.true(ENGLISH_LABELS.length > 30, ENGLISH_LABELS.join('|'));
  assertNoEnglishLabel(t, r.stdout);
  t.regex(r.stdout, /^结论 {2}拒绝 {2}阶段：认证，由服务端判定 {2}\[UNKNOWN_AUTHORITY\]$/m);
  t.regex(r.stdout, /^KUBERNETES 输出$/m);
  t.regex(r.stdout, /kubectl \(stderr\): error: You must be logged in to the server/);
  t.regex(r.stdout, /^预期 拒绝 \[UNKNOWN_AUTHORITY\]：一致。$/m);
  // The scenario's own title and description are in Chinese too: none of the English text is left.
  const scenario = SCENARIOS.find((s) => s.name === 'apiserver-kubelet-client-from-etcd-ca')!;
  const [heading, ...rest] = r.stdout.split('\n');
  t.true(heading!.endsWith(SCENARIO_ZH[scenario.name]!.title), heading);
  t.false(r.stdout.includes(scenario.title));
  t.false(r.stdout.includes(scenario.description.split(/\s+/).slice(0, 4).join(' ')));
  t.regex(rest[0]!, /^ {2}kubelet 请求客户端证书/);
  // The English report keeps its words.
  const en = await cli(['scenario', 'apiserver-kubelet-client-from-etcd-ca', '--now', NOW]);
  t.regex(en.stdout, /^VERDICT {2}REJECTED {2}at authn, decided by the server {2}\[UNKNOWN_AUTHORITY\]$/m);
});

test('check --lang zh: the table headers, verdicts, static checks and summary in Chinese', async (t) => {
  const dir = join(tempDir(t), 'node');
  t.is((await cli(['pki', 'write', dir, '--now', NOW, '--fault', 'apiserver-kubelet-client=signed-by:etcd-ca'])).status, 0);
  rmSync(join(dir, 'kube-mtls-sim.json'));
  const r = await cli(['check', dir, '--lang', 'zh', '--now', '2026-01-02T00:00:00Z']);
  t.is(r.status, 1, r.stderr);
  assertNoEnglishLabel(t, r.stdout);
  t.regex(r.stdout, /^连接 +结论 +阶段 +责任方 +原因 +KUBERNETES 输出$/m);
  t.regex(r.stdout, /^apiserver-to-kubelet +拒绝 +认证 /m);
  t.regex(r.stdout, /^\[检查\] 失败：8 条连接（7 通过, 0 不安全, 1 拒绝, 0 配置错误）/m);
});

test('check --lang zh: each static-check finding and the expiry table\'s "sent in the chain" in Chinese', async (t) => {
  const dir = join(tempDir(t), 'node');
  const faults = ['apiserver=expired-intermediate', 'etcd-peer=usages:ku=digitalSignature,eku=serverAuth', 'scheduler=expired', 'apiserver-etcd-client=mismatched-key', 'kubelet-serving=via-intermediate:send'];
  t.is((await cli(['pki', 'write', dir, '--now', NOW, ...faults.flatMap((f) => ['--fault', f])])).status, 0);
  const r = await cli(['check', dir, '--lang', 'zh', '--now', '2026-01-02T00:00:00Z']);
  const findings = r.stdout.split('\n').filter((line) => /^ {2}失败 (chain|usage|key-pair|expiration|kubeconfig-ca) /.test(line));
  t.deepEqual([...new Set(findings.map((line) => line.split(' ')[3]))].sort(), ['chain', 'expiration', 'key-pair', 'usage'], r.stdout);
  // After the file (and field), the finding's own sentence starts in Chinese.
  for (const line of findings) t.regex(line.replace(/^.*?: /, ''), /^\S+(：[\u4e00-\u9fff]|（[\u4e00-\u9fff]| 已于 )/, line);
  t.notRegex(r.stdout, /sent in the chain/);
  t.regex(r.stdout, /（随证书链发送）/);
  const en = await cli(['check', dir, '--now', '2026-01-02T00:00:00Z']);
  t.regex(en.stdout, /scheduler\.conf expired on /);
  t.regex(en.stdout, /\(sent in the chain\)/);
});

test('scenario --expirations --lang zh: the expiry tables and each certificate\'s labels in Chinese', async (t) => {
  const r = await cli(['scenario', 'kubelet-client-cert-expired', '--expirations', '--lang', 'zh', '--now', NOW]);
  t.is(r.status, 0, r.stderr);
  const tables = r.stdout.slice(r.stdout.indexOf('[证书到期] （运行中的集群）：kubeadm 布局'));
  t.regex(tables, /^证书 +到期时间 +剩余时间 +证书颁发机构$/m);
  t.regex(tables, /^ {2}主体 {6}CN=system:node:control-plane, O=system:nodes {4}序列号 /m);
  t.regex(tables, /^ {2}失败 {6}chain: /m);
  t.regex(tables, /^\[证书到期\] 失败：目录或其文件有 0 个问题，1 张证书未通过检查$/m);
  for (const english of ['CERTIFICATE', 'RESIDUAL TIME', 'subject', 'checked against', 'check-expiration', 'the running cluster', 'sent in the chain']) t.false(tables.includes(english), english);
});

test('a Chinese description wraps at 100 terminal columns, breaking between characters where it has no spaces', async (t) => {
  const r = await cli(['scenario', 'kubelet-fallback-to-bootstrap-token', '--lang', 'zh', '--now', NOW]);
  const description = r.stdout.split('\n').slice(1, r.stdout.split('\n').indexOf(''));
  t.true(description.length > 3, r.stdout);
  for (const line of description) t.true(displayWidth(line) <= 100, line);
  t.true(description.some((line) => displayWidth(line) > 90), 'the lines are filled, not cut short');
  t.false(description.some((line) => /^ {2}[，。：；）、]/.test(line) || /（$/.test(line)), 'no line starts with closing punctuation or ends with an opening bracket');
});

test('tables line up Chinese cells by the columns a terminal gives them', (t) => {
  t.is(displayWidth('结论'), 4);
  t.is(displayWidth('OK'), 2);
  t.deepEqual(renderTable(['连接', '结论'], [['a', '通过'], ['kubectl', '拒绝']]).split('\n'), ['连接      结论', 'a         通过', 'kubectl   拒绝']);
});
