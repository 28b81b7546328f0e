// Loaded when a fleet starts (worker_threads costs every command's start-up otherwise: the cluster runtime imports this module).
import type { Worker } from 'node:worker_threads';
import { KubeMtlsSimError } from '../errors.js';
import type { KeyAlgorithm } from '../pki/types.js';
import type { CertificateOutcome } from './certificates.js';

/** One node's join: its bootstrap outcome and, with a certificate, the first request made with it. */
export interface NodeJoin {
  nodeName: string;
  bootstrap: CertificateOutcome;
  /** The issued client certificate (PEM), when bootstrap succeeded. */
  certificatePem?: string;
  firstRequest?: { status: number; body: string };
}

/** What a fleet worker is given (structured-cloned). */
export interface FleetJob {
  names: string[];
  token: string;
  port: number;
  apiPort: number;
  serverAddress: string;
  nodeAddress: string;
  rootsPem: string;
  apiserverChainPem: string;
  algorithm: KeyAlgorithm;
  certDir: string;
  kubeconfig: string;
  nowMs: number;
  concurrency: number;
  request?: { method: string; path: string };
}

export type FleetMessage =
  | { type: 'register'; id: number; name: string }
  | { type: 'registered'; id: number }
  /** Start no new join; report the ones finished and end. */
  | { type: 'stop' }
  | { type: 'done'; results: NodeJoin[] };

// Compiled, this module sits beside fleet-worker.js. Run from source (tsx, in development and tests) it
// sits beside fleet-worker.ts, and the worker registers tsx itself: tsx hooks only the main thread.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = new URL(FROM_SOURCE ? './fleet-worker.ts' : './fleet-worker.js', import.meta.url);

/**
 * A kubelet's garbage is short-lived (buffers of one handshake, one CSR): a smaller young generation
 * than V8's default collects it as often at no measured cost, and keeps the process's peak RSS
 * ~25 MB lower with 1,000 kubelets.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 12 };

function startWorker(Worker: typeof import('node:worker_threads').Worker, workerData: FleetJob): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER, { workerData, resourceLimits: RESOURCE_LIMITS });
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`, { eval: true, workerData, resourceLimits: RESOURCE_LIMITS });
}

/** A worker that does not end within this long after being asked to stop is terminated. */
const STOP_GRACE_MS = 10_000;

/**
 * Runs `job` on `workers` threads (names dealt out in turn), registering nodes as they ask.
 * Aborting `signal` (the cluster stopping) asks the workers to start no new join; they finish the
 * ones in flight (the control plane is still up: stop() waits for this) and end by themselves, and
 * the call rejects with ERR_CLUSTER_STOPPED. Terminating a thread while one of its kubelets'
 * keys is being generated can abort the whole process (Node 20), so termination is a last resort.
 */
export async function runFleet(job: FleetJob, workers: number, register: (name: string) => void, signal: AbortSignal): Promise<NodeJoin[]> {
  const shares = Array.from({ length: workers }, (_, w) => job.names.filter((_, i) => i % workers === w)).filter((s) => s.length > 0);
  const started: Array<{ worker: Worker; exited: Promise<void> }> = [];
  const stopped = () => new KubeMtlsSimError('ERR_CLUSTER_STOPPED', `the cluster was stopped while ${job.names.length} nodes were joining`);
  const askToStop = () => { for (const { worker } of started) worker.postMessage({ type: 'stop' } satisfies FleetMessage); };
  const { Worker } = await import('node:worker_threads');
  if (signal.aborted) throw stopped();
  signal.addEventListener('abort', askToStop, { once: true });
  try {
    const parts = await Promise.all(shares.map((names) => new Promise<NodeJoin[]>((resolve, reject) => {
      const worker = startWorker(Worker, { ...job, names });
      started.push({ worker, exited: new Promise((ended) => worker.once('exit', () => ended())) });
      worker.on('message', (m: FleetMessage) => {
        if (m.type === 'register') {
          register(m.name);
          worker.postMessage({ type: 'registered', id: m.id } satisfies FleetMessage);
        } else if (m.type === 'done') {
          if (signal.aborted) reject(stopped());
          else resolve(m.results);
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(signal.aborted ? stopped() : new Error(`a kubelet worker thread exited (code ${code}) before reporting its nodes`)));
    })));
    // Results in the order of job.names: share w holds names w, w + workers, w + 2·workers, …
    return job.names.map((_, i) => parts[i % shares.length]![Math.floor(i / shares.length)]!);
  } finally {
    signal.removeEventListener('abort', askToStop);
    // Every worker ends by itself once it has reported (or, after a failure elsewhere, once asked to stop).
    askToStop();
    await Promise.all(started.map(async ({ worker, exited }) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), STOP_GRACE_MS); });
      if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
      clearTimeout(timer);
    }));
  }
}
