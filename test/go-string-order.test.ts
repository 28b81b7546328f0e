import test from 'ava';
import { fixedClock } from '../lib/clock.js';
import { CsrStore } from '../lib/csr/store.js';
import type { CertificateSigningRequest } from '../lib/csr/types.js';
import { buildKubeconfig, stringifyKubeconfig } from '../lib/kubeconfig/build.js';
import { goStringOrder } from '../lib/util/order.js';

// kube-apiserver lists objects in etcd's key order and client-go writes map keys sorted as Go
// strings: by byte, so "B" before "a" and "-" before ".". localeCompare put "a" before "B".
test('CSRs list in Go string order, as kube-apiserver lists them from etcd', (t) => {
  const store = new CsrStore(fixedClock('2026-01-01T00:00:00Z'));
  for (const name of ['b', 'a.1', 'B', 'a-1', 'Z']) {
    store.create({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec: { request: '', signerName: 'kubernetes.io/kube-apiserver-client', usages: [] }, status: {} } as unknown as CertificateSigningRequest);
  }
  t.deepEqual(store.list().map((c) => c.metadata.name), ['B', 'Z', 'a-1', 'a.1', 'b']);
});

test('goStringOrder is code-point order, not the locale\'s', (t) => {
  t.deepEqual(['b', 'A', 'a', '_x', '-x'].sort(goStringOrder), ['-x', 'A', '_x', 'a', 'b']);
  t.is(goStringOrder('x', 'x'), 0);
});

test('kubeconfig cluster and user keys are written in Go string order', (t) => {
  const text = stringifyKubeconfig(buildKubeconfig({
    clusterName: 'c', contextName: 'ctx', userName: 'u',
    cluster: { 'server': 'https://127.0.0.1:6443', 'certificate-authority-data': 'QQ==' },
    user: { token: 't', 'client-key-data': 'QQ==', 'client-certificate-data': 'QQ==' },
  }));
  t.true(text.indexOf('certificate-authority-data') < text.indexOf('server:'));
  t.true(text.indexOf('client-certificate-data') < text.indexOf('client-key-data') && text.indexOf('client-key-data') < text.indexOf('token:'));
});
