// `check DIR` and the etcd peer edge (issue 14): a folder holds one member's files, so the edge is
// dialled as another member made the same way dials this one: this member's peer certificate on both
// ends, at its own peer URL. A one-member etcd has no such edge, and the report says why.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { fixedClock } from '../lib/clock.js';
import { defineCluster } from '../lib/cluster/cluster.js';
import { loadNode } from '../lib/node/load.js';
import { cli } from './helpers/cli.js';
import { tempDir } from './helpers/tools.js';

const NOW = '2026-01-01T00:00:00Z';
const AT = '2026-01-02T00:00:00Z';
const MANIFEST = 'etc/kubernetes/manifests/etcd.yaml';
/** Three members on three hosts, as three kubeadm control-plane nodes have them: this node is the first. */
const THREE = 'control-plane=https://10.0.0.10:2380,cp-2=https://10.0.0.11:2380,cp-3=https://10.0.0.12:2380';

interface Report {
  ok: boolean;
  edges: { edge: string; verdict: string; stage: string | null; reason: string; responsible: string; kubernetes: string[] }[];
  skipped: { edge: string; why: string; zh?: string }[];
}

/** `pki write` a kubeadm node (with faults), then give its etcd manifest the members `initialCluster`. */
async function writeMember(t: ExecutionContext, initialCluster: string | null, ...faults: string[]): Promise<string> {
  const dir = join(tempDir(t, 'kms-check-peer-'), 'node');
  const written = await cli(['pki', 'write', dir, '--now', NOW, ...faults.flatMap((f) => ['--fault', f])]);
  if (written.status !== 0) throw new Error(written.stderr);
  const file = join(dir, MANIFEST);
  const text = readFileSync(file, 'utf8');
  // kubeadm writes a one-member --initial-cluster (this node's own peer URL); a test of more members
  // puts its list there, and the test of a hand-made manifest without the flag takes it out.
  const line = /^(\s*)- --initial-cluster=.*$\n/m;
  if (!line.test(text)) throw new Error(`${file}: no --initial-cluster line to change`);
  const edited = text.replace(line, (_line, indent: string) => initialCluster === null ? '' : `${indent}- --initial-cluster=${initialCluster}\n`);
  writeFileSync(file, edited);
  return dir;
}

async function check(dir: string, ...flags: string[]): Promise<{ status: number; report: Report }> {
  const r = await cli(['check', dir, '--json', '--now', AT, ...flags]);
  return { status: r.status, report: JSON.parse(r.stdout) as Report };
}
const peerEdge = (report: Report) => report.edges.find((e) => e.edge === 'etcd-peer');

test('three members in --initial-cluster: check dials etcd-peer, ok with kubeadm\'s peer certificate', async (t) => {
  const { status, report } = await check(await writeMember(t, THREE));
  t.is(status, 0);
  t.like(peerEdge(report), { verdict: 'ok', reason: 'OK' });
  t.false(report.skipped.some((s) => s.edge === 'etcd-peer'));
});

test('a folder\'s members on other hosts: the edge dials this member\'s own peer URL, not another member\'s (whose certificate the folder does not hold)', async (t) => {
  // kubeadm's peer.crt names this node's IP only; dialled at 10.0.0.11 it would be refused for a file that is not this node's.
  await using cluster = await defineCluster({ node: await loadNode(await writeMember(t, THREE)), clock: fixedClock(AT) }).start();
  const result = await cluster.dial('etcd-peer');
  t.is(result.verdict, 'ok', result.summary);
  t.is(result.client.dialled, 'https://10.0.0.10:2380');
});

test('a peer certificate without clientAuth (pki write --fault): etcd-peer rejected by the member dialled, naming etcd/peer.crt', async (t) => {
  const { status, report } = await check(await writeMember(t, THREE, 'etcd-peer=usages:ku=digitalSignature+keyEncipherment,eku=serverAuth'));
  t.is(status, 1);
  t.like(peerEdge(report), { verdict: 'rejected', stage: 'tls', reason: 'WRONG_EKU' });
  t.regex(peerEdge(report)!.responsible, /etcd\/peer\.crt/);
});

test('a peer certificate missing the member\'s IP: etcd-peer rejected by the dialling member, SAN_MISMATCH', async (t) => {
  const { status, report } = await check(await writeMember(t, THREE, 'etcd-peer=sans:DNS:control-plane,DNS:localhost,IP:127.0.0.1,IP:::1'));
  t.is(status, 1);
  t.like(peerEdge(report), { verdict: 'rejected', stage: 'tls', reason: 'SAN_MISMATCH' });
  t.regex(peerEdge(report)!.kubernetes.join('\n'), /not 10\.0\.0\.10/);
});

test('one member: no etcd-peer edge, and the report says why (English and Chinese)', async (t) => {
  const dir = await writeMember(t, 'control-plane=https://10.0.0.10:2380');
  const { report } = await check(dir);
  t.is(peerEdge(report), undefined);
  const skipped = report.skipped.find((s) => s.edge === 'etcd-peer');
  t.regex(skipped?.why ?? '', /names one member \(control-plane=https:\/\/10\.0\.0\.10:2380\).*no member-to-member edge/);
  const zh = await cli(['check', dir, '--now', AT, '--lang', 'zh']);
  t.regex(zh.stdout, /^etcd-peer：未检查：etcd --initial-cluster 只有一个成员/m);
  const en = await cli(['check', dir, '--now', AT]);
  t.regex(en.stdout, /^etcd-peer: not checked: etcd --initial-cluster names one member/m);
});

test('no --initial-cluster at all: one member named by --name, said so', async (t) => {
  const { report } = await check(await writeMember(t, null));
  t.is(peerEdge(report), undefined);
  t.regex(report.skipped.find((s) => s.edge === 'etcd-peer')?.why ?? '', /etcd has no --initial-cluster: it is one member \(control-plane=/);
});
