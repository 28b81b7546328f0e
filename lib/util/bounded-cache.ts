/**
 * A map that forgets its oldest entry past `limit`: for the process-wide caches of parsed and
 * computed things (certificates by bytes, TLS contexts by identity) that must not grow without end.
 */
export class BoundedCache<K, V> {
  readonly #map = new Map<K, V>();

  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    this.#map.set(key, value);
    if (this.#map.size > this.limit) this.#map.delete(this.#map.keys().next().value!);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  /** The cached value, or `create()`'s, remembered. */
  getOrCreate(key: K, create: () => V): V {
    let value = this.#map.get(key);
    if (value === undefined) {
      value = create();
      this.set(key, value);
    }
    return value;
  }
}
