/**
 * The three extension values the hot paths read — key identifiers and key usage bits — found
 * directly in a certificate's DER. node:crypto exposes none of them, and a full @peculiar/x509
 * parse costs about a millisecond per certificate, more than the TLS handshake it serves.
 * Each extension is located by its OID inside the extensions and read per RFC 5280.
 */
const OIDS = {
  subjectKeyId: [0x06, 0x03, 0x55, 0x1d, 0x0e],
  authorityKeyId: [0x06, 0x03, 0x55, 0x1d, 0x23],
  keyUsage: [0x06, 0x03, 0x55, 0x1d, 0x0f],
} as const;

function header(der: Uint8Array, at: number): { length: number; content: number } {
  const first = der[at + 1]!;
  if (first < 0x80) return { length: first, content: at + 2 };
  let length = 0;
  const count = first & 0x7f;
  for (let i = 0; i < count; i++) length = length * 256 + der[at + 2 + i]!;
  return { length, content: at + 2 + count };
}

/** The extnValue OCTET STRING's contents of the extension with this OID, or undefined. */
function extensionValue(der: Uint8Array, oid: readonly number[]): Uint8Array | undefined {
  outer: for (let i = 0; i + oid.length < der.length; i++) {
    for (let j = 0; j < oid.length; j++) if (der[i + j] !== oid[j]) continue outer;
    let at = i + oid.length;
    if (der[at] === 0x01) at += 3; // critical BOOLEAN
    if (der[at] !== 0x04) continue;
    const { length, content } = header(der, at);
    return der.subarray(content, content + length);
  }
  return undefined;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export function subjectKeyIdHex(der: Uint8Array): string | undefined {
  const value = extensionValue(der, OIDS.subjectKeyId);
  if (!value || value[0] !== 0x04) return undefined;
  const { length, content } = header(value, 0);
  return hex(value.subarray(content, content + length));
}

export function authorityKeyIdHex(der: Uint8Array): string | undefined {
  const value = extensionValue(der, OIDS.authorityKeyId);
  if (!value || value[0] !== 0x30) return undefined;
  const seq = header(value, 0);
  if (value[seq.content] !== 0x80) return undefined; // [0] keyIdentifier
  const { length, content } = header(value, seq.content);
  return hex(value.subarray(content, content + length));
}

/** KeyUsage bits as a number in RFC 5280 bit order (digitalSignature = 0x80 of the first byte …), or undefined when absent. */
export function keyUsageBits(der: Uint8Array): number | undefined {
  const value = extensionValue(der, OIDS.keyUsage);
  if (!value || value[0] !== 0x03) return undefined;
  const { length, content } = header(value, 0);
  const bytes = value.subarray(content + 1, content + length);
  return (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8);
}

/** keyCertSign is bit 5: 0x04 in the first byte. */
export const KEY_CERT_SIGN = 0x04;
