import { join } from 'node:path';
import test from 'ava';
import { startServe } from '../lib/cli/serve.js';
import { cli } from './helpers/cli.js';
import { CLOCK_TIME } from './helpers/pki.js';
import { tempDir } from './helpers/tools.js';

// `pki write DIR --flag …` then `serve DIR`: the components run with the flags written into their
// manifests (a lab breaks or fixes a node that way), not with the preset's own.
test('serve honours the flags pki write --flag wrote: --kubelet-certificate-authority alone breaks the apiserver→kubelet edge', async (t) => {
  const plain = join(tempDir(t), 'plain');
  const flagged = join(tempDir(t), 'flagged');
  t.is((await cli(['pki', 'write', plain, '--now', CLOCK_TIME])).status, 0);
  const w = await cli(['pki', 'write', flagged, '--now', CLOCK_TIME, '--flag', 'kube-apiserver:--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt']);
  t.is(w.status, 0, w.stderr);
  const a = await startServe([plain, '--now', CLOCK_TIME], () => {});
  t.teardown(async () => { await a.cluster.stop(); await a.picture.close(); });
  const b = await startServe([flagged, '--now', CLOCK_TIME], () => {});
  t.teardown(async () => { await b.cluster.stop(); await b.picture.close(); });
  t.is((await a.cluster.dial('apiserver-to-kubelet')).verdict, 'insecure');
  const broken = await b.cluster.dial('apiserver-to-kubelet');
  t.is(broken.verdict, 'rejected');
  t.is(broken.reason, 'SAN_MISMATCH');
  t.is(broken.client.trusts?.field, 'kube-apiserver --kubelet-certificate-authority');
});
