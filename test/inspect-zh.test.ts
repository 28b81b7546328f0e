import { join } from 'node:path';
import test from 'ava';
import { checkDetail, hasChineseForm } from '../lib/cli/inspect-details.js';
import type { InspectReport } from '../lib/layout/inspect.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tools.js';

/**
 * `pki inspect --lang zh` (and `scenario --expirations --lang zh`): each check's own sentence in
 * Chinese, not only the labels around it. A node written with many faults makes the checks say most
 * of their sentences; each must have its Chinese form, its facts (names, dates, counts) kept.
 */
const NOW = '2026-01-01T00:00:00Z';
const AT = '2026-01-02T00:00:00Z';
const CJK = /[\u4e00-\u9fff]/;
const FAULTS = [
  'apiserver=expired-intermediate', 'scheduler=expired', 'apiserver-etcd-client=mismatched-key',
  'front-proxy-client=self-signed', 'apiserver-kubelet-client=signed-by:etcd-ca', 'etcd-peer=usages:ku=digitalSignature,eku=serverAuth',
  'etcd-healthcheck-client=signed-by-impostor', 'kubelet-serving=via-intermediate:omit',
];

test('pki inspect --lang zh says every check\'s sentence in Chinese, with the same facts; --lang en is unchanged', async (t) => {
  const dir = join(tempDir(t), 'node');
  const wrote = await cli(['pki', 'write', dir, '--now', NOW, ...FAULTS.flatMap((f) => ['--fault', f])]);
  t.is(wrote.status, 0, wrote.stderr);
  const json = await cli(['pki', 'inspect', dir, '--now', AT, '--json']);
  const report = JSON.parse(json.stdout) as InspectReport;
  const checks = report.rows.flatMap((r) => Object.values(r.checks));
  const reasons = new Set(checks.map((c) => c.reason));
  for (const reason of ['OK', 'CERT_HAS_EXPIRED', 'KEY_MISMATCH', 'BAD_SIGNATURE', 'SELF_SIGNED', 'UNKNOWN_AUTHORITY', 'WRONG_EKU']) t.true(reasons.has(reason), `the faults make a ${reason} check: ${[...reasons].join(' ')}`);
  // Every sentence the checks said has a Chinese form; only a typed error's message (ERR_…) may stay as it is.
  for (const check of checks) {
    if (check.reason.startsWith('ERR_')) continue;
    t.true(hasChineseForm(check.detail), `no Chinese form for: ${check.detail}`);
    const zh = checkDetail(check, 'zh');
    t.regex(zh, CJK, `${check.detail} → ${zh}`);
    // The facts carry over: quoted names, dates and numbers.
    for (const fact of check.detail.match(/"[^"]*"|\d{4}-\d\d-\d\dT\S+|\b\d+\b/g) ?? []) t.true(zh.includes(fact), `${fact} kept in: ${zh}`);
  }

  const zh = await cli(['pki', 'inspect', dir, '--now', AT, '--lang', 'zh']);
  t.is(zh.status, 1, zh.stderr);
  const details = zh.stdout.split('\n').filter((line) => /^ {2}(通过|失败) {6}(chain|eku|key): /.test(line));
  t.is(details.length, report.rows.length * 3);
  for (const line of details) t.regex(line.replace(/^.*?: /, ''), CJK, line);
  for (const english of ['verified against', 'the private key matches', 'fits a', 'expired at', 'is not a trusted CA']) t.false(zh.stdout.includes(english), english);
  t.regex(zh.stdout, /已于 \S+ 过期/);

  const en = await cli(['pki', 'inspect', dir, '--now', AT]);
  t.regex(en.stdout, /^ {2}ok {8}key: the private key matches$/m);
  t.regex(en.stdout, /^ {2}FAIL {6}chain: certificate expired at /m);
});

test('pki inspect refuses a language it does not have, naming the flag', async (t) => {
  const r = await cli(['pki', 'inspect', tempDir(t), '--lang', 'fr']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--lang/);
});

test('the sentences a faulted node does not make here have their Chinese forms too', (t) => {
  const samples: Array<[string, RegExp]> = [
    ['certificate is not valid before 2026-02-01T00:00:00.000Z', /^证书在 2026-02-01T00:00:00.000Z 之前无效$/],
    ['issuer "CN=etcd-ca" expired at 2026-01-01T00:00:00.000Z', /^签发者 "CN=etcd-ca"已于 2026-01-01T00:00:00.000Z 过期$/],
    ['cannot check: its CA file /etc/kubernetes/pki/ca.crt is unreadable', /^无法检查：它的 CA 文件 \/etc\/kubernetes\/pki\/ca\.crt 无法读取$/],
    ['no CA in this folder issued it', /^此目录中没有签发它的 CA$/],
    ['no private key found beside it', /^旁边没有找到私钥$/],
    ['key discarded by design', /^私钥按设计被丢弃$/],
    ['role unknown', /^角色未知$/],
    ['no EKU extension: any purpose', /^没有 EKU 扩展/],
    ['tls: private key does not match public key (it matches certificate 2 of 2; Go pairs a key with the first)', /^tls: private key does not match public key（私钥与 2 张中的第 2 张证书匹配；/],
    ['"CN=admin" signed it but is not a CA (CA:FALSE)', /^由 "CN=admin" 签发，但它不是 CA（CA:FALSE）$/],
    ['a server-and-client certificate needs serverAuth and clientAuth; it has codeSigning', /^服务端兼客户端证书需要 serverAuth 和 clientAuth；它只有 codeSigning$/],
  ];
  for (const [detail, zh] of samples) t.regex(checkDetail({ ok: false, reason: 'X', detail }, 'zh'), zh, detail);
  t.is(checkDetail({ ok: false, reason: 'ERR_X', detail: 'an error message' }, 'zh'), 'an error message', 'a typed error stays as it is');
});
