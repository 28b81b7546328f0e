/**
 * Go's `%q` verb (strconv.Quote) for the strings Kubernetes quotes in its messages: a double-quoted
 * string with `\\`, `"` and control characters escaped (`\n`, `\x00`, `\u0085`). Other characters are
 * kept as is: Go also escapes a few non-printing Unicode code points that names in a cluster never hold.
 */
const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"',
};

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch];
    const cp = ch.codePointAt(0)!;
    if (short !== undefined) out += short;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd'; // a lone surrogate, which Node encodes as U+FFFD on the wire
    else out += ch;
  }
  return `${out}"`;
}
