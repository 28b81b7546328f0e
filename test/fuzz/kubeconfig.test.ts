/**
 * parseKubeconfig and parseKubeletConfiguration: arbitrary text, arbitrary YAML values, and the
 * files a generated PKI writes with their text mutated, one of their values replaced by a value of
 * another type or shape, or their embedded certificate or key DER mutated.
 */
import { testProp } from '@fast-check/ava';
import { parse, stringify } from 'yaml';
import { parseKubeconfig } from '../../lib/kubeconfig/parse.js';
import { parseKubeletConfiguration } from '../../lib/kubeletconfig/config.js';
import { toPem } from '../../lib/pki/issue.js';
import { anyValue, escaped, fc, mutated, params, reshaped, samplePki } from './fuzz.js';

const pkis = await Promise.all([samplePki({ preset: 'kubeadm' }), samplePki({ preset: 'reference', algorithm: 'rsa-2048' })]);
const files = pkis.flatMap((pki) => pki.files).flatMap((f) => (f.kind === 'symlink' ? [] : [f]));
const kubeconfigs = files.filter((f) => f.kind === 'kubeconfig').map((f) => f.contents);
const kubeletConfigs = files.filter((f) => f.kind === 'kubelet-config').map((f) => f.contents);
const kubeconfigDocs = kubeconfigs.map((k) => parse(k) as unknown);
const kubeletDocs = kubeletConfigs.map((k) => parse(k) as unknown);
const ca = pkis[0]!.certs.get('ca')!.cert;
const certDers = pkis.flatMap((pki) => [...pki.certs.values()].slice(0, 6).map((c) => c.cert.der));
const keyPems = pkis.flatMap((pki) => [...pki.keyPairs.values()].slice(0, 2).map((k) => Buffer.from(k.pem)));

/** Files a kubeconfig names resolve to the cluster CA (the property is about the parser, not the disk). */
const options = { readFile: () => Buffer.from(ca.pem) };

const KUBECONFIG_KEYS = ['apiVersion', 'kind', 'clusters', 'users', 'contexts', 'current-context', 'name', 'cluster', 'user', 'context', 'server',
  'certificate-authority', 'certificate-authority-data', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data',
  'token', 'tokenFile', 'insecure-skip-tls-verify', 'tls-server-name'];
const KUBELET_KEYS = ['apiVersion', 'kind', 'tlsCertFile', 'tlsPrivateKeyFile', 'authentication', 'authorization', 'x509', 'clientCAFile',
  'anonymous', 'enabled', 'webhook', 'mode', 'serverTLSBootstrap', 'rotateCertificates'];

const yamlOf = (value: unknown) => {
  try {
    return stringify(value);
  } catch {
    return JSON.stringify(value) ?? 'null';
  }
};
const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }));

/** A kubeconfig whose user or CA data is the base64 of a mutated certificate or key. */
const withMutatedMaterial = fc.tuple(fc.constantFrom(...kubeconfigDocs), fc.constantFrom('certificate-authority-data', 'client-certificate-data', 'client-key-data'),
  fc.oneof(mutated(certDers).map((der) => toPem('CERTIFICATE', der)), mutated(keyPems).map((b) => b.toString('latin1'))))
  .map(([doc, field, pem]) => {
    const copy = structuredClone(doc) as { clusters: { cluster: Record<string, unknown> }[]; users: { user: Record<string, unknown> }[] };
    const where = field === 'certificate-authority-data' ? copy.clusters[0]!.cluster : copy.users[0]!.user;
    where[field] = Buffer.from(pem, 'latin1').toString('base64');
    return stringify(copy);
  });

const kubeconfigInputs = fc.oneof(
  text,
  anyValue(KUBECONFIG_KEYS).map(yamlOf),
  mutated(kubeconfigs.map((k) => Buffer.from(k))).map((b) => b.toString('utf8')),
  reshaped(kubeconfigDocs, KUBECONFIG_KEYS).map(yamlOf),
  withMutatedMaterial,
);

testProp('parseKubeconfig: a typed error or a resolved kubeconfig', [kubeconfigInputs], (t, input) => {
  t.is(escaped(() => parseKubeconfig(input, '/etc/kubernetes/fuzz.conf', options)), null);
}, params(2));

const kubeletInputs = fc.oneof(
  text,
  anyValue(KUBELET_KEYS).map(yamlOf),
  mutated(kubeletConfigs.map((k) => Buffer.from(k))).map((b) => b.toString('utf8')),
  reshaped(kubeletDocs, KUBELET_KEYS).map(yamlOf),
);

testProp('parseKubeletConfiguration: a typed error or a configuration', [kubeletInputs], (t, input) => {
  t.is(escaped(() => parseKubeletConfiguration(input, '/var/lib/kubelet/config.yaml')), null);
}, params(2));
