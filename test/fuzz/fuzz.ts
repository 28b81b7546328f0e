/**
 * Shared pieces of the property-based tests (issue 9): how many inputs, which seed, the property
 * every parser must hold ("a typed error or a value, never anything else, never over 1 s per
 * input"), and the mutations that turn a valid input into a hostile one.
 *
 * Counts: `FUZZ_RUNS` per property (default small enough for CI; `npm run fuzz` sets 100,000).
 * Seed: fixed by default so CI is deterministic; `FUZZ_SEED` overrides it. fast-check prints the
 * seed and the shrunk counterexample of a failure; a counterexample found here is kept as a plain
 * test in regressions.test.ts.
 */
import * as fc from 'fast-check';
import { isKubeMtlsSimError } from '../../lib/errors.js';
import { generatePki, type GeneratePkiOptions, type Pki } from '../../lib/layout/generate.js';
import { generateKey, type KeyMaterial, type KeySource } from '../../lib/pki/keys.js';
import type { KeyAlgorithm } from '../../lib/pki/types.js';
import { clock } from '../helpers/pki.js';

export { fc };

const runs = Number(process.env.FUZZ_RUNS ?? 600);
const seed = Number(process.env.FUZZ_SEED ?? 9_2026);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, not ${process.env.FUZZ_RUNS}`);
if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);

/** fast-check parameters: `numRuns` scaled by a property's weight (cheap properties run more inputs). */
export function params(weight = 1): { numRuns: number; seed: number } {
  return { numRuns: Math.max(1, Math.round(runs * weight)), seed };
}

/** Per-input budget: an input that takes longer is a failure (a parser must never hang on hostile bytes). */
export const BUDGET_MS = 1000;

/**
 * Runs one input through `parse`: null when it gave a value or threw an accepted (typed) error,
 * else a description of what escaped. `accept` defaults to `KubeMtlsSimError`.
 */
export function escaped(parse: () => unknown, accept: (error: unknown) => boolean = isKubeMtlsSimError): string | null {
  const start = performance.now();
  let problem: string | null = null;
  try {
    parse();
  } catch (error) {
    if (!accept(error)) problem = `untyped ${describe(error)}`;
  }
  const ms = performance.now() - start;
  if (ms > BUDGET_MS) problem = `${problem ? `${problem}; ` : ''}took ${ms.toFixed(0)} ms (budget ${BUDGET_MS} ms)`;
  return problem;
}

/** The same for an async function. */
export async function escapedAsync(parse: () => Promise<unknown>, accept: (error: unknown) => boolean = isKubeMtlsSimError): Promise<string | null> {
  const start = performance.now();
  let problem: string | null = null;
  try {
    await parse();
  } catch (error) {
    if (!accept(error)) problem = `untyped ${describe(error)}`;
  }
  const ms = performance.now() - start;
  if (ms > BUDGET_MS) problem = `${problem ? `${problem}; ` : ''}took ${ms.toFixed(0)} ms (budget ${BUDGET_MS} ms)`;
  return problem;
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return `throw of ${typeof error}: ${String(error)}`;
  const code = (error as { code?: unknown }).code;
  return `${error.constructor.name}${code ? ` [${String(code)}]` : ''}: ${error.message.split('\n')[0]}\n${error.stack?.split('\n').slice(1, 6).join('\n')}`;
}


/**
 * Sample inputs: a PKI whose every slot holds the same key (one per algorithm), so an RSA sample
 * costs one RSA key instead of a dozen at each fuzz file's start. The fuzzers need real DER of
 * every shape, not distinct keys.
 */
const oneKey = new Map<KeyAlgorithm, Promise<KeyMaterial>>();
const oneKeySource: KeySource = {
  get: (algorithm) => oneKey.get(algorithm) ?? (oneKey.set(algorithm, generateKey(algorithm)), oneKey.get(algorithm)!),
  reusesKeys: true,
};
export function samplePki(options: Partial<GeneratePkiOptions> = {}): Promise<Pki> {
  return generatePki({ clock, keys: oneKeySource, ...options });
}

// --- Mutations -------------------------------------------------------------------------------

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate'; at: number; length: number; to: number };

const position = fc.nat({ max: 0x7fffffff });
/** Bytes that matter in DER and text: length markers, tags, NUL, high bit, PEM and YAML punctuation. */
const interesting = fc.constantFrom(0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x30, 0x31, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x88, 0xa0, 0xa3, 0xff, 0x2d, 0x3a, 0x3d, 0x20);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), at: position, byte: fc.oneof(interesting, fc.nat({ max: 255 })) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: position }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 64 }), to: position }) },
);

function apply(base: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = Buffer.from(base);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.op) {
      case 'flip': if (b.length > 0) b[at] = b[at]! ^ (1 << m.bit); break;
      case 'set': if (b.length > 0) b[at] = m.byte; break;
      case 'insert': b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]); break;
      case 'delete': b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]); break;
      case 'truncate': b = b.subarray(0, at); break;
      case 'duplicate': {
        const piece = b.subarray(at, at + m.length);
        const to = b.length === 0 ? 0 : m.to % b.length;
        b = Buffer.concat([b.subarray(0, to), piece, b.subarray(to)]);
        break;
      }
    }
  }
  return b;
}

/** One of `bases`, with one to `max` byte mutations. */
export function mutated(bases: readonly Buffer[], max = 4): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: max })).map(([base, ms]) => apply(base, ms));
}

/** Keys that trip naive object handling (`${obj}`, prototype lookups). */
const NASTY_KEYS = ['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty', 'length', ''];

/** Any JSON/YAML-like value, with nasty keys mixed into its objects. */
export function anyValue(keys: readonly string[] = []): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom(...NASTY_KEYS, ...keys), fc.string({ maxLength: 8 }));
  return fc.anything({ key, maxDepth: 3, maxKeys: 5, withNullPrototype: false, withBigInt: false, withDate: false });
}

/** Every path to a value inside a JSON-like tree (the root included, as []). */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function replaceAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = replaceAt(copy[head!], rest, replacement);
  return copy;
}

/**
 * A valid document with one to three of its values (any depth) replaced by something of another
 * type or shape: what "change YAML types" means for a kubeconfig, a kubelet config or a CSR object.
 */
export function reshaped(bases: readonly unknown[], keys: readonly string[] = []): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...bases), fc.array(fc.tuple(position, anyValue(keys)), { minLength: 1, maxLength: 3 })).map(([base, changes]) => {
    let doc = base;
    for (const [pick, replacement] of changes) {
      const all = paths(doc);
      doc = replaceAt(doc, all[pick % all.length]!, replacement);
    }
    return doc;
  });
}
