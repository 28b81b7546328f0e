// Kubelets joining one simulated control plane, each doing the whole TLS bootstrap over real TLS:
// bootstrap token -> CSR -> auto-approval (SubjectAccessReview) -> signature -> the first request
// authenticated with the issued certificate (its own Node object, through the Node authorizer).
// Wall time, peak RSS and CPU, in one process. Two ways, as the library offers them:
//   threads: cluster.joinNodes(): the kubelets on a worker thread, the control plane on the main one
//            (the client half of every handshake runs beside the server half: the target);
//   main:    cluster.newKubelet(name).bootstrap(token) in a loop, everything on one thread.
//
// Both run from the compiled package (dist/, which `npm run bench` builds first), as an installed
// library runs: from source, every worker thread would start by compiling the TypeScript again
// (tsx hooks only the main thread), which no user pays.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Lib from '../lib/index.js';

async function compiledLibrary(): Promise<typeof Lib> {
  const entry = fileURLToPath(new URL('../dist/lib/index.js', import.meta.url));
  const built = statSync(entry, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) throw new Error('bench/kubelets.ts runs the compiled library: run `npm run build` first (npm run bench does)');
  const sources = fileURLToPath(new URL('../lib/', import.meta.url));
  const stale = (readdirSync(sources, { recursive: true }) as string[]).find((f) => f.endsWith('.ts') && statSync(sources + f).mtimeMs > built);
  if (stale) throw new Error(`dist/ is older than lib/${stale}: run \`npm run build\` first (npm run bench does)`);
  return (await import(entry)) as typeof Lib;
}

export interface KubeletsBench {
  mode: 'threads' | 'main';
  kubelets: number;
  wallMs: number;
  peakRssMb: number;
  perKubeletMs: number;
  /** Process CPU (user + system, all threads) per kubelet: two new mTLS connections each set its floor. */
  cpuPerKubeletMs: number;
}

export async function benchKubelets(count: number, mode: 'threads' | 'main' = 'threads', concurrency = 32): Promise<KubeletsBench> {
  const { defineCluster, fixedClock, generateBootstrapToken, kubeadmBootstrapToken } = await compiledLibrary();
  const clock = fixedClock('2026-01-01T00:00:00Z');
  await using cluster = await defineCluster({ clock, keyNamespace: 'bench-kubelets' }).start();
  const token = generateBootstrapToken('bench-kubelets');
  cluster.addBootstrapToken(kubeadmBootstrapToken(token, clock.now()));
  const names = Array.from({ length: count }, (_, i) => `worker-${i}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const failures: string[] = [];
  if (mode === 'threads') {
    const joined = await cluster.joinNodes(names, token, { workers: 1, concurrency, request: { method: 'GET', path: '/api/v1/nodes/{node}' } });
    for (const j of joined) {
      if (!j.bootstrap.file) failures.push(`${j.nodeName}: ${j.bootstrap.error ?? j.bootstrap.status}`);
      else if (j.firstRequest?.status !== 200) failures.push(`${j.nodeName}: first request ${j.firstRequest?.status} ${j.firstRequest?.body.slice(0, 120)}`);
    }
  } else {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const name = names[next++]!;
        const kubelet = cluster.newKubelet(name);
        const outcome = await kubelet.bootstrap(token);
        if (!outcome.file) {
          failures.push(`${name}: ${outcome.error ?? outcome.status}`);
          continue;
        }
        const first = await kubelet.request('GET', `/api/v1/nodes/${name}`);
        if (first.status !== 200) failures.push(`${name}: first request ${first.status} ${first.body.slice(0, 120)}`);
      }
    }));
  }
  const wallMs = performance.now() - started;
  // Exact, where a sampler every 20 ms both missed peaks and took CPU from what is measured.
  const peak = process.resourceUsage().maxRSS * 1024;
  const used = process.cpuUsage(cpu);
  if (failures.length > 0) throw new Error(`${failures.length} kubelets failed, first: ${failures[0]}`);
  const issued = cluster.csrs.list().filter((c) => c.status.certificate).length;
  if (issued !== count) throw new Error(`expected ${count} issued CSRs, found ${issued}`);
  return { mode, kubelets: count, wallMs, peakRssMb: peak / 1_048_576, perKubeletMs: wallMs / count, cpuPerKubeletMs: (used.user + used.system) / 1000 / count };
}

/**
 * The bench in a process of its own, so that its peak RSS is its own and not what earlier
 * benchmarks in the same process left behind: `node --import=tsx bench/kubelets.ts COUNT MODE --json`.
 */
export function benchKubeletsInOwnProcess(count: number, mode: 'threads' | 'main'): KubeletsBench {
  const run = spawnSync(process.execPath, ['--import=tsx', fileURLToPath(import.meta.url), String(count), mode, '--json'], { encoding: 'utf8', timeout: 300_000 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`bench/kubelets.ts ${count} ${mode} exited with ${run.status ?? run.signal}:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as KubeletsBench;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchKubelets(Number(process.argv[2] ?? 1000), (process.argv[3] as 'threads' | 'main' | undefined) ?? 'threads');
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : result);
}
