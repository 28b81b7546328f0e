import test from 'ava';
import { isKubeMtlsSimError } from '../lib/errors.js';
import { resolveClusterConfig } from '../lib/pki/cluster-config.js';

// kubeadm checks certSANs with apimachinery's IsDNS1123Subdomain: the pattern and at most 253 bytes.
// A 10,000-character SAN used to be accepted and written into the apiserver's certificate.
const name = (length: number) => Array.from({ length: Math.ceil(length / 50) }, () => 'a'.repeat(49)).join('.').slice(0, length).replace(/\.$/, 'a');

test('a certSAN of 253 bytes is a DNS name; of 254 bytes, or a 10,000-byte one, ERR_CLUSTER_CONFIG naming the entry', (t) => {
  t.is(name(253).length, 253);
  t.deepEqual(resolveClusterConfig({ apiServerCertSans: [name(253)] }).apiServerCertSans, [name(253)]);
  for (const length of [254, 10_000]) {
    const error = t.throws(() => resolveClusterConfig({ apiServerCertSans: ['ok.example', name(length)] }));
    t.true(isKubeMtlsSimError(error, 'ERR_CLUSTER_CONFIG'), String(error));
    t.is((error as { field?: string }).field, 'apiServerCertSans[1]');
  }
  t.throws(() => resolveClusterConfig({ etcdServerCertSans: [`*.${name(252)}`] }), { code: 'ERR_CLUSTER_CONFIG' } as never);
});

test('a dnsDomain over 253 bytes is ERR_CLUSTER_CONFIG', (t) => {
  const error = t.throws(() => resolveClusterConfig({ dnsDomain: name(254) }));
  t.true(isKubeMtlsSimError(error, 'ERR_CLUSTER_CONFIG'), String(error));
});
