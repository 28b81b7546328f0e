// The picture in a real browser (issue 13): Debian's chromium, driven by playwright-core (no browser
// download), loads the page `scenario NAME --html` writes for a passing and a failing scenario,
// checks each edge and its colour in the DOM, opens an edge's report by click and by hover,
// switches to Chinese, lays out on a phone's screen, and saves screenshots in test-artifacts/.
// Nothing may be fetched but the page itself, and nothing may be logged as an error.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ava, { type ExecutionContext } from 'ava';
import { chromium, type Browser, type Page } from 'playwright-core';
import { VERDICT_COLOURS } from '../lib/picture/svg.js';
import type { Verdict } from '../lib/verdict/reasons.js';
import { cli } from './helpers/cli.js';
import { tempDir, testWithTool } from './helpers/tools.js';

const CHROMIUM = '/usr/bin/chromium';
const test = testWithTool('chromium', existsSync(CHROMIUM) ? CHROMIUM : undefined);
const AT = '2026-01-01T00:00:00Z';
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');

// One browser for every test of this file: launching is most of the time.
let browser: Promise<Browser> | undefined;
const launch = () => (browser ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] }));
ava.after.always(async () => {
  if (browser) await (await browser).close();
});

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/** The page of one scenario, opened in a fresh tab that records every request and every error. */
async function open(t: ExecutionContext, scenario: string, viewport = { width: 1200, height: 800 }) {
  const file = join(tempDir(t), `${scenario}.html`);
  const run = await cli(['scenario', scenario, '--now', AT, '--html', file]);
  t.is(run.status, 0, run.stderr);
  const context = await (await launch()).newContext({ viewport });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const url = pathToFileURL(file).href;
  await page.goto(url);
  return { page, url, requests, errors, report: run.stdout };
}

async function edges(page: Page): Promise<{ edge: string; verdict: string; stroke: string }[]> {
  return page.$$eval('g.edge', (groups) => groups.map((g) => ({
    edge: (g as SVGGElement).dataset.edge!, verdict: (g as SVGGElement).dataset.verdict!,
    stroke: getComputedStyle(g.querySelector('path.line')!).stroke,
  })));
}

const visibleReport = (page: Page) => page.locator('section.report:not([hidden]) > div:visible');

function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

test('a failing scenario: seven arrows in their verdicts\' colours, the failing edge\'s report, hover, click, Chinese', async (t) => {
  t.timeout(180_000, 'a scenario run and a browser, on a busy machine');
  const { page, url, requests, errors } = await open(t, 'kubectl-kubeconfig-trusts-wrong-ca');
  const drawn = await edges(page);
  t.is(drawn.length, 7);
  for (const e of drawn) t.is(e.stroke, rgb(VERDICT_COLOURS[e.verdict as Verdict]), `${e.edge} is drawn in the colour of ${e.verdict}`);
  t.is(drawn.find((e) => e.edge === 'kubectl-to-apiserver')?.verdict, 'rejected');
  t.is(drawn.find((e) => e.edge === 'apiserver-to-etcd')?.verdict, 'ok');
  // Opens on the scenario's own edge.
  t.regex(await visibleReport(page).innerText(), /kubectl-to-apiserver[\s\S]*UNKNOWN_AUTHORITY[\s\S]*certificate signed by unknown authority/);
  // Hover shows another edge's report; leaving returns to the pinned one; a click pins it.
  await page.locator('g.edge[data-edge="apiserver-to-etcd"] text.label').hover();
  t.regex(await visibleReport(page).innerText(), /^apiserver-to-etcd/);
  await page.mouse.move(0, 0);
  t.regex(await visibleReport(page).innerText(), /^kubectl-to-apiserver/);
  await page.locator('g.edge[data-edge="apiserver-to-kubelet"] text.label').click();
  await page.mouse.move(0, 0);
  const kubelet = await visibleReport(page).innerText();
  t.regex(kubelet, /^apiserver-to-kubelet/);
  t.regex(kubelet, /SERVER_NOT_VERIFIED/);
  t.regex(kubelet, /--kubelet-certificate-authority/, 'the flag to fix');
  await screenshot(page, 'picture-failing-en');
  await page.locator('g.edge[data-edge="kubectl-to-apiserver"] text.label').click();
  await page.locator('button[data-set-lang="zh"]').click();
  t.is(await page.locator('html').getAttribute('data-lang'), 'zh');
  const zh = await visibleReport(page).innerText();
  t.regex(zh, /被拒绝/);
  t.regex(zh, /UNKNOWN_AUTHORITY/);
  t.false(await page.locator('section.report:not([hidden]) > div.l-en').isVisible(), 'the English report is hidden');
  t.true(await page.locator('.legend .l-zh', { hasText: '不安全' }).isVisible());
  await screenshot(page, 'picture-failing-zh');
  t.deepEqual(requests, [url], 'nothing fetched but the page');
  t.deepEqual(errors, []);
});

test('a passing scenario: its edge ok and green; on a phone the drawing scales into its frame and the report stacks below it', async (t) => {
  t.timeout(180_000, 'a scenario run and a browser, on a busy machine');
  const { page, url, requests, errors } = await open(t, 'kubectl-to-apiserver', { width: 390, height: 844 });
  const drawn = await edges(page);
  t.is(drawn.length, 7);
  t.like(drawn.find((e) => e.edge === 'kubectl-to-apiserver'), { verdict: 'ok', stroke: rgb(VERDICT_COLOURS.ok) });
  t.regex(await visibleReport(page).innerText(), /^kubectl-to-apiserver[\s\S]*OK/);
  // The drawing keeps a legible size and scrolls sideways inside its own frame; the page does not.
  const frame = (await page.locator('.drawing').boundingBox())!;
  const details = (await page.locator('#details').boundingBox())!;
  t.true(frame.width <= 390, `the drawing's frame is ${frame.width}px wide`);
  t.true(details.y >= frame.y + frame.height, 'the report is below the drawing');
  t.false(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), 'no sideways scrolling');
  await screenshot(page, 'picture-passing-phone');
  t.deepEqual(requests, [url]);
  t.deepEqual(errors, []);
});
