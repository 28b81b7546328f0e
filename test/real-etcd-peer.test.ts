import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { generatePki, type Pki, type PkiCert } from '../lib/layout/generate.js';
import type { FaultMap } from '../lib/pki/faults.js';
import { parseRejectedLine } from './helpers/real-etcd.js';
import { startRealEtcdCluster, type RealEtcdCluster } from './helpers/real-etcd-cluster.js';
import { tempDir, testWithTool, which } from './helpers/tools.js';

/**
 * The etcd-peer edge side by side with a real three-member etcd 3.4 (Debian etcd-server) on
 * loopback: the same PKI files and peer flags, the same --initial-cluster (so the same member IDs in
 * the words). Real etcd gives its verdict in its logs: all members ready (the members authenticated
 * each other), or rafthttp's health-check warning (what the dialling member saw) and, when the
 * listening member refused, its `rejected connection` line. Without etcd the tests are skipped
 * loudly; in CI (CI=true) they run and fail.
 */
const etcdBinary = which('etcd');
const etcdSerial = testWithTool('etcd', etcdBinary) === test ? test.serial : test.serial.skip;

/** etcd starts in 0.2–1.5 s and its peer prober first reports after ~4 s: bounds, not sleeps. */
const VERDICT_TIMEOUT_MS = 25_000;

// The wall clock, deliberately (as in real-etcd.test.ts): the real etcd checks dates against its own clock.
const clock = fixedClock(new Date(Date.now()));

interface PeerCase {
  what: string;
  faults?: FaultMap;
  /** The PKI certificate --peer-trusted-ca-file names. */
  peerTrustedCa: 'etcd-ca' | 'ca';
  expect: { verdict: 'ok' | 'rejected'; detectedBy: 'client' | 'server' | null };
}

const CASES: Record<string, PeerCase> = {
  ok: { what: 'kubeadm\'s etcd/peer.crt', peerTrustedCa: 'etcd-ca', expect: { verdict: 'ok', detectedBy: null } },
  'without-clientauth': {
    what: 'a peer certificate with serverAuth only', peerTrustedCa: 'etcd-ca',
    faults: { 'etcd-peer': { kind: 'usages', extKeyUsage: ['serverAuth'] } }, expect: { verdict: 'rejected', detectedBy: 'server' },
  },
  'without-member-ip': {
    what: 'a peer certificate without 127.0.0.1, the members\' host', peerTrustedCa: 'etcd-ca',
    faults: { 'etcd-peer': { kind: 'sans', sans: [{ dns: 'control-plane' }, { dns: 'localhost' }, { ip: '10.0.0.10' }, { ip: '::1' }] } },
    expect: { verdict: 'rejected', detectedBy: 'client' },
  },
  'wrong-peer-ca': { what: '--peer-trusted-ca-file naming the Kubernetes CA', peerTrustedCa: 'ca', expect: { verdict: 'rejected', detectedBy: 'client' } },
};

const PKI_DIR = '/etc/kubernetes/pki';
const SIM_PATH: Record<PeerCase['peerTrustedCa'], string> = { 'etcd-ca': `${PKI_DIR}/etcd/ca.crt`, ca: `${PKI_DIR}/ca.crt` };

const certPem = (c: PkiCert) => [c.cert, ...c.chain].map((x) => x.pem).join('');
const get = (pki: Pki, id: string) => pki.certs.get(id) ?? (() => { throw new Error(`no ${id} in the PKI`); })();

/** The PKI on disk for the real members: the CAs, etcd's serving and peer pairs (keys 0600). */
function writeFiles(dir: string, pki: Pki) {
  const pkiDir = join(dir, 'pki');
  mkdirSync(pkiDir, { mode: 0o700 });
  const path = (name: string) => join(pkiDir, name);
  writeFileSync(path('etcd-ca.crt'), get(pki, 'etcd-ca').cert.pem);
  writeFileSync(path('ca.crt'), get(pki, 'ca').cert.pem);
  for (const id of ['etcd-server', 'etcd-peer']) {
    writeFileSync(path(`${id}.crt`), certPem(get(pki, id)));
    writeFileSync(path(`${id}.key`), get(pki, id).key.pem, { mode: 0o600 });
    chmodSync(path(`${id}.key`), 0o600);
  }
  return path;
}

interface RealVerdict {
  verdict: 'ok' | 'rejected';
  detectedBy: 'client' | 'server' | null;
  /** rafthttp's warning, from `rafthttp:` on. */
  healthLine?: string;
  /** The error of a `rejected connection` line that is the listener's own refusal (not the dialler's alert). */
  refusal?: string;
}

const HEALTH = /rafthttp: health check for peer \S+ could not connect: (.*)$/;

