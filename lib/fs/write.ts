import { chmodSync, closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, readlinkSync, renameSync, rmdirSync, statSync, symlinkSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, normalize } from 'node:path';
import { KubeMtlsSimError } from '../errors.js';

/** One file (or symlink) to write, at a node path like `/etc/kubernetes/pki/ca.key`. */
export type FileToWrite =
  | { path: string; contents: string | Buffer; mode: number }
  | { path: string; link: string };

export interface WriteFilesOptions {
  /** Replace what is at a target (a file, or a symlink: the link itself, never what it points to). @default false */
  overwrite?: boolean;
  /** Make a folder on the way that is writable by group or others 0700 instead of refusing it. @default overwrite */
  repairModes?: boolean;
}

const FOLDER_MODE = 0o700;
const STICKY = 0o1000;

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw unwritable(path, cause);
  }
}

function unwritable(path: string, cause: unknown): KubeMtlsSimError {
  const code = (cause as NodeJS.ErrnoException)?.code ?? String(cause);
  return new KubeMtlsSimError('ERR_FILE_UNWRITABLE', `${path}: cannot be written: ${code}; nothing of the layout was changed`, { file: path, cause });
}

function unsafeFolder(path: string, why: string): KubeMtlsSimError {
  return new KubeMtlsSimError('ERR_FOLDER_UNSAFE', `${path}: ${why}`, { file: path });
}

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/**
 * Writes files under `root` so that nothing is written outside it and nothing is half-written:
 *
 * - every target and every folder on the way is checked before anything is written: a symlinked
 *   or non-folder folder is refused (a symlinked `DIR/etc` would send private keys elsewhere), a
 *   folder where a file goes is refused, a symlink, FIFO or other non-regular file where a file
 *   goes is refused unless `overwrite` (which replaces the entry itself), an existing file is
 *   refused unless `overwrite`;
 * - a folder writable by group or others (a pre-existing 0777 one; for `root`, one without the
 *   sticky bit) is refused, or made 0700 with `repairModes`; new folders are 0700;
 * - each file is written to a fresh temporary file (O_EXCL|O_NOFOLLOW, its final mode) in its own
 *   folder, and only once all are written are they renamed into place: rename replaces a link or
 *   file without following it. A failure while writing removes the temporary files and the folders
 *   made, leaving the folder as it was.
 */
export function writeFilesSafely(rootAsNamed: string, files: readonly FileToWrite[], options: WriteFilesOptions = {}): string[] {
  const root = normalize(rootAsNamed).replace(/(.)\/+$/, '$1');
  const overwrite = options.overwrite === true;
  const plan: WritePlan = { root, overwrite, repair: options.repairModes ?? overwrite, toCreate: [], toRepair: [], checked: new Map() };
  checkRoot(plan);
  const targets = targetsInsideRoot(root, files);
  checkTargets(plan, targets);
  const staged = stage(plan, targets);
  commit(staged);
  return targets.map((t) => t.target);
}

/**
 * What the checks found, before anything is written: folders to make (0700), folders to make 0700
 * (`repairModes`), and each folder's state once looked at. The checks run in full before staging
 * so that a refused layout leaves the disk untouched.
 */
interface WritePlan {
  readonly root: string;
  readonly overwrite: boolean;
  readonly repair: boolean;
  readonly toCreate: string[];
  readonly toRepair: string[];
  readonly checked: Map<string, 'exists' | 'missing'>;
}

interface Target {
  file: FileToWrite;
  target: string;
}

/** The root may be a link the user named (followed); it must be a folder, not world-writable unless sticky (as /tmp). */
function checkRoot(plan: WritePlan): void {
  const { root, checked } = plan;
  const rootStat = (() => {
    try {
      return statSync(root); // the root itself may be a link the user named
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw unwritable(root, cause);
    }
  })();
  if (rootStat === null) {
    plan.toCreate.push(root);
    checked.set(root, 'missing');
    return;
  }
  if (!rootStat.isDirectory()) throw unsafeFolder(root, 'is not a folder');
  if ((rootStat.mode & 0o002) && !(rootStat.mode & STICKY)) {
    if (!plan.repair) throw unsafeFolder(root, `mode ${octal(rootStat.mode)}: anyone can write in it and replace the files written there; \`chmod 700 ${root}\`, or pass \`--force\` / \`overwrite: true\``);
    plan.toRepair.push(root);
  }
  checked.set(root, 'exists');
}

/** A folder on the way to a target, parents first: never a symlink (it would send keys outside the root), never group/other-writable. */
function checkFolder(plan: WritePlan, folder: string): void {
  const { checked } = plan;
  if (checked.has(folder) || dirname(folder) === folder) return;
  checkFolder(plan, dirname(folder));
  if (checked.get(dirname(folder)) === 'missing') {
    plan.toCreate.push(folder);
    checked.set(folder, 'missing');
    return;
  }
  const stat = lstatOrNull(folder);
  if (stat === null) {
    plan.toCreate.push(folder);
    checked.set(folder, 'missing');
    return;
  }
  if (stat.isSymbolicLink()) throw unsafeFolder(folder, `is a symbolic link (to "${readlinkSync(folder)}"), not a folder: files written through it would leave ${plan.root}`);
  if (!stat.isDirectory()) throw unsafeFolder(folder, 'is a file, not a folder');
  if (stat.mode & 0o022) {
    if (!plan.repair) throw unsafeFolder(folder, `mode ${octal(stat.mode)}: writable by group or others, who could replace the files written there; \`chmod 700 ${folder}\`, or pass \`--force\` / \`overwrite: true\``);
    plan.toRepair.push(folder);
  }
  checked.set(folder, 'exists');
}

