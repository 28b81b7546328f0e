// Bundles the compiled package (npm run build, after tsc). A short command's time is mostly
// start-up, and most of start-up was resolving, reading and compiling modules one by one:
// - the CLI: dist/lib/cli/main.js and every module it may load, our ~300 and yaml's and @peculiar's
//   ~150, in one CommonJS file, dist/cli-bundle.cjs, which the bin (dist/cli.cjs, a copy of
//   scripts/cli-bin.cjs) runs with a V8 code cache;
// - the library: the two exports ("." and "./scenarios") as ES modules in dist/bundle/, our modules
//   only (dependencies stay packages of their own, shared with the user's), split where the package
//   loads on use (lib/load-on-use.ts), so `import 'kube-mtls-sim'` reads a few files instead of ~45
//   and still loads no cluster runtime. The declarations stay dist/lib's.
// dist/lib stays whole: the kubelet fleet's worker thread runs dist/lib/kubelet/fleet-worker.js.
//
// Plain JavaScript run by node, not tsx: it runs from `npm run build` (and so from prepack).
//   node scripts/bundle.mjs [DIST]   DIST: tsc's output folder (default dist/; a test uses its own)
import { build } from 'esbuild';
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const posix = (path) => path.split(sep).join('/');

/**
 * Inside a bundle each module keeps the import.meta.url it has in dist/, computed when it runs from
 * where the bundle is: createRequire, the kubelet fleet's worker file and the lookup of package.json
 * then resolve as they do unbundled. `replacement(file)` gives the expression for dist/`file`.
 */
const importMetaAsInDist = (replacement) => ({
  name: 'import-meta-as-in-dist',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      return { contents: source.includes('import.meta') ? replacement(posix(relative(dist, args.path)), source) : source, loader: 'js' };
    });
  },
});

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // The dependencies are the repository's, wherever DIST is.
  nodePaths: [join(root, 'node_modules')],
  legalComments: 'linked',
  logLevel: 'warning',
};

// CommonJS has no import.meta: each module's becomes one made from the bundle's __dirname.
const cliBanner = `"use strict";
const __kubeMtlsSimImportMeta = (file) => {
  const url = require("node:url").pathToFileURL(require("node:path").join(__dirname, file)).href;
  return { url, resolve: (specifier) => require("node:url").pathToFileURL(require("node:module").createRequire(url).resolve(specifier)).href };
};`;
const cli = await build({
  ...common,
  stdin: { contents: "import { runCli } from './lib/cli/main.js';\nvoid runCli();\n", resolveDir: dist, sourcefile: 'cli-entry.js', loader: 'js' },
  outfile: join(dist, 'cli-bundle.cjs'),
  format: 'cjs',
  // Reading and decoding the bundle is paid on every run (the code cache does not spare it): no
  // comments, no indentation, short local names (1.6 MB → 1.3 MB; ~25 ms less per command, measured
  // A/B). Functions and classes keep their `name` (keepNames): error classes and messages read the
  // same; only a stack trace's local frames show short names.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  keepNames: true,
  // lib/util/lazy.ts: inside the CLI bundle, a lazily loaded dependency comes from the bundle.
  define: { KUBE_MTLS_SIM_BUNDLE: 'true' },
  banner: { js: cliBanner },
  plugins: [importMetaAsInDist((file, source) => source.replaceAll('import.meta', `__kubeMtlsSimImportMeta(${JSON.stringify(file)})`))],
});

// ES modules keep import.meta (and its resolve); only its url moves, relative to the bundle's folder.
const library = await build({
  ...common,
  entryPoints: { index: join(dist, 'lib/index.js'), scenarios: join(dist, 'scenarios/index.js') },
  outdir: join(dist, 'bundle'),
  format: 'esm',
  splitting: true,
  packages: 'external',
  plugins: [importMetaAsInDist((file, source) => source.replaceAll('import.meta.url', `new URL(${JSON.stringify(`../${file}`)}, import.meta.url).href`))],
});

if ([cli, library].some((r) => r.errors.length > 0 || r.warnings.length > 0)) process.exit(1);
// The bin reads an ASCII bundle as a one-byte string, several times faster than decoding UTF-8
// (esbuild escapes strings, not regular expressions: write those with \u escapes).
const nonAscii = readFileSync(join(dist, 'cli-bundle.cjs'), 'latin1').search(/[^\x00-\x7f]/);
if (nonAscii >= 0) {
  console.error(`bundle: dist/cli-bundle.cjs has a non-ASCII character at offset ${nonAscii}: escape it in the source`);
  process.exit(1);
}
copyFileSync(join(root, 'scripts/cli-bin.cjs'), join(dist, 'cli.cjs'));
