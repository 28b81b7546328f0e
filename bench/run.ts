/**
 * PKI benchmark: how long the engine takes to generate the whole kubeadm certificate set in-process,
 * measured against a baseline taken in the same run on the same machine: bench/openssl-pki.sh,
 * which makes the same set with the openssl CLI the way it is done by hand. Absolute times depend
 * on the machine; the ratio to that baseline is the figure that compares across machines.
 * Also RSA-2048 with pooled keys: cold (includes key generation), again at the same clock time
 * (certificates memoised: target ≤ 5 ms), and at a new clock time (same keys, new signatures).
 *
 *   npx tsx bench/run.ts [--quick]     --quick: fewer repetitions, for CI smoke runs
 *
 * Then the cluster benchmarks of bench/cluster.ts (cluster up + seven edges; requests/s of the
 * simulated apiserver against a bare node:tls mTLS loop) and bench/catalogue.ts (the whole scenario
 * catalogue; 1,000 kubelets bootstrapping) and bench/process.ts (whole commands as a user runs them:
 * package import, one scenario and `pki write`, against bare node and the openssl script) and
 * bench/check.ts (`check DIR` in-process, and as a process against openssl doing check-expiration's job) and
 * bench/verify.ts (one dial's goVerify against OpenSSL's bare check of the same chain); all targets
 * share the one table below.
 *
 * Targets are reported (PASS/MISS), not enforced: exits 0 when targets are missed, 1 on any error.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock, generatePki, type GeneratePkiOptions, type Pki } from '../lib/index.js';
import { clusterBenchmarks } from './cluster.js';
import { catalogueBenchmarks } from './catalogue.js';
import { checkBenchmarks } from './check.js';
import { processBenchmarks } from './process.js';
import { verifyBenchmarks } from './verify.js';
import { median, ms, percentile, type Row } from './stats.js';

const quick = process.argv.includes('--quick');
const unknown = process.argv.slice(2).filter((a) => a !== '--quick');
const WARMUP = 5;
const IN_PROCESS_RUNS = quick ? 10 : 30;
const OPENSSL_RUNS = quick ? 3 : 7;
const SCRIPT = fileURLToPath(new URL('./openssl-pki.sh', import.meta.url));

const TARGET_MEDIAN_MS = 40;
const TARGET_RATIO = 15;
const TARGET_WARM_MS = 5;

async function timed(options: GeneratePkiOptions): Promise<{ ms: number; pki: Pki }> {
  const start = performance.now();
  const pki = await generatePki(options);
  return { ms: performance.now() - start, pki };
}

/** One run of the openssl script in a fresh directory; returns its wall time (ms). */
function opensslRun(check: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), 'kube-mtls-bench-'));
  try {
    const start = performance.now();
    const run = spawnSync('bash', [SCRIPT, dir], { encoding: 'utf8' });
    const ms = performance.now() - start;
    if (run.error) throw new Error(`cannot run ${SCRIPT}: ${run.error.message}`);
    if (run.status !== 0) throw new Error(`${SCRIPT} exited with ${run.status ?? run.signal}:\n${run.stderr}${run.stdout}`);
    if (run.stdout || run.stderr) throw new Error(`${SCRIPT} succeeded but printed output:\n${run.stderr}${run.stdout}`);
    if (check) checkOpensslOutput(dir);
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline must make real, verifying certificates, or the comparison means nothing. */
function checkOpensslOutput(dir: string): void {
  const load = (file: string) => new X509Certificate(readFileSync(join(dir, file)));
  for (const [leaf, ca] of [['apiserver.crt', 'ca.crt'], ['etcd/server.crt', 'etcd/ca.crt'], ['front-proxy-client.crt', 'front-proxy-ca.crt'], ['kubelet/kubelet.crt', 'kubelet/kubelet-ca.crt']]) {
    const cert = load(leaf!);
    const issuer = load(ca!);
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) throw new Error(`openssl baseline: ${leaf} does not verify against ${ca}`);
  }
  if (load('apiserver.crt').checkHost('kubernetes.default.svc.cluster.local') === undefined) throw new Error('openssl baseline: apiserver.crt lacks its SANs');
}

const fingerprint = (pki: Pki, id: string) => pki.certs.get(id)!.cert.fingerprint;
const keyFingerprint = (pki: Pki, id: string) => pki.certs.get(id)!.certKey.fingerprint;

const rows: Row[] = [];