/** Every target resolved under the root; one that climbs out (`../`) or is the root itself is refused before any other check. */
function targetsInsideRoot(root: string, files: readonly FileToWrite[]): Target[] {
  const targets = files.map((file) => ({ file, target: join(root, file.path) }));
  for (const { file, target } of targets) {
    if (!target.startsWith(join(root, '/')) || target === join(root, '/')) {
      throw new KubeMtlsSimError('ERR_FILE_OUTSIDE_ROOT', `${file.path}: not a path inside ${root}`, { file: target });
    }
  }
  return targets;
}

/** What is already at each target: a folder is always refused; another kind of entry, or any existing one, only without `overwrite`. */
function checkTargets(plan: WritePlan, targets: readonly Target[]): void {
  const { overwrite } = plan;
  const existing: string[] = [];
  for (const { file, target } of targets) {
    checkFolder(plan, dirname(target));
    if (plan.checked.get(dirname(target)) === 'missing') continue;
    const stat = lstatOrNull(target);
    if (stat === null) continue;
    if (stat.isDirectory()) throw new KubeMtlsSimError('ERR_FILE_NOT_REGULAR', `${target}: is a folder where a ${'link' in file ? 'symbolic link' : 'file'} goes; nothing was written`, { file: target });
    const sameKind = 'link' in file ? stat.isSymbolicLink() : stat.isFile();
    if (!sameKind && !overwrite) {
      const what = stat.isSymbolicLink() ? `a symbolic link (to "${readlinkSync(target)}")` : stat.isFile() ? 'a file' : 'not a regular file';
      throw new KubeMtlsSimError('ERR_FILE_NOT_REGULAR', `${target}: is ${what} where a ${'link' in file ? 'symbolic link' : 'file'} goes; refusing to write through it (\`--force\` / \`overwrite: true\` replaces it); nothing was written`, { file: target, field: 'overwrite' });
    }
    existing.push(target);
  }
  if (existing.length > 0 && !overwrite) {
    throw new KubeMtlsSimError('ERR_FILE_EXISTS', `refusing to overwrite ${existing.length} existing file(s), first ${existing[0]} (use \`--force\` / \`overwrite: true\`)`, {
      file: existing[0]!, field: 'overwrite',
    });
  }
}

interface Staged {
  temp: string;
  target: string;
}

/** Stage: folders, then every file under a temporary name beside its target; on failure, undo all of it. */
function stage(plan: WritePlan, targets: readonly Target[]): Staged[] {
  const created: string[] = [];
  const staged: Staged[] = [];
  try {
    for (const folder of plan.toCreate) {
      mkdirSync(folder, { mode: FOLDER_MODE, recursive: folder === plan.root }); // the root's own parents are the caller's
      created.push(folder);
      chmodSync(folder, FOLDER_MODE); // the umask may have taken bits off; 0700 is what kubeadm gives pki/
    }
    for (const folder of plan.toRepair) chmodSync(folder, FOLDER_MODE);
    for (const { file, target } of targets) stageOne(file, target, staged);
  } catch (cause) {
    for (const { temp } of staged) tryUnlink(temp);
    for (const folder of created.reverse()) tryRmdir(folder);
    throw cause instanceof KubeMtlsSimError ? cause : unwritable((cause as NodeJS.ErrnoException).path ?? plan.root, cause);
  }
  return staged;
}

/** A fresh temporary entry (O_EXCL|O_NOFOLLOW, its final mode), recorded in `staged` as soon as it exists so a failure removes it. */
function stageOne(file: FileToWrite, target: string, staged: Staged[]): void {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  if ('link' in file) {
    symlinkSync(file.link, temp);
    staged.push({ temp, target });
    return;
  }
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, file.mode);
  staged.push({ temp, target });
  try {
    fchmodSync(fd, file.mode);
    const bytes = Buffer.isBuffer(file.contents) ? file.contents : Buffer.from(file.contents);
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
  } finally {
    closeSync(fd);
  }
}

/** Commit: rename(2) replaces the directory entry; it never follows a link at the target. */
function commit(staged: readonly Staged[]): void {
  for (const [i, { temp, target }] of staged.entries()) {
    try {
      renameSync(temp, target);
    } catch (cause) {
      for (const rest of staged.slice(i)) tryUnlink(rest.temp);
      throw new KubeMtlsSimError('ERR_FILE_UNWRITABLE', `${target}: cannot be put in place: ${(cause as NodeJS.ErrnoException).code}; ${i} of ${staged.length} file(s) were already written`, { file: target, cause });
    }
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function tryRmdir(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // not empty or gone: leave it
  }
}
