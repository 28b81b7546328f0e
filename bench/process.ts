/**
 * Whole-process benchmarks: what a user waits for when they type a command, not only the engine
 * inside it. Each figure is measured against a baseline taken in the same run: bare `node -e 0`
 * (the floor every Node command pays) and bench/openssl-pki.sh (the same PKI made with the openssl
 * CLI). Runs the compiled package (`dist/`) as an installed one runs: its bin and its "." export.
 *
 * Targets (issue 10): importing the package costs ≤ 60 ms above bare node; one scenario as a
 * process ≤ 2.5× bare node; `pki write` as a process ≥ 4× faster than the openssl script.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, ms, timedRun, type Row } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// What a user runs and imports: the package's bin and its "." export, as package.json names them.
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; exports: { '.': { default: string } } };
const CLI = join(ROOT, PACKAGE.bin['kube-mtls-sim']!);
const INDEX = join(ROOT, PACKAGE.exports['.'].default);
const OPENSSL_SCRIPT = fileURLToPath(new URL('./openssl-pki.sh', import.meta.url));

const TARGET_IMPORT_ABOVE_NODE_MS = 60;
const TARGET_SCENARIO_RATIO = 2.5;
const TARGET_PKI_WRITE_SPEEDUP = 4;

const run = (command: string, args: string[], env?: NodeJS.ProcessEnv) => timedRun(command, args, ROOT, 0, env);

/** Median of `runs` runs of `once`, each given a fresh temporary folder (removed after). */
function medianOf(runs: number, once: (dir: string) => number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'kube-mtls-bench-proc-'));
    try {
      times.push(once(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return median(times);
}

export function processBenchmarks(quick: boolean): Row[] {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does)`);
  const runs = quick ? 5 : 15;
  const node = process.execPath;
  run(node, ['-e', '0']); // warm the page cache for node itself
  const bare = medianOf(runs, () => run(node, ['-e', '0']));
  const imported = medianOf(runs, () => run(node, ['--input-type=module', '-e', `await import(${JSON.stringify(INDEX)})`]));
  const scenarioArgs = [CLI, 'scenario', 'kubelet-to-apiserver'];
  const pkiWriteArgs = (dir: string) => [CLI, 'pki', 'write', join(dir, 'node'), '--now', '2026-01-01T00:00:00Z'];
  // One run of each first, as a user's first run of a command: it fills the page cache and the bin's V8 code cache.
  run(node, scenarioArgs);
  medianOf(1, (dir) => run(node, pkiWriteArgs(dir)));
  const scenario = medianOf(runs, () => run(node, scenarioArgs));
  const pkiWrite = medianOf(runs, (dir) => run(node, pkiWriteArgs(dir)));
  const noCodeCache = medianOf(runs, () => run(node, scenarioArgs, { KUBE_MTLS_SIM_CODE_CACHE: '0' }));
  const openssl = medianOf(quick ? 3 : 5, (dir) => run('bash', [OPENSSL_SCRIPT, dir]));
  const importCost = imported - bare;
  const scenarioRatio = scenario / bare;
  const speedup = openssl / pkiWrite;
  return [
    { label: `process: bare \`node -e 0\`, median of ${runs}`, value: ms(bare), target: '—' },
    { label: 'process: import the package, above bare node', value: ms(importCost), target: `≤ ${TARGET_IMPORT_ABOVE_NODE_MS} ms`, pass: importCost <= TARGET_IMPORT_ABOVE_NODE_MS },
    { label: 'process: `scenario kubelet-to-apiserver`', value: ms(scenario), target: '—' },
    { label: 'process: scenario / bare node', value: `${scenarioRatio.toFixed(2)}×`, target: `≤ ${TARGET_SCENARIO_RATIO}×`, pass: scenarioRatio <= TARGET_SCENARIO_RATIO },
    { label: '  the same without the bin\'s code cache (KUBE_MTLS_SIM_CODE_CACHE=0) / bare node', value: `${(noCodeCache / bare).toFixed(2)}×`, target: '—' },
    { label: 'process: `pki write` (kubeadm, ECDSA P-256)', value: ms(pkiWrite), target: '—' },
    { label: 'process: openssl script / `pki write`', value: `${speedup.toFixed(1)}×`, target: `≥ ${TARGET_PKI_WRITE_SPEEDUP}×`, pass: speedup >= TARGET_PKI_WRITE_SPEEDUP },
  ];
}
