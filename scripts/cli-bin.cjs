#!/usr/bin/env node
'use strict';
// The kube-mtls-sim bin (copied to dist/cli.cjs by scripts/bundle.mjs). It runs the CLI bundle,
// dist/cli-bundle.cjs, as Node would run it as a CommonJS module, with a V8 code cache: compiling the
// 1.8 MB bundle is a good part of a short command's start-up, and Node 20 has no compile cache of its
// own (module.enableCompileCache came in Node 22). The cache is an optimisation only:
// - it lives in a per-user folder (below $XDG_CACHE_HOME or ~/.cache, made 0700, used only when it
//   is owned by this user and writable by no one else), and nothing is ever written elsewhere;
// - an entry is keyed by Node's version, the architecture, the bundle's path, size and time, and the
//   command (each command compiles its own part of the bundle); V8 refuses data of another V8 or
//   flags, and a checksum refuses a damaged entry (V8 would crash on one);
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

const hash = (data) => createHash('sha256').update(data).digest();

/** Entries are named <bundle location>-<bundle build, Node, arch>-<command>.bin. */
function cacheEntry(dir, stat) {
  const command = /^[a-z]+$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const location = hash(bundle).toString('hex').slice(0, 16);
  const build = hash(JSON.stringify([process.version, process.arch, stat.size, stat.mtimeMs])).toString('hex').slice(0, 16);
  return { dir, location, build, file: path.join(dir, `${location}-${build}-${command}.bin`) };
}

/**
 * The cached data, or undefined. An entry is the SHA-256 of the data, then the data: V8 checks the
 * data's header (its version, flags, the source's length) but not the bytes after it, and a
 * truncated or damaged entry would crash the process, so the bytes are checked here first.
 */
function readCache(file) {
  try {
    const entry = fs.readFileSync(file);
    const data = entry.subarray(32);
    return entry.length > 32 && hash(data).equals(entry.subarray(0, 32)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Written to a file of its own, then renamed over the entry: a reader sees a whole entry or none.
 * Entries of earlier builds of the same bundle (an upgrade, a rebuild) are removed.
 */
function writeCache(entry, data) {
  const temporary = `${entry.file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, Buffer.concat([hash(data), data]), { mode: 0o600 });
    fs.renameSync(temporary, entry.file);
    for (const name of fs.readdirSync(entry.dir)) {
      if (name.startsWith(`${entry.location}-`) && !name.startsWith(`${entry.location}-${entry.build}-`) && name.endsWith('.bin')) fs.unlinkSync(path.join(entry.dir, name));
    }
  } catch {
    try {
      fs.unlinkSync(temporary);
    } catch {
      // nothing was left behind
    }
  }
}

// The build keeps the bundle ASCII (scripts/bundle.mjs): read as latin1, the same string, made
// without decoding UTF-8 (a third of reading it). Anything else is decoded as UTF-8, as before.
const bytes = fs.readFileSync(bundle);
const source = require('node:buffer').isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
let entry;
let cachedData;
try {
  const dir = cacheDir();
  if (dir) {
    entry = cacheEntry(dir, fs.statSync(bundle));
    cachedData = readCache(entry.file);
  }
} catch {
  entry = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (entry && (cachedData === undefined || script.cachedDataRejected)) {
  // At exit the functions this command ran are compiled too, and go into the cache with the rest.
  process.once('exit', () => {
    try {
      writeCache(entry, script.createCachedData());
    } catch {
      // no cache this time
    }
  });
}
// The bundle requires only Node's built-in modules (everything else is inside it).
const bundleModule = { exports: {}, id: bundle, filename: bundle, loaded: false };
const run = script.runInThisContext({ displayErrors: true });
run.call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, __dirname);
