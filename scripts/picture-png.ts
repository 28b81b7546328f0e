// Renders one scenario's picture (the same page `scenario NAME --html` writes) with Debian's chromium
// and saves a PNG for the README: `npx tsx scripts/picture-png.ts [SCENARIO] [OUT.png]`.
// The scenario runs at a fixed time so the picture changes only when the code does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { main } from '../lib/cli/main.js';

const name = process.argv[2] ?? 'kubectl-kubeconfig-trusts-wrong-ca';
const out = resolve(process.argv[3] ?? `docs/img/${name}.png`);
const scratch = mkdtempSync(join(tmpdir(), 'kms-png-'));
try {
  const page = join(scratch, `${name}.html`);
  const status = await main(['scenario', name, '--now', '2026-01-01T00:00:00Z', '--html', page], () => {}, (t) => console.error(t));
  if (status > 1) throw new Error(`scenario ${name} exited ${status}`);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 620 }, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href);
    writeFileSync(out, await tab.screenshot({ fullPage: false }));
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