/** Reads real etcd's verdict from its members' logs. */
async function realVerdict(cluster: RealEtcdCluster): Promise<RealVerdict> {
  const ready = (line: string) => line.includes('ready to serve client requests');
  const first = await cluster.waitForAny((line) => HEALTH.test(line) || ready(line), VERDICT_TIMEOUT_MS);
  if (first === undefined) throw new Error(`real etcd gave no verdict within ${VERDICT_TIMEOUT_MS} ms:\n${cluster.members.map((m) => m.log.lines.slice(-8).join('\n')).join('\n--\n')}`);
  if (ready(first)) {
    // Ready needs a quorum: at least one member reached another over the peer TLS.
    const all = await Promise.all(cluster.members.map((m) => m.log.waitFor(ready, VERDICT_TIMEOUT_MS)));
    if (all.every((line) => line !== undefined)) return { verdict: 'ok', detectedBy: null };
  }
  // Go's HTTP transport reports the peer's alert as it happens to read it: "remote error: tls: bad
  // certificate", with "readLoopPeekFailLocked: " before it, or a reset connection. Who refused is
  // read from the x509 error (the dialler) or the listener's own `rejected connection` line.
  const unwrap = (line: string) => line.replace(/^.*?rafthttp: /, 'rafthttp: ').replace('could not connect: readLoopPeekFailLocked: ', 'could not connect: ');
  const health = await cluster.waitForAny((line) => HEALTH.test(line), VERDICT_TIMEOUT_MS);
  if (health === undefined) throw new Error('real etcd was not ready, yet logged no failed health check');
  const error = HEALTH.exec(unwrap(health))![1]!;
  if (error.startsWith('x509: ')) return { verdict: 'rejected', detectedBy: 'client', healthLine: unwrap(health) };
  const refused = await cluster.waitForAny((line) => (parseRejectedLine(line)?.error ?? '').startsWith('tls: '), VERDICT_TIMEOUT_MS);
  if (!refused) return { verdict: 'rejected', detectedBy: 'client', healthLine: unwrap(health) };
  const alert = await cluster.waitForAny((line) => /could not connect: (readLoopPeekFailLocked: )?remote error: tls: bad certificate$/.test(line), VERDICT_TIMEOUT_MS);
  return { verdict: 'rejected', detectedBy: 'server', refusal: parseRejectedLine(refused)!.error, ...(alert ? { healthLine: unwrap(alert) } : {}) };
}

async function realCluster(t: ExecutionContext, name: string, pki: Pki, c: PeerCase) {
  const dir = tempDir(t, `kms-real-etcd-peer-${name}-`);
  const path = writeFiles(dir, pki);
  const cluster = await startRealEtcdCluster({
    binary: etcdBinary ?? 'etcd', dir,
    flags: [
      `--cert-file=${path('etcd-server.crt')}`, `--key-file=${path('etcd-server.key')}`, `--trusted-ca-file=${path('etcd-ca.crt')}`, '--client-cert-auth=true',
      `--peer-cert-file=${path('etcd-peer.crt')}`, `--peer-key-file=${path('etcd-peer.key')}`,
      `--peer-trusted-ca-file=${path(`${c.peerTrustedCa}.crt`)}`, '--peer-client-cert-auth=true',
    ],
  });
  // Registered after tempDir's removal, so it runs first: every member exits before its data dir goes.
  t.teardown(() => cluster.stop(1_000));
  try {
    const verdict = await realVerdict(cluster);
    // The member the simulated m1 dials is m2: its ID as real etcd computed it ("added member <id> [<peer URL>]").
    const m2 = cluster.members[1]!;
    const added = cluster.members[0]!.log.lines.map((l) => /added member (\S+) \[(\S+)\]/.exec(l)).find((m) => m?.[2] === m2.peerUrl);
    return { initialCluster: cluster.initialCluster, m2Id: added?.[1], ...verdict };
  } finally {
    await cluster.stop();
  }
}

for (const [name, c] of Object.entries(CASES)) {
  etcdSerial(`etcd-peer ${name} (${c.what}): the simulated members decide as three real etcd 3.4 members do`, async (t) => {
    const pki = await generatePki({ clock, keys: 'fresh', ...(c.faults ? { faults: c.faults } : {}) });
    const real = await realCluster(t, name, pki, c);
    await using sim = await defineCluster({
      clock, pki,
      etcd: { '--name': 'm1', '--initial-cluster': real.initialCluster, '--peer-trusted-ca-file': SIM_PATH[c.peerTrustedCa], '--peer-client-cert-auth': 'true' },
    }).start();
    const result = await sim.dial('etcd-peer', { timeoutMs: 5_000 });
    const simHealth = result.messages.find((m) => m.text.startsWith('rafthttp: '))?.text;
    const simRefusal = result.detectedBy === 'server' && result.server.saw.log ? parseRejectedLine(result.server.saw.log)?.error : undefined;
    t.log(`real: ${real.verdict}${real.detectedBy ? ` (${real.detectedBy})` : ''} ${real.healthLine ?? ''} ${real.refusal ? `| refused: ${real.refusal}` : ''}`);
    t.log(`sim:  ${result.verdict}/${result.reason}${result.detectedBy ? ` (${result.detectedBy})` : ''} ${simHealth ?? ''} ${simRefusal ? `| refused: ${simRefusal}` : ''}`);

    t.deepEqual({ verdict: real.verdict, detectedBy: real.detectedBy }, c.expect, `real etcd: ${JSON.stringify(real)}`);
    t.deepEqual({ verdict: result.verdict, detectedBy: result.detectedBy }, { verdict: real.verdict, detectedBy: real.detectedBy }, result.summary);
    // The words: rafthttp's warning about m2 (the same --initial-cluster, so the same member ID) and the listener's refusal.
    if (real.healthLine) {
      t.truthy(real.m2Id, 'real etcd logged m2\'s member ID');
      t.is(simHealth, real.healthLine.replace(/peer \S+ /, `peer ${real.m2Id} `));
    }
    if (real.refusal) t.is(simRefusal, real.refusal);
  });
}
