import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import { parseKubeletConfiguration } from '../kubeletconfig/config.js';
import type { FileKind } from './layout-files.js';
import type { Layout, LayoutEntry } from './layout.js';
import { parsePem, readCertificates, readPrivateKey } from '../pki/pem.js';
import { PRESETS } from '../pki/presets/index.js';
import type { Preset, PresetName } from '../pki/types.js';

/** A file a preset's layout must have, at its path on the node, and what it must hold. */
export interface ExpectedFile {
  path: string;
  /** `symlink`: the kubelet store's `-current` link, which must lead to a certificate-and-key file. */
  kind: FileKind | 'symlink';
  /** The table record (certificate, key pair, kubeconfig id or `kubelet`) it belongs to. */
  owner: string;
}

/**
 * Every fixed path `layoutFiles` writes for a preset, read off the same table. The kubelet store's
 * timestamped file is not listed: its name changes at each rotation, so its `-current` link stands for it.
 */
export function expectedFiles(preset: Preset): ExpectedFile[] {
  const files: ExpectedFile[] = [];
  for (const record of preset.certs) {
    if (record.files.kind === 'pair') {
      files.push({ path: record.files.cert, kind: 'cert', owner: record.id }, { path: record.files.key, kind: 'key', owner: record.id });
    } else if (record.files.kind === 'bundle') {
      files.push({ path: record.files.link, kind: 'symlink', owner: record.id });
    }
    if (record.kind === 'ca') for (const copy of record.copies) files.push({ path: copy, kind: 'cert', owner: record.id });
  }
  for (const pair of preset.keyPairs) {
    files.push({ path: pair.privateKey, kind: 'key', owner: pair.id }, { path: pair.publicKey, kind: 'public-key', owner: pair.id });
  }
  for (const kc of preset.kubeconfigs) {
    if (kc.auth.kind === 'token-file') files.push({ path: kc.auth.tokenFile, kind: 'token', owner: kc.id });
    files.push({ path: kc.file, kind: 'kubeconfig', owner: kc.id });
  }
  files.push({ path: preset.kubelet.configFile, kind: 'kubelet-config', owner: 'kubelet' });
  return files;
}

/**
 * The preset a folder was meant to be: the one `readLayout` detected (all its CA and server
 * certificates present), else the one with strictly the most of its files present, so a folder
 * with a missing or broken CA file is still compared against its layout instead of called unknown.
 */
export function closestPreset(layout: Layout): PresetName | null {
  if (layout.preset) return layout.preset;
  const present = new Set(layout.entries.map((e) => e.path));
  const scores = Object.values(PRESETS)
    .map((p) => ({ name: p.name, score: expectedFiles(p).filter((f) => present.has(f.path) || isDirectory(layout.root, f.path)).length }))
    .sort((a, b) => b.score - a.score);
  const [best, next] = scores;
  return best && best.score > 0 && best.score > (next?.score ?? 0) ? best.name : null;
}

function isDirectory(root: string, path: string): boolean {
  try {
    return lstatSync(join(root, path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Why a file the layout needs cannot serve as what it must be, or undefined when it can. A file
 * without an entry is missing (or a folder stands at its path); a file read as something else is
 * read again with the parser its kind needs, so the problem carries that parser's typed error
 * (`ERR_PEM_EMPTY`, `ERR_PEM_DER_INPUT`, `ERR_KUBECONFIG_YAML`, …) rather than vanishing.
 */
export function expectedFileProblem(layout: Layout, presetName: PresetName, expected: ExpectedFile, byPath: Map<string, LayoutEntry>): KubeMtlsSimError | undefined {
  const entry = byPath.get(expected.path);
  const file = join(layout.root, expected.path);
  if (!entry) {
    if (isDirectory(layout.root, expected.path)) {
      return new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${file}: is a folder, where the ${presetName} layout has a file (${expected.owner})`, { file });
    }
    return new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `missing: ${expected.path}, expected by the ${presetName} layout (${expected.owner})`, {
      file, goMessage: `open ${expected.path}: no such file or directory`,
    });
  }
  if (entry.problem) return entry.problem;
  if (expected.kind === 'symlink') {
    const target = entry.kind === 'symlink' ? resolveLink(entry, byPath) : entry;
    if (!target) {
      return new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `${file}: links to ${entry.target}, which does not exist in the folder`, {
        file, goMessage: `open ${expected.path}: no such file or directory`,
      });
    }
    // A target with a problem of its own is reported at its own path.
    return target.problem ? undefined : readAs(target, 'cert-and-key');
  }
  return readAs(entry, expected.kind);
}

/** The entry a relative or absolute (node) symlink target names, when it is in the folder. */
export function resolveLink(entry: LayoutEntry, byPath: Map<string, LayoutEntry>): LayoutEntry | undefined {
  if (entry.kind !== 'symlink' || entry.target === undefined) return entry;
  const dir = entry.path.slice(0, entry.path.lastIndexOf('/'));
  return byPath.get(entry.target.startsWith('/') ? entry.target : `${dir}/${entry.target}`);
}

function readAs(entry: LayoutEntry, kind: FileKind): KubeMtlsSimError | undefined {
  const source = { file: entry.file };
  try {
    switch (kind) {
      case 'cert':
        if (!entry.certs) readCertificates(entry.raw, source);
        return undefined;
      case 'key':
        if (!entry.key) readPrivateKey(entry.raw, source);
        return undefined;
      case 'cert-and-key':
        if (!entry.certs) readCertificates(entry.raw, source);
        if (!entry.key) readPrivateKey(entry.raw, source);
        return undefined;
      case 'public-key': {
        if (entry.publicKey) return undefined;
        const labels = parsePem(entry.raw, source, 'any').map((b) => `"${b.label}"`);
        return new KubeMtlsSimError('ERR_PEM_WRONG_TYPE', `${entry.file}: holds ${labels.join(', ')} blocks, no PUBLIC KEY`, source);
      }
      case 'kubeconfig':
        // Parsed, with the files it names, where its row is made (inspect.ts), which reports its problem.
        return undefined;
      case 'kubelet-config':
        if (entry.kind !== 'kubelet-config') parseKubeletConfiguration(entry.raw.toString('utf8'), entry.file);
        return undefined;
      case 'token':
        // client-go sends any non-empty bearer token (a bootstrap token too); an empty file it refuses.
        if (entry.raw.toString('utf8').trim() !== '') return undefined;
        return new KubeMtlsSimError('ERR_TOKEN_FILE', `${entry.file}: is empty, where the layout has a token`, source);
    }
  } catch (error) {
    return isKubeMtlsSimError(error) ? error : new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${entry.file}: ${(error as Error).message}`, { ...source, cause: error });
  }
}
