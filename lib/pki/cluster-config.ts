import { isIP } from '../util/ip.js';
import { KubeMtlsSimError } from '../errors.js';
import type { ClusterConfig, Derived, RecordContext, San, Value } from './types.js';

/**
 * kubeadm's defaults (v1beta4), except the node name and advertise address, which kubeadm reads
 * from the host: the simulator uses fixed, readable ones instead.
 */
export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = {
  nodeName: 'control-plane',
  advertiseAddress: '10.0.0.10',
  bindPort: 6443,
  serviceSubnet: '10.96.0.0/12',
  dnsDomain: 'cluster.local',
  apiServerCertSans: [],
  etcdServerCertSans: [],
  etcdPeerCertSans: [],
};

// RFC 1123 subdomain, as Kubernetes validates node names.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function resolveClusterConfig(partial: Partial<ClusterConfig> = {}): ClusterConfig {
  const config: ClusterConfig = { ...DEFAULT_CLUSTER_CONFIG, ...stripUndefined(partial) };
  const bad = (field: string, why: string): never => {
    throw new KubeMtlsSimError('ERR_CLUSTER_CONFIG', `cluster config \`${field}\`: ${why}`, { field });
  };
  if (!DNS1123_SUBDOMAIN.test(config.nodeName) || config.nodeName.length > 253) {
    bad('nodeName', `"${config.nodeName}" is not a valid node name (a lowercase RFC 1123 subdomain)`);
  }
  if (isIP(config.advertiseAddress) === 0) bad('advertiseAddress', `"${config.advertiseAddress}" is not an IP address`);
  if (!Number.isInteger(config.bindPort) || config.bindPort < 1 || config.bindPort > 65535) {
    bad('bindPort', `${config.bindPort} is not a port number`);
  }
  if (!DNS1123_SUBDOMAIN.test(config.dnsDomain) || config.dnsDomain.length > 253) bad('dnsDomain', `"${config.dnsDomain}" is not a DNS domain`);
  firstServiceIP(config.serviceSubnet); // validates
  for (const [field, list] of [
    ['apiServerCertSans', config.apiServerCertSans],
    ['etcdServerCertSans', config.etcdServerCertSans],
    ['etcdPeerCertSans', config.etcdPeerCertSans],
  ] as const) {
    list.forEach((entry, i) => {
      if (isIP(entry) === 0 && !isDnsSan(entry)) bad(`${field}[${i}]`, `"${entry}" is neither an IP address nor a DNS name`);
    });
  }
  if (config.controlPlaneEndpoint !== undefined) {
    const { host, port } = splitHostPort(config.controlPlaneEndpoint);
    if (isIP(host) === 0 && !isDnsSan(host)) bad('controlPlaneEndpoint', `"${config.controlPlaneEndpoint}" is not host or host:port`);
    if (port !== undefined && (port < 1 || port > 65535)) bad('controlPlaneEndpoint', `port ${port} must be a valid number between 1 and 65535, inclusive`);
  }
  return config;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** As kubeadm checks certSANs: apimachinery's IsDNS1123Subdomain or IsWildcardDNS1123Subdomain (the pattern, at most 253 bytes in all). */
function isDnsSan(name: string): boolean {
  const domain = name.replace(/^\*\./, '');
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(domain);
}

/** `10.96.0.0/12` → `10.96.0.1`: the ClusterIP of the `kubernetes` Service. IPv4 and IPv6. */
export function firstServiceIP(cidr: string): string {
  const bad = (): never => {
    throw new KubeMtlsSimError('ERR_CLUSTER_CONFIG', `cluster config \`serviceSubnet\`: "${cidr}" is not a CIDR`, {
      field: 'serviceSubnet',
    });
  };
  const [base, bitsText] = cidr.split('/');
  if (base === undefined || bitsText === undefined || !/^\d+$/.test(bitsText)) return bad();
  const family = isIP(base);
  const bits = Number(bitsText);
  if (family === 4 && bits <= 30) {
    const parts = base.split('.').map(Number);
    const n = parts.reduce((acc, p) => acc * 256 + p, 0);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const first = ((n & mask) >>> 0) + 1;
    return [24, 16, 8, 0].map((s) => (first >>> s) & 255).join('.');
  }
  if (family === 6 && bits <= 126) {
    const big = ipv6ToBigInt(base);
    const mask = ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
    const first = (big & mask) + 1n;
    const groups: string[] = [];
    for (let i = 7; i >= 0; i--) groups.push(((first >> BigInt(i * 16)) & 0xffffn).toString(16));
    return compressIPv6(groups.join(':'));
  }
  return bad();
}

function ipv6ToBigInt(address: string): bigint {
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function compressIPv6(full: string): string {
  return full.replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

export function splitHostPort(endpoint: string): { host: string; port?: number } {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(endpoint);
  if (bracket) return bracket[2] ? { host: bracket[1]!, port: Number(bracket[2]) } : { host: bracket[1]! };
  if (isIP(endpoint) === 6) return { host: endpoint };
  const m = /^([^:]+)(?::(\d+))?$/.exec(endpoint);
  if (!m) return { host: endpoint };
  return m[2] ? { host: m[1]!, port: Number(m[2]) } : { host: m[1]! };
}

export function hostPortURL(host: string, port: number): string {
  return `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** `"10.0.0.1"` → `{ ip }`, anything else → `{ dns }`. */
export function toSan(entry: string): San {
  return isIP(entry) === 0 ? { dns: entry } : { ip: entry };
}

export function derived<T>(label: string, resolve: (context: RecordContext) => T): Derived<T> {
  return { label, resolve };
}

export function isDerived<T>(value: Value<T>): value is Derived<T> {
  return typeof value === 'object' && value !== null && 'resolve' in value && typeof value.resolve === 'function';
}

export function resolveValue<T>(value: Value<T>, context: RecordContext): T {
  return isDerived(value) ? value.resolve(context) : value;
}

/** How a table value is shown in the generated docs. */
export function describeValue(value: Value<unknown>): string {
  if (isDerived(value)) return value.label;
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(describeSan).join(', ');
  return String(value);
}

function describeSan(entry: unknown): string {
  if (typeof entry === 'object' && entry !== null) {
    if ('dns' in entry) return `DNS:${String(entry.dns)}`;
    if ('ip' in entry) return `IP:${String(entry.ip)}`;
  }
  return String(entry);
}
