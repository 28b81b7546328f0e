/** Shared by the benchmarks: the summary table's row, the statistics every figure is reported with, and a timed process run. */
import { spawnSync } from 'node:child_process';

/** One line of the summary table; `pass` undefined means informational (no target). */
export interface Row { label: string; value: string; target: string; pass?: boolean }

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Wall time of one process run (in `cwd`); throws with its output when it fails, so a broken run is never timed. */
export function timedRun(command: string, args: string[], cwd: string, expectStatus = 0, env?: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', cwd, ...(env ? { env: { ...process.env, ...env } } : {}) });
  const elapsed = performance.now() - start;
  if (result.error) throw new Error(`cannot run ${command}: ${result.error.message}`);
  if (result.status !== expectStatus) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}, expected ${expectStatus}:\n${result.stderr}${result.stdout}`);
  }
  return elapsed;
}
