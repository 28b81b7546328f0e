/**
 * The few DER shapes the library writes by hand around @peculiar's schema: a tag and length
 * around content, and sequences of parts already encoded (a request or certificate body whose
 * key is already SubjectPublicKeyInfo DER need not be parsed only to be written out again).
 */
export function derTag(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

export function derSequence(parts: readonly Buffer[]): Buffer {
  return derTag(0x30, Buffer.concat(parts));
}

export function derSet(parts: readonly Buffer[]): Buffer {
  return derTag(0x31, Buffer.concat(parts));
}

/** The elements inside one constructed DER element (a SEQUENCE's fields), each as its own encoded bytes. */
export function derElements(der: Buffer): Buffer[] {
  const outer = header(der, 0);
  const elements: Buffer[] = [];
  for (let at = outer.contentStart; at < outer.end;) {
    const inner = header(der, at);
    if (inner.end > outer.end) throw new Error('DER element runs past its parent');
    elements.push(der.subarray(at, inner.end));
    at = inner.end;
  }
  return elements;
}

function header(der: Buffer, at: number): { contentStart: number; end: number } {
  if (at + 2 > der.length) throw new Error('truncated DER');
  const first = der[at + 1]!;
  if (first < 0x80) return { contentStart: at + 2, end: at + 2 + first };
  const count = first & 0x7f;
  if (count === 0 || count > 4 || at + 2 + count > der.length) throw new Error('unsupported DER length');
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[at + 2 + i]!;
  const contentStart = at + 2 + count;
  if (contentStart + length > der.length) throw new Error('truncated DER');
  return { contentStart, end: contentStart + length };
}

/** Where the DER element starting at `at` ends (its header and content). */
export function derEnd(der: Buffer, at = 0): number {
  return header(der, at).end;
}
