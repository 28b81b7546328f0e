// The HTML picture of a cluster's wiring (issue 13), without a browser: every edge drawn with its
// verdict, every text from the user's files escaped, no URL anywhere in the page, both languages;
// and the CLI's --html (scenario, check) and serve's page URL.
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import test from 'ava';
import { fixedClock } from '../lib/clock.js';
import { EDGE_NAMES } from '../lib/edges/edges.js';
import { renderPicture } from '../lib/picture/page.js';
import { esc, WORDS } from '../lib/picture/text.js';
import { runScenario } from '../lib/scenarios/run.js';
import { explain } from '../lib/verdict/explain.js';
import type { EdgeResult } from '../lib/verdict/result.js';
import { startServe } from '../lib/cli/serve.js';
import { SCENARIOS } from '../scenarios/index.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tools.js';

const AT = '2026-01-01T00:00:00Z';
const FAILING = 'kubectl-kubeconfig-trusts-wrong-ca';

// One run of a failing scenario with the cluster's other edges, shared by the generator's tests.
let results: Promise<EdgeResult[]> | undefined;
function failingResults(): Promise<EdgeResult[]> {
  results ??= runScenario(SCENARIOS.find((s) => s.name === FAILING)!, fixedClock(AT), { otherEdges: true })
    .then((run) => [run.result, ...(run.otherEdges ?? [])]);
  return results;
}

/** Each arrow's group tag: its edge and verdict as the page's script and the browser test read them. */
function arrows(html: string): { edge: string; verdict: string; classes: string }[] {
  return [...html.matchAll(/<g class="(edge [^"]*)" data-edge="([^"]+)" data-verdict="([^"]+)"/g)].map((m) => ({ classes: m[1]!, edge: m[2]!, verdict: m[3]! }));
}

test('every edge of the scenario\'s cluster is an arrow with its verdict class; the scenario\'s own edge is the focus', async (t) => {
  const edges = await failingResults();
  t.is(edges.length, EDGE_NAMES.length);
  const html = await renderPicture(edges, { title: FAILING, focus: 'kubectl-to-apiserver' });
  const drawn = arrows(html);
  t.deepEqual(drawn.map((a) => a.edge).sort(), [...EDGE_NAMES].sort());
  for (const r of edges) {
    const a = drawn.find((x) => x.edge === r.edge)!;
    t.is(a.verdict, r.verdict, r.edge);
    t.true(a.classes.split(' ').includes(`v-${r.verdict}`), a.classes);
    t.true(html.includes(`<section class="report" data-edge="${r.edge}"`), `a report for ${r.edge}`);
  }
  t.is(drawn.find((a) => a.edge === 'kubectl-to-apiserver')!.verdict, 'rejected');
  t.true(drawn.find((a) => a.edge === 'kubectl-to-apiserver')!.classes.includes('focus'));
  // The legend names every verdict, with its colour class.
  for (const v of ['ok', 'rejected', 'insecure', 'config-error']) t.true(html.includes(`<li data-verdict="${v}"><span class="swatch v-bg-${v}">`), v);
});

test('a hostile subject, file name or message from the user\'s files is escaped everywhere it appears', async (t) => {
  const [first, ...rest] = await failingResults();
  const hostile = '<img src=x onerror=alert(1)>"\'&</script>';
  const r = structuredClone(first!);
  if (r.client.presented && !('token' in r.client.presented)) r.client.presented.subject = `CN=${hostile}`;
  r.client.trusts = { kind: 'ca', field: 'clusters[0].cluster.certificate-authority-data', file: `/etc/${hostile}`, subjects: [`CN=${hostile}`], keyIds: [''] };
  r.messages = [{ component: 'kubectl', where: 'stderr', text: hostile }];
  const html = await renderPicture([r, ...rest], { title: hostile, description: hostile });
  t.false(html.includes('<img'), 'no element made from the subject');
  t.false(html.includes(hostile));
  t.true(html.includes(esc(hostile)));
  t.is(html.match(/<\/script>/g)?.length, 1, 'the page\'s own script ends once');
  t.is(esc('<a href="https://x">\'&'), '&lt;a href=&quot;https&#58;//x&quot;&gt;&#39;&amp;');
});

test('the library draws the same page: renderPicture, loaded on first use', async (t) => {
  const edges = await failingResults();
  const api = await import('../lib/index.js');
  t.is(await api.renderPicture(edges, { title: FAILING }), await renderPicture(edges, { title: FAILING }));
});

