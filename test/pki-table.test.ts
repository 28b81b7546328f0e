import test from 'ava';
import { PRESETS } from '../lib/pki/presets/index.js';
import { tableProblems, checkTable } from '../lib/pki/table-check.js';
import { isKubeMtlsSimError } from '../lib/errors.js';
import type { Preset } from '../lib/pki/types.js';

for (const preset of Object.values(PRESETS)) {
  test(`${preset.name}: the table is consistent`, (t) => {
    t.deepEqual(tableProblems(preset), []);
  });

  test(`${preset.name}: every leaf's CA resolves to a CA that comes before it`, (t) => {
    const seen = new Map<string, string>();
    for (const record of preset.certs) {
      if (record.kind === 'leaf') t.is(seen.get(record.ca), 'ca', `${record.id} -> ${record.ca}`);
      seen.set(record.id, record.kind);
    }
  });

  test(`${preset.name}: ids and file paths are unique`, (t) => {
    const ids = [...preset.certs.map((r) => r.id), ...preset.keyPairs.map((k) => k.id)];
    t.is(new Set(ids).size, ids.length);
    const kubeconfigFiles = preset.kubeconfigs.map((k) => k.file);
    t.is(new Set(kubeconfigFiles).size, kubeconfigFiles.length);
  });
}

test('kubeadm: CNs, Os and usages are those of kubeadm ≥1.29', (t) => {
  const byId = new Map(PRESETS.kubeadm.certs.map((r) => [r.id, r]));
  const expect: Record<string, [string, string[], string[]]> = {
    ca: ['kubernetes', [], []],
    'front-proxy-ca': ['front-proxy-ca', [], []],
    'etcd-ca': ['etcd-ca', [], []],
    apiserver: ['kube-apiserver', [], ['serverAuth']],
    'apiserver-kubelet-client': ['kube-apiserver-kubelet-client', ['kubeadm:cluster-admins'], ['clientAuth']],
    'front-proxy-client': ['front-proxy-client', [], ['clientAuth']],
    'etcd-healthcheck-client': ['kube-etcd-healthcheck-client', [], ['clientAuth']],
    'apiserver-etcd-client': ['kube-apiserver-etcd-client', [], ['clientAuth']],
    admin: ['kubernetes-admin', ['kubeadm:cluster-admins'], ['clientAuth']],
    'super-admin': ['kubernetes-super-admin', ['system:masters'], ['clientAuth']],
    'controller-manager': ['system:kube-controller-manager', [], ['clientAuth']],
    scheduler: ['system:kube-scheduler', [], ['clientAuth']],
  };
  for (const [id, [cn, o, eku]] of Object.entries(expect)) {
    const record = byId.get(id)!;
    t.is(record.cn, cn, id);
    t.deepEqual(record.o, o, id);
    t.deepEqual([...record.extKeyUsage], eku, id);
  }
  t.deepEqual([...byId.get('etcd-server')!.extKeyUsage], ['serverAuth', 'clientAuth']);
});

test('a broken table is refused before anything is generated, naming the record', (t) => {
  const broken: Preset = {
    ...PRESETS.kubeadm,
    certs: PRESETS.kubeadm.certs.map((r) => (r.id === 'apiserver' && r.kind === 'leaf' ? { ...r, ca: 'no-such-ca' } : r)),
  };
  const error = t.throws(() => checkTable(broken));
  t.true(isKubeMtlsSimError(error, 'ERR_TABLE_INVALID'));
  t.regex(error!.message, /"apiserver": CA "no-such-ca" does not resolve/);
  const reordered: Preset = { ...PRESETS.kubeadm, certs: [...PRESETS.kubeadm.certs].reverse() };
  t.true(tableProblems(reordered).some((p) => /comes after its leaf/.test(p.problem)));
  const duplicated: Preset = { ...PRESETS.kubeadm, certs: [...PRESETS.kubeadm.certs, PRESETS.kubeadm.certs[3]!] };
  t.true(tableProblems(duplicated).some((p) => /duplicate id/.test(p.problem)));
});
