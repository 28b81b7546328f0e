/**
 * The YAML of a kubeconfig-shaped value — maps, lists and strings that need no quoting — written
 * directly, exactly as `yaml.stringify(value, { lineWidth: 0, minContentWidth: 0, indentSeq: false,
 * sortMapEntries: true })` writes it (test/plain-yaml.test.ts holds the two side by side). Every
 * command writes or reads a node's kubeconfigs, and yaml's general writer, run cold in a short
 * process, cost more than the rest of writing them. Anything else (a number, a string that YAML
 * would read as something else or that needs quotes) returns undefined: the caller then asks yaml.
 */

/**
 * A string yaml writes plain and reads back as the same string: no spaces, quotes, flow or comment
 * characters, no leading indicator, and nothing a number, boolean or null could be read from (no
 * leading digit, sign or dot). Conservative: a string it refuses is still written right, by yaml.
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./:@+=-]*$/;
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n)$/i;
const plainString = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(':');

/**
 * How a kind of document is written. Kubeconfigs (the default): keys sorted, strings only. A
 * KubeletConfiguration (`KUBELET_CONFIG`: yaml's `{ lineWidth: 0, indentSeq: false }`): keys in the
 * object's order, booleans, and strings that start with a digit but are not a YAML 1.2 number
 * (`0s`, `10.96.0.10`), which yaml writes plain too.
 */
export interface PlainYamlProfile {
  sort: boolean;
  booleans: boolean;
  digitStrings: boolean;
}
const KUBECONFIG: PlainYamlProfile = { sort: true, booleans: false, digitStrings: false };
export const KUBELET_CONFIG: PlainYamlProfile = { sort: false, booleans: true, digitStrings: true };

const DIGIT_PLAIN = /^[0-9][A-Za-z0-9_./:@+=-]*$/;
// YAML 1.2 core schema's numbers that start with a digit (int, octal, hex, float): yaml would quote these.
const CORE_NUMBER = /^(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)$/;

/** A scalar written as is: a plain string, or (in profiles that allow them) a boolean or a digit-led string that is no number. */
function scalarText(value: unknown, profile: PlainYamlProfile): string | undefined {
  if (plainString(value)) return value;
  if (profile.booleans && typeof value === 'boolean') return String(value);
  if (profile.digitStrings && typeof value === 'string' && DIGIT_PLAIN.test(value) && !CORE_NUMBER.test(value) && !value.endsWith(':')) return value;
  return undefined;
}

