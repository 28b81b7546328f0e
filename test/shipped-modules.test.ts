import test from 'ava';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every module the build ships (tsconfig.build.json) is one the package itself uses: reachable from
// the entry points of package.json by imports (static, dynamic, type-only for the declarations, or a
// worker's `new URL('./x.js', import.meta.url)`). A module only tests or scripts use belongs in
// test/helpers or is excluded from the build, not shipped in dist.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = ['lib/index.ts', 'lib/cli/main.ts', 'scenarios/index.ts'];

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[]; exclude?: string[] };
const folderOf = (glob: string) => glob.replace(/\/\*\*.*$/, '');
const shipped = build.include
  .flatMap((glob) => walk(folderOf(glob)))
  .filter((file) => !(build.exclude ?? []).some((glob) => file.startsWith(`${folderOf(glob)}/`)));

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm),
    ...text.matchAll(/\bimport\('(\.[^']+)'\)/g),
    ...text.matchAll(/new URL\([^)]*'(\.\/[^']+\.js)'/g),
  ].map((m) => m[1]!);
  return specifiers.map((s) => relative(ROOT, resolve(dirname(join(ROOT, file)), s.replace(/\.js$/, '.ts'))));
}

test('every module shipped in dist is reachable from an entry point of the package', (t) => {
  const reached = new Set<string>();
  const queue = [...ENTRIES];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    queue.push(...importsOf(file));
  }
  t.true(shipped.length > 50, `tsconfig.build.json selects ${shipped.length} modules`);
  t.deepEqual(shipped.filter((file) => !reached.has(file)), []);
});
