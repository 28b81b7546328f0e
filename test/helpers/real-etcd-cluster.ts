import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePorts, LineLog } from './real-etcd.js';

/**
 * A real three-member etcd on 127.0.0.1 (distinct ports, one data dir per member), for the
 * side-by-side test of the peer edge. Nothing sleeps a fixed time: callers wait for log lines.
 */
export interface RealMember {
  name: string;
  child: ChildProcess;
  log: LineLog;
  peerUrl: string;
  exited: Promise<void>;
}

export interface RealEtcdCluster {
  members: RealMember[];
  /** The --initial-cluster every member was started with. */
  initialCluster: string;
  /** Every member's log, for a line that passes `test`; undefined after `timeoutMs`. */
  waitForAny(test: (line: string) => boolean, timeoutMs: number): Promise<string | undefined>;
  /** SIGTERM to each member, SIGKILL after `graceMs`; resolves once all have exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartClusterOptions {
  binary: string;
  dir: string;
  /** Flags every member gets besides name, data dir and URLs (the TLS files under test). */
  flags: string[];
}

export async function startRealEtcdCluster(options: StartClusterOptions): Promise<RealEtcdCluster> {
  const ports = await freePorts(6);
  const names = ['m1', 'm2', 'm3'];
  const peerUrls = names.map((_, i) => `https://127.0.0.1:${ports[i]!}`);
  const initialCluster = names.map((n, i) => `${n}=${peerUrls[i]!}`).join(',');
  // etcd reads ETCD_* variables as flags: none of the caller's may leak into the configuration under test.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ETCD_')));
  const members = names.map((name, i): RealMember => {
    const client = `https://127.0.0.1:${ports[i + 3]!}`;
    const child = spawn(options.binary, [
      `--name=${name}`, `--data-dir=${join(options.dir, name)}`,
      `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peerUrls[i]!}`, `--initial-advertise-peer-urls=${peerUrls[i]!}`,
      `--initial-cluster=${initialCluster}`, '--initial-cluster-state=new', ...options.flags,
    ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = new LineLog();
    log.follow(child.stdout!);
    log.follow(child.stderr!);
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    return { name, child, log, peerUrl: peerUrls[i]!, exited };
  });
  let stopping: Promise<void> | undefined;
  return {
    members, initialCluster,
    waitForAny(test, timeoutMs) {
      // The other members' waits end with the first line found (their timers must not outlive it).
      let cancel!: () => void;
      const cancelled = new Promise<void>((resolve) => (cancel = resolve));
      return new Promise((resolve) => {
        let pending = members.length;
        for (const m of members) {
          void m.log.waitFor(test, timeoutMs, cancelled).then((line) => {
            if (line !== undefined) {
              cancel();
              resolve(line);
            } else if (--pending === 0) resolve(undefined);
          });
        }
      });
    },
    stop(graceMs = 3_000) {
      stopping ??= Promise.all(members.map(async (m) => {
        const alive = () => m.child.exitCode === null && m.child.signalCode === null;
        if (!alive()) return m.exited;
        m.child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([m.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
        if (alive()) m.child.kill('SIGKILL');
        await m.exited;
      })).then(() => undefined);
      return stopping;
    },
  };
}
