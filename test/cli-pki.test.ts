import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { tempDir } from './helpers/tools.js';
import { cli } from './helpers/cli.js';

const NOW = '2026-01-01T00:00:00Z';

test('pki write then pki inspect: every certificate passes its checks, residual times at --now', async (t) => {
  const dir = join(tempDir(t), 'node');
  const write = await cli(['pki', 'write', dir, '--now', NOW, '--node-name', 'cp-1', '--advertise-address', '192.168.1.10']);
  t.is(write.status, 0, write.stderr);
  t.regex(write.stdout, /wrote .*\/etc\/kubernetes\/pki\/apiserver.key \(600\)/);
  t.is(lstatSync(join(dir, 'etc/kubernetes/pki/apiserver.key')).mode & 0o777, 0o600);
  const inspect = await cli(['pki', 'inspect', dir, '--now', '2026-07-01T00:00:00Z']);
  t.is(inspect.status, 0, inspect.stdout);
  t.regex(inspect.stdout, /^apiserver\s+Jan 01, 2027 00:00 UTC\s+184d\s+ca$/m);
  t.regex(inspect.stdout, /^apiserver-etcd-client\s+Jan 01, 2027 00:00 UTC\s+184d\s+etcd-ca$/m);
  t.regex(inspect.stdout, /^etcd-ca\s+Dec 30, 2035 00:00 UTC\s+9y$/m);
  t.regex(inspect.stdout, /SANs\s+DNS:cp-1, DNS:kubernetes, .*IP:192.168.1.10/);
  t.notRegex(inspect.stdout, /FAIL/);
});

test('pki inspect --json reports an expired certificate and a broken key as failing checks', async (t) => {
  const dir = tempDir(t);
  t.is((await cli(['pki', 'write', dir, '--now', NOW, '--preset', 'reference'])).status, 0);
  // Put another key beside the apiserver cert.
  writeFileSync(join(dir, 'var/lib/kubernetes/kube-apiserver-key.pem'), readFileSync(join(dir, 'var/lib/kubernetes/kube-apiserver-etcd-client-key.pem')));
  const inspect = await cli(['pki', 'inspect', dir, '--now', '2027-06-01T00:00:00Z', '--json']);
  t.is(inspect.status, 1);
  const report = JSON.parse(inspect.stdout);
  t.is(report.preset, 'reference');
  const apiserver = report.rows.find((r: { name: string }) => r.name === 'kube-apiserver');
  t.like(apiserver.checks, { chain: { ok: false, reason: 'CERT_HAS_EXPIRED' }, key: { ok: false, reason: 'KEY_MISMATCH' }, eku: { ok: true } });
  const ca = report.rows.find((r: { name: string }) => r.name === 'cluster-root-ca');
  t.like(ca.checks, { chain: { ok: true }, key: { ok: true } });
});

test('bad input: unknown algorithm, unknown preset, existing files, missing DIR — typed errors, exit 1 or 2', async (t) => {
  const dir = tempDir(t);
  const algo = await cli(['pki', 'write', dir, '--algo', 'dsa-1024']);
  t.is(algo.status, 2); // a bad flag value is a usage error (issue 9), with the flag's own code
  t.regex(algo.stderr, /\[ERR_ALGORITHM_UNKNOWN\] `--algo`: "dsa-1024" is not ecdsa-p256,/);
  const preset = await cli(['pki', 'write', dir, '--preset', 'kind']);
  t.regex(preset.stderr, /\[ERR_PRESET_UNKNOWN\]/);
  t.is((await cli(['pki', 'write', dir, '--now', NOW])).status, 0);
  const again = await cli(['pki', 'write', dir, '--now', NOW]);
  t.is(again.status, 1);
  t.regex(again.stderr, /\[ERR_FILE_EXISTS\] refusing to overwrite/);
  t.is((await cli(['pki', 'write', dir, '--now', NOW, '--force'])).status, 0);
  const missing = await cli(['pki', 'inspect']);
  t.is(missing.status, 2);
  t.regex(missing.stderr, /\[ERR_USAGE\] pki inspect: missing DIR/);
  const flag = await cli(['pki', 'write', dir, '--colour']);
  t.is(flag.status, 2);
  t.regex(flag.stderr, /Unknown option '--colour'/);
  const now = await cli(['pki', 'write', dir, '--now', 'yesterday']);
  t.regex(now.stderr, /`--now`: "yesterday" is not a date/);
  const nowhere = await cli(['pki', 'inspect', join(dir, 'nope')]);
  t.is(nowhere.status, 1);
  t.regex(nowhere.stderr, /\[ERR_FILE_NOT_FOUND\]/);
});
