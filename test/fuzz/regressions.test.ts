/**
 * The minimal counterexamples the property-based tests of test/fuzz found, kept as plain tests so
 * each stays fixed whatever the fuzzers' seed or run count.
 */
import test from 'ava';
import { setImmediate } from 'node:timers/promises';
import { isKubeMtlsSimError, type ErrorCode } from '../../lib/errors.js';
import { parseKubeconfig } from '../../lib/kubeconfig/parse.js';
import { parseKubeletConfiguration } from '../../lib/kubeletconfig/config.js';
import { toPem } from '../../lib/pki/issue.js';
import { readCertificates } from '../../lib/pki/pem.js';
import { certificateIdentifier } from '../../lib/x509/go-verify.js';
import { pkiFor } from '../helpers/pki.js';

function typed(t: import('ava').ExecutionContext, run: () => unknown, code: ErrorCode, field: string): void {
  const error = t.throws(run);
  t.true(isKubeMtlsSimError(error, code), `${error?.name}: ${error?.message}`);
  t.is((error as { field?: string }).field, field);
}

const kubeletConfig = (apiVersion: string) => `apiVersion:${apiVersion}\nkind: KubeletConfiguration\n`;

test('kubelet config: an apiVersion that is a mapping with a `toString` key is ERR_KUBELET_CONFIG, not a TypeError', (t) => {
  typed(t, () => parseKubeletConfiguration(kubeletConfig('\n  toString: false'), 'config.yaml'), 'ERR_KUBELET_CONFIG', 'apiVersion');
});

test('kubelet config: a kind that is a list or missing names what it is', (t) => {
  const list = t.throws(() => parseKubeletConfiguration('kind: [a]\n', 'config.yaml'));
  t.regex(list!.message, /`kind`: is a list, expected "KubeletConfiguration"/);
  const missing = t.throws(() => parseKubeletConfiguration('apiVersion: v1\n', 'config.yaml'));
  t.regex(missing!.message, /`kind`: is not set, expected "KubeletConfiguration"/);
});

const kubeconfig = (currentContext: string, cluster: string) => [
  'apiVersion: v1', 'kind: Config',
  'clusters:', '- name: c', '  cluster:', '    server: https://10.0.0.10:6443',
  'users:', '- name: u', '  user:', '    token: abc',
  'contexts:', '- name: ctx', '  context:', `    cluster:${cluster}`, '    user: u',
  `current-context:${currentContext}`, '',
].join('\n');

test('kubeconfig: a context whose cluster is a mapping is ERR_KUBECONFIG_FIELD, not a TypeError', (t) => {
  typed(t, () => parseKubeconfig(kubeconfig(' ctx', '\n      toString: 0'), 'admin.conf'), 'ERR_KUBECONFIG_FIELD', 'contexts[0].context.cluster');
});

test('kubeconfig: a current-context that is a mapping is ERR_KUBECONFIG_FIELD, not a TypeError', (t) => {
  typed(t, () => parseKubeconfig(kubeconfig('\n  toString: 0', ' c'), 'admin.conf'), 'ERR_KUBECONFIG_FIELD', 'current-context');
});

test('kubeconfig and kubelet config: an unknown YAML tag prints no Node warning', async (t) => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  t.throws(() => parseKubeconfig('!piVersion: v1\n', 'admin.conf'));
  t.throws(() => parseKubeletConfiguration('!ze.=xq\n', 'config.yaml'));
  await setImmediate(); // process.emitWarning reports on the next tick
  t.deepEqual(warnings.map((w) => w.message), []);
});

test('a certificate whose notBefore UTCTime does not parse is ERR_CERT_PARSE, not a RangeError when it is shown', async (t) => {
  const der = Buffer.from((await pkiFor()).certs.get('apiserver')!.cert.der);
  const utcTime = der.indexOf(Buffer.from([0x17, 0x0d])); // notBefore: UTCTime, 13 bytes (YYMMDDhhmmssZ)
  der[utcTime + 2] = '?'.charCodeAt(0); // "?51231235500Z": Node still parses the certificate ("Bad time value")
  const error = t.throws(() => readCertificates(toPem('CERTIFICATE', der), { file: 'apiserver.crt' }));
  t.true(isKubeMtlsSimError(error, 'ERR_CERT_PARSE'), `${error?.name}: ${error?.message}`);
  t.regex(error!.message, /apiserver\.crt: certificate #1 does not parse as X\.509 \(its notBefore time does not parse \(Bad time value\)\)/);
});

test('a certificate with a negative serial number has a negative SN in its identifier, not a SyntaxError', async (t) => {
  const der = Buffer.from((await pkiFor()).certs.get('apiserver')!.cert.der);
  const serial = der.indexOf(Buffer.from([0x02, 0x08])); // serialNumber: INTEGER, 8 bytes
  der[serial + 2] = 0x80; // the sign bit: Node still parses the certificate
  const [cert] = readCertificates(toPem('CERTIFICATE', der), { file: 'apiserver.crt' });
  t.regex(certificateIdentifier(cert!), /^SN=-\d+, SKID=/);
});

test('kubeconfig: a context without a user, beside a null `users` item, is ERR_KUBECONFIG_REF, not a TypeError', (t) => {
  const text = kubeconfig(' ctx', ' c').replace('    user: u\n', '').replace('users:\n', 'users:\n- null\n');
  typed(t, () => parseKubeconfig(text, 'admin.conf'), 'ERR_KUBECONFIG_REF', 'contexts[0].context.user');
});
