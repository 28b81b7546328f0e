/**
 * The two name grammars Go's name constraints read besides DNS names: an rfc822Name as an RFC 2821
 * mailbox (crypto/x509's parseRFC2821Mailbox, its choices included: a space inside quotes and a
 * backslash outside them are accepted) and the host of a URI as net/url's Parse finds it.
 */
export interface Mailbox { local: string; domain: string }

/** Go's domainToReverseLabels: undefined when the name does not parse (an empty label, a byte outside 33…126). */
export function reverseLabels(domain: string): string[] | undefined {
  if (domain.length === 0) return [];
  const labels = domain.split('.').reverse();
  if (labels.some((l) => l.length === 0 || [...l].some((c) => c.charCodeAt(0) < 33 || c.charCodeAt(0) > 126))) return undefined;
  return labels;
}

const ATEXT = /^[0-9a-zA-Z!#$%&'*+\-/=?^_`{|}~.]$/;

function qtext(c: number): boolean {
  return c === 11 || c === 12 || c === 32 || c === 33 || c === 127 || (c >= 1 && c <= 8) || (c >= 14 && c <= 31) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126);
}

/** parseRFC2821Mailbox: undefined when `input` is no mailbox. */
export function parseMailbox(input: string): Mailbox | undefined {
  if (input.length === 0) return undefined;
  let i = 0;
  let local = '';
  if (input[0] === '"') {
    for (i = 1; ; ) {
      if (i >= input.length) return undefined;
      const c = input.charCodeAt(i++);
      if (c === 34) break;
      if (c === 92) {
        if (i >= input.length) return undefined;
        const n = input.charCodeAt(i);
        if (!(n === 11 || n === 12 || (n >= 1 && n <= 9) || (n >= 14 && n <= 127))) return undefined;
        local += input[i++];
      } else if (qtext(c)) local += String.fromCharCode(c);
      else return undefined;
    }
  } else {
    while (i < input.length) {
      if (input[i] === '\\') {
        i++;
        if (i >= input.length) return undefined;
      } else if (!ATEXT.test(input[i]!)) break;
      local += input[i++];
    }
    if (local.length === 0) return undefined;
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  }
  if (input[i] !== '@') return undefined;
  const domain = input.slice(i + 1);
  if (!reverseLabels(domain)) return undefined;
  return { local, domain };
}

/**
 * The Host net/url's Parse gives a URI (port included), '' for one without an authority
 * (`urn:…`, `spiffe:x`), or the reason it does not parse. Go's parser is followed for the common
 * shapes — fragment, scheme, query, authority, userinfo, the characters a host may hold.
 */
export function uriHost(uri: string): { host: string } | { error: string } {
  if ([...uri].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return { error: 'net/url: invalid control character in URL' };
  let rest = uri.split('#')[0]!;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (rest.startsWith(':')) return { error: 'missing protocol scheme' };
  if (scheme) rest = rest.slice(scheme[0].length);
  rest = rest.split('?')[0]!;
  if (!rest.startsWith('//') || (!scheme && rest.startsWith('///'))) return { host: '' };
  const authority = rest.slice(2).split('/')[0]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const bad = [...host].find((c) => !/[0-9a-zA-Z\-_.~!$&'()*+,;=:[\]<>"%]/.test(c) && c.charCodeAt(0) < 0x80);
  if (bad) return { error: `invalid character ${JSON.stringify(bad)} in host name` };
  return { host };
}
