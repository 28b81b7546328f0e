import { derElements } from '../pki/der.js';
import { isIP } from '../util/ip.js';
import { parseMailbox, reverseLabels, uriHost } from './go-names.js';

/**
 * The certificates Go's x509.ParseCertificate refuses although OpenSSL loads them, with Go's error
 * text: Go reads every extension it knows strictly, and a component given such a certificate does
 * not start (a peer's is refused in the handshake). Go 1.23's parser is followed, the one
 * Kubernetes 1.32 is built with; Debian's Go 1.19 accepts two of these: duplicate extensions (refused
 * since Go 1.22) and negative serial numbers (refused since Go 1.23, GODEBUG x509negativeserial=1
 * restores them). The checks run in parseCertificate's order: serial, public key, the extension
 * list (duplicates), then each extension's value in the certificate's order.
 */
export function goParseError(der: Buffer): string | undefined {
  try {
    return check(der);
  } catch {
    return 'x509: malformed certificate';
  }
}

const content = (element: Buffer): Buffer => {
  const first = element[1]!;
  return element.subarray(first < 0x80 ? 2 : 2 + (first & 0x7f));
};

// Go's namedCurveFromOID: P-224, P-256, P-384, P-521 (content bytes of the curve OID, hex).
const GO_CURVES = new Set(['2b81040021', '2a8648ce3d030107', '2b81040022', '2b81040023']);
const EC_PUBLIC_KEY = '2a8648ce3d0201';
const SAN = '551d11';
const NAME_CONSTRAINTS = '551d1e';
const AIA = '2b06010505070101';

function check(der: Buffer): string | undefined {
  const tbs = derElements(derElements(der)[0]!);
  const at = tbs[0]![0] === 0xa0 ? 1 : 0;
  const serial = content(tbs[at]!);
  if (serial.length > 0 && (serial[0]! & 0x80) !== 0) return 'x509: negative serial number';
  const [algorithm] = derElements(tbs[at + 5]!);
  const [oid, params] = derElements(algorithm!);
  if (content(oid!).toString('hex') === EC_PUBLIC_KEY && params?.[0] === 0x06 && !GO_CURVES.has(content(params).toString('hex'))) {
    return 'x509: unsupported elliptic curve';
  }
  const extensions = tbs.slice(at + 6).find((e) => e[0] === 0xa3);
  if (!extensions) return undefined;
  const list = derElements(content(extensions)).map((e) => derElements(e));
  const seen = new Set<string>();
  for (const fields of list) {
    const id = content(fields[0]!);
    if (seen.has(id.toString('hex'))) return `x509: certificate contains duplicate extension with OID "${oidString(id)}"`;
    seen.add(id.toString('hex'));
  }
  for (const fields of list) {
    const id = content(fields[0]!).toString('hex');
    const value = content(fields[fields.length - 1]!);
    const error = id === SAN ? sanError(value) : id === NAME_CONSTRAINTS ? constraintError(value) : id === AIA ? aiaError(value) : undefined;
    if (error) return error;
  }
  return undefined;
}

function oidString(id: Buffer): string {
  const parts = [Math.floor(id[0]! / 40), id[0]! % 40];
  let n = 0;
  for (const byte of id.subarray(1)) {
    n = n * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

/** parseSANExtension: a SEQUENCE of GeneralNames; an IP address must be 4 or 16 bytes, a dNSName IA5. */
function sanError(value: Buffer): string | undefined {
  if (value[0] !== 0x30) return 'x509: invalid subject alternative names';
  let names: Buffer[];
  try {
    names = derElements(value);
  } catch {
    return 'x509: invalid subject alternative name';
  }
  for (const name of names) {
    const data = content(name);
    const tag = name[0]! & 0x1f;
    if (tag === 7 && data.length !== 4 && data.length !== 16) return `x509: cannot parse IP address of length ${data.length}`;
    if (tag === 2 && data.some((b) => b > 0x7f)) return 'x509: SAN dNSName is malformed';
    if (tag === 1 && data.some((b) => b > 0x7f)) return 'x509: SAN rfc822Name is malformed';
    if (tag === 6) {
      if (data.some((b) => b > 0x7f)) return 'x509: SAN uniformResourceIdentifier is malformed';
      const uri = data.toString('latin1');
      const parsed = uriHost(uri);
      if ('error' in parsed) return `x509: cannot parse URI ${JSON.stringify(uri)}: parse ${JSON.stringify(uri)}: ${parsed.error}`;
      if (parsed.host.length > 0 && !reverseLabels(parsed.host)) return `x509: cannot parse URI ${JSON.stringify(uri)}: invalid domain`;
    }
  }
  return undefined;
}

/**
 * parseNameConstraintsExtension's subtrees in order: a DNS, email or URI constraint must be a
 * domain (a leading dot allowed), an email one with an @ a mailbox, a URI one no IP address; an IP
 * one is address and mask, 8 or 32 bytes, the mask contiguous ones.
 */
function constraintError(value: Buffer): string | undefined {
  for (const subtrees of derElements(value)) {
    for (const subtree of derElements(Buffer.concat([Buffer.from([0x30]), subtrees.subarray(1)]))) {
      const base = derElements(subtree)[0]!;
      const tag = base[0]! & 0x1f;
      if (tag === 1 || tag === 2 || tag === 6) {
        const error = domainConstraintError(tag, content(base));
        if (error) return error;
      }
      if (tag !== 7) continue;
      const data = content(base);
      if (data.length !== 8 && data.length !== 32) return `x509: IP constraint contained value of length ${data.length}`;
      const mask = data.subarray(data.length / 2);
      const bits = [...mask].map((b) => b.toString(2).padStart(8, '0')).join('');
      if (/01/.test(bits)) return `x509: IP constraint contained invalid mask ${mask.toString('hex')}`;
    }
  }
  return undefined;
}

/** The authority information access extension: a SEQUENCE of SEQUENCEs, each starting with an OID. */
function aiaError(value: Buffer): string | undefined {
  const invalid = 'x509: invalid authority info access';
  if (value[0] !== 0x30) return invalid;
  try {
    for (const description of derElements(value)) {
      if (description[0] !== 0x30 || derElements(description)[0]?.[0] !== 0x06) return invalid;
    }
  } catch {
    return invalid;
  }
  return undefined;
}

const CONSTRAINT_TYPES: Record<number, string> = { 1: 'rfc822Name', 2: 'dnsName', 6: 'URI' };

function domainConstraintError(tag: number, data: Buffer): string | undefined {
  const text = data.toString('latin1');
  if (data.some((b) => b > 0x7f)) return `x509: invalid constraint value: x509: ${JSON.stringify(text)} cannot be encoded as an IA5String`;
  const failed = `x509: failed to parse ${CONSTRAINT_TYPES[tag]} constraint ${JSON.stringify(text)}`;
  if (tag === 6 && isIP(text)) return `${failed}: cannot be IP address`;
  if (tag === 1 && text.includes('@')) return parseMailbox(text) ? undefined : failed;
  return reverseLabels(text.startsWith('.') ? text.slice(1) : text) ? undefined : failed;
}
