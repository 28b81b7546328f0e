// Writes docs/*.md generated from the tables, and the index `diagnose` reads (npm run docs).
// test/docs.test.ts fails when they are stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDocs } from '../lib/docs/index.js';
import { DIAGNOSE_INDEX_PATH, buildDiagnoseIndex, renderDiagnoseIndex } from '../lib/docs/diagnose-index.js';
import { SCENARIOS } from '../scenarios/index.js';

const root = new URL('..', import.meta.url).pathname;
const files = { ...generatedDocs(), [DIAGNOSE_INDEX_PATH]: renderDiagnoseIndex(await buildDiagnoseIndex(SCENARIOS)) };
for (const [path, contents] of Object.entries(files)) {
  writeFileSync(join(root, path), contents);
  console.log(`wrote ${path}`);
}
