/** Shared by the benchmarks: the summary table's row, and the statistics every figure is reported with. */

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
