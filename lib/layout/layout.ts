import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseYaml } from '../util/lazy.js';
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import { fsError, pathExists, readFileTyped, readInRoot, resolveInRoot } from '../fs/read.js';
import { writeFilesSafely, type FileToWrite } from '../fs/write.js';
import { stringifyKubeconfig } from '../kubeconfig/build.js';
import { parseKubeletConfiguration, stringifyKubeletConfiguration, type KubeletConfiguration } from '../kubeletconfig/config.js';
import type { IssuedCert } from '../pki/issue.js';
import type { FileKind, PkiFile } from './layout-files.js';
import { parsePem, readCertificates, readPrivateKey, type ReadKey } from '../pki/pem.js';
import { PRESETS } from '../pki/presets/index.js';
import type { PresetName } from '../pki/types.js';
import { goStringOrder } from '../util/order.js';

export interface WriteLayoutOptions {
  /**
   * Replace files that already exist (a symlink where a file goes is replaced, never written
   * through), and make folders on the way that group or others can write 0700.
   * @default false: like kubeadm, never clobber existing credentials
   */
  overwrite?: boolean;
}

/**
 * Writes files under `root` at their node paths (`<root>/etc/kubernetes/pki/ca.crt`, …): folders
 * 0700, private keys and kubeconfigs 0600, certificates 0644. Every target is checked first and
 * every file goes through a temporary file and a rename (see writeFilesSafely), so a refused or
 * failed write leaves nothing half-written and nothing is ever written outside `root`.
 */
export function writeLayout(files: readonly PkiFile[], root: string, options: WriteLayoutOptions = {}): string[] {
  return writeFilesSafely(root, files.map((f): FileToWrite => (f.kind === 'symlink'
    ? { path: f.path, link: f.target }
    : { path: f.path, contents: f.contents, mode: f.mode })), { overwrite: options.overwrite === true });
}

/** One file of a layout folder, parsed according to what it holds. */
export interface LayoutEntry {
  /** Path on the node, e.g. `/etc/kubernetes/pki/ca.crt`. */
  path: string;
  /** Path on disk. */
  file: string;
  kind: FileKind | 'symlink' | 'unknown';
  mode: number;
  certs?: IssuedCert[];
  key?: ReadKey;
  publicKey?: string;
  kubeconfig?: Record<string, unknown>;
  kubeletConfig?: KubeletConfiguration;
  token?: string;
  target?: string;
  /** For a symlink: the node path it leads to, resolved inside the folder (absolute targets taken relative to it, as on the node). */
  resolved?: string;
  /** The file's bytes; for a symlink, its target's (empty when the link cannot be followed: see `problem`). */
  raw: Buffer;
  /** Why the file could not be read as what it looks like. */
  problem?: KubeMtlsSimError;
}

export interface Layout {
  root: string;
  /** The preset whose files are present, or null for a folder of another shape. */
  preset: PresetName | null;
  entries: LayoutEntry[];
}

/** The preset whose CA and server certificate files are all present under `root`. */
export function detectPreset(root: string): PresetName | null {
  for (const preset of Object.values(PRESETS)) {
    const markers = preset.certs.filter((r) => r.files.kind === 'pair' && (r.kind === 'ca' || r.role !== 'client'));
    if (markers.every((r) => r.files.kind === 'pair' && pathExists(join(root, r.files.cert)))) return preset.name;
  }
  return null;
}

