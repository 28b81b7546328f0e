import test from 'ava';
import { DIAGNOSE_WORDS } from '../lib/cli/diagnose-words.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tools.js';

/**
 * `diagnose --lang zh` (issue 14): diagnose's own words in Chinese, not only the fixes. The lines it
 * matched (the user's and the catalogue's), reason codes, scenario names, flags and paths stay as they are.
 */
const CJK = /[\u4e00-\u9fff]/;
const NOW = '2026-01-01T00:00:00Z';
const KUBECTL_UNKNOWN_CA = 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kubernetes")';
const ETCD_UNKNOWN = 'embed: rejected connection from "10.0.0.7:50000" (error "tls: failed to verify client certificate: x509: certificate signed by unknown authority", ServerName "")';
const NARROWED = 'x509: certificate signed by unknown authority';

/** Each literal piece of the English words (functions called with a marker per argument), as phrases with 4+ letters. */
function englishPieces(): string[] {
  const pieces: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') pieces.push(value);
    else if (typeof value === 'function') {
      for (const flag of [true, false]) pieces.push(...String((value as (...a: unknown[]) => unknown)(flag, '\u0001', '\u0001', '\u0001', '\u0001')).split('\u0001'));
    } else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk({ ...DIAGNOSE_WORDS.en, verdict: undefined });
  return [...new Set(pieces.map((p) => p.replace(/[[\]():,.;—%"]/g, ' ').replace(/\s+/g, ' ').trim()).filter((p) => /[a-z]{4}/i.test(p)))];
}

/** The output without its data: the matched lines (after the match word), the catalogue's templates, names, flags. */
function wordsOnly(text: string): string {
  return text.split('\n').map((line) => line
    .replace(/^( {3}(?:这段文字|".*") \S+?): .*$/, '$1')
    .replace(/^( {2}[A-Z_]+（\d+% 的词相同）)：.*$/, '$1')
    .replace(/^( {3}(?:场景|责任方|修复)): .*$/, '$1')
    .replace(/：(\S+) (ERR_[A-Z_]+) .*$/, '：$1 $2')).join('\n');
}

function assertAllChinese(t: import('ava').ExecutionContext, text: string): void {
  const left = englishPieces().filter((piece) => new RegExp(`(^|[^A-Za-z-])${piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z-])`, 'm').test(wordsOnly(text)));
  t.deepEqual(left, [], text);
  t.regex(text, CJK);
}

async function writeNode(t: import('ava').ExecutionContext, ...extra: string[]): Promise<string> {
  const dir = tempDir(t);
  t.is((await cli(['pki', 'write', dir, '--now', NOW, ...extra])).status, 0);
  return dir;
}

test('the English words are found by the check (it would see one left behind)', (t) => {
  const pieces = englishPieces();
  t.true(pieces.length > 10, pieces.join('|'));
  t.true(pieces.includes('No cause in the catalogue prints this text'));
});

test('a plain zh diagnosis: the labels in Chinese, the matched lines verbatim', async (t) => {
  const r = await cli(['diagnose', KUBECTL_UNKNOWN_CA, '--lang', 'zh']);
  t.is(r.status, 0, r.stderr);
  assertAllChinese(t, r.stdout);
  t.regex(r.stdout, /^1\. UNKNOWN_AUTHORITY \(拒绝\)$/m);
  t.regex(r.stdout, /^ {3}这段文字 \S+: .*x509: certificate signed by unknown authority/m);
  t.regex(r.stdout, /^ {3}场景: kubectl-/m);
  const en = await cli(['diagnose', KUBECTL_UNKNOWN_CA]);
  t.regex(en.stdout, /^ {3}scenarios: kubectl-/m);
  t.notRegex(en.stdout.replace(/ {3}fix: .*/g, ''), CJK);
});

test('a zh no-match: the honest "no cause" and the closest in Chinese', async (t) => {
  const r = await cli(['diagnose', 'the quick brown fox jumps over the lazy certificate', '--lang', 'zh']);
  t.is(r.status, 1);
  assertAllChinese(t, r.stdout);
  t.regex(r.stdout, /^场景库中没有任何原因会输出这段文字。/);
});

test('a zh tie: the sentence that says the text cannot tell the causes apart', async (t) => {
  const r = await cli(['diagnose', ETCD_UNKNOWN, '--lang', 'zh']);
  assertAllChinese(t, r.stdout);
  t.regex(r.stdout, /^前 2 个原因输出的文字完全相同：仅凭这段文字无法区分它们。请加上 --dir DIR/);
});

test('a zh diagnosis with --dir: what the node shows, in Chinese', async (t) => {
  const dir = await writeNode(t, '--flag', 'etcd:--trusted-ca-file=');
  const r = await cli(['diagnose', NARROWED, '--dir', dir, '--now', NOW, '--lang', 'zh']);
  t.is(r.status, 0, r.stderr);
  assertAllChinese(t, r.stdout);
  t.true(r.stdout.includes(`在 ${dir} 上：apiserver-to-etcd 因这个原因拒绝——请检查 etcd`), r.stdout);
  t.regex(r.stdout, /未发现（.* 时没有连接因这个原因失败）/);
  const good = await writeNode(t);
  const later = await cli(['diagnose', NARROWED, '--dir', good, '--now', '2031-01-01T00:00:00Z', '--lang', 'zh']);
  assertAllChinese(t, later.stdout);
  t.regex(later.stdout, /上还有：\S+ 为拒绝（CERT_EXPIRED）/);
  const fine = await cli(['diagnose', NARROWED, '--dir', good, '--now', NOW, '--lang', 'zh']);
  assertAllChinese(t, fine.stdout);
  t.regex(fine.stdout, /的所有连接在 2026-01-01T00:00:00.000Z 时都正常/);
});
