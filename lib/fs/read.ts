import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { KubeMtlsSimError } from '../errors.js';

/**
 * The one way this package reads a file from disk. Every file it reads is small (a PEM, a key, a
 * kubeconfig, a KubeletConfiguration), so anything larger than this is a mistake or an attack,
 * refused before a byte of it is buffered.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
const CAP = '16 MiB';

/** Symlinks followed before a path is `ELOOP`, as Linux's own limit. */
const MAX_LINK_HOPS = 40;

export interface ReferredBy {
  field?: string;
  file?: string;
}

/**
 * Resolves a path the way a component on the node would see it: relative paths against `base`
 * (client-go resolves kubeconfig paths against the kubeconfig's folder), absolute paths under
 * `root` when the node's filesystem is laid out in a folder.
 */
export function nodePath(path: string, options: { base?: string; root?: string } = {}): string {
  if (isAbsolute(path)) return options.root ? join(options.root, path) : path;
  return resolve(options.base ?? '.', path);
}

function byText(referredBy?: ReferredBy): string {
  return referredBy?.field ? ` (named by \`${referredBy.field}\`${referredBy.file ? ` in ${referredBy.file}` : ''})` : '';
}

/** Turns a Node filesystem error into the typed error naming the file (and who named it). */
export function fsError(path: string, cause: unknown, referredBy?: ReferredBy): KubeMtlsSimError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const by = byText(referredBy);
  const details = { file: path, ...(referredBy?.field ? { field: referredBy.field } : {}), cause };
  switch (code) {
    case 'ENOENT':
      return new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `${path}: no such file${by}`, { ...details, goMessage: `open ${path}: no such file or directory` });
    case 'ENOTDIR':
      return new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `${path}: a folder on its path is a file (ENOTDIR)${by}`, { ...details, goMessage: `open ${path}: not a directory` });
    case 'EISDIR':
      return new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${path}: is a folder, not a file${by}`, { ...details, goMessage: `read ${path}: is a directory` });
    case 'EFBIG':
    case 'ERR_FS_FILE_TOO_LARGE':
      return new KubeMtlsSimError('ERR_FILE_TOO_LARGE', `${path}: larger than the ${CAP} a certificate, key or config file may be${by}`, details);
    case 'EACCES':
    case 'EPERM':
      return new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${path}: permission denied (${code})${by}`, { ...details, goMessage: `open ${path}: permission denied` });
    case 'ELOOP':
      return new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${path}: too many levels of symbolic links (ELOOP)${by}`, details);
    default:
      return new KubeMtlsSimError('ERR_FILE_UNREADABLE', `${path}: cannot be read: ${code ?? String(cause)}${by}`, details);
  }
}

/** A FIFO, socket or device: refused by name, never opened for a blocking read. */
function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSymbolicLink(): boolean }): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export function notRegular(path: string, what: string, referredBy?: ReferredBy): KubeMtlsSimError {
  return new KubeMtlsSimError('ERR_FILE_NOT_REGULAR', `${path}: is ${what}, not a regular file${byText(referredBy)}`, {
    file: path, ...(referredBy?.field ? { field: referredBy.field } : {}),
  });
}

/**
 * Reads a regular file of at most MAX_FILE_BYTES. Opened with O_NONBLOCK so a FIFO can never hang
 * the read, then checked with fstat (the file actually opened, not a name that may have changed);
 * `noFollow` refuses a symlink in the last component (for paths already resolved inside a root).
 */
export function readFileTyped(path: string, referredBy?: ReferredBy, options: { noFollow?: boolean } = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ELOOP' && options.noFollow) throw notRegular(path, 'a symbolic link', referredBy);
    throw fsError(path, cause, referredBy);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw fsError(path, Object.assign(new Error('folder'), { code: 'EISDIR' }), referredBy);
    if (!stat.isFile()) throw notRegular(path, kindOf(stat), referredBy);
    if (stat.size > MAX_FILE_BYTES) throw fsError(path, Object.assign(new Error('too large'), { code: 'EFBIG' }), referredBy);
    // Read to EOF, not to the size fstat gave: the file may be growing. Stop one byte past the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 64 * 1024), MAX_FILE_BYTES + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > MAX_FILE_BYTES) throw fsError(path, Object.assign(new Error('too large'), { code: 'EFBIG' }), referredBy);
    }
    return Buffer.concat(chunks, total);
  } catch (cause) {
    throw cause instanceof KubeMtlsSimError ? cause : fsError(path, cause, referredBy);
  } finally {
    closeSync(fd);
  }
}

function outside(root: string, path: string, link: string, target: string, referredBy?: ReferredBy): KubeMtlsSimError {
  return new KubeMtlsSimError('ERR_FILE_OUTSIDE_ROOT', `${join(root, link)}: symbolic link to "${target}" leads out of ${root}${byText(referredBy)}; on the node it would read another file`, {
    file: join(root, path), ...(referredBy?.field ? { field: referredBy.field } : {}),
  });
}

/**
 * Resolves `path` (a node path like `/var/lib/kubelet/pki/kubelet-client-current.pem`) inside the
 * folder `root`, one component at a time: a symlink's absolute target is taken relative to `root`
 * (it names a file on the node, not on this machine) and a relative one against the link's folder;
 * a target that climbs out of `root` is ERR_FILE_OUTSIDE_ROOT. Returns the node path it ends at.
 */
export function resolveInRoot(root: string, path: string, referredBy?: ReferredBy): string {
  const pending = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      if (done.length === 0) throw outside(root, path, path, path, referredBy);
      done.pop();
      continue;
    }
    const here = `/${[...done, part].join('/')}`;
    let stat;
    try {
      stat = lstatSync(join(root, here));
    } catch {
      // Missing (or unreadable): the read that follows reports it with the right code.
      done.push(part, ...pending);
      break;
    }
    if (!stat.isSymbolicLink()) {
      done.push(part);
      continue;
    }
    if (++hops > MAX_LINK_HOPS) throw fsError(join(root, path), Object.assign(new Error('loop'), { code: 'ELOOP' }), referredBy);
    const target = readlinkSync(join(root, here));
    const steps = target.split('/').filter((p) => p !== '' && p !== '.');
    if (target.startsWith('/')) done.length = 0;
    // A relative target that climbs above the root escapes it, even if a later step would come back.
    let depth = done.length;
    for (const step of steps) {
      depth += step === '..' ? -1 : 1;
      if (depth < 0) throw outside(root, path, here, target, referredBy);
    }
    pending.unshift(...steps);
  }
  return `/${done.join('/')}`;
}

/** Reads a node path inside `root`, symlinks resolved only inside it (see resolveInRoot). */
export function readInRoot(root: string, path: string, referredBy?: ReferredBy): Buffer {
  const real = resolveInRoot(root, path, referredBy);
  const onDisk = join(root, real);
  try {
    return readFileTyped(onDisk, referredBy, { noFollow: true });
  } catch (error) {
    // Name the path the caller asked for; the real one is in the message when a link was followed.
    if (error instanceof KubeMtlsSimError && real !== path && error.file === onDisk) {
      throw new KubeMtlsSimError(error.code, `${join(root, path)} -> ${error.message}`, { file: join(root, path), ...(error.field ? { field: error.field } : {}), ...(error.goMessage ? { goMessage: error.goMessage } : {}), cause: error });
    }
    throw error;
  }
}

/** Reads a path on this machine that lies in `root` (a kubeconfig's referenced file, resolved to disk) as readInRoot does. */
export function readDiskPathInRoot(root: string, diskPath: string, referredBy?: ReferredBy): Buffer {
  const rel = relative(resolve(root), resolve(diskPath));
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new KubeMtlsSimError('ERR_FILE_OUTSIDE_ROOT', `${diskPath}: outside ${root}${byText(referredBy)}`, { file: diskPath, ...(referredBy?.field ? { field: referredBy.field } : {}) });
  }
  return readInRoot(root, `/${rel.split(sep).join('/')}`, referredBy);
}

/** Whether anything is at `path` (a dangling symlink counts: it is there, to be refused when read). */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
