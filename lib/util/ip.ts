import { isIPv4 } from 'node:net';

/**
 * node:net's isIP (0, 4 or 6), with IPv6 read by hand: node's IPv6 pattern costs about 10 ms to
 * compile on first use, which every process that reads etcd's SANs (`::1`) paid at start-up.
 * test/ip.test.ts holds this to node's answer on generated text.
 */
export function isIP(text: string): 0 | 4 | 6 {
  if (!text.includes(':')) return isIPv4(text) ? 4 : 0;
  return isIPv6Text(text) ? 6 : 0;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const ZONE = /^[0-9a-zA-Z\-.:]+$/;

/** node's IPv6 grammar: eight groups, or fewer around one `::`, the last two may be IPv4; then an optional `%zone`. */
function isIPv6Text(text: string): boolean {
  const percent = text.indexOf('%');
  if (percent >= 0 && !ZONE.test(text.slice(percent + 1))) return false;
  const address = percent >= 0 ? text.slice(0, percent) : text;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const all = groups.flat();
  // Only the address's very last group may be IPv4 (`1.2.3.4::` is not an address).
  const last = groups[groups.length - 1]!.at(-1);
  const v4Tail = last !== undefined && last.includes('.');
  if (v4Tail && !isIPv4(last)) return false;
  const hexGroups = v4Tail ? all.slice(0, -1) : all;
  if (!hexGroups.every((g) => HEX_GROUP.test(g))) return false;
  const count = hexGroups.length + (v4Tail ? 2 : 0);
  return halves.length === 2 ? count <= 7 : count === 8;
}

/**
 * An IP address as Go's net.IP holds it: 16 bytes, IPv4 as ::ffff:a.b.c.d. Two addresses are the
 * same address when these bytes are (net.IP.Equal), whatever way each was written.
 */
export function ipBytes(ip: string): Buffer | null {
  const family = isIP(ip);
  if (family === 4) return Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...ip.split('.').map(Number)]);
  if (family !== 6) return null;
  let text = ip.toLowerCase();
  const groups: number[] = [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two 16-bit groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  groups.push(...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right);
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** net.IP.Equal. */
export function sameIP(a: string, b: string): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  return x !== null && y !== null && x.equals(y);
}

/** net.IP.String(): IPv4 (also IPv4-mapped) dotted; IPv6 lower-case with the first longest run of two or more zero groups as "::". */
export function formatIP(ip: string): string {
  const bytes = ipBytes(ip);
  if (!bytes) return ip;
  if (bytes.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]))) return [...bytes.subarray(12)].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    if (j > i) i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}
