import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import type { FlagOverrides } from '../lib/components/flags.js';
import { generatePki, type Pki, type PkiCert } from '../lib/layout/generate.js';
import { startRealEtcd } from './helpers/real-etcd.js';
import { tempDir, testWithTool, which } from './helpers/tools.js';

/**
 * The real etcdctl 3.4 (Debian etcd-client), which speaks gRPC over HTTP/2, against the simulated
 * etcd and, side by side, the real etcd 3.4 started with the same flags and certificates: the
 * reference document's open etcd (only --peer-trusted-ca-file) lets etcdctl without a certificate
 * write and read keys; the fixed one (--trusted-ca-file, --client-cert-auth) refuses it in the TLS
 * handshake (etcdctl prints "context deadline exceeded") and lets the apiserver's etcd client pair in.
 * Without etcd or etcdctl the tests are skipped loudly; in CI (CI=true) they run and fail.
 */
const etcdBinary = which('etcd');
const etcdctlBinary = which('etcdctl');
const withEtcd = testWithTool('etcd', etcdBinary) === test ? testWithTool('etcdctl', etcdctlBinary) : test.skip;
const serial = withEtcd === test ? test.serial : test.serial.skip;

// The wall clock, as in real-etcd.test.ts: the real etcd and etcdctl check certificate dates against it.
const clock = fixedClock(new Date(Date.now()));
const READY_TIMEOUT_MS = 15_000;
/** etcdctl's own bounds: a refused handshake ends in "context deadline exceeded" after the dial timeout. */
const TIMEOUTS = ['--dial-timeout=1s', '--command-timeout=2s'];
const SIM_PKI = '/etc/kubernetes/pki';

interface Config {
  what: string;
  real: (ca: string) => string[];
  sim: FlagOverrides;
}
const OPEN: Config = {
  what: 'the reference document\'s etcd: --peer-trusted-ca-file only',
  real: (ca) => [`--peer-trusted-ca-file=${ca}`],
  sim: { '--trusted-ca-file': null, '--client-cert-auth': null, '--peer-trusted-ca-file': `${SIM_PKI}/etcd/ca.crt`, '--peer-cert-file': null, '--peer-key-file': null, '--peer-client-cert-auth': null },
};
const FIXED: Config = {
  what: 'the fixed etcd: --trusted-ca-file and --client-cert-auth=true',
  real: (ca) => [`--trusted-ca-file=${ca}`, '--client-cert-auth=true'],
  sim: { '--trusted-ca-file': `${SIM_PKI}/etcd/ca.crt`, '--client-cert-auth': 'true', '--peer-trusted-ca-file': null, '--peer-cert-file': null, '--peer-key-file': null, '--peer-client-cert-auth': null },
};

let pki: Promise<Pki> | undefined;
const certPem = (c: PkiCert) => [c.cert, ...c.chain].map((x) => x.pem).join('');

/** etcd-ca, etcd's serving pair and the apiserver's etcd client pair, on disk for the real etcd and etcdctl. */
async function files(t: ExecutionContext) {
  const p = await (pki ??= generatePki({ clock, keys: 'fresh' }));
  const get = (id: string) => p.certs.get(id) ?? (() => { throw new Error(`no ${id} in the PKI`); })();
  const dir = tempDir(t, 'kms-etcdctl-');
  mkdirSync(join(dir, 'pki'), { mode: 0o700 });
  const write = (name: string, text: string, mode = 0o644) => {
    const path = join(dir, 'pki', name);
    writeFileSync(path, text, { mode });
    chmodSync(path, mode);
    return path;
  };
  return {
    p, dir,
    ca: write('etcd-ca.crt', get('etcd-ca').cert.pem),
    server: { cert: write('server.crt', certPem(get('etcd-server'))), key: write('server.key', get('etcd-server').key.pem, 0o600) },
    client: { cert: write('client.crt', certPem(get('apiserver-etcd-client'))), key: write('client.key', get('apiserver-etcd-client').key.pem, 0o600) },
  };
}

interface Run { status: number; stdout: string; stderr: string }

