/**
 * `insecure-skip-tls-verify` as client-go reads it (issue 9, items 8b–8d): next to a CA it is a
 * configuration client-go refuses, a quoted "true" is a decode error (not a silent false), and a
 * verdict says the field is true when it is. Where kubectl is installed, its own words are compared.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { stringify } from 'yaml';
import { defineCluster } from '../lib/cluster/cluster.js';
import { KubeMtlsSimError } from '../lib/errors.js';
import { parseKubeconfig } from '../lib/kubeconfig/parse.js';
import { clock, pkiFor } from './helpers/pki.js';
import { kubectlPath, run, tempDir, testWithTool } from './helpers/tools.js';

const INSECURE_WITH_CA = 'specifying a root certificates file with the insecure flag is not allowed';
const ADMIN = '/etc/kubernetes/admin.conf';

async function caPem(): Promise<string> {
  return (await pkiFor()).certs.get('ca')!.cert.pem;
}

/** A kubeconfig with a token user (nothing else to load); `clusters` replaces the one cluster entry's fields. */
function kubeconfig(cluster: Record<string, unknown>, extraClusters: Record<string, unknown>[] = []): string {
  return stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1', ...cluster } }, ...extraClusters.map((c, i) => ({ name: `other${i}`, cluster: { server: 'https://127.0.0.1:1', ...c } }))],
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    'current-context': 'c',
    users: [{ name: 'u', user: { token: 'abc' } }],
  });
}

test('insecure-skip-tls-verify: true with certificate-authority-data is ERR_KUBECONFIG_INSECURE_CA with client-go\'s wording', async (t) => {
  const text = kubeconfig({ 'insecure-skip-tls-verify': true, 'certificate-authority-data': Buffer.from(await caPem()).toString('base64') });
  const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
  t.is(error.code, 'ERR_KUBECONFIG_INSECURE_CA');
  t.is(error.field, 'clusters[0].cluster.insecure-skip-tls-verify');
  t.is(error.goMessage, INSECURE_WITH_CA);
  t.true(error.message.includes('admin.conf') && error.message.includes('certificate-authority-data'), error.message);
});

test('…checked before the CA is parsed (a garbage CA gives the same error), after the CA file is read (a missing file is reported first)', (t) => {
  const garbage = kubeconfig({ 'insecure-skip-tls-verify': true, 'certificate-authority-data': Buffer.from('garbage').toString('base64') });
  t.throws(() => parseKubeconfig(garbage, 'admin.conf'), { code: 'ERR_KUBECONFIG_INSECURE_CA' });
  const missing = kubeconfig({ 'insecure-skip-tls-verify': true, 'certificate-authority': '/nonexistent/ca.crt' });
  t.throws(() => parseKubeconfig(missing, '/tmp/admin.conf', { readFile: (path) => {
    throw new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `${path}: no such file`, { file: path });
  } }), { code: 'ERR_FILE_NOT_FOUND' });
});

test('insecure-skip-tls-verify: "true" (a string) is ERR_KUBECONFIG_FIELD with kubectl\'s decode error, in any cluster of the file', (t) => {
  for (const [text, index] of [[kubeconfig({ 'insecure-skip-tls-verify': 'true' }), 0], [kubeconfig({}, [{ 'insecure-skip-tls-verify': 'false' }]), 1]] as const) {
    const error = t.throws(() => parseKubeconfig(text, 'admin.conf'), { instanceOf: KubeMtlsSimError });
    t.is(error.code, 'ERR_KUBECONFIG_FIELD');
    t.is(error.field, `clusters[${index}].cluster.insecure-skip-tls-verify`);
    t.is(error.goMessage, 'error loading config file "admin.conf": json: cannot unmarshal string into Go struct field Cluster.clusters.cluster.insecure-skip-tls-verify of type bool');
  }
  const number = t.throws(() => parseKubeconfig(kubeconfig({ 'insecure-skip-tls-verify': 1 }), 'admin.conf'), { instanceOf: KubeMtlsSimError, code: 'ERR_KUBECONFIG_FIELD' });
  t.regex(number.goMessage!, /cannot unmarshal number into Go struct field/);
});

test('a plain yes/on is YAML 1.1\'s true, as sigs.k8s.io/yaml reads it; null and absent are false', (t) => {
  const plain = (value: string) => parseKubeconfig(kubeconfig({}).replace('server: https://127.0.0.1:1', `server: https://127.0.0.1:1\n      insecure-skip-tls-verify: ${value}`), 'admin.conf');
  t.true(plain('yes').insecureSkipTLSVerify);
  t.true(plain('on').insecureSkipTLSVerify);
  t.false(plain('no').insecureSkipTLSVerify);
  t.false(plain('null').insecureSkipTLSVerify);
  t.false(parseKubeconfig(kubeconfig({}), 'admin.conf').insecureSkipTLSVerify);
  t.throws(() => plain('"yes"'), { code: 'ERR_KUBECONFIG_FIELD' });
});

test('the kubectl edge with insecure-skip-tls-verify and CA data is a config-error, not insecure', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), kubeconfigEdits: { [ADMIN]: { 'clusters.0.cluster.insecure-skip-tls-verify': true } } }).start();
  const result = await cluster.dial('kubectl-to-apiserver');
  t.like(result, { verdict: 'config-error', stage: 'config', detectedBy: 'client' }, result.summary);
  t.true(result.summary.includes(ADMIN), result.summary);
  t.deepEqual(result.messages, [{ component: 'kubectl', where: 'stderr', text: `error: ${INSECURE_WITH_CA}` }]);
});

test('with verification switched off, the summary says insecure-skip-tls-verify is true, not that it is not set', async (t) => {
  await using cluster = await defineCluster({
    clock, pki: await pkiFor(),
    kubeconfigEdits: { [ADMIN]: { 'clusters.0.cluster.certificate-authority-data': null, 'clusters.0.cluster.insecure-skip-tls-verify': true } },
  }).start();
  const result = await cluster.dial('kubectl-to-apiserver');
  t.is(result.reason, 'SERVER_NOT_VERIFIED');
  t.regex(result.summary, /insecure-skip-tls-verify is true/);
  t.notRegex(result.summary, /not set/);
});

const kubectl = kubectlPath();
testWithTool('kubectl', kubectl)('kubectl 1.32 refuses the same kubeconfigs with the same words', async (t) => {
  const dir = tempDir(t);
  const ca = Buffer.from(await caPem()).toString('base64');
  const cases = [
    kubeconfig({ 'insecure-skip-tls-verify': true, 'certificate-authority-data': ca }),
    kubeconfig({ 'insecure-skip-tls-verify': 'true' }),
    kubeconfig({}, [{ 'insecure-skip-tls-verify': 'false' }]),
  ];
  for (const [i, text] of cases.entries()) {
    const file = join(dir, `config-${i}`);
    writeFileSync(file, text);
    const ours = t.throws(() => parseKubeconfig(text, file), { instanceOf: KubeMtlsSimError });
    const real = run(kubectl ?? 'kubectl', ['--kubeconfig', file, '--cache-dir', join(dir, 'cache'), '--request-timeout', '2s', 'get', 'pods']);
    t.not(real.status, 0);
    t.is(real.stderr.trim(), `error: ${ours.goMessage}`, `case ${i}`);
  }
});
