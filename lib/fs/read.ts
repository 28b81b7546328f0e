import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { KubeMtlsSimError } from '../errors.js';

/**
 * Resolves a path the way a component on the node would see it: relative paths against `base`
 * (client-go resolves kubeconfig paths against the kubeconfig's folder), absolute paths under
 * `root` when the node's filesystem is laid out in a folder.
 */
export function nodePath(path: string, options: { base?: string; root?: string } = {}): string {
  if (isAbsolute(path)) return options.root ? join(options.root, path) : path;
  return resolve(options.base ?? '.', path);
}

/** Reads a file, turning ENOENT/EISDIR/EACCES into typed errors that name the file and who referred to it. */
export function readFileTyped(path: string, referredBy?: { field?: string; file?: string }): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const by = referredBy?.field ? ` (named by \`${referredBy.field}\`${referredBy.file ? ` in ${referredBy.file}` : ''})` : '';
    const details = { file: path, ...(referredBy?.field ? { field: referredBy.field } : {}), cause };
    if (code === 'ENOENT') {
      throw new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `${path}: no such file${by}`, { ...details, goMessage: `open ${path}: no such file or directory` });
    }
    throw new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${path}: cannot be read: ${code ?? String(cause)}${by}`, details);
  }
}