/** yaml's sortMapEntries: true compares the keys with `<`. */
const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** The lines of a block map at `indent`; `first` prefixes its first line (a list item's "- "). */
function mapLines(value: Record<string, unknown>, indent: string, out: string[], profile: PlainYamlProfile, first = indent): boolean {
  const present = Object.entries(value).filter(([, v]) => v !== undefined);
  const entries = profile.sort ? present.sort(byKey) : present;
  if (entries.length === 0) return false;
  let lead = first;
  for (const [key, v] of entries) {
    if (!plainString(key)) return false;
    if (!node(v, `${lead}${key}:`, indent, out, profile)) return false;
    lead = indent;
  }
  return true;
}

/** One value after `head` ("key:" or "-"), on the same line when it is a scalar or empty, below it otherwise. */
function node(value: unknown, head: string, indent: string, out: string[], profile: PlainYamlProfile): boolean {
  const scalar = scalarText(value, profile);
  if (scalar !== undefined) {
    out.push(`${head} ${scalar}`);
    return true;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${head} []`);
      return true;
    }
    out.push(head);
    // indentSeq: false — a list under a map key starts at the key's own indent.
    return value.every((item) => listItem(item, indent, out, profile));
  }
  if (isRecord(value)) {
    if (Object.values(value).every((v) => v === undefined)) {
      out.push(`${head} {}`);
      return true;
    }
    out.push(head);
    return mapLines(value, `${indent}  `, out, profile);
  }
  return false;
}

function listItem(item: unknown, indent: string, out: string[], profile: PlainYamlProfile): boolean {
  const scalar = scalarText(item, profile);
  if (scalar !== undefined) {
    out.push(`${indent}- ${scalar}`);
    return true;
  }
  if (isRecord(item) && Object.values(item).some((v) => v !== undefined)) return mapLines(item, `${indent}  `, out, profile, `${indent}- `);
  return false;
}

/** The document, or undefined when the value is not of the shape written here. */
export function plainYaml(value: unknown, profile: PlainYamlProfile = KUBECONFIG): string | undefined {
  if (!isRecord(value)) return undefined;
  const out: string[] = [];
  return mapLines(value, '', out, profile) ? `${out.join('\n')}\n` : undefined;
}

type Line = { indent: number; dash: boolean; body: string };

/**
 * Reads back what `plainYaml` writes, or undefined. What it returns is checked by writing it again:
 * only a value that `plainYaml` (and so yaml) writes as exactly `text` is returned, and yaml reads
 * that text as that value. Anything else — another layout, comments, quoting, anchors, a misread
 * here — returns undefined, and the caller asks yaml, with yaml's own errors.
 */
export function readPlainYaml(text: string, profile: PlainYamlProfile = KUBECONFIG): Record<string, unknown> | undefined {
  if (!text.endsWith('\n') || text.includes('\r') || text.includes('\t')) return undefined;
  const lines: Line[] = [];
  for (const raw of text.slice(0, -1).split('\n')) {
    const m = /^( *)(- )?(\S.*)$/.exec(raw);
    if (!m) return undefined;
    lines.push({ indent: m[1]!.length, dash: m[2] !== undefined, body: m[3]! });
  }
  const at = { i: 0 };
  const value = readMap(lines, at, 0, false, profile);
  return value && at.i === lines.length && plainYaml(value, profile) === text ? value : undefined;
}

const ENTRY = /^([^ ]+):(?: (.+))?$/;

/** A block map whose keys sit at `indent`; `fromDash`: its first key follows a list item's "- ". */
function readMap(lines: Line[], at: { i: number }, indent: number, fromDash: boolean, profile: PlainYamlProfile): Record<string, unknown> | undefined {
  const map: Record<string, unknown> = {};
  let first = fromDash;
  while (at.i < lines.length) {
    const line = lines[at.i]!;
    if (first ? !line.dash || line.indent + 2 !== indent : line.dash || line.indent !== indent) break;
    first = false;
    const m = ENTRY.exec(line.body);
    if (!m || m[1]! in map) return undefined;
    at.i++;
    const value = m[2] === undefined ? readBlock(lines, at, indent, profile) : m[2] === '{}' ? {} : m[2] === '[]' ? [] : readScalar(m[2], profile);
    if (value === undefined) return undefined;
    map[m[1]!] = value;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}

/** The block under "key:" at `indent`: a list at the same indent (indentSeq: false) or a map below it. */
function readBlock(lines: Line[], at: { i: number }, indent: number, profile: PlainYamlProfile): unknown {
  const next = lines[at.i];
  if (!next) return undefined;
  if (!next.dash) return next.indent > indent ? readMap(lines, at, next.indent, false, profile) : undefined;
  if (next.indent !== indent) return undefined;
  const list: unknown[] = [];
  while (at.i < lines.length && lines[at.i]!.dash && lines[at.i]!.indent === indent) {
    const item = lines[at.i]!;
    if (ENTRY.test(item.body) || item.body.endsWith(':')) {
      const map = readMap(lines, at, indent + 2, true, profile);
      if (!map) return undefined;
      list.push(map);
    } else {
      list.push(readScalar(item.body, profile));
      at.i++;
    }
  }
  return list;
}

/** A scalar as this profile writes it: `true`/`false` are booleans where booleans are written (the re-write check refuses anything else). */
function readScalar(text: string, profile: PlainYamlProfile): string | boolean {
  return profile.booleans && (text === 'true' || text === 'false') ? text === 'true' : text;
}
