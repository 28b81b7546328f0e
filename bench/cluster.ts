/**
 * Cluster benchmarks (run from bench/run.ts, rows go into its one summary table).
 *
 * 1. Cluster up + all seven edges: `defineCluster({ clock, keys }).start()`, `dialAll()`, `stop()`,
 *    wall time of the three together. Every run's verdicts are checked against kubeadm's (six `ok`,
 *    apiserver-to-kubelet `insecure`): a fast wrong answer fails the benchmark instead of passing it.
 *    - fresh keys (ECDSA P-256): new keys every run, so neither the key pool nor the certificate
 *      memo can help; this is the full cost of one new cluster. Target ≤ 150 ms median.
 *    - pooled keys (the default): same keys and clock every run, so certificates come from the memo;
 *      this is what a test suite that starts many clusters pays per cluster after the first.
 *    Also the process CPU time per cluster (all threads: key generation runs on libuv's pool), which
 *    other load on the machine disturbs less than wall time.
 *
 * 2. Requests per second, the simulator against a bare node:tls mTLS loop, in the same process:
 *    - baseline: a node:tls server on 127.0.0.1 (`requestCert`, `rejectUnauthorized`: OpenSSL
 *      verifies the client in the handshake), the PKI's own ECDSA P-256 CA, apiserver and admin
 *      certificates; per iteration a new connection with no session to resume, a small HTTP
 *      request, a few bytes of answer, close. The client verifies the server (CA and the IP it
 *      would dial), as kubectl does.
 *    - simulator: `cluster.dial('kubectl-to-apiserver')` on one started cluster built from that same
 *      PKI: the same handshake with the same certificates, plus what makes it a simulation (Go-rules
 *      server verification in JS, kube-apiserver's HTTP handling, x509 authn, RBAC, the verdict).
 *    Why it is fair: same certificates and key algorithm, same loopback, same process and event
 *    loop (client and server share it on both sides), a new TLS connection with a new client
 *    SecureContext per request on both sides (tls.connect is given PEM each time, as the simulator's
 *    client is), no resumption, one request in flight. Both run the same number of iterations after
 *    a warm-up, in alternating blocks (AB, BA, AB, …) so that machine noise hits both alike.
 *    Reported: each side's median block rate; the process CPU time per request (less sensitive
 *    than wall time to other load on the machine); and the target figure, the median over rounds
 *    of (simulator rate / baseline rate) within the round, with its range. Target ≥ 0.8.
 */
import { checkServerIdentity, connect, createServer, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { defineCluster, type ClusterOptions, type StartedCluster } from '../lib/cluster/cluster.js';
import { fixedClock } from '../lib/clock.js';
import { generatePki, type Pki } from '../lib/layout/generate.js';
import type { EdgeName, ReferenceEdgeName } from '../lib/edges/edges.js';
import type { Verdict } from '../lib/verdict/reasons.js';
import type { EdgeResult } from '../lib/verdict/result.js';
import { median, ms, percentile, type Row } from './stats.js';

const TARGET_UP_MS = 150;
const TARGET_RATIO = 0.8;

/** kubeadm's defaults: every edge authenticates both ways, except that the apiserver does not verify kubelets' serving certificates. */
const EXPECTED: Readonly<Record<ReferenceEdgeName, Verdict>> & Partial<Record<EdgeName, Verdict>> = {
  'kubectl-to-apiserver': 'ok', 'apiserver-to-etcd': 'ok', 'scheduler-to-apiserver': 'ok', 'controller-manager-to-apiserver': 'ok',
  'kube-proxy-to-apiserver': 'ok', 'kubelet-to-apiserver': 'ok', 'apiserver-to-kubelet': 'insecure',
};

function checkVerdicts(results: EdgeResult[]): void {
  const wrong = results.filter((r) => EXPECTED[r.edge as keyof typeof EXPECTED] !== r.verdict).map((r) => `${r.edge}: ${r.verdict} (${r.reason}: ${r.summary}), expected ${EXPECTED[r.edge as keyof typeof EXPECTED]}`);
  if (results.length !== Object.keys(EXPECTED).length) wrong.push(`dialAll returned ${results.length} results, expected ${Object.keys(EXPECTED).length}`);
  if (wrong.length > 0) throw new Error(`cluster: wrong verdicts:\n  ${wrong.join('\n  ')}`);
}

function checkAdminOk(result: EdgeResult): void {
  if (result.verdict !== 'ok' || result.http?.status !== 200 || result.identity?.name !== 'kubernetes-admin') {
    throw new Error(`simulator: kubectl-to-apiserver gave ${result.verdict} (${result.reason}: ${result.summary}), expected ok as kubernetes-admin`);
  }
}

interface UpTimes { total: number; start: number; dialAll: number; stop: number; cpu: number }

/** One cluster lifetime: start, dial the seven edges, stop; the cluster is stopped even when a check fails. */
async function clusterUp(options: ClusterOptions): Promise<UpTimes> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const cluster = await defineCluster(options).start();
  let t1 = 0;
  let t2 = 0;
  let results: EdgeResult[];
  try {
    t1 = performance.now();
    results = await cluster.dialAll();
    t2 = performance.now();
  } finally {
    await cluster.stop();
  }
  const t3 = performance.now();
  const used = process.cpuUsage(cpu);
  checkVerdicts(results);
  return { total: t3 - t0, start: t1 - t0, dialAll: t2 - t1, stop: t3 - t2, cpu: (used.user + used.system) / 1000 };
}

