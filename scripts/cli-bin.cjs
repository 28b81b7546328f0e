#!/usr/bin/env node
'use strict';
// The kube-mtls-sim bin (copied to dist/cli.cjs by scripts/bundle-cli.mjs). It runs the CLI bundle,
// dist/cli-bundle.cjs, as Node would run it as a CommonJS module, with a V8 code cache: compiling the
// 1.8 MB bundle is a good part of a short command's start-up, and Node 20 has no compile cache of its
// own (module.enableCompileCache came in Node 22). The cache is an optimisation only:
// - it lives in a per-user folder (below $XDG_CACHE_HOME or ~/.cache, made 0700, used only when it
//   is owned by this user and writable by no one else), and nothing is ever written elsewhere;
// - an entry is keyed by Node's version, the architecture, the bundle's path, size and time, and the
//   command (each command compiles its own part of the bundle); V8 refuses data of another V8 or flags;
// - any failure to read, check or write it is silent: the bundle then compiles as it would without;
// - KUBE_MTLS_SIM_CODE_CACHE=0 turns it off.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { createHash } = require('node:crypto');

const bundle = path.join(__dirname, 'cli-bundle.cjs');

/** The per-user cache folder, made if need be; undefined when there is none we can trust. */
function cacheDir() {
  if (process.env.KUBE_MTLS_SIM_CODE_CACHE === '0') return undefined;
  const home = require('node:os').homedir();
  const base = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : home ? path.join(home, '.cache') : undefined;
  if (!base) return undefined;
  const dir = path.join(base, 'kube-mtls-sim', 'v8-code-cache');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(dir);
  // Another user's or a shared folder could hold planted data: use only our own, private one.
  if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined;
  return dir;
}

function cacheFile(dir, stat) {
  const command = /^[a-z]+$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const key = createHash('sha256').update(JSON.stringify([process.version, process.arch, bundle, stat.size, stat.mtimeMs])).digest('hex').slice(0, 32);
  return path.join(dir, `${key}-${command}.bin`);
}

function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written to a file of its own, then renamed over the entry: a reader sees a whole entry or none. */
function writeCache(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, data, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.unlinkSync(temporary);
    } catch {
      // nothing was written
    }
  }
}

const source = fs.readFileSync(bundle, 'utf8');
let file;
let cachedData;
try {
  const dir = cacheDir();
  if (dir) {
    file = cacheFile(dir, fs.statSync(bundle));
    cachedData = readCache(file);
  }
} catch {
  file = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (file && (cachedData === undefined || script.cachedDataRejected)) {
  // At exit the functions this command ran are compiled too, and go into the cache with the rest.
  process.once('exit', () => {
    try {
      writeCache(file, script.createCachedData());
    } catch {
      // no cache this time
    }
  });
}
// The bundle requires only Node's built-in modules (everything else is inside it).
const bundleModule = { exports: {}, id: bundle, filename: bundle, loaded: false };
const run = script.runInThisContext({ displayErrors: true });
run.call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, __dirname);
