/**
 * etcd's key space, reduced to what a lab does with it: put a key, read a range. Like etcd's mvcc
 * store, every write bumps the store's revision and each key keeps its create and mod revisions and
 * its version; history, leases, watches and deletes are not modelled. Keys and values are bytes
 * (etcd's are), ordered bytewise as etcd's B-tree orders them.
 */
export interface KeyValue {
  key: Uint8Array;
  value: Uint8Array;
  createRevision: bigint;
  modRevision: bigint;
  version: bigint;
}

/** etcdserverpb.RangeRequest's fields the store honours. */
export interface RangeQuery {
  key: Uint8Array;
  /** Empty: the key alone; a single 0 byte: every key >= key; else the half-open range [key, rangeEnd). */
  rangeEnd: Uint8Array;
  limit: bigint;
  keysOnly: boolean;
  countOnly: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  more: boolean;
  count: bigint;
}

const compare = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);

export class EtcdKeySpace {
  readonly #keys = new Map<string, KeyValue>();
  /** A new etcd's store is at revision 1 (measured: etcd 3.4's first put answers revision 2). */
  #revision = 1n;

  get revision(): bigint {
    return this.#revision;
  }

  /** Writes one key at a new revision; returns the previous pair, if any. */
  put(key: Uint8Array, value: Uint8Array): { revision: bigint; prev?: KeyValue } {
    const id = Buffer.from(key).toString('latin1');
    const prev = this.#keys.get(id);
    this.#revision += 1n;
    this.#keys.set(id, {
      key: Uint8Array.from(key), value: Uint8Array.from(value),
      createRevision: prev?.createRevision ?? this.#revision, modRevision: this.#revision, version: (prev?.version ?? 0n) + 1n,
    });
    return { revision: this.#revision, ...(prev ? { prev } : {}) };
  }

  range(query: RangeQuery): RangeResult {
    const all = query.rangeEnd.length === 1 && query.rangeEnd[0] === 0;
    const matches = [...this.#keys.values()].filter((kv) => {
      if (query.rangeEnd.length === 0) return compare(kv.key, query.key) === 0;
      return compare(kv.key, query.key) >= 0 && (all || compare(kv.key, query.rangeEnd) < 0);
    }).sort((a, b) => compare(a.key, b.key));
    const count = BigInt(matches.length);
    if (query.countOnly) return { kvs: [], more: false, count };
    const limited = query.limit > 0n ? matches.slice(0, Number(query.limit)) : matches;
    const kvs = query.keysOnly ? limited.map((kv) => ({ ...kv, value: new Uint8Array() })) : limited;
    return { kvs, more: limited.length < matches.length, count };
  }
}
