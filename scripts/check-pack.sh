#!/usr/bin/env bash
# Packs the library as npm would publish it, installs the tarball into an empty project and uses it
# from plain Node 20 (no tsx): the ESM entry, the type declarations and the kube-mtls-sim bin.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
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
npx --no-install kube-mtls-sim pki write "$work/node" --now 2026-01-01T00:00:00Z >/dev/null
npx --no-install kube-mtls-sim pki inspect "$work/node" --now 2026-01-02T00:00:00Z >/dev/null
npx --no-install kube-mtls-sim scenario kubelet-to-apiserver reference-apiserver-to-etcd --now 2026-01-01T00:00:00Z >/dev/null
echo "check-pack: the bin wrote and inspected a kubeadm layout and ran two scenarios"
