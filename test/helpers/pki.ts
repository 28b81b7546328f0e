import { fixedClock } from '../../lib/clock.js';
import { generatePki, type GeneratePkiOptions, type Pki } from '../../lib/layout/generate.js';

export const CLOCK_TIME = '2026-01-01T00:00:00Z';
export const clock = fixedClock(CLOCK_TIME);
export const unixTime = Math.floor(new Date(CLOCK_TIME).getTime() / 1000);

const cache = new Map<string, Promise<Pki>>();

/** One generated PKI per preset/options, shared by the tests of a file (generation is deterministic per process). */
export function pkiFor(options: Partial<GeneratePkiOptions> = {}): Promise<Pki> {
  const key = JSON.stringify(options);
  let pki = cache.get(key);
  if (!pki) {
    pki = generatePki({ clock, ...options });
    cache.set(key, pki);
  }
  return pki;
}
