import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { CertificateSigningRequest } from './types.js';
import { goStringOrder } from '../util/order.js';

/** One event of a watch (metav1.WatchEvent): the object as written, or as it was when deleted. */
export interface CsrWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: CertificateSigningRequest;
}

/**
 * The CSR objects of the fake apiserver, with what the real registry adds: uid, a resourceVersion
 * that changes with every write (kubectl sends it back; a stale one is a 409), creationTimestamp
 * from the cluster clock. Controllers are told of every write.
 */
export class CsrStore {
  readonly #items = new Map<string, CertificateSigningRequest>();
  #version = 100;
  #generated = 0;
  readonly #listeners: ((name: string) => void)[] = [];
  readonly #watchers = new Set<(event: CsrWatchEvent) => void>();

  constructor(readonly clock: Clock) {}

  onChange(listener: (name: string) => void): void {
    this.#listeners.push(listener);
  }

  /** A watch: every write and delete from now on, with the object as written; returns the function that stops it. */
  watch(watcher: (event: CsrWatchEvent) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** Five characters for generateName: a counter scrambled by a bijection of 27^5, so unique and random-looking. */
  nameSuffix(): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    const space = alphabet.length ** 5;
    let n = (++this.#generated * 7919 + 12345) % space;
    let suffix = '';
    for (let i = 0; i < 5; i++) {
      suffix += alphabet[n % alphabet.length];
      n = Math.floor(n / alphabet.length);
    }
    return suffix;
  }

  get resourceVersion(): string {
    return String(this.#version);
  }

  get(name: string): CertificateSigningRequest | undefined {
    const item = this.#items.get(name);
    return item ? structuredClone(item) : undefined;
  }

  list(): CertificateSigningRequest[] {
    return [...this.#items.values()].sort((a, b) => goStringOrder(a.metadata.name, b.metadata.name)).map((c) => structuredClone(c));
  }

  has(name: string): boolean {
    return this.#items.has(name);
  }

  create(csr: CertificateSigningRequest): CertificateSigningRequest {
    const name = csr.metadata.name;
    const stored: CertificateSigningRequest = {
      ...csr,
      metadata: {
        ...csr.metadata,
        uid: uid(name, this.#version + 1),
        resourceVersion: String(++this.#version),
        creationTimestamp: this.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
    this.#items.set(name, stored);
    // The answer is the object as written; controllers react afterwards, as they would through a watch.
    const written = this.get(name)!;
    // Watchers first: a controller reacting to this write writes again, and that event must come after.
    this.#emit('ADDED', written);
    this.#notify(name);
    return written;
  }

  /** Replaces the status (conditions and certificate) of an existing CSR. */
  updateStatus(name: string, status: CertificateSigningRequest['status']): CertificateSigningRequest {
    const current = this.#items.get(name)!;
    this.#items.set(name, { ...current, metadata: { ...current.metadata, resourceVersion: String(++this.#version) }, status: structuredClone(status) });
    const written = this.get(name)!;
    // Watchers first: a controller reacting to this write writes again, and that event must come after.
    this.#emit('MODIFIED', written);
    this.#notify(name);
    return written;
  }

  delete(name: string): CertificateSigningRequest | undefined {
    const item = this.get(name);
    this.#items.delete(name);
    if (item) this.#emit('DELETED', { ...item, metadata: { ...item.metadata, resourceVersion: String(++this.#version) } });
    return item;
  }

  #emit(type: CsrWatchEvent['type'], object: CertificateSigningRequest): void {
    for (const watcher of [...this.#watchers]) watcher({ type, object: structuredClone(object) });
  }

  #notify(name: string): void {
    for (const listener of this.#listeners) listener(name);
  }
}

function uid(name: string, version: number): string {
  const h = createHash('sha256').update(`${name}/${version}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