/** etcdctl, asynchronously: the simulated etcd answers from this very process. ETCDCTL_* variables of the caller are left out. */
function etcdctl(port: number, ca: string, args: string[], client?: { cert: string; key: string }): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ETCDCTL_')));
  const argv = [`--endpoints=https://127.0.0.1:${port}`, `--cacert=${ca}`, ...TIMEOUTS, ...(client ? [`--cert=${client.cert}`, `--key=${client.key}`] : []), ...args];
  return new Promise((done) => {
    execFile(etcdctlBinary ?? 'etcdctl', argv, { env: { ...env, ETCDCTL_API: '3' }, timeout: 15_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ status, stdout, stderr });
    });
  });
}

/** The real etcd, launched with the config's client flags; stopped at teardown. */
async function realEtcd(t: ExecutionContext, f: Awaited<ReturnType<typeof files>>, config: Config) {
  const etcd = await startRealEtcd({
    binary: etcdBinary ?? 'etcd', dataDir: join(f.dir, 'data'), certFile: f.server.cert, keyFile: f.server.key, extraFlags: config.real(f.ca), readyTimeoutMs: READY_TIMEOUT_MS,
  });
  t.teardown(() => etcd.stop(1_000));
  return etcd.clientPort;
}

async function simulatedEtcd(t: ExecutionContext, f: Awaited<ReturnType<typeof files>>, config: Config) {
  const cluster = await defineCluster({ clock, pki: f.p, etcd: config.sim }).start();
  t.teardown(() => cluster.stop());
  const port = cluster.servers.etcd.port;
  if (port === undefined) throw new Error(`the simulated etcd did not start: ${cluster.servers.etcd.startupError?.message}`);
  return port;
}

/** A fresh etcd may still be electing itself leader: ask `endpoint health` until it answers (at most a few seconds). */
async function healthy(port: number, ca: string, client?: { cert: string; key: string }): Promise<Run> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const run = await etcdctl(port, ca, ['endpoint', 'health'], client);
    if (run.status === 0 || performance.now() > deadline) return run;
  }
}

const both = async (f: { ca: string }, ports: { real: number; sim: number }, args: string[], client?: { cert: string; key: string }) => ({
  real: await etcdctl(ports.real, f.ca, args, client), sim: await etcdctl(ports.sim, f.ca, args, client),
});
/** `curl -X POST -d '{"key":"Lw==","range_end":"MA=="}' https://…/v3/kv/range` (etcdctl get / --prefix through etcd's JSON gateway), no client certificate. */
const gatewayRange = (port: number, caFile: string) => new Promise<string>((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port, path: '/v3/kv/range', method: 'POST', ca: readFileSync(caFile), servername: 'localhost', agent: false }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  req.on('error', reject);
  req.end('{"key":"Lw==","range_end":"MA=="}');
});
const shown = (run: Run) => `exit ${run.status}\n${run.stdout}${run.stderr}`;

