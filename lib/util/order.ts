/**
 * Go's string order (sort.Strings, etcd's key order): by code point, not by locale. Kubernetes lists
 * objects, and client-go writes map keys, in this order; `localeCompare` would put "B" after "a" and
 * costs an ICU collator (about 15 ms on first use, at start-up). JS compares UTF-16 code units, which
 * agrees with Go's UTF-8 byte order except between astral characters and U+E000–U+FFFF.
 */
export function goStringOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
