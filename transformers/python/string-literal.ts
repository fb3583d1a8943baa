/**
 * The value of one Python string literal token, decoded as Python would: prefixes, raw
 * strings, and the escapes of non-raw ones. `\N{NAME}` is kept as written, since naming
 * every Unicode character would need the Unicode name table.
 */

/** A decoded string literal and the quote character it was written with. */
export interface DecodedString {
  value: string;
  quote: '"' | "'";
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Decodes the text of a string token. Returns null for literals that are not flag values:
 * f-strings (and t-strings), which are code, and bytes. Throws a plain `Error` naming the
 * bad escape; the caller adds the file and line.
 */
export function decodeStringLiteral(text: string): DecodedString | null {
  let q = 0;
  while (text[q] !== '"' && text[q] !== "'") q++;
  const prefix = text.slice(0, q).toLowerCase();
  if (/[fbt]/.test(prefix)) return null;
  const quote = text[q] as '"' | "'";
  const fence = text.startsWith(quote.repeat(3), q) ? 3 : 1;
  // Python reads source with universal newlines, so a CRLF inside a triple-quoted string is "\n".
  const body = text.slice(q + fence, text.length - fence).replace(/\r\n?/g, '\n');
  return { value: prefix.includes('r') ? body : decodeEscapes(body), quote };
}

function decodeEscapes(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const slash = body.indexOf('\\', i);
    if (slash < 0) break;
    out += body.slice(i, slash);
    const [decoded, end] = decodeEscape(body, slash + 1);
    out += decoded;
    i = end;
  }
  return out + body.slice(i);
}

/** Decodes the escape whose letter is at `i` (just after the backslash): [text, end offset]. */
function decodeEscape(body: string, i: number): [string, number] {
  const letter = body[i] ?? '';
  if (letter === '\n') return ['', i + 1];
  const simple = SIMPLE_ESCAPES[letter];
  if (simple !== undefined) return [simple, i + 1];
  const octal = /^[0-7]{1,3}/.exec(body.slice(i, i + 3));
  if (octal) return [String.fromCharCode(parseInt(octal[0], 8)), i + octal[0].length];
  const width = HEX_DIGITS[letter];
  if (width !== undefined) {
    const digits = body.slice(i + 1, i + 1 + width);
    const code = digits.length === width && /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : NaN;
    if (!(code <= 0x10ffff)) throw new Error(`invalid \\${letter} escape "\\${letter}${digits}"`);
    return [String.fromCodePoint(code), i + 1 + width];
  }
  return [`\\${letter}`, i + 1];
}