try {
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (usage: npx tsx bench/run.ts [--quick])`);
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const later = fixedClock('2026-02-01T00:00:00Z');

  // a. In-process, ECDSA P-256, fresh keys every run.
  const ecdsa: GeneratePkiOptions = { preset: 'kubeadm', algorithm: 'ecdsa-p256', clock, keys: 'fresh' };
  for (let i = 0; i < WARMUP; i++) await generatePki(ecdsa);
  const times: number[] = [];
  let previous: Pki | null = null;
  for (let i = 0; i < IN_PROCESS_RUNS; i++) {
    const { ms: t, pki } = await timed(ecdsa);
    if (pki.certs.size === 0 || (previous && keyFingerprint(previous, 'ca') === keyFingerprint(pki, 'ca'))) {
      throw new Error('in-process: expected a full PKI with fresh keys on every run');
    }
    previous = pki;
    times.push(t);
  }
  const inProcess = median(times);
  rows.push({ label: `in-process kubeadm, ECDSA P-256, fresh keys: median of ${IN_PROCESS_RUNS}`, value: ms(inProcess), target: `≤ ${TARGET_MEDIAN_MS} ms`, pass: inProcess <= TARGET_MEDIAN_MS });
  rows.push({ label: `in-process kubeadm, ECDSA P-256, fresh keys: p90 of ${IN_PROCESS_RUNS}`, value: ms(percentile(times, 90)), target: '—' });

  // b. The openssl CLI baseline, ECDSA.
  const opensslTimes = Array.from({ length: OPENSSL_RUNS }, (_, i) => opensslRun(i === 0));
  const openssl = median(opensslTimes);
  rows.push({ label: `openssl CLI (bench/openssl-pki.sh), ECDSA: median of ${OPENSSL_RUNS}`, value: ms(openssl), target: '—' });

  // c. Ratio.
  const ratio = openssl / inProcess;
  rows.push({ label: 'speed-up, openssl median / in-process median', value: `${ratio.toFixed(1)}×`, target: `≥ ${TARGET_RATIO}×`, pass: ratio >= TARGET_RATIO });

  // d. RSA-2048, pooled keys in a namespace of our own.
  const rsa: GeneratePkiOptions = { preset: 'kubeadm', algorithm: 'rsa-2048', clock, keys: 'pooled', keyNamespace: `bench-${process.pid}-${Date.now()}` };
  const cold = await timed(rsa);
  const warm = await timed(rsa);
  const resigned = await timed({ ...rsa, clock: later });
  if (fingerprint(cold.pki, 'apiserver') !== fingerprint(warm.pki, 'apiserver')) throw new Error('RSA: same keys and clock gave a different certificate');
  if (keyFingerprint(cold.pki, 'ca') !== keyFingerprint(resigned.pki, 'ca') || fingerprint(cold.pki, 'ca') === fingerprint(resigned.pki, 'ca')) {
    throw new Error('RSA: a new clock time should reuse the pooled keys and sign new certificates');
  }
  rows.push({ label: 'RSA-2048 pooled, cold (key generation + signatures)', value: ms(cold.ms), target: '—' });
  rows.push({ label: 'RSA-2048 pooled, again at the same clock time', value: ms(warm.ms), target: `≤ ${TARGET_WARM_MS} ms`, pass: warm.ms <= TARGET_WARM_MS });
  rows.push({ label: 'RSA-2048 pooled, new clock time (same keys, new signatures)', value: ms(resigned.ms), target: '—' });

  // e. Clusters: up + seven edges, and requests/s against a bare node:tls loop (bench/cluster.ts).
  rows.push(...(await clusterBenchmarks(quick)));
  rows.push(...(await catalogueBenchmarks(quick)));
  rows.push(...processBenchmarks(quick));
  rows.push(...(await checkBenchmarks(quick)));
  rows.push(...(await verifyBenchmarks(quick)));

  const version = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout?.split(' (')[0]?.trim() || 'openssl ?';
  console.log(`PKI and cluster benchmarks${quick ? ' (--quick)' : ''}: node ${process.version}, ${version}, ${availableParallelism()} CPUs\n`);
  const width = [Math.max(...rows.map((r) => r.label.length)), Math.max(...rows.map((r) => r.value.length)), Math.max(...rows.map((r) => r.target.length))] as const;
  const line = (cells: string[]) => console.log(cells.map((c, i) => (i < 3 ? (i === 1 ? c.padStart(width[i]!) : c.padEnd(width[i]!)) : c)).join('  ').trimEnd());
  line(['measurement', 'value', 'target', 'result']);
  line([width[0], width[1], width[2], 6].map((w) => '-'.repeat(w)));
  for (const r of rows) line([r.label, r.value, r.target, r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS']);
  const met = rows.filter((r) => r.pass === true).length;
  const missed = rows.filter((r) => r.pass === false).length;
  console.log(`\nbench: ${met} targets met, ${missed} missed`);
} catch (error) {
  console.error(`bench: error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
