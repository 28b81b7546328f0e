import type { IssuedCert } from '../pki/issue.js';
import { BoundedCache } from '../util/bounded-cache.js';

/**
 * One loopback connection as both of its ends know it without asking the other: the server's
 * listening port and the client's local port (a client port alone is not enough, since Linux
 * hands the same ephemeral port to connections towards different servers).
 */
export interface ConnectionKey {
  serverPort: number;
  clientPort: number;
}

/** What a client may do with the ledger: say what it sends, and read the server's record of its connection. */
export interface ClientSeat<R extends object = object> {
  /** The client sends `chain` on this connection (spares the server reading it back out of OpenSSL; see peer-chain.ts). */
  announce(key: ConnectionKey, chain: readonly IssuedCert[]): void;
  /** The client will take this connection's record: the server keeps it after the connection ends. */
  keep(key: ConnectionKey): void;
  /** The server's record of this connection, once (forgotten when read). */
  take(key: ConnectionKey): R | undefined;
}

/** What a server may do with the ledger: read what a client announced, and file its record of each connection. */
export interface ServerSeat<R extends object = object> {
  /** What the client of this connection said it sends, once. */
  announced(key: ConnectionKey): readonly IssuedCert[] | undefined;
  /** Files the server's record of a connection (replacing a stale one on the same ports). */
  open(key: ConnectionKey, record: R): void;
  /** The connection ended: its record goes, unless a client said it will take it. */
  closed(key: ConnectionKey, record: R): void;
}

/** More than a cluster has connections open or waiting to be read at once; the oldest are forgotten past it. */
const LIMIT = 4096;

/**
 * Pairs the client's and the server's views of one connection in this process. The cluster makes
 * one and hands it to its endpoints (the server seat) and its clients (the client seat), so neither
 * side reaches into the other's module: each files or reads by the connection's key.
 */
export class ConnectionLedger<R extends object = object> implements ClientSeat<R>, ServerSeat<R> {
  readonly #announced = new BoundedCache<number, readonly IssuedCert[]>(LIMIT);
  readonly #records = new BoundedCache<number, R>(LIMIT);
  /** Connections whose records a client will take (see keep); other records go when their connection closes. */
  readonly #kept = new BoundedCache<number, true>(LIMIT);

  announce(key: ConnectionKey, chain: readonly IssuedCert[]): void {
    this.#announced.set(id(key), chain);
  }

  keep(key: ConnectionKey): void {
    this.#kept.set(id(key), true);
  }

  take(key: ConnectionKey): R | undefined {
    const k = id(key);
    const record = this.#records.get(k);
    this.#records.delete(k);
    this.#announced.delete(k);
    this.#kept.delete(k);
    return record;
  }

  announced(key: ConnectionKey): readonly IssuedCert[] | undefined {
    const k = id(key);
    const chain = this.#announced.get(k);
    this.#announced.delete(k);
    return chain;
  }

  open(key: ConnectionKey, record: R): void {
    this.#records.set(id(key), record);
  }

  closed(key: ConnectionKey, record: R): void {
    const k = id(key);
    if (!this.#kept.has(k) && this.#records.get(k) === record) this.#records.delete(k);
  }

  /** Forgets every record (the cluster stopped). */
  clear(): void {
    this.#announced.clear();
    this.#records.clear();
    this.#kept.clear();
  }
}

function id(key: ConnectionKey): number {
  return key.serverPort * 65_536 + key.clientPort;
}
