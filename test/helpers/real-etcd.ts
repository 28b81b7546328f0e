import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * A real etcd process for side-by-side tests: started on 127.0.0.1 only, on free ports, its log
 * read line by line, stopped with SIGTERM (SIGKILL after a bound). Nothing here sleeps a fixed time.
 */

/** Lines of a process's output, with waits for a line that matches. */
export class LineLog {
  readonly lines: string[] = [];
  readonly #waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string | undefined) => void }>();

  follow(stream: Readable): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of this.#waiters) {
        if (waiter.test(line)) {
          this.#waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    });
  }

  /** The first line (already seen or yet to come) that passes `test`, or undefined after `timeoutMs` or once `cancel` settles. */
  waitFor(test: (line: string) => boolean, timeoutMs: number, cancel?: Promise<unknown>): Promise<string | undefined> {
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = {
        test,
        resolve: (line: string | undefined) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(line);
        },
      };
      const timer = setTimeout(() => waiter.resolve(undefined), timeoutMs);
      this.#waiters.add(waiter);
      void cancel?.then(() => waiter.resolve(this.lines.find(test)), () => waiter.resolve(this.lines.find(test)));
    });
  }
}

/** Free TCP ports on 127.0.0.1: bound together (so they differ), then released for the caller. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(servers.map((server) => new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    })));
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))));
  }
}

export interface RunningEtcd {
  child: ChildProcess;
  log: LineLog;
  clientPort: number;
  /** Launch to etcd's `ready to serve client requests` line. */
  startupMs: number;
  /** The etcd command line, for reports. */
  args: string[];
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartEtcdOptions {
  binary: string;
  dataDir: string;
  certFile: string;
  keyFile: string;
  /** The flags under test (e.g. `--trusted-ca-file=…`, `--client-cert-auth=true`). */
  extraFlags: string[];
  readyTimeoutMs: number;
}

/**
 * Starts etcd and resolves once it logs `ready to serve client requests`; rejects (after stopping it)
 * otherwise. A port taken between our probe and etcd's bind is retried on new ports (twice at most).
 */
export async function startRealEtcd(options: StartEtcdOptions): Promise<RunningEtcd> {
  const deadline = performance.now() + options.readyTimeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce({ ...options, readyTimeoutMs: Math.max(1_000, deadline - performance.now()) });
    } catch (error) {
      const log = (error as { log?: string }).log ?? '';
      if (attempt >= 3 || !/address already in use/.test(log)) throw error;
      rmSync(options.dataDir, { recursive: true, force: true });
    }
  }
}

async function startOnce(options: StartEtcdOptions): Promise<RunningEtcd> {
  const [clientPort, peerPort] = await freePorts(2) as [number, number];
  const client = `https://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name=sim', `--data-dir=${options.dataDir}`,
    `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=sim=${peer}`,
    `--cert-file=${options.certFile}`, `--key-file=${options.keyFile}`,
    ...options.extraFlags,
  ];
  // etcd reads ETCD_* variables as flags: none of the caller's may leak into the configuration under test.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ETCD_')));
  const started = performance.now();
  const child = spawn(options.binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new LineLog();
  log.follow(child.stdout!);
  log.follow(child.stderr!);
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null && !spawnError;
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5_000) => {
    stopping ??= (async () => {
      if (!alive()) return exited;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
      clearTimeout(timer);
      if (late && alive()) child.kill('SIGKILL');
      await exited;
    })();
    return stopping;
  };
  const ready = await log.waitFor((line) => line.includes('ready to serve client requests'), options.readyTimeoutMs, exited);
  if (ready === undefined) {
    await stop(1_000);
    const why = spawnError ? `could not start: ${spawnError.message}` : alive() ? `not ready within ${options.readyTimeoutMs} ms` : `exited (${child.exitCode ?? child.signalCode})`;
    throw Object.assign(new Error(`etcd ${why}. Its log:\n${log.lines.slice(-30).join('\n')}`), { log: log.lines.join('\n') });
  }
  return { child, log, clientPort, startupMs: performance.now() - started, args, stop };
}

/** etcd 3.4's capnslog line for a client-port connection it refused. */
const REJECTED = /rejected connection from "127\.0\.0\.1:(\d+)" \(error "(.*)", ServerName "(.*)"\)/;

export function parseRejectedLine(line: string): { port: number; error: string; serverName: string } | undefined {
  const m = REJECTED.exec(line);
  return m ? { port: Number(m[1]), error: m[2]!, serverName: m[3]! } : undefined;
}

export type HealthProbe =
  | { kind: 'http'; status: number; body: string; localPort?: number; protocol?: string; ms: number }
  | { kind: 'error'; code: string; message: string; localPort?: number; protocol?: string; ms: number };

export interface ProbeClient {
  /** The CA the client verifies the server with. */
  caPem: string;
  certPem?: string;
  keyPem?: string;
}

/** One HTTPS `GET /health` to 127.0.0.1:port over a fresh connection, checking the server as `localhost`. Never throws. */
export function getHealth(port: number, client: ProbeClient, timeoutMs: number): Promise<HealthProbe> {
  const started = performance.now();
  return new Promise((resolve) => {
    let localPort: number | undefined;
    let protocol: string | undefined;
    let settled = false;
    const done = (probe: HealthProbe) => {
      if (settled) return;
      settled = true;
      resolve(probe);
    };
    const req = request({
      host: '127.0.0.1', port, path: '/health', method: 'GET', agent: false, servername: 'localhost',
      ca: client.caPem, ...(client.certPem && client.keyPem ? { cert: client.certPem, key: client.keyPem } : {}),
      headers: { connection: 'close' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ kind: 'http', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), localPort, protocol, ms: performance.now() - started }));
      res.on('error', (error: NodeJS.ErrnoException) => done({ kind: 'error', code: error.code ?? 'ERROR', message: error.message, localPort, protocol, ms: performance.now() - started }));
    });
    req.on('socket', (socket) => {
      socket.once('connect', () => (localPort = socket.localPort));
      socket.once('secureConnect', () => (protocol = (socket as import('node:tls').TLSSocket).getProtocol() ?? undefined));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => done({ kind: 'error', code: error.code ?? 'ERROR', message: error.message, localPort, protocol, ms: performance.now() - started }));
    req.end();
  });
}

/** etcd's healthy answer: HTTP 200 with `{"health":"true"}`. */
export function isHealthy(probe: HealthProbe): boolean {
  if (probe.kind !== 'http' || probe.status !== 200) return false;
  try {
    return (JSON.parse(probe.body) as { health?: unknown }).health === 'true';
  } catch {
    return false;
  }
}

export function describeProbe(probe: HealthProbe): string {
  return probe.kind === 'http' ? `HTTP ${probe.status} ${probe.body.trim()}` : `${probe.code}: ${probe.message}`;
}
