// Issue 10's size rule as a test: no file over 300 lines and no function over 80 lines in lib/,
// except tables of data. A long function does several jobs, and a long file several modules; each
// is easier to read, test and name in Kubernetes' words once split. Functions are found with
// @swc/core's parser (already a dependency of dependency-cruiser), so a brace in a string or a
// template literal does not fool the count.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type * as Swc from '@swc/core';

// Through require: under the tests' tsx loader an ESM import of @swc/core's CommonJS entry can lose
// its named exports (see layers.test.ts).
const { parseSync } = createRequire(import.meta.url)('@swc/core') as typeof Swc;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_FUNCTION_LINES = 80;
const MAX_FILE_LINES = 300;

/**
 * Files exempt from the rule, each with why. Only tables of data belong here (a file that is mostly
 * one literal: splitting it would scatter one table).
 * None of lib/'s tables is over the limits today: the PKI presets, the error codes, the verdict and
 * phrase tables are all under 300 lines.
 */
const ALLOWED: Readonly<Record<string, string>> = {};

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ClassMethod', 'PrivateMethod',
  'Constructor', 'MethodProperty', 'GetterProperty', 'SetterProperty',
]);

interface Oversize { file: string; line: number; name: string; lines: number }

/** The line count as `wc -l` gives it, and every function over the limit with its first line and length. */
function measure(file: string, text: string): { lines: number; functions: Oversize[] } {
  // A leading `0;` gives the file's own first offset: the module's span starts at its first token,
  // after any leading comments, and swc's offsets may not restart at each parse. A `#!` line is
  // blanked to a comment of the same length, since it is only allowed first.
  const source = `0;\n${text.replace(/^#!/, '//')}`;
  const module = parseSync(source, { syntax: 'typescript', target: 'es2022' });
  const base = module.body[0]!.span.start + 3;
  const bytes = Buffer.from(text);
  const lineOf = (offset: number) => {
    let line = 1;
    for (let i = 0; i < offset - base; i++) if (bytes[i] === 0x0a) line++;
    return line;
  };
  const functions: Oversize[] = [];
  const walk = (node: unknown, name: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, name));
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; span?: { start: number; end: number } } & Record<string, unknown>;
    const own = nameOf(n) ?? name;
    if (n.type && FUNCTION_TYPES.has(n.type) && n.span) {
      const line = lineOf(n.span.start);
      const lines = lineOf(n.span.end) - line + 1;
      if (lines > MAX_FUNCTION_LINES) functions.push({ file, line, name: own, lines });
    }
    for (const value of Object.values(n)) if (value && typeof value === 'object') walk(value, own);
  };
  walk(module.body.slice(1), '(anonymous)');
  return { lines: text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length, functions };
}

/** A function's name for the report: its own, its variable's, its property's or method's key. */
function nameOf(node: Record<string, unknown>): string | undefined {
  const ident = (value: unknown) => (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string' ? value.value : undefined);
  switch (node.type) {
    case 'FunctionDeclaration': return ident(node.identifier);
    case 'VariableDeclarator': return ident(node.id);
    case 'ClassMethod': case 'MethodProperty': case 'GetterProperty': case 'SetterProperty': case 'KeyValueProperty': return ident(node.key);
    case 'PrivateMethod': return `#${ident(node.key) ?? ident((node.key as { id?: unknown })?.id) ?? ''}`; // swc's PrivateName: `value` (`id.value` in older releases)
    case 'Constructor': return 'constructor';
    default: return undefined;
  }
}

/** Every rule break of one file, as a line each. */
function oversizes(file: string, text: string): string[] {
  const { lines, functions } = measure(file, text);
  return [
    ...(lines > MAX_FILE_LINES ? [`${file}: ${lines} lines (at most ${MAX_FILE_LINES})`] : []),
    ...functions.map((f) => `${f.file}:${f.line}: function ${f.name} is ${f.lines} lines (at most ${MAX_FUNCTION_LINES})`),
  ];
}

const libFiles = (readdirSync(join(ROOT, 'lib'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `lib/${f.split('\\').join('/')}`)
  .sort();

test('no file in lib/ is over 300 lines and no function over 80, but for the allowed tables', (t) => {
  const found = libFiles.filter((file) => !(file in ALLOWED)).flatMap((file) => oversizes(file, readFileSync(join(ROOT, file), 'utf8')));
  t.true(libFiles.length > 100, 'lib/ was found');
  t.deepEqual(found, [], `split these into smaller, well-named functions or modules:\n${found.join('\n')}`);
});

test('every allowed file still exists and still needs its exemption', (t) => {
  const stale = Object.keys(ALLOWED).filter((file) => !libFiles.includes(file) || oversizes(file, readFileSync(join(ROOT, file), 'utf8')).length === 0);
  t.deepEqual(stale, [], `remove these from ALLOWED in test/code-size.test.ts: ${stale.join(', ')}`);
});

// The checker itself, on planted sources: it must catch what it is there to catch.
const body = (n: number) => Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n');
const fn = (name: string, total: number) => `function ${name}(x: number): number {\n${body(total - 3)}\n  return x;\n}`;

test('the checker flags a planted 81-line function and passes an 80-line one, lengths unskewed by leading comments', (t) => {
  const header = '#!/usr/bin/env node\n// a leading comment\n/**\n * ünïcode in a doc comment\n */\n';
  const text = `${header}${fn('fits', 80)}\n\nexport const tooLong = (x: number): number => {\n${body(78)}\n  return x;\n};\n`;
  t.deepEqual(oversizes('fixture.ts', text), ['fixture.ts:87: function tooLong is 81 lines (at most 80)']);
});

test('the checker flags methods, class members and nested functions by name', (t) => {
  const text = `class Kubelet {\n  #rotate(): void {\n${body(80)}\n  }\n}\nconst o = { get serving() {\n${body(80)}\n  return 1;\n} };\n`;
  t.deepEqual(oversizes('fixture.ts', text).map((l) => l.replace(/ is \d+ lines.*/, '')), ['fixture.ts:2: function #rotate', 'fixture.ts:85: function serving']);
});

test('the checker flags a file over 300 lines', (t) => {
  const text = `${Array.from({ length: 301 }, (_, i) => `export const v${i} = ${i};`).join('\n')}\n`;
  t.deepEqual(oversizes('fixture.ts', text), ['fixture.ts: 301 lines (at most 300)']);
  t.deepEqual(oversizes('fixture.ts', text.split('\n').slice(1).join('\n')), []);
});