serial(`etcdctl without a certificate writes and reads keys on ${OPEN.what}, on the real and the simulated etcd alike`, async (t) => {
  t.timeout(90_000);
  const f = await files(t);
  const ports = { real: await realEtcd(t, f, OPEN), sim: await simulatedEtcd(t, f, OPEN) };
  const health = { real: await healthy(ports.real, f.ca), sim: await healthy(ports.sim, f.ca) };
  for (const side of ['real', 'sim'] as const) t.regex(health[side].stdout + health[side].stderr, /is healthy: successfully committed proposal/, `${side}: ${shown(health[side])}`);

  const put = await both(f, ports, ['put', '/registry/secrets/default/db-password', 's3cr3t']);
  t.is(put.sim.stdout, put.real.stdout, `put — real: ${shown(put.real)} / sim: ${shown(put.sim)}`);
  t.is(put.sim.stdout.trim(), 'OK');
  const keys = await both(f, ports, ['get', '/', '--prefix', '--keys-only']);
  t.is(keys.sim.stdout, keys.real.stdout, `get / --prefix --keys-only — real: ${shown(keys.real)} / sim: ${shown(keys.sim)}`);
  t.regex(keys.sim.stdout, /^\/registry\/secrets\/default\/db-password$/m);
  const values = await both(f, ports, ['get', '/registry/secrets/default/db-password', '--print-value-only']);
  t.is(values.sim.stdout, values.real.stdout);
  t.is(values.sim.stdout.trim(), 's3cr3t');
  // The same revisions, versions and counts in etcd's answer (the IDs differ: the real member's URLs are not the simulated one's).
  const json = await both(f, ports, ['get', '/', '--prefix', '-w', 'json']);
  const shape = (run: Run) => {
    const answer = JSON.parse(run.stdout) as { header: Record<string, unknown>; kvs: unknown[]; count: number };
    return { revision: answer.header.revision, raft_term: answer.header.raft_term, kvs: answer.kvs, count: answer.count };
  };
  t.deepEqual(shape(json.sim), shape(json.real), `get -w json — real: ${json.real.stdout} / sim: ${json.sim.stdout}`);

  // curl's view, the HTTP/JSON gateway on the same port, reads the keys etcdctl wrote (IDs aside, as above).
  const gateway = { real: await gatewayRange(ports.real, f.ca), sim: await gatewayRange(ports.sim, f.ca) };
  const kvs = (text: string) => { const { header: _, ...rest } = JSON.parse(text) as { header: unknown }; return rest; };
  t.deepEqual(kvs(gateway.sim), kvs(gateway.real), `POST /v3/kv/range — real: ${gateway.real} / sim: ${gateway.sim}`);
  t.regex(gateway.sim, /"count":"1"/);

  for (const args of [['member', 'list'], ['endpoint', 'status']]) {
    const run = await both(f, ports, args);
    t.is(run.sim.status, 0, `${args.join(' ')} on the simulated etcd: ${shown(run.sim)}`);
    t.is(run.real.status, 0, `${args.join(' ')} on the real etcd: ${shown(run.real)}`);
    // One line for the one member, with as many comma-separated columns.
    t.is(run.sim.stdout.trim().split(', ').length, run.real.stdout.trim().split(', ').length, `${args.join(' ')} — real: ${run.real.stdout} / sim: ${run.sim.stdout}`);
  }
  const status = await both(f, ports, ['endpoint', 'status', '-w', 'json']);
  const version = (run: Run) => (JSON.parse(run.stdout) as [{ Status: { version: string; leader: unknown; header: { member_id: unknown } } }])[0].Status;
  t.is(version(status.sim).version, version(status.real).version);
  t.is(version(status.sim).leader, version(status.sim).header.member_id, 'a lone member leads');
});

serial(`etcdctl without a certificate is refused by ${FIXED.what}, and the apiserver's etcd client pair gets in, on the real and the simulated etcd alike`, async (t) => {
  t.timeout(90_000);
  const f = await files(t);
  const ports = { real: await realEtcd(t, f, FIXED), sim: await simulatedEtcd(t, f, FIXED) };
  const health = { real: await healthy(ports.real, f.ca, f.client), sim: await healthy(ports.sim, f.ca, f.client) };
  for (const side of ['real', 'sim'] as const) t.is(health[side].status, 0, `${side} with the client pair: ${shown(health[side])}`);

  for (const args of [['get', '/', '--prefix', '--keys-only'], ['endpoint', 'health']]) {
    const run = await both(f, ports, args);
    for (const side of ['real', 'sim'] as const) {
      t.not(run[side].status, 0, `${side} etcd, ${args.join(' ')} without a certificate: ${shown(run[side])}`);
      t.regex(run[side].stderr, /context deadline exceeded/, `${side} etcd, ${args.join(' ')} without a certificate: ${shown(run[side])}`);
    }
  }

  const put = await both(f, ports, ['put', '/registry/secrets/default/db-password', 's3cr3t'], f.client);
  t.is(put.sim.stdout, put.real.stdout, `put with the client pair — real: ${shown(put.real)} / sim: ${shown(put.sim)}`);
  const keys = await both(f, ports, ['get', '/', '--prefix', '--keys-only'], f.client);
  t.is(keys.sim.status, 0, shown(keys.sim));
  t.is(keys.sim.stdout, keys.real.stdout, `get with the client pair — real: ${shown(keys.real)} / sim: ${shown(keys.sim)}`);
  t.regex(keys.sim.stdout, /^\/registry\/secrets\/default\/db-password$/m);
});
