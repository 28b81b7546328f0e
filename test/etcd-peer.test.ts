// The etcd-peer edge (issue 14): optional (a one-member etcd has no peer to dial, and the default
// cluster starts nothing for it), dialled from a node folder as from memory, and `check DIR`'s
// static facts of the peer certificate.
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../lib/cli/main.js';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { etcdMembers, memberId } from '../lib/component-base/etcd-peer.js';
import { isKubeMtlsSimError } from '../lib/errors.js';
import { loadNode } from '../lib/index.js';
import { staticChecks } from '../lib/node/static-checks.js';
import { tempDir } from './helpers/tools.js';

const NOW = '2026-01-01T00:00:00Z';
const clock = () => fixedClock(new Date('2026-01-02T00:00:00Z'));
const THREE = 'control-plane=https://10.0.0.10:2380,etcd-2=https://10.0.0.10:12380,etcd-3=https://10.0.0.10:22380';
const PEER = '/etc/kubernetes/pki/etcd/peer.crt';

test('a one-member etcd (the default) has no peer edge: dialling it is a usage error, and dialAll keeps its seven edges', async (t) => {
  await using cluster = await defineCluster({ clock: clock() }).start();
  const error = await t.throwsAsync(cluster.dial('etcd-peer'));
  t.true(isKubeMtlsSimError(error) && error.code === 'ERR_USAGE', String(error));
  t.regex(error!.message, /--initial-cluster/);
  t.is((await cluster.dialAll()).length, 7);
});

test('member IDs are etcd\'s: SHA-1 of the peer URLs and the cluster token (measured: m2 of a real cluster was e455a4dbd5f9e1e)', (t) => {
  t.is(memberId(['https://127.0.0.1:23812']), 'e455a4dbd5f9e1e');
  const members = etcdMembers({ '--name': 'm1', '--initial-cluster': 'm1=https://127.0.0.1:23811,m2=https://127.0.0.1:23812' });
  t.deepEqual(members.map((m) => [m.name, m.host, m.port, m.id]), [['m1', '127.0.0.1', 23811, '53777a759b7eecde'], ['m2', '127.0.0.1', 23812, 'e455a4dbd5f9e1e']]);
});

test('the peer edge uses the --peer-* files, not the client port\'s: a broken etcd/server.crt leaves it alone, a broken peer.crt does not', async (t) => {
  const etcd = { '--initial-cluster': THREE };
  await using good = await defineCluster({ clock: clock(), etcd, faults: { 'etcd-server': { kind: 'usages', extKeyUsage: ['serverAuth'] } } }).start();
  const ok = await good.dial('etcd-peer');
  t.is(ok.verdict, 'ok', ok.summary);
  t.is(ok.client.dialled, 'https://10.0.0.10:12380');
  t.is(ok.server.verifiesClientsWith?.field, 'etcd --peer-trusted-ca-file');
  await using bad = await defineCluster({ clock: clock(), etcd, faults: { 'etcd-peer': { kind: 'usages', extKeyUsage: ['serverAuth'] } } }).start();
  const refused = await bad.dial('etcd-peer');
  t.is(`${refused.verdict}/${refused.reason}/${refused.detectedBy}`, 'rejected/WRONG_EKU/server', refused.summary);
  t.true(refused.messages.some((m) => m.text.startsWith(`rafthttp: health check for peer ${memberId(['https://10.0.0.10:12380'])} could not connect: remote error: tls: bad certificate`)));
  // Both clusters are dialled again after the peers started: they are started once.
  t.is((await good.dial('etcd-peer')).verdict, 'ok');
});

test('a member whose peer file is missing: the peer edge ends with etcd\'s startup error', async (t) => {
  await using cluster = await defineCluster({ clock: clock(), etcd: { '--initial-cluster': THREE }, files: { '/etc/kubernetes/pki/etcd/peer.key': null } }).start();
  const result = await cluster.dial('etcd-peer');
  t.is(`${result.verdict}/${result.reason}`, 'config-error/FILE_MISSING', result.summary);
});

async function writeNode(t: ExecutionContext, flags: string[], faults: string[] = []): Promise<string> {
  const dir = join(tempDir(t), 'node');
  const args = ['pki', 'write', dir, '--now', NOW, ...faults.flatMap((f) => ['--fault', f]), ...flags.flatMap((f) => ['--flag', `etcd:${f}`])];
  t.is(await main(args, () => {}, () => {}), 0);
  return dir;
}

const peerFindings = (node: Awaited<ReturnType<typeof loadNode>>) => staticChecks(node, clock()).findings.filter((f) => f.file === PEER).map((f) => `${f.check}: ${f.message}`);

test('check DIR: kubeadm\'s peer certificate has every static fact a member needs', async (t) => {
  const node = await loadNode(await writeNode(t, ['--initial-advertise-peer-urls=https://10.0.0.10:2380', `--initial-cluster=${THREE}`]));
  t.deepEqual(peerFindings(node), []);
  // Read back from the folder, the members dial each other as in memory.
  await using cluster = await defineCluster({ node, clock: clock() }).start();
  t.is((await cluster.dial('etcd-peer')).verdict, 'ok');
});

test('check DIR: a peer certificate without the advertised peer IP, or from another CA than --peer-trusted-ca-file, or without clientAuth', async (t) => {
  const node = await loadNode(await writeNode(t,
    ['--initial-advertise-peer-urls=https://10.0.0.99:2380', '--peer-trusted-ca-file=/etc/kubernetes/pki/ca.crt'], ['etcd-peer=usages:eku=serverAuth']));
  const found = peerFindings(node);
  t.true(found.some((f) => f.startsWith('chain:') && f.includes('does not name 10.0.0.99') && f.includes('x509: certificate is valid for 10.0.0.10, 127.0.0.1, ::1, not 10.0.0.99')), found.join('\n'));
  t.true(found.some((f) => f.startsWith('chain:') && f.includes('/etc/kubernetes/pki/ca.crt') && f.includes('x509: certificate signed by unknown authority')), found.join('\n'));
  t.true(found.some((f) => f.startsWith('usage:') && f.includes('clientAuth')), found.join('\n'));
});
