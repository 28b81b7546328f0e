// Bundles the CLI (npm run build, after tsc): dist/lib/cli/main.js and every module it may load,
// our ~300 and yaml's and @peculiar's ~150, into one CommonJS file, dist/cli-bundle.cjs, which the
// bin (dist/cli.cjs, from scripts/cli-bin.cjs) runs. A short command's time is mostly start-up, and
// most of start-up was resolving, reading and compiling those modules one by one. The library
// (`import 'kube-mtls-sim'`) stays the unbundled dist/lib, so importers load only what they use.
//
// Plain JavaScript run by node, not tsx: it runs from `npm run build` (and so from prepack).
//   node scripts/bundle-cli.mjs [DIST]   DIST: tsc's output folder (default dist/; a test uses its own)
import { build } from 'esbuild';
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));

// Inside the bundle each module keeps the import.meta.url it has in dist/lib, computed from the
// bundle's own folder when it runs: createRequire, the kubelet fleet's worker file and the lookup
// of package.json then resolve as they do unbundled. (CommonJS has no import.meta of its own.)
const importMetaAsInDist = {
  name: 'import-meta-as-in-dist',
  setup(b) {
    b.onLoad({ filter: /[/\\]dist[/\\].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return { contents: source, loader: 'js' };
      const at = JSON.stringify(relative(dist, args.path).split('\\').join('/'));
      return { contents: source.replaceAll('import.meta', `__kubeMtlsSimImportMeta(${at})`), loader: 'js' };
    });
  },
};

const banner = `"use strict";
const __kubeMtlsSimImportMeta = (file) => {
  const url = require("node:url").pathToFileURL(require("node:path").join(__dirname, file)).href;
  return { url, resolve: (specifier) => require("node:url").pathToFileURL(require("node:module").createRequire(url).resolve(specifier)).href };
};`;

const result = await build({
  stdin: { contents: "import { runCli } from './lib/cli/main.js';\nvoid runCli();\n", resolveDir: dist, sourcefile: 'cli-entry.js', loader: 'js' },
  outfile: join(dist, 'cli-bundle.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // lib/util/lazy.ts: inside the bundle, a lazily loaded dependency comes from the bundle.
  define: { KUBE_MTLS_SIM_BUNDLE: 'true' },
  banner: { js: banner },
  plugins: [importMetaAsInDist],
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
if (result.errors.length > 0 || result.warnings.length > 0) process.exit(1);
copyFileSync(join(root, 'scripts/cli-bin.cjs'), join(dist, 'cli.cjs'));