/** Reads every file under `root` and parses it by content; unreadable files carry a typed `problem`. */
export function readLayout(root: string): Layout {
  const rootStat = statOrThrow(root);
  if (!rootStat.isDirectory()) throw new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${root}: not a folder`, { file: root });
  const entries: LayoutEntry[] = [];
  for (const file of walk(root)) {
    const stat = lstatSync(file);
    const path = `/${relative(root, file).split(sep).join('/')}`;
    const mode = stat.mode & 0o777;
    if (stat.isSymbolicLink()) {
      // kubelet-client-current.pem and its kind: what a component reads is the target, inside the folder.
      const entry: LayoutEntry = { path, file, kind: 'symlink', mode, target: readlinkSync(file), raw: Buffer.alloc(0) };
      try {
        entry.resolved = resolveInRoot(root, path);
        entry.raw = readInRoot(root, path);
      } catch (error) {
        entry.problem = asTyped(error, file);
      }
      entries.push(entry);
      continue;
    }
    let raw: Buffer;
    try {
      raw = readFileTyped(file, undefined, { noFollow: true });
    } catch (error) {
      entries.push({ path, file, kind: 'unknown', mode, raw: Buffer.alloc(0), problem: asTyped(error, file) });
      continue;
    }
    entries.push(classify({ path, file, kind: 'unknown', mode, raw }));
  }
  return { root, preset: detectPreset(root), entries };
}

function asTyped(error: unknown, file: string): KubeMtlsSimError {
  return isKubeMtlsSimError(error) ? error : fsError(file, error);
}

function statOrThrow(path: string) {
  try {
    return statSync(path); // the folder itself may be a link the user named (macOS's /tmp is one)
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `${path}: no such folder`, { file: path, cause });
    throw fsError(path, cause);
  }
}

function* walk(dir: string): Generator<string> {
  let listing;
  try {
    listing = readdirSync(dir, { withFileTypes: true });
  } catch (cause) {
    throw fsError(dir, cause);
  }
  for (const entry of listing.sort((a, b) => goStringOrder(a.name, b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function classify(entry: LayoutEntry): LayoutEntry {
  const text = entry.raw.toString('utf8');
  const source = { file: entry.file };
  try {
    if (text.includes('-----BEGIN')) {
      const labels = parsePem(entry.raw, source, 'any').map((b) => b.label);
      const hasCert = labels.includes('CERTIFICATE');
      const hasKey = labels.some((l) => l.endsWith('PRIVATE KEY'));
      if (hasCert) entry.certs = readCertificates(entry.raw, source);
      if (hasKey) entry.key = readPrivateKey(entry.raw, source);
      if (labels.includes('PUBLIC KEY')) entry.publicKey = text;
      entry.kind = hasCert && hasKey ? 'cert-and-key' : hasCert ? 'cert' : hasKey ? 'key' : labels.includes('PUBLIC KEY') ? 'public-key' : 'unknown';
      return entry;
    }
    if (JWT.test(text.trim())) {
      entry.kind = 'token';
      entry.token = text;
      return entry;
    }
    if (/^kind:\s*(Config|KubeletConfiguration)\s*$/m.test(text)) {
      const doc = parseYaml(text) as Record<string, unknown>;
      if (doc?.kind === 'Config') {
        entry.kind = 'kubeconfig';
        entry.kubeconfig = doc;
      } else {
        entry.kind = 'kubelet-config';
        entry.kubeletConfig = parseKubeletConfiguration(text, entry.file);
      }
    }
  } catch (error) {
    entry.problem = isKubeMtlsSimError(error)
      ? error
      : new KubeMtlsSimError(/^kind:\s*KubeletConfiguration\s*$/m.test(text) ? 'ERR_KUBELET_CONFIG' : 'ERR_KUBECONFIG_YAML', `${entry.file}: ${(error as Error).message.split('\n')[0]}`, { file: entry.file, cause: error });
  }
  return entry;
}

const KEY_TYPES: Record<string, 'pkcs1' | 'sec1' | 'pkcs8'> = { 'RSA PRIVATE KEY': 'pkcs1', 'EC PRIVATE KEY': 'sec1', 'PRIVATE KEY': 'pkcs8' };

/**
 * Serialises a read layout back to files from the parsed values (not the raw bytes): certificates
 * from their DER, keys re-exported in the PEM type they were read in, YAML re-stringified. Writing
 * these reproduces a generated layout byte for byte, which is what proves the reader lossless.
 */
export function exportLayout(layout: Layout): PkiFile[] {
  return layout.entries.map((e): PkiFile => {
    const owner = e.path;
    if (e.kind === 'symlink') return { kind: 'symlink', path: e.path, target: e.target!, owner };
    let contents: string;
    if (e.problem || e.kind === 'unknown') contents = e.raw.toString('utf8');
    else if (e.kind === 'kubeconfig') contents = stringifyKubeconfig(e.kubeconfig!);
    else if (e.kind === 'kubelet-config') contents = stringifyKubeletConfiguration(e.kubeletConfig!);
    else if (e.kind === 'token') contents = e.token!;
    else if (e.kind === 'public-key') contents = e.publicKey!;
    else {
      const certs = (e.certs ?? []).map((c) => c.pem).join('');
      const key = e.key ? (e.key.keyObject.export({ type: KEY_TYPES[e.key.label]!, format: 'pem' }) as string) : '';
      contents = certs + key;
    }
    return { kind: e.kind === 'unknown' ? 'cert' : e.kind, path: e.path, contents, mode: e.mode, owner };
  });
}
