// The whole scenario catalogue in one process: every scenario starts its own cluster, dials its
// edge over real TLS and stops; run as `scenario --all` runs it (four clusters at a time).
import { fixedClock } from '../lib/clock.js';
import { runScenarios } from '../lib/scenarios/run.js';
import { SCENARIOS } from '../scenarios/index.js';
import { benchKubeletsInOwnProcess } from './kubelets.js';
import { ms, type Row } from './stats.js';

const TARGET_CATALOGUE_MS = 3000;
const TARGET_KUBELETS_MS = 10_000;
const TARGET_KUBELETS_MB = 300;
/** Kubernetes' documented limit of 5,000 nodes, all bootstrapping at once against one apiserver (issue 14). */
const STORM = 5000;
const TARGET_STORM_MS = 40_000;
const TARGET_STORM_MB = 600;

export async function catalogueBenchmarks(quick: boolean): Promise<Row[]> {
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const runs = await runScenarios(SCENARIOS, clock, { concurrency: 4 });
  const wall = performance.now() - started;
  // On a shared machine the wall time is what the neighbours leave; the CPU spent is this run's own.
  const cpu = process.cpuUsage(cpuBefore);
  const mismatched = runs.filter((r) => r.mismatches.length > 0);
  if (mismatched.length > 0) throw new Error(`catalogue: ${mismatched.length} scenarios did not match, first ${mismatched[0]!.scenario.name}: ${mismatched[0]!.mismatches.join('; ')}`);
  const rows: Row[] = [
    { label: `the whole catalogue (${runs.length} scenarios, each its own cluster)`, value: ms(wall), target: `≤ ${TARGET_CATALOGUE_MS} ms`, pass: wall <= TARGET_CATALOGUE_MS },
    { label: '  its CPU (process user+sys, all threads: RSA keys are made on the thread pool)', value: ms((cpu.user + cpu.system) / 1000), target: '—' },
  ];
  const count = quick ? 200 : 1000;
  // Each in a process of its own: the peak RSS is then the kubelets', not what the catalogue left.
  const kubelets = benchKubeletsInOwnProcess(count, 'threads');
  // Beside the 1,000 of the same run, so the ratio holds on a machine shared with other work.
  const storm = quick ? undefined : benchKubeletsInOwnProcess(STORM, 'threads');
  const single = benchKubeletsInOwnProcess(quick ? 100 : 300, 'main');
  rows.push(
    { label: `${count} kubelets (joinNodes, one worker thread): TLS bootstrap + first authenticated request, wall`, value: ms(kubelets.wallMs), target: quick ? '—' : `≤ ${TARGET_KUBELETS_MS} ms`, ...(quick ? {} : { pass: kubelets.wallMs <= TARGET_KUBELETS_MS }) },
    { label: `  per kubelet wall / CPU (process user+sys, all threads; each opens 2 new mTLS connections)`, value: `${kubelets.perKubeletMs.toFixed(1)} / ${kubelets.cpuPerKubeletMs.toFixed(1)} ms`, target: '—' },
    { label: `${count} kubelets: peak RSS of the process`, value: `${kubelets.peakRssMb.toFixed(0)} MB`, target: `≤ ${TARGET_KUBELETS_MB} MB`, pass: kubelets.peakRssMb <= TARGET_KUBELETS_MB },
    ...(storm ? [
      { label: `${STORM} kubelets (joinNodes, one worker thread): the whole bootstrap storm against one apiserver, wall`, value: `${ms(storm.wallMs)} (${(storm.wallMs / kubelets.wallMs).toFixed(2)}× the ${count})`, target: `≤ ${TARGET_STORM_MS} ms`, pass: storm.wallMs <= TARGET_STORM_MS },
      { label: `  per kubelet wall / CPU (vs the ${count}: ${kubelets.perKubeletMs.toFixed(1)} / ${kubelets.cpuPerKubeletMs.toFixed(1)} ms)`, value: `${storm.perKubeletMs.toFixed(1)} / ${storm.cpuPerKubeletMs.toFixed(1)} ms`, target: '—' },
      { label: `${STORM} kubelets: peak RSS of the process`, value: `${storm.peakRssMb.toFixed(0)} MB`, target: `≤ ${TARGET_STORM_MB} MB`, pass: storm.peakRssMb <= TARGET_STORM_MB },
    ] : []),
    { label: `${single.kubelets} kubelets on the main thread (newKubelet().bootstrap()): per kubelet wall / CPU`, value: `${single.perKubeletMs.toFixed(1)} / ${single.cpuPerKubeletMs.toFixed(1)} ms`, target: '—' },
    { label: '  worker thread speed-up, per-kubelet wall main / threads', value: `${(single.perKubeletMs / kubelets.perKubeletMs).toFixed(2)}×`, target: '—' },
  );
  return rows;
}
