import { isIP } from '../util/ip.js';
import { KubeMtlsSimError } from '../errors.js';
import type { Flags } from './flags.js';

/**
 * A component's flags as a typed table, the way spf13/pflag and Kubernetes' options packages declare
 * them: each flag has a name, a kind, a parser, a default and a doc line. A component parses its
 * whole command line through its table as it starts, so a value of the wrong form is refused before
 * anything listens, naming the flag (as the real binary exits on it).
 */
export type FlagKind =
  /** A file the component reads: any path parses; a missing or unreadable file is refused where it is read. */
  | 'file'
  /** A file read only if it is there (the kubelet's --kubeconfig: without it the kubelet runs standalone). */
  | 'optional-file'
  /** Several files, comma-separated (pflag StringSlice of paths). */
  | 'files'
  /** A folder the component writes into (the kubelet creates it): any path is accepted. */
  | 'dir'
  /** Free text (etcd --name): every value parses. */
  | 'text'
  /** A comma-separated list of free words (kube-apiserver does not check them). */
  | 'list'
  | 'bool' | 'port' | 'duration' | 'tls-version' | 'ip' | 'urls' | 'issuers' | 'authorization-modes'
  /** etcd's --initial-cluster: `name=url` pairs (types.NewURLsMap). */
  | 'initial-cluster';

/** One flag: `parse` turns the command-line text into its typed value, or throws a FlagValueError. */
export interface FlagSpec<T> {
  readonly kind: FlagKind;
  readonly doc: string;
  /** The value when the flag is absent (or given empty, as pflag reads `--flag=` for strings). */
  readonly default: T;
  readonly parse: (value: string, flag: string) => T;
}

export type FlagTable = Readonly<Record<`--${string}`, FlagSpec<unknown>>>;
/** The typed values a table parses a command line into. */
export type ParsedFlags<T extends FlagTable> = { -readonly [K in keyof T]: T[K] extends FlagSpec<infer V> ? V : never };

/** Why one value does not parse: the simulation's sentence, and the real binary's own words. */
export class FlagValueError extends Error {
  constructor(message: string, readonly goMessage: string) {
    super(message);
  }
}

/** Parses a whole command line through `table`; the first bad value is an ERR_COMPONENT_FLAG naming its flag. */
export function parseFlags<T extends FlagTable>(component: string, table: T, flags: Flags): ParsedFlags<T> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table) as [string, FlagSpec<unknown>][]) {
    const value = flags[name];
    try {
      out[name] = value === undefined ? spec.default : spec.parse(value, name);
    } catch (error) {
      if (!(error instanceof FlagValueError)) throw error;
      throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${component}: ${error.message}`, { field: name, goMessage: error.goMessage });
    }
  }
  return out as ParsedFlags<T>;
}

/** Refuses a flag the table does not hold, as a real binary refuses an unknown flag. */
export function checkKnownFlags(component: string, table: FlagTable, flags: Readonly<Record<string, unknown>>): void {
  const known = Object.keys(table);
  for (const flag of Object.keys(flags)) {
    if (!known.includes(flag)) {
      throw new KubeMtlsSimError('ERR_COMPONENT_FLAG', `${component}: unknown flag \`${flag}\` (known: ${known.join(', ')})`, {
        field: flag, goMessage: `Error: unknown flag: ${flag}`,
      });
    }
  }
}

const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
/** pflag's own wording for a value its type cannot hold. */
const invalidArgument = (value: string, flag: string, why: string) => `invalid argument "${value}" for "${flag}" flag: ${why}`;

export const path = (doc: string): FlagSpec<string | undefined> => ({ kind: 'file', doc, default: undefined, parse: (v) => v || undefined });
export const optionalPath = (doc: string): FlagSpec<string | undefined> => ({ kind: 'optional-file', doc, default: undefined, parse: (v) => v || undefined });
export const dir = (doc: string, fallback: string): FlagSpec<string> => ({ kind: 'dir', doc, default: fallback, parse: (v) => v || fallback });
export const text = (doc: string, fallback: string): FlagSpec<string> => ({ kind: 'text', doc, default: fallback, parse: (v) => v });
export const paths = (doc: string): FlagSpec<string[]> => ({ kind: 'files', doc, default: [], parse: list });
export const words = (doc: string, fallback: readonly string[]): FlagSpec<string[]> => ({ kind: 'list', doc, default: [...fallback], parse: (v) => (v ? list(v) : [...fallback]) });

/** Go's strconv.ParseBool, as pflag's BoolVar uses it. */
export const bool = (doc: string, fallback: boolean): FlagSpec<boolean> => ({
  kind: 'bool', doc, default: fallback,
  parse: (value, flag) => {
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
    throw new FlagValueError(`\`${flag}=${value}\` is not a boolean`, invalidArgument(value, flag, `strconv.ParseBool: parsing "${value}": invalid syntax`));
  },
});

