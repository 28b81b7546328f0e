#!/usr/bin/env bash
# Packs the library as npm would publish it, installs the tarball into an empty project and uses it
# from plain Node 20 (no tsx): the ESM entry, the type declarations and the kube-mtls-sim bin. The
# tarball is linted as consumers resolve it (publint, @arethetypeswrong/cli), its declarations are
# compiled by a strict consumer without the DOM lib, and the README's plain-JavaScript example runs.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
# The exports map and files as published; ESM-only by design (Node >= 20.19), so CommonJS `require`
# and node10 resolution are not targets.
npx --no-install publint run "$work/$tarball" >/dev/null || { npx --no-install publint run "$work/$tarball" >&2; exit 1; }
npx --no-install attw "$work/$tarball" --profile esm-only --format ascii >/dev/null || { npx --no-install attw "$work/$tarball" --profile esm-only --format ascii >&2; exit 1; }
tsc="$repo/node_modules/.bin/tsc"
readme_js="$(awk '/^```js$/ { inside = 1; next } /^```$/ { inside = 0 } inside' README.md)"
test -n "$readme_js" || { echo "check-pack: no \`\`\`js block in README.md" >&2; exit 1; }
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "./$tarball" >/dev/null
test -f node_modules/kube-mtls-sim/dist/lib/index.d.ts || { echo "check-pack: no type declarations in the package" >&2; exit 1; }
if find node_modules/kube-mtls-sim -name '*.ts' ! -name '*.d.ts' | grep -q .; then echo "check-pack: TypeScript sources shipped" >&2; exit 1; fi
cat > use.mjs <<'JS'
import { generatePki, defineCluster, fixedClock, ERROR_CODES, generateBootstrapToken, kubeadmBootstrapToken } from 'kube-mtls-sim';
import { SCENARIOS } from 'kube-mtls-sim/scenarios';
const clock = fixedClock('2026-01-01T00:00:00Z');
const pki = await generatePki({ clock });
if (pki.certs.size < 10 || !ERROR_CODES.ERR_PEM_SWITCHED || SCENARIOS.length < 14) throw new Error('unexpected package contents');
const cluster = await defineCluster({ clock, pki }).start();
const results = await cluster.dialAll();
// joinNodes runs kubelets on a worker thread: its worker module must ship and load in plain Node.
const token = generateBootstrapToken('check-pack');
cluster.addBootstrapToken(kubeadmBootstrapToken(token, clock.now()));
const joined = await cluster.joinNodes(['pack-node'], token, { request: { method: 'GET', path: '/api/v1/nodes/{node}' } }).finally(() => cluster.stop());
if (joined[0]?.firstRequest?.status !== 200) throw new Error(`joinNodes: ${JSON.stringify(joined[0]).slice(0, 300)}`);
console.log(`check-pack: ${pki.certs.size} certificates, ${SCENARIOS.length} scenarios, edges: ${results.map((r) => r.verdict).join(' ')}, a node joined on a worker thread`);
JS
node use.mjs

# A TypeScript consumer as strict as can be: its own lib (no DOM), skipLibCheck off, every type a
# public signature uses named through the package (none reached through @peculiar's declarations).
mkdir consumer
cat > consumer/tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "lib": ["ES2023"], "module": "NodeNext", "moduleResolution": "NodeNext",
  "types": ["node"], "typeRoots": ["$repo/node_modules/@types"], "strict": true, "skipLibCheck": false, "noEmit": true },
  "files": ["use.ts"] }
JSON
cat > consumer/use.ts <<'TS'
import { defineCluster, explain, fixedClock, type ClientComponent, type ControlPlaneSpec, type EdgeResult, type Explanation, type FileChanges, type FlagOverrides, type KubeletConfigOverrides, type Lang, type ParsedCertificate } from 'kube-mtls-sim';
import { SCENARIOS } from 'kube-mtls-sim/scenarios';
export const flags: FlagOverrides = { '--anonymous-auth': 'true' };
export const kubelet: KubeletConfigOverrides = { authentication: { anonymous: { enabled: true } } };
export const files: FileChanges = {};
export const client: ClientComponent = 'kubectl';
export type Spec = ControlPlaneSpec;
export const explained = (r: EdgeResult, lang: Lang): Explanation => explain(r, lang);
export const subject = (p: ParsedCertificate): string => p.subject;
export const definition = defineCluster({ clock: fixedClock('2026-01-01T00:00:00Z'), apiserver: flags, kubelet });
export const scenarios = SCENARIOS.length;
TS
ln -s ../node_modules consumer/node_modules
"$tsc" -p consumer/tsconfig.json || { echo "check-pack: the package's declarations do not compile for a strict consumer (lib ES2023, skipLibCheck false)" >&2; exit 1; }

# The README's plain-JavaScript example, as a Node 20 user would paste it.
printf '%s\n' "$readme_js" > readme.mjs
readme_out="$(node readme.mjs 2>/dev/null)"
test "$readme_out" = "rejected authn UNKNOWN_AUTHORITY" || { echo "check-pack: README example printed \"$readme_out\"" >&2; exit 1; }
npx --no-install kube-mtls-sim pki write "$work/node" --now 2026-01-01T00:00:00Z >/dev/null
npx --no-install kube-mtls-sim pki inspect "$work/node" --now 2026-01-02T00:00:00Z >/dev/null
npx --no-install kube-mtls-sim scenario kubelet-to-apiserver reference-apiserver-to-etcd --now 2026-01-01T00:00:00Z >/dev/null
echo "check-pack: the bin wrote and inspected a kubeadm layout and ran two scenarios; publint, attw (esm-only), a strict consumer's tsc and the README's plain-JS example pass"
