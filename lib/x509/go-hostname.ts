import type { IssuedCert } from '../pki/issue.js';
import { formatIP, isIP, sameIP } from '../util/ip.js';

// Per certificate object: a reused serving certificate is read once, not on every dial.
const sanCache = new WeakMap<IssuedCert, { dns: string[]; ips: string[] }>();

/** The SAN lists Go reads (DNSNames and IPAddresses); the caller's own copies. */
export function sanLists(cert: IssuedCert): { dns: string[]; ips: string[] } {
  const { dns, ips } = cachedSanLists(cert);
  return { dns: [...dns], ips: [...ips] };
}

function cachedSanLists(cert: IssuedCert): { dns: string[]; ips: string[] } {
  let lists = sanCache.get(cert);
  if (!lists) sanCache.set(cert, (lists = readSanLists(cert)));
  return lists;
}

function readSanLists(cert: IssuedCert): { dns: string[]; ips: string[] } {
  const san = cert.node.subjectAltName ?? '';
  const entries = san ? san.split(', ') : [];
  return {
    dns: entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4)),
    ips: entries.filter((e) => e.startsWith('IP Address:')).map((e) => formatIP(e.slice(11))),
  };
}

/** Go's Certificate.VerifyHostname and HostnameError wording. */
export function verifyHostname(cert: IssuedCert, host: string): { reason: 'SAN_MISMATCH'; error: string } | null {
  const { dns, ips } = cachedSanLists(cert);
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (isIP(host)) {
    if (ips.some((ip) => sameIP(ip, host))) return null;
  } else if (dns.some((name) => matchHostname(name.toLowerCase(), lower))) {
    return null;
  }
  // HostnameError.Error(): the legacy Common Name comes first, for an IP host too.
  const cn = cert.node.subject.split('\n').filter((l) => l.startsWith('CN=')).at(-1)?.slice(3) ?? '';
  if (!cert.node.subjectAltName && matchHostname(cn.toLowerCase(), lower)) {
    return { reason: 'SAN_MISMATCH', error: 'x509: certificate relies on legacy Common Name field, use SANs instead' };
  }
  if (isIP(host)) {
    if (ips.length === 0) return { reason: 'SAN_MISMATCH', error: `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs` };
    return { reason: 'SAN_MISMATCH', error: `x509: certificate is valid for ${ips.join(', ')}, not ${host}` };
  }
  if (dns.length === 0) return { reason: 'SAN_MISMATCH', error: `x509: certificate is not valid for any names, but wanted to match ${host}` };
  return { reason: 'SAN_MISMATCH', error: `x509: certificate is valid for ${dns.join(', ')}, not ${host}` };
}

function matchHostname(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const rest = host.slice(host.indexOf('.') + 1);
  return host.includes('.') && pattern.slice(2) === rest;
}
