/**
 * A log line as a template: the parts that differ from cluster to cluster and from run to run
 * (times, IP addresses and ports, serial numbers, key ids, names in quotes) become one wildcard, so
 * the catalogue's line and a user's line for the same failure read the same. The same function
 * turns both into templates: matching is then plain text comparison, the same on every machine.
 */
export const WILDCARD = '<*>';

/** Each variable part, in the order they are replaced (times before the numbers inside them). */
const VARIABLE_PARTS: readonly RegExp[] = [
  // Go's hostname errors list the certificate's names and the one wanted (crypto/x509 HostnameError):
  // "certificate is valid for kubernetes, kubernetes.default, not localhost", "… any names, but wanted to match …".
  /(?<=\bcertificate is valid for ).+?, not [^\s",)]+/g,
  /(?<=\bbut wanted to match )[^\s",)]+/g,
  // RFC 3339 times, as Go's x509 prints them ("current time 2026-01-01T00:00:00Z is after …").
  /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g,
  // Key ids and fingerprints: colon-separated hex bytes (AKID=BC:44:…).
  /\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){3,}\b/g,
  // IPv6 in brackets with a port, and IPv4 with an optional port.
  /\[[0-9A-Fa-f:.]+\](?::\d+)?/g,
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g,
  // Serial numbers (SN=…) and other long decimal numbers.
  /\b\d{6,}\b/g,
  // Names in quotes without spaces: users, nodes, candidate CA names, addresses, URLs. A quoted
  // text with spaces is an error message, the very words that tell failures apart: it stays.
  /"[^"\s]+"/g,
  /'[^'\s]+'/g,
  // Names in the apiserver's and kubelet's authorization messages (user=…, pods/log kube-apiserver-NODE).
  /(?<=\buser=)[^,\s)]+/g,
  /(?<=pods\/log )\S+?(?=\))/g,
  // etcd member IDs in rafthttp's lines ("health check for peer e455a4dbd5f9e1e could not connect"): hex, derived from the peer URLs.
  /(?<=\bpeer )[0-9a-f]{6,16}\b/g,
];

export function templateOf(line: string): string {
  let text = line.trim();
  for (const part of VARIABLE_PARTS) {
    text = text.replace(part, (m) => (m.startsWith('"') ? `"${WILDCARD}"` : m.startsWith("'") ? `'${WILDCARD}'` : m.includes(', not ') ? `${WILDCARD}, not ${WILDCARD}` : WILDCARD));
  }
  return text;
}

/** The words of a template (lower case, wildcards left out): what a line that matches no template is compared by. */
export function wordsOf(template: string): Set<string> {
  return new Set(template.split(WILDCARD).join(' ').toLowerCase().match(/[a-z][a-z0-9]+/g) ?? []);
}

/** How much two sets of words share, from 0 to 1 (Sørensen–Dice). */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return (2 * shared) / (a.size + b.size);
}