/** A listening port (pflag IntVar; SecureServingOptions.Validate refuses 0 and anything above 65535). */
export const port = (doc: string, fallback: number): FlagSpec<number> => ({
  kind: 'port', doc, default: fallback,
  parse: (value, flag) => {
    if (!/^[0-9]+$/.test(value)) throw new FlagValueError(`\`${flag}=${value}\` is not a port number`, invalidArgument(value, flag, `strconv.ParseInt: parsing "${value}": invalid syntax`));
    const n = Number(value);
    if (n < 1 || n > 65535) throw new FlagValueError(`\`${flag}=${value}\` must be between 1 and 65535`, `${flag} ${n} must be between 1 and 65535, inclusive. It cannot be turned off with 0`);
    return n;
  },
});

/** Go's time.ParseDuration for the h/m/s/ms forms flags use (`8760h`, `720h0m0s`, `90m`), in milliseconds. */
export function parseGoDuration(value: string): number | undefined {
  let total = 0;
  let consumed = '';
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    total += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'h'];
    consumed += m[0];
  }
  return consumed === value && value !== '' ? total : undefined;
}

export const duration = (doc: string, fallbackMs: number): FlagSpec<number> => ({
  kind: 'duration', doc, default: fallbackMs,
  parse: (value, flag) => {
    const ms = parseGoDuration(value);
    if (ms === undefined) throw new FlagValueError(`\`${flag}=${value}\` is not a duration`, `time: invalid duration "${value}"`);
    return ms;
  },
});

/** `--tls-min-version` (Go constant names) → node:tls version; node (OpenSSL 3 defaults) offers nothing below TLS 1.2 anyway. */
export const tlsVersion = (doc: string): FlagSpec<'TLSv1.2' | 'TLSv1.3' | undefined> => ({
  kind: 'tls-version', doc, default: undefined,
  parse: (value, flag) => {
    if (value === '') return undefined;
    if (value === 'VersionTLS13') return 'TLSv1.3';
    if (['VersionTLS10', 'VersionTLS11', 'VersionTLS12'].includes(value)) return 'TLSv1.2';
    throw new FlagValueError(`\`${flag}=${value}\`: unknown TLS version (VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13)`, `unknown tls version "${value}"`);
  },
});

/** pflag IPVar. */
export const ip = (doc: string): FlagSpec<string | undefined> => ({
  kind: 'ip', doc, default: undefined,
  parse: (value, flag) => {
    if (value === '') return undefined;
    if (isIP(value) === 0) throw new FlagValueError(`\`${flag}=${value}\` is not an IP address`, invalidArgument(value, flag, `failed to parse IP: "${value}"`));
    return value;
  },
});

/** Client or server URLs, comma-separated (etcd's types.NewURLs: http or https with a host). */
export const urls = (doc: string, fallback: readonly string[]): FlagSpec<string[]> => ({
  kind: 'urls', doc, default: [...fallback],
  parse: (value, flag) => {
    const items = list(value);
    for (const item of items) {
      let url: URL;
      try {
        url = new URL(item);
      } catch {
        throw new FlagValueError(`\`${flag}=${value}\`: \`${item}\` is not a URL`, `parse "${item}": invalid URI for request`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new FlagValueError(`\`${flag}=${value}\`: \`${item}\` is not an http(s) URL`, `URL scheme must be http, https, unix, or unixs: ${item}`);
      }
    }
    return items.length > 0 ? items : [...fallback];
  },
});

/** `--service-account-issuer`: kube-apiserver refuses an issuer with a colon that is not a URL. */
export const issuers = (doc: string): FlagSpec<string[]> => ({
  kind: 'issuers', doc, default: [],
  parse: (value, flag) => {
    const items = list(value);
    for (const item of items) {
      if (!item.includes(':')) continue;
      try {
        new URL(item);
      } catch {
        throw new FlagValueError(`\`${flag}=${value}\`: \`${item}\` has a colon but is not a URL`, `service-account-issuer "${item}" contained a ':' but was not a valid URL`);
      }
    }
    return items;
  },
});

/** etcd's --initial-cluster (types.NewURLsMap): `name=url,…`, every URL http(s); kept as written (component-base/etcd-peer.ts reads the members). */
export const initialCluster = (doc: string, fallback: string): FlagSpec<string> => ({
  kind: 'initial-cluster', doc, default: fallback,
  parse: (value, flag) => {
    for (const item of list(value)) {
      const url = item.slice(item.indexOf('=') + 1);
      if (!/^https?:\/\/[^/]+\/?$/.test(url) || !item.includes('=')) {
        throw new FlagValueError(`\`${flag}=${value}\`: \`${item}\` is not name=http(s) URL`, `error setting up initial cluster: URL scheme must be http, https, unix, or unixs: ${item.includes('=') ? url : ''}`);
      }
    }
    return value;
  },
});
