import { lstatSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { KubeMtlsSimError } from '../errors.js';
import { readInRoot, resolveInRoot } from './read.js';

/** What a file of the node's layout is, as the layout writer and inspector tell them apart. */
export type FileKind = 'cert' | 'key' | 'cert-and-key' | 'public-key' | 'kubeconfig' | 'kubelet-config' | 'token'
  /** How a component is run: a static Pod manifest, a systemd unit or drop-in, an environment file. */
  | 'node-config';

/**
 * One file of a node's layout at its real path. Defined here, below the PKI and the layout that
 * produce it, because the node's file system holds it and everything above reads it.
 */
export type PkiFile =
  | { kind: FileKind; path: string; contents: string; mode: number; owner: string }
  | { kind: 'symlink'; path: string; target: string; mode?: undefined; owner: string };

/**
 * A node's filesystem as the components see it: the generated layout in memory (no disk I/O on
 * the hot path), optionally backed by a folder laid out like a node (`<root>/etc/kubernetes/…`).
 * Scenarios change files here, and components read their flags' files from here, so a changed
 * file changes the outcome the way it would on a node.
 */
export class NodeFs {
  readonly #files = new Map<string, Buffer>();
  readonly #links = new Map<string, string>();
  readonly #root: string | undefined;
  #version = 0;

  /** Bumped by every change: what was read from these files before is stale once it moves. */
  get version(): number {
    return this.#version;
  }

  constructor(files: readonly PkiFile[] = [], root?: string) {
    this.#root = root;
    for (const f of files) {
      if (f.kind === 'symlink') this.#links.set(f.path, f.target);
      else this.#files.set(f.path, Buffer.from(f.contents));
    }
  }

  /** Follows symlinks (relative targets resolve against the link's folder). */
  resolve(path: string): string {
    let current = path;
    for (let hops = 0; hops < 8; hops++) {
      const target = this.#links.get(current) ?? this.#diskLink(current);
      if (target === undefined) return current;
      current = target.startsWith('/') ? target : posix.join(posix.dirname(current), target);
    }
    return current;
  }

  #diskLink(path: string): string | undefined {
    if (!this.#root || this.#files.has(path)) return undefined;
    try {
      return lstatSync(join(this.#root, path)).isSymbolicLink() ? readlinkSync(join(this.#root, path)) : undefined;
    } catch {
      return undefined;
    }
  }

  exists(path: string): boolean {
    const real = this.resolve(path);
    if (this.#files.has(real)) return true;
    if (!this.#root) return false;
    try {
      return lstatSync(join(this.#root, resolveInRoot(this.#root, real))).isFile();
    } catch {
      return false;
    }
  }

  /** Follows the links held in memory only. */
  #resolveHeld(path: string): string {
    let current = path;
    for (let hops = 0; hops < 8; hops++) {
      const target = this.#links.get(current);
      if (target === undefined) return current;
      current = target.startsWith('/') ? target : posix.join(posix.dirname(current), target);
    }
    return current;
  }

  /** Reads a file; a missing one is ERR_FILE_NOT_FOUND naming the flag or field that named it. */
  read(path: string, referredBy?: string): Buffer {
    const real = this.resolve(path);
    const held = this.#files.get(real);
    if (held) return held;
    // The backing folder is read the one safe way: its links followed by readInRoot, inside it only
    // (resolve() would clamp a relative link that climbs out of the folder to its top), no FIFO, no giant file.
    if (this.#root) return readInRoot(this.#root, this.#resolveHeld(path), referredBy ? { field: referredBy } : undefined);
    const by = referredBy ? ` (named by ${referredBy})` : '';
    throw new KubeMtlsSimError('ERR_FILE_NOT_FOUND', `${path}: no such file${by}`, {
      file: path, ...(referredBy ? { field: referredBy } : {}), goMessage: `open ${path}: no such file or directory`,
    });
  }

  /** The files held in memory (not the backing folder's), as a layout to write out. */
  snapshot(): PkiFile[] {
    return [
      ...[...this.#files].map(([path, contents]): PkiFile => ({ kind: 'cert', path, contents: contents.toString('utf8'), mode: 0o600, owner: path })),
      ...[...this.#links].map(([path, target]): PkiFile => ({ kind: 'symlink', path, target, owner: path })),
    ];
  }

  write(path: string, contents: string | Buffer): void {
    this.#version++;
    this.#links.delete(path);
    this.#files.set(path, Buffer.from(contents));
  }

  remove(path: string): void {
    this.#version++;
    this.#files.delete(path);
    this.#links.delete(path);
  }

  link(path: string, target: string): void {
    this.#version++;
    this.#files.delete(path);
    this.#links.set(path, target);
  }
}
