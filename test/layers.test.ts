// The layer rule of issue 10 as a test: dependency-cruiser, with the rules .dependency-cruiser.cjs
// generates from layers.json, finds no import that runs up a layer, none between siblings and no
// cycle; every module has a layer; docs/architecture.md lists the same layers.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { ICruiseResult } from 'dependency-cruiser';

interface Layer { name: string; paths: string[]; siblings?: boolean; what: string }

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { layers } = JSON.parse(readFileSync(join(ROOT, 'layers.json'), 'utf8')) as { layers: Layer[] };
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/**
 * Runs the project's rules over `paths` (relative to `cwd`) as `npm run lint:layers` does, and lists
 * every violation as one line. A child process of plain node: under the tests' tsx loader,
 * dependency-cruiser's import of @swc/core's CommonJS Visitor loses its named export.
 */
async function violations(paths: string[], cwd: string): Promise<string[]> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [DEPCRUISE, ...paths, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
        // Exit status 1..n counts the errors; the JSON on stdout says which. Anything else is a failure to run.
        if (error && !out.startsWith('{')) reject(new Error(`depcruise failed: ${err || error.message}`));
        else resolve(out);
      });
  });
  const result = JSON.parse(stdout) as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`);
}

test('no import runs up a layer or across siblings, and no module imports itself back', async (t) => {
  t.deepEqual(await violations(['lib', 'scenarios'], ROOT), []);
});

test('the rules catch a back-edge, an import between siblings, a cycle and a module outside the layers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'lib/pki/table.ts': "import type { Result } from '../verdict/result.js';\nexport type Table = Result;\n",
    'lib/verdict/result.ts': 'export type Result = string;\n',
    'lib/endpoints/server.ts': "import { dial } from '../clients/dial.js';\nexport const serve = dial;\n",
    'lib/clients/dial.ts': 'export const dial = 1;\n',
    'lib/util/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'lib/util/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    'lib/unplaced/thing.ts': "import { dial } from '../clients/dial.js';\nexport const thing = dial;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const found = await violations(['lib'], dir);
  t.true(found.some((v) => v.startsWith('layer-pki: lib/pki/table.ts → lib/verdict/result.ts')), found.join('\n'));
  t.true(found.some((v) => v.startsWith('siblings-lib-endpoints: lib/endpoints/server.ts → lib/clients/dial.ts')), found.join('\n'));
  t.true(found.some((v) => v.startsWith('no-circular: lib/util/a.ts → lib/util/b.ts')), found.join('\n'));
  t.true(found.some((v) => v.startsWith('in-a-layer: lib/unplaced/thing.ts → lib/clients/dial.ts')), found.join('\n'));
});

test('every module under lib/ and scenarios/ has exactly one layer, and every layer path exists', (t) => {
  const covers = (path: string, file: string) => (path.endsWith('/') ? file.startsWith(path) : file === path);
  const modules = ['lib', 'scenarios'].flatMap((top) =>
    readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => `${top}/${f.split('\\').join('/')}`));
  t.true(modules.length > 100);
  for (const file of modules) {
    const owners = layers.filter((layer) => layer.paths.some((path) => covers(path, file))).map((layer) => layer.name);
    t.is(owners.length, 1, `${file} is in layers: ${owners.join(', ') || 'none'}`);
  }
  for (const path of layers.flatMap((layer) => layer.paths)) t.true(modules.some((file) => covers(path, file)), `${path} holds no module`);
});

/** The layer table of docs/architecture.md, as it must read. */
function layerTable(): string {
  const rows = layers.map((layer, index) =>
    `| ${index + 1} | ${layer.name} | ${layer.paths.map((p) => `\`${p}\``).join(layer.siblings ? ' ∥ ' : ', ')} | ${layer.what} |`);
  return ['| # | Layer | Modules | What |', '|---|---|---|---|', ...rows.reverse()].join('\n');
}

test('docs/architecture.md lists the layers of layers.json, top first', (t) => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const table = /<!-- layers:begin -->\n([\s\S]*?)\n<!-- layers:end -->/.exec(doc)?.[1];
  t.is(table, layerTable());
  for (const layer of layers.filter((l) => l.name !== 'package')) {
    for (const path of layer.paths) t.true(doc.includes(`### \`${path}\``), `docs/architecture.md has no paragraph for ${path}`);
  }
});
