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
import { generatePki, fixedClock, ERROR_CODES } from 'kube-mtls-sim';
const pki = await generatePki({ clock: fixedClock('2026-01-01T00:00:00Z') });
if (pki.certs.size < 10 || !ERROR_CODES.ERR_PEM_SWITCHED) throw new Error('unexpected package contents');
console.log(`check-pack: ${pki.certs.size} certificates from the installed package`);
JS
node use.mjs
npx --no-install kube-mtls-sim pki write "$work/node" --now 2026-01-01T00:00:00Z >/dev/null
npx --no-install kube-mtls-sim pki inspect "$work/node" --now 2026-01-02T00:00:00Z >/dev/null
echo "check-pack: the bin wrote and inspected a kubeadm layout"
