import { formatIP, isIP } from '../util/ip.js';
import { derElements } from '../pki/der.js';
import type { GoFacts, NameConstraints } from './go-facts.js';
import { parseMailbox, reverseLabels, uriHost, type Mailbox } from './go-names.js';

/**
 * The name constraints part of Go's Certificate.isValid for a CA: every DNS name, IP address,
 * email address and URI in the leaf's SAN extension (and the CA's own) must not be excluded and must
 * be permitted when the CA permits any of its type, in Go's words. Go 1.23's matching is followed:
 * an email domain constraint matches as a DNS one does (subdomains too; Go fixed that later).
 */
const PREFIX = 'x509: a root or intermediate certificate is not authorized to sign for this name: ';

export function checkNameConstraints(ca: GoFacts, leaf: GoFacts): string | null {
  const nc = ca.nameConstraints;
  if (!nc) return null;
  for (const san of [leaf.san, ca.san]) {
    if (!san) continue;
    for (const name of derElements(san)) {
      const tag = name[0]! & 0x1f;
      const value = name.subarray(headerLength(name));
      const text = value.toString('latin1');
      const error = tag === 2 ? dnsName(nc, text) : tag === 7 ? ipAddress(nc, value) : tag === 1 ? email(nc, text) : tag === 6 ? uri(nc, text) : null;
      if (error) return error;
    }
  }
  return null;
}

function headerLength(element: Buffer): number {
  const first = element[1]!;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function matchDomain(domain: string, constraint: string): boolean | string {
  if (constraint.length === 0) return true;
  const labels = reverseLabels(domain);
  if (!labels) return `x509: internal error: cannot parse domain ${JSON.stringify(domain)}`;
  const mustHaveSubdomains = constraint.startsWith('.');
  const wanted = reverseLabels(mustHaveSubdomains ? constraint.slice(1) : constraint);
  if (!wanted) return `x509: internal error: cannot parse domain ${JSON.stringify(constraint)}`;
  if (labels.length < wanted.length || (mustHaveSubdomains && labels.length === wanted.length)) return false;
  return wanted.every((label, i) => label.toLowerCase() === labels[i]!.toLowerCase());
}

function check<T>(nameType: string, name: string, match: (c: T) => boolean | string, permitted: T[], excluded: T[], show: (c: T) => string): string | null {
  for (const constraint of excluded) {
    const m = match(constraint);
    if (typeof m === 'string') return PREFIX + m;
    if (m) return `${PREFIX}${nameType} ${JSON.stringify(name)} is excluded by constraint ${JSON.stringify(show(constraint))}`;
  }
  let ok = true;
  for (const constraint of permitted) {
    const m = match(constraint);
    if (typeof m === 'string') return PREFIX + m;
    if ((ok = m)) break;
  }
  return ok ? null : `${PREFIX}${nameType} ${JSON.stringify(name)} is not permitted by any constraint`;
}

function dnsName(nc: NameConstraints, name: string): string | null {
  if (!reverseLabels(name)) return `x509: cannot parse dnsName ${JSON.stringify(name)}`;
  return check('DNS name', name, (c: string) => matchDomain(name, c), nc.permittedDNS, nc.excludedDNS, (c) => c);
}

function ipAddress(nc: NameConstraints, ip: Buffer): string | null {
  if (ip.length !== 4 && ip.length !== 16) return `x509: internal error: IP SAN ${ip.toString('hex')} failed to parse`;
  const text = ip.length === 4 ? [...ip].join('.') : formatIP(ip.toString('hex').match(/.{4}/g)!.join(':'));
  const match = (c: Buffer) => c.length === ip.length * 2 && [...ip].every((b, i) => (b & c[ip.length + i]!) === (c[i]! & c[ip.length + i]!));
  // Go prints a constraint as net.IPNet.String(): address/prefix length.
  const show = (c: Buffer) => {
    const half = c.length / 2;
    const bits = [...c.subarray(half)].reduce((n, b) => n + b.toString(2).replace(/0/g, '').length, 0);
    const addr = half === 4 ? [...c.subarray(0, 4)].join('.') : formatIP(c.subarray(0, 16).toString('hex').match(/.{4}/g)!.join(':'));
    return `${addr}/${bits}`;
  };
  return check('IP address', text, match, nc.permittedIP, nc.excludedIP, show);
}

/** matchEmailConstraint: a constraint with an @ is one mailbox (local part exact, domain any case), else a domain constraint on the mailbox's domain. */
function email(nc: NameConstraints, name: string): string | null {
  const mailbox = parseMailbox(name);
  // Go formats the (empty) mailbox struct with %q here, not the name.
  if (!mailbox) return 'x509: cannot parse rfc822Name {"" ""}';
  const match = (c: string): boolean | string => {
    if (!c.includes('@')) return matchDomain(mailbox.domain, c);
    const wanted: Mailbox | undefined = parseMailbox(c);
    if (!wanted) return `x509: internal error: cannot parse constraint ${JSON.stringify(c)}`;
    return mailbox.local === wanted.local && mailbox.domain.toLowerCase() === wanted.domain.toLowerCase();
  };
  return check('email address', name, match, nc.permittedEmail, nc.excludedEmail, (c) => c);
}

/** matchURIConstraint: the URI's host (its port dropped) as a domain; a URI without a host, or with an IP, matches no constraint: an error. */
function uri(nc: NameConstraints, name: string): string | null {
  const parsed = uriHost(name);
  if ('error' in parsed) return `x509: internal error: URI SAN ${JSON.stringify(name)} failed to parse`;
  const match = (c: string): boolean | string => {
    let host = parsed.host;
    if (host.length === 0) return `URI with empty host (${JSON.stringify(name)}) cannot be matched against constraints`;
    if (host.includes(':') && !host.endsWith(']')) host = host.slice(0, host.lastIndexOf(':'));
    if ((host.startsWith('[') && host.endsWith(']')) || isIP(host)) return `URI with IP (${JSON.stringify(name)}) cannot be matched against constraints`;
    return matchDomain(host, c);
  };
  return check('URI', name, match, nc.permittedURI, nc.excludedURI, (c) => c);
}