test('the page names no URL and loads nothing: a CSP that forbids every fetch, no src or href', async (t) => {
  const html = await renderPicture(await failingResults(), { title: FAILING });
  t.notRegex(html, /https?:\/\//i);
  t.notRegex(html, /\s(src|href|xlink:href)\s*=/i);
  t.notRegex(html, /@import|url\((?!#)/i, 'no stylesheet fetch; markers are referenced by fragment only');
  t.regex(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; [^"]*">/);
  t.regex(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  // A dialled URL still reads as one (a character reference, not a link).
  t.true(html.includes('https&#58;//10.0.0.10:6443'));
});

test('both languages are in the page; --lang chooses the one it opens in', async (t) => {
  const edges = await failingResults();
  const failing = edges.find((r) => r.edge === 'kubectl-to-apiserver')!;
  const en = await renderPicture(edges, { title: FAILING });
  const zh = await renderPicture(edges, { title: FAILING, lang: 'zh' });
  t.regex(en, /<html lang="en" data-lang="en"/);
  t.regex(zh, /<html lang="zh-Hans" data-lang="zh"/);
  for (const html of [en, zh]) {
    t.true(html.includes(esc(explain(failing, 'en').fix)), 'the English fix');
    t.true(html.includes(esc(explain(failing, 'zh').fix)), 'the Chinese fix');
    t.true(html.includes(WORDS.zh.verdicts.rejected) && html.includes(WORDS.en.verdicts.rejected));
    t.true(html.includes('data-set-lang="zh"') && html.includes('data-set-lang="en"'), 'the switch');
  }
});

test('scenario NAME --html FILE writes the page; --html is refused with several names, with a folder name, and by the modes and commands without it', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'out', 'picture.html');
  const r = await cli(['scenario', FAILING, '--now', AT, '--html', file, '--lang', 'zh']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /picture: .*picture\.html/);
  const html = readFileSync(file, 'utf8');
  t.is(arrows(html).length, EDGE_NAMES.length);
  t.regex(html, /data-lang="zh" data-focus="kubectl-to-apiserver"/);
  t.is((await cli(['scenario', FAILING, '--now', AT, '--html', file])).status, 0, 'a page written before is replaced');
  const refused: [string[], RegExp][] = [
    [['scenario', FAILING, 'kubectl-to-apiserver', '--html', file], /`--html` draws one scenario/],
    [['scenario', FAILING, '--html', `${dir}/`], /`--html`: ".*" is not a file name/],
    [['scenario', '--all', '--html', file], /`--html` does not apply to `scenario --all`/],
    [['scenario', '--list', '--html', file], /`--html` does not apply to `scenario --list`/],
    [['pki', 'inspect', dir, '--html', file], /Unknown option '--html'/],
    [['diagnose', '--html', file], /Unknown option '--html'/],
  ];
  for (const [argv, message] of refused) {
    const bad = await cli(argv);
    t.is(bad.status, 2, argv.join(' '));
    t.regex(bad.stderr.split('\n')[0]!, message);
  }
  mkdirSync(join(dir, 'a-folder'));
  const folder = await cli(['scenario', FAILING, '--now', AT, '--html', join(dir, 'a-folder')]);
  t.is(folder.status, 1);
  t.regex(folder.stderr, /\[ERR_FILE_NOT_REGULAR\] .*a-folder: is a folder/);
  // A symlink at FILE is replaced by the page, never written through: what it points to is untouched.
  writeFileSync(join(dir, 'precious'), 'keep me');
  symlinkSync(join(dir, 'precious'), join(dir, 'out', 'link.html'));
  t.is((await cli(['scenario', FAILING, '--now', AT, '--html', join(dir, 'out', 'link.html')])).status, 0);
  t.is(readFileSync(join(dir, 'precious'), 'utf8'), 'keep me');
  t.false(lstatSync(join(dir, 'out', 'link.html')).isSymbolicLink());
});

test('check DIR --html FILE draws the node\'s edges, the failing one in its colour', async (t) => {
  const dir = tempDir(t);
  t.is((await cli(['pki', 'write', join(dir, 'node'), '--now', AT, '--fault', 'etcd-server=expired'])).status, 0);
  const file = join(dir, 'check.html');
  const r = await cli(['check', join(dir, 'node'), '--now', AT, '--html', file]);
  t.is(r.status, 1, 'the node fails its check');
  const drawn = arrows(readFileSync(file, 'utf8'));
  t.is(drawn.find((a) => a.edge === 'apiserver-to-etcd')?.verdict, 'rejected');
  t.is(drawn.find((a) => a.edge === 'kubectl-to-apiserver')?.verdict, 'ok');
  t.is((await cli(['check', join(dir, 'node'), '--html', ''])).status, 2);
});

test('serve prints the URL of its picture; each load dials the live cluster', async (t) => {
  const printed: string[] = [];
  const { cluster, picture } = await startServe(['--now', AT], (text) => printed.push(text));
  t.teardown(async () => {
    await picture.close();
    await cluster.stop();
  });
  t.true(printed.some((l) => l.includes(picture.url)), printed.join('\n'));
  t.regex(picture.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const load = (path: string) => new Promise<{ status: number; type: string; csp: string; body: string }>((done, fail) => {
    get(new URL(path, picture.url), (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), csp: String(res.headers['content-security-policy']), body }));
    }).on('error', fail);
  });
  const page = await load('/?lang=zh');
  t.is(page.status, 200);
  t.regex(page.type, /^text\/html/);
  t.regex(page.csp, /default-src 'none'/);
  t.regex(page.body, /data-lang="zh"/);
  t.is(arrows(page.body).length, EDGE_NAMES.length);
  t.is(arrows(page.body).find((a) => a.edge === 'kubectl-to-apiserver')?.verdict, 'ok');
  t.is((await load('/elsewhere')).status, 404);
  // A year and a day on, nobody renewed admin.conf: the next load shows it.
  await cluster.advanceClock(366 * 24 * 3_600_000);
  t.is(arrows((await load('/')).body).find((a) => a.edge === 'kubectl-to-apiserver')?.verdict, 'rejected');
});
