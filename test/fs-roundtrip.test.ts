import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { startServe } from '../lib/cli/serve.js';
import { ApiClient } from '../lib/clients/api-client.js';
import { readKubeconfigFile } from '../lib/kubeconfig/parse.js';
import { generateKey, type KeyMaterial, type KeySource } from '../lib/pki/keys.js';
import { writeLayout } from '../lib/layout/layout.js';
import { generatePki } from '../lib/layout/generate.js';
import { manifestFile } from '../lib/layout/manifest.js';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../lib/pki/types.js';
import { CLOCK_TIME, clock } from './helpers/pki.js';
import { tempDir } from './helpers/tools.js';
import { cli } from './helpers/cli.js';

/**
 * issue 9: `pki write DIR` → `serve DIR` → `pki inspect DIR` → `serve DIR` again, for both presets
 * and every key algorithm, and on a copy made with `cp -rL`. Before, the second step failed with
 * ERR_PEM_EMPTY on kubelet-client-current.pem (the reader took the symlink, not its target).
 *
 * RSA-4096 keys cost seconds each: this file draws two keys per algorithm (one for the CAs, one
 * for everything else, so a key mix-up between a CA and its leaves still shows) and reuses them.
 */
const twoKeys = new Map<string, Promise<KeyMaterial>>();
const cheapKeys: KeySource = {
  reusesKeys: true,
  get(algorithm: KeyAlgorithm, slot: string) {
    const id = `${algorithm}/${/(^|\/|-)ca$/.test(slot) ? 'ca' : 'leaf'}`;
    let key = twoKeys.get(id);
    if (!key) twoKeys.set(id, (key = generateKey(algorithm)));
    return key;
  },
};

/** Starts `serve DIR`, asks GET /version with the admin kubeconfig it wrote (as kubectl would), and stops. */
async function serveAndAsk(t: ExecutionContext, dir: string): Promise<void> {
  const { cluster, kubeconfigs } = await startServe([dir, '--now', CLOCK_TIME], () => {});
  t.teardown(() => cluster.stop());
  const admin = readKubeconfigFile(kubeconfigs[0]!);
  t.truthy(admin.clientCert && admin.clientKey && admin.ca, `${kubeconfigs[0]} has a client certificate, key and CA`);
  const client = new ApiClient({
    port: Number(new URL(admin.server).port),
    serverName: admin.tlsServerName ?? 'kubernetes',
    roots: admin.ca!.certs,
    clock,
    cert: { certPem: admin.clientCert!.certs.map((c) => c.pem).join(''), keyPem: admin.clientKey!.key.keyObject.export({ type: 'pkcs8', format: 'pem' }) as string },
  });
  const version = await client.request('GET', '/version');
  t.is(version.status, 200, version.body);
  t.like(version.json(), { major: '1' });
  const whoami = await client.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  t.is(whoami.status, 201, whoami.body);
  t.regex(whoami.body, /"username":"kubernetes-admin"/);
  t.is(lstatSync(kubeconfigs[0]!).mode & 0o777, 0o600);
  await cluster.stop();
}

async function inspectPasses(t: ExecutionContext, dir: string): Promise<void> {
  const inspect = await cli(['pki', 'inspect', dir, '--now', CLOCK_TIME, '--json']);
  const report = JSON.parse(inspect.stdout) as { problems: unknown[]; rows: { name: string; checks: Record<string, { ok: boolean }> }[] };
  t.deepEqual(report.problems, [], `pki inspect ${dir}: problems`);
  t.deepEqual(report.rows.filter((r) => Object.values(r.checks).some((c) => !c.ok)).map((r) => r.name), [], `pki inspect ${dir}: failing rows`);
  t.is(inspect.status, 0, inspect.stderr);
}

for (const preset of ['kubeadm', 'reference'] as const) {
  for (const algorithm of KEY_ALGORITHMS) {
    test(`${preset}, ${algorithm}: pki write → serve → pki inspect → serve again, and the same on a cp -rL copy`, async (t) => {
      const dir = join(tempDir(t), 'node');
      const pki = await generatePki({ clock, preset, algorithm, keys: cheapKeys, keyNamespace: `fs-roundtrip-${preset}` });
      writeLayout([...pki.files, manifestFile(pki)], dir); // what `pki write` does, with cheap keys
      await serveAndAsk(t, dir);
      await inspectPasses(t, dir);
      await serveAndAsk(t, dir);
      const copy = join(tempDir(t), 'copy');
      const cp = spawnSync('cp', ['-rL', dir, copy], { encoding: 'utf8' });
      t.is(cp.status, 0, cp.stderr);
      t.is(spawnSync('find', [copy, '-type', 'l'], { encoding: 'utf8' }).stdout, '', 'cp -rL left no symlink');
      if (preset === 'kubeadm') t.true(lstatSync(join(copy, 'var/lib/kubelet/pki/kubelet-client-current.pem')).isFile());
      await serveAndAsk(t, copy);
      await inspectPasses(t, copy);
    });
  }
}

test('the documented lab flow through the CLI itself: pki write DIR, then serve DIR (twice)', async (t) => {
  const dir = join(tempDir(t), 'lab');
  const write = await cli(['pki', 'write', dir, '--now', CLOCK_TIME]);
  t.is(write.status, 0, write.stderr);
  await serveAndAsk(t, dir);
  await serveAndAsk(t, dir);
});
