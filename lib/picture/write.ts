// Writes the page where `--html FILE` says, through the same safe writer as every other write:
// never through a symlinked folder, never into a folder others can write, never half-written.
import { basename, dirname, resolve } from 'node:path';
import { KubeMtlsSimError } from '../errors.js';
import { writeFilesSafely } from '../fs/write.js';

/**
 * An existing file (or a symlink: the link itself is replaced, never followed) is replaced, as a
 * report a person reruns would be; a folder at FILE is refused, and the folder's modes are left as they are.
 */
export function writePicture(file: string, html: string): string {
  if (file === '' || /[/\\]$/.test(file)) {
    throw new KubeMtlsSimError('ERR_USAGE', `\`--html\`: "${file}" is not a file name`, { field: '--html' });
  }
  const target = resolve(file);
  const [written] = writeFilesSafely(dirname(target), [{ path: `/${basename(target)}`, contents: html, mode: 0o644 }], { overwrite: true, repairModes: false });
  return written!;
}
