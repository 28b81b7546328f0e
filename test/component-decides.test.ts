import test from 'ava';
import { defineCluster } from '../lib/cluster/cluster.js';
import { clock, pkiFor } from './helpers/pki.js';

// Where the component itself decides before any server does (issue 12): a component that did not
// start dials nothing.

test('a kube-apiserver that did not start dials neither etcd nor the kubelet: those edges end with its own startup error, on its side', async (t) => {
  const goMessage = 'authorization-mode "Bogus" is not a valid mode';
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), apiserver: { '--authorization-mode': 'Bogus' } }).start();
  t.false(cluster.servers['kube-apiserver'].running);
  // etcd and the kubelet run: only the client is missing.
  t.true(cluster.servers.etcd.running && cluster.servers.kubelet.running);
  for (const edge of ['apiserver-to-etcd', 'apiserver-to-kubelet'] as const) {
    const result = await cluster.dial(edge);
    t.like(result, {
      verdict: 'config-error', stage: 'config', detectedBy: 'client', reason: 'BAD_FLAG',
      cause: { kind: 'config-error', side: 'client', component: 'kube-apiserver', code: 'ERR_COMPONENT_FLAG', goMessage },
    }, edge);
    t.regex(result.summary, /^kube-apiserver did not start, so it dials nothing: kube-apiserver: `--authorization-mode=Bogus`/, edge);
    t.deepEqual(result.messages.map((m) => [m.component, m.text]), [['kube-apiserver', goMessage]], edge);
  }
});
