import test from 'ava';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Start-up is most of a short program's time: importing the package loads neither its third-party
// parsers (yaml, @peculiar's ASN.1 schemas and x509) nor the cluster runtime; each loads when it is
// first used. Measured in a fresh process, whose module caches only this import filled.
const INDEX = fileURLToPath(new URL('../lib/index.ts', import.meta.url));

// Lists, after `body` ran, the third-party CommonJS modules loaded and the package's own modules resolved.
function loadedAfter(body: string): { thirdParty: number; own: string[] } {
  const script = `
    import { createRequire, register } from 'node:module';
    import { MessageChannel } from 'node:worker_threads';
    const { port1, port2 } = new MessageChannel();
    const own = new Set();
    port1.on('message', (url) => own.add(url.replace(/^.*\\/lib\\//, '')));
    register('data:text/javascript,' + encodeURIComponent('let p; export function initialize(d) { p = d.port; } export async function resolve(s, c, n) { const r = await n(s, c); if (r.url.includes("/lib/")) p.postMessage(r.url); return r; }'), { data: { port: port2 }, transferList: [port2] });
    const api = await import(${JSON.stringify(INDEX)});
    ${body}
    await new Promise((done) => setImmediate(done));
    port1.close();
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ thirdParty: cache.filter((k) => /node_modules[\\\\/](yaml|@peculiar|reflect-metadata)[\\\\/]/.test(k)).length, own: [...own].sort() }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as { thirdParty: number; own: string[] };
}

test('importing the package loads no third-party parser and no cluster runtime', (t) => {
  const loaded = loadedAfter('');
  t.is(loaded.thirdParty, 0);
  t.true(loaded.own.includes('index.ts'), 'the probe sees the package');
  for (const runtime of ['cluster/cluster.ts', 'endpoints/apiserver.ts', 'clients/dial.ts', 'layout/generate.ts', 'scenarios/run.ts']) {
    t.false(loaded.own.includes(runtime), runtime);
  }
});

test('what a call needs loads at that call', (t) => {
  // A kubeadm PKI is now written without any third-party parser (certificates by der-x509.ts, kubeconfigs
  // and the KubeletConfiguration by plain-yaml.ts); a kubeconfig with a comment needs yaml, at that call.
  const generated = loadedAfter(`await api.generatePki({ clock: api.fixedClock('2026-01-01T00:00:00Z') });`);
  t.true(generated.own.includes('layout/generate.ts'));
  const loaded = loadedAfter(`try { api.parseKubeconfig('# a comment\\napiVersion: v1\\nkind: Config\\n', '/k.conf'); } catch {}`);
  t.true(loaded.thirdParty > 0);
  t.true(loaded.own.includes('kubeconfig/parse.ts'));
});
