import test from 'ava';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCluster } from '../lib/cluster/cluster.js';
import { checkNode } from '../lib/cluster/check-node.js';
import { writeNode } from '../lib/node/folder.js';
import { KubeMtlsSimError } from '../lib/errors.js';
import { explain } from '../lib/verdict/explain.js';
import { clock, pkiFor } from './helpers/pki.js';
import { tempDir } from './helpers/tools.js';

/**
 * Issue 14, the metrics-server addon: the front proxy (kube-apiserver → metrics-server) and the
 * scrape (metrics-server → kubelet). The scenarios check each outcome; these check what they rest on.
 */

const PKI = '/etc/kubernetes/pki';
const servingPair = { '--tls-cert-file': `${PKI}/metrics-server.crt`, '--tls-private-key-file': `${PKI}/metrics-server.key` };
const verified = { flags: servingPair, apiService: { caBundleFile: `${PKI}/ca.crt` } };

test('a cluster without the addon has no metrics-server and refuses its edges by name', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await pkiFor() }).start();
  t.false('metrics-server' in cluster.servers);
  t.is((await cluster.dialAll()).length, 7);
  await t.throwsAsync(cluster.dial('apiserver-to-metrics-server'), { instanceOf: KubeMtlsSimError, code: 'ERR_USAGE', message: /runs no metrics-server/ });
});

test('metrics-server trusts X-Remote-User only from a front-proxy certificate whose CN is allowed', async (t) => {
  const pki = await pkiFor();
  // The user the apiserver forwards is the identity: kubernetes-admin, not front-proxy-client.
  await using good = await defineCluster({ clock, pki, metricsServer: verified }).start();
  const ok = await good.dial('apiserver-to-metrics-server');
  t.like(ok, { verdict: 'ok', identity: { name: 'kubernetes-admin', method: 'requestheader' } });
  t.regex(ok.http?.body ?? '', /"kind":"NodeMetricsList"/);
  // An empty --requestheader-allowed-names accepts any certificate the request-header CA signed.
  await using anyName = await defineCluster({ clock, pki, metricsServer: verified, apiserver: { '--requestheader-allowed-names': null } }).start();
  t.like(await anyName.dial('apiserver-to-metrics-server'), { verdict: 'ok', identity: { name: 'kubernetes-admin' } });
  // metrics-server's own flag wins over what the apiserver publishes in the ConfigMap.
  await using own = await defineCluster({ clock, pki, metricsServer: { ...verified, flags: { ...servingPair, '--requestheader-allowed-names': 'aggregator' } } }).start();
  const refused = await own.dial('apiserver-to-metrics-server');
  t.like(refused, { verdict: 'rejected', stage: 'authn', reason: 'FRONT_PROXY_NOT_ALLOWED' });
  t.true(refused.messages.some((m) => m.component === 'metrics-server' && m.text.includes('x509: subject with cn=front-proxy-client is not in the allowed list')), JSON.stringify(refused.messages));
  t.regex(explain(refused, 'en').fix, /of \/etc\/kubernetes\/pki\/front-proxy-client\.crt one of the names in metrics-server --requestheader-allowed-names \(/);
  t.regex(explain(refused, 'zh').why, /X-Remote-User/);
});

test('a front-proxy certificate from another CA is refused by both authenticators: 401 with both errors', async (t) => {
  await using cluster = await defineCluster({ clock, metricsServer: verified, faults: { 'front-proxy-client': { kind: 'signed-by', issuer: 'etcd-ca' } } }).start();
  const r = await cluster.dial('apiserver-to-metrics-server');
  t.like(r, { verdict: 'rejected', stage: 'authn', detectedBy: 'server', reason: 'UNKNOWN_AUTHORITY', identity: null });
  const log = r.messages.find((m) => m.component === 'metrics-server')?.text ?? '';
  t.regex(log, /^"Unable to authenticate the request" err="\[verifying certificate SN=.* failed: x509: certificate signed by unknown authority, verifying certificate SN=.* failed: x509: certificate signed by unknown authority\]"$/);
  t.true(r.messages.some((m) => m.text.endsWith('/apis/metrics.k8s.io/v1beta1: 401')));
});

test('kube-apiserver does not start without its front-proxy client key, and says which flag', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), files: { [`${PKI}/front-proxy-client.key`]: null } }).start();
  t.like(cluster.servers['kube-apiserver'], { running: false });
  t.regex(cluster.servers['kube-apiserver'].startupError?.message ?? '', /--proxy-client-key-file/);
});

test('metrics-server scrapes the kubelet at its InternalIP, in metrics-server\'s words', async (t) => {
  await using cluster = await defineCluster({ clock, pki: await pkiFor(), metricsServer: {} }).start();
  const r = await cluster.dial('metrics-server-to-kubelet');
  t.is(r.client.dialled, 'https://10.0.0.10:10250');
  t.is(r.messages[0]?.text, '"Failed to scrape node" err="Get \\"https://10.0.0.10:10250/metrics/resource\\": tls: failed to verify certificate: x509: cannot validate certificate for 10.0.0.10 because it doesn\'t contain any IP SANs" node="control-plane"');
  t.is(r.messages[1]?.text, 'error: metrics not available yet');
  // By hostname the self-signed certificate's name matches, and its throwaway CA is what fails.
  await using byName = await defineCluster({ clock, pki: await pkiFor(), metricsServer: { flags: { '--kubelet-preferred-address-types': 'Hostname' } } }).start();
  t.like(await byName.dial('metrics-server-to-kubelet'), { verdict: 'rejected', reason: 'UNKNOWN_AUTHORITY', client: { dialled: 'https://control-plane:10250' } });
});

test('check DIR dials the front-proxy edge of a kubeadm node and finds an allowed-names mismatch in its manifest', async (t) => {
  const dir = join(tempDir(t), 'node');
  await writeNode(dir, { clock, preset: 'kubeadm' });
  const good = await checkNode(dir, clock);
  t.like(good.edges.find((e) => e.edge === 'apiserver-to-metrics-server'), { verdict: 'ok' });
  const manifest = join(dir, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('--requestheader-allowed-names=front-proxy-client', '--requestheader-allowed-names=aggregator'));
  const bad = await checkNode(dir, clock);
  const mismatch = bad.edges.find((e) => e.edge === 'apiserver-to-metrics-server')!;
  t.like(mismatch, { verdict: 'rejected', reason: 'FRONT_PROXY_NOT_ALLOWED' });
  t.regex(explain(mismatch, 'en').fix, /kube-apiserver --requestheader-allowed-names \(metrics-server reads it from ConfigMap/);
  // Without the cluster CA's key there is no metrics-server to dial: skipped, with why.
  const noKey = join(tempDir(t), 'no-key');
  cpSync(dir, noKey, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(noKey, 'etc/kubernetes/pki/ca.key'), '');
  const skipped = await checkNode(noKey, clock);
  t.false(skipped.edges.some((e) => e.edge === 'apiserver-to-metrics-server'));
  t.regex(skipped.skipped.find((s) => s.edge === 'apiserver-to-metrics-server')?.why ?? '', /--cluster-signing-key-file/);
});
