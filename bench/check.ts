/**
 * `check DIR` benchmarks (issue 11): a kubeadm node folder checked in-process — read, parsed,
 * started, eight edges dialled (the seven and the front proxy's), kubeadm's static checks, the report formatted — median, target
 * ≤ 120 ms; and as a whole process (the bin, `node dist/cli.cjs check DIR`) against the openssl CLI
 * doing `kubeadm certs check-expiration`'s job over the same folder (bench/openssl-check-expiration.sh),
 * reported as a ratio. The check does much more than read dates: the ratio says what that costs.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../lib/cli/main.js';
import { formatCheck } from '../lib/cli/check-format.js';
import { checkPasses } from '../lib/cli/check.js';
import { fixedClock } from '../lib/clock.js';
import { checkNode } from '../lib/cluster/check-node.js';
import { median, ms, percentile, timedRun, type Row } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.cjs');
const OPENSSL_SCRIPT = fileURLToPath(new URL('./openssl-check-expiration.sh', import.meta.url));
const TARGET_IN_PROCESS_MS = 120;
const WRITTEN_AT = '2026-01-01T00:00:00Z';
const CHECKED_AT = '2026-01-02T00:00:00Z';

const wall = (command: string, args: string[], expectStatus: number) => timedRun(command, args, ROOT, expectStatus);

export async function checkBenchmarks(quick: boolean): Promise<Row[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does)`);
  const dir = mkdtempSync(join(tmpdir(), 'kube-mtls-bench-check-'));
  try {
    const node = join(dir, 'node');
    const written = await main(['pki', 'write', node, '--now', WRITTEN_AT], () => {}, (e) => console.error(e));
    if (written !== 0) throw new Error('check bench: pki write failed');
    const clock = () => fixedClock(CHECKED_AT);
    const once = async () => {
      const start = performance.now();
      const report = await checkNode(node, clock());
      formatCheck(report, checkPasses(report, false), 'en');
      const elapsed = performance.now() - start;
      // Only a check that read the node and dialled its eight edges is timed (the seven, and the
      // front proxy's: a kubeadm node's apiserver has --proxy-client-* and --requestheader-*).
      if (report.edges.length !== 8) throw new Error(`check bench: dialled ${report.edges.length} edges, not 8`);
      if (!checkPasses(report, false)) throw new Error('check bench: a kubeadm folder should pass');
      return elapsed;
    };
    for (let i = 0; i < 3; i++) await once();
    const runs = quick ? 10 : 30;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await once());
    const inProcess = median(times);

    const processRuns = quick ? 3 : 7;
    const args = [CLI, 'check', node, '--now', CHECKED_AT];
    wall(process.execPath, args, 0); // warm the page cache
    const check = median(Array.from({ length: processRuns }, () => wall(process.execPath, args, 0)));
    const openssl = median(Array.from({ length: processRuns }, () => wall('bash', [OPENSSL_SCRIPT, node], 0)));
    return [
      { label: `check of a kubeadm folder in-process (read, parse, start, 8 edges, static checks): median of ${runs}`, value: ms(inProcess), target: `≤ ${TARGET_IN_PROCESS_MS} ms`, pass: inProcess <= TARGET_IN_PROCESS_MS },
      { label: `check of a kubeadm folder in-process: p90 of ${runs}`, value: ms(percentile(times, 90)), target: '—' },
      { label: `process: \`check DIR\` (kubeadm folder), median of ${processRuns}`, value: ms(check), target: '—' },
      { label: 'process: openssl x509 -enddate per certificate (bench/openssl-check-expiration.sh), same folder', value: ms(openssl), target: '—' },
      { label: 'process: `check DIR` / openssl check-expiration script', value: `${(check / openssl).toFixed(2)}×`, target: '—' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
