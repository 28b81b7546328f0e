// Writes docs/*.md generated from the tables (npm run docs). test/docs.test.ts fails when they are stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDocs } from '../lib/docs/index.js';

const root = new URL('..', import.meta.url).pathname;
for (const [path, contents] of Object.entries(generatedDocs())) {
  writeFileSync(join(root, path), contents);
  console.log(`wrote ${path}`);
}
