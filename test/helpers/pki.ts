import { fixedClock } from '../../lib/clock.js';
import { generatePki, type GeneratePkiOptions, type Pki } from '../../lib/layout/generate.js';

export const CLOCK_TIME = '2026-01-01T00:00:00Z';
export const clock = fixedClock(CLOCK_TIME);
export const unixTime = Math.floor(new Date(CLOCK_TIME).getTime() / 1000);

/**
 * The cluster time for tests that hand certificates to a real tool which checks them against the
 * wall clock (kubectl, etcd): the start of today, UTC. Fixed for a run (and a day), and inside the
 * one-year validity of what is issued at it, which CLOCK_TIME stops being on 2027-01-01.
 */
export const WALL_DAY_TIME = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString();

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