async function upSeries(options: ClusterOptions, warmup: number, runs: number): Promise<UpTimes[]> {
  for (let i = 0; i < warmup; i++) await clusterUp(options);
  const times: UpTimes[] = [];
  for (let i = 0; i < runs; i++) times.push(await clusterUp(options));
  return times;
}

// ---- 2. requests per second ----

const REQUEST = 'GET /api/v1/namespaces/kube-system/pods?limit=500 HTTP/1.1\r\nHost: 10.0.0.10:6443\r\nConnection: close\r\n'
  + 'Accept: application/json, */*\r\nUser-Agent: kube-mtls-sim-bench\r\n\r\n';
const RESPONSE_BODY = '{"kind":"PodList"}';
const RESPONSE = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${RESPONSE_BODY.length}\r\nConnection: close\r\n\r\n${RESPONSE_BODY}`;

interface Baseline { request(): Promise<void>; close(): Promise<void> }

/** The bare mTLS loop: node:tls verifies both sides with OpenSSL; the server answers once the request head has arrived. */
async function startBaseline(pki: Pki): Promise<Baseline> {
  const get = (id: string) => {
    const c = pki.certs.get(id);
    if (!c) throw new Error(`baseline: the PKI has no "${id}" certificate`);
    return c;
  };
  const ca = get('ca').cert.pem;
  const server = createServer({ cert: get('apiserver').cert.pem, key: get('apiserver').key.pem, ca, requestCert: true, rejectUnauthorized: true }, (socket) => {
    let head = '';
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      if (!socket.authorized) socket.destroy();
      else socket.end(RESPONSE);
    });
  });
  const open = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const address = pki.config.advertiseAddress;
  const client: ConnectionOptions = {
    host: '127.0.0.1', port, ca, cert: get('admin').cert.pem, key: get('admin').key.pem,
    rejectUnauthorized: true, session: undefined,
    // kubectl dials the advertise address; the connection really goes to 127.0.0.1, so check the name it would dial.
    checkServerIdentity: (_host, cert) => checkServerIdentity(address, cert),
  };
  return {
    request: () => new Promise<void>((resolve, reject) => {
      const socket = connect(client);
      const chunks: Buffer[] = [];
      socket.setTimeout(5000, () => socket.destroy(new Error('baseline: no answer within 5000 ms')));
      socket.once('secureConnect', () => socket.write(REQUEST));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.once('close', () => {
        const answer = Buffer.concat(chunks).toString('latin1');
        if (answer.startsWith('HTTP/1.1 200 ') && answer.endsWith(`\r\n\r\n${RESPONSE_BODY}`)) resolve();
        else reject(new Error(`baseline: unexpected answer ${JSON.stringify(answer.slice(0, 80))}`));
      });
    }),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One block of `n` sequential calls: requests per second (wall clock), and CPU time of this process per request (ms). */
async function block(n: number, call: () => Promise<void>): Promise<{ rate: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await call();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { rate: n / (wall / 1000), cpuMs: (used.user + used.system) / 1000 / n };
}

/** 1. Cluster up + seven edges, fresh keys (the target) and pooled keys (the default). */
export async function clusterUpRows(quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const warmup = quick ? 2 : 5;
  const runs = quick ? 10 : 30;
  const fresh = await upSeries({ clock, keys: 'fresh', algorithm: 'ecdsa-p256' }, warmup, runs);
  const freshMedian = median(fresh.map((t) => t.total));
  rows.push({ label: `cluster up + dialAll + stop, ECDSA P-256, fresh keys: median of ${runs}`, value: ms(freshMedian), target: `≤ ${TARGET_UP_MS} ms`, pass: freshMedian <= TARGET_UP_MS });
  rows.push({ label: `cluster up + dialAll + stop, ECDSA P-256, fresh keys: p90 of ${runs}`, value: ms(percentile(fresh.map((t) => t.total), 90)), target: '—' });
  rows.push({
    label: '  of which (medians) start / dialAll / stop',
    value: `${[median(fresh.map((t) => t.start)), median(fresh.map((t) => t.dialAll)), median(fresh.map((t) => t.stop))].map((v) => v.toFixed(1)).join(' / ')} ms`,
    target: '—',
  });
  rows.push({ label: '  CPU per cluster, median (process user+sys, all threads)', value: ms(median(fresh.map((t) => t.cpu))), target: '—' });
  const pooled = await upSeries({ clock }, warmup, runs);
  rows.push({ label: `cluster up + dialAll + stop, pooled keys (default): median of ${runs}`, value: ms(median(pooled.map((t) => t.total))), target: '—' });
  rows.push({ label: `cluster up + dialAll + stop, pooled keys (default): p90 of ${runs}`, value: ms(percentile(pooled.map((t) => t.total), 90)), target: '—' });
  rows.push({ label: '  CPU per cluster, median (process user+sys, all threads)', value: ms(median(pooled.map((t) => t.cpu))), target: '—' });
  return rows;
}

/** 2. Requests per second, simulator vs bare node:tls, same PKI, alternating blocks. */
export async function throughputRows(quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  const clock = fixedClock('2026-01-01T00:00:00Z');
  const rounds = quick ? 4 : 10;
  const perBlock = quick ? 15 : 30;
  const warmupRequests = quick ? 10 : 30;
  const pki = await generatePki({ preset: 'kubeadm', algorithm: 'ecdsa-p256', clock, keys: 'fresh' });
  let baseline: Baseline | undefined;
  let cluster: StartedCluster | undefined;
  try {
    baseline = await startBaseline(pki);
    cluster = await defineCluster({ clock, pki }).start();
    const b = baseline;
    const c = cluster;
    const simulated = async () => checkAdminOk(await c.dial('kubectl-to-apiserver'));
    await block(warmupRequests, b.request);
    await block(warmupRequests, simulated);
    const base: Array<{ rate: number; cpuMs: number }> = [];
    const sim: Array<{ rate: number; cpuMs: number }> = [];
    for (let i = 0; i < rounds; i++) {
      // AB, BA, AB, …: neither side always runs first (right after the other's garbage, or on a freshly idle machine).
      if (i % 2 === 0) {
        base.push(await block(perBlock, b.request));
        sim.push(await block(perBlock, simulated));
      } else {
        sim.push(await block(perBlock, simulated));
        base.push(await block(perBlock, b.request));
      }
    }
    const ratios = sim.map((s, i) => s.rate / base[i]!.rate);
    const ratio = median(ratios);
    const total = rounds * perBlock;
    rows.push({ label: `bare node:tls mTLS, new connection per request: median of ${rounds} blocks × ${perBlock} (${total} requests)`, value: `${median(base.map((x) => x.rate)).toFixed(0)} req/s`, target: '—' });
    rows.push({ label: `simulator dial('kubectl-to-apiserver'): median of ${rounds} blocks × ${perBlock} (${total} requests)`, value: `${median(sim.map((x) => x.rate)).toFixed(0)} req/s`, target: '—' });
    rows.push({
      label: '  CPU per request (process user+sys, client and server), bare / simulator',
      value: `${median(base.map((x) => x.cpuMs)).toFixed(2)} / ${median(sim.map((x) => x.cpuMs)).toFixed(2)} ms`, target: '—',
    });
    rows.push({
      label: 'simulator / bare node:tls req/s, median of per-round ratios (range)',
      value: `${ratio.toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`, target: `≥ ${TARGET_RATIO}×`, pass: ratio >= TARGET_RATIO,
    });
  } finally {
    await cluster?.stop();
    await baseline?.close();
  }
  return rows;
}

export async function clusterBenchmarks(quick: boolean): Promise<Row[]> {
  return [...(await clusterUpRows(quick)), ...(await throughputRows(quick))];
}
