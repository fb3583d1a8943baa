/**
 * One character inside a one-line string literal, as Python and JavaScript both escape it.
 * Only the form of a character beyond the BMP differs between them (`\U0001f600` and
 * `\u{1f600}`), so each language passes its own.
 */

/** Characters that do not print as themselves: controls, format, surrogates, unassigned, separators. */
const INVISIBLE = /[\p{C}\p{Z}]/u;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `char` as it stands in a literal quoted by `quote`: the quote and the backslash escaped,
 * `\n`, `\r`, `\t`, any other invisible character as `\xHH` or `\uHHHH`, beyond the BMP as
 * `astral(code)`; a space and every visible character as itself, or with `ascii` only the
 * visible ASCII ones (for files whose encoding reads other bytes differently).
 */
export function escapeChar(
  char: string,
  quote: string,
  astral: (code: number) => string,
  opts: { ascii?: boolean } = {},
): string {
  if (char === quote) return `\\${quote}`;
  const short = SHORT_ESCAPES[char];
  if (short !== undefined) return short;
  if (char === ' ' || (!INVISIBLE.test(char) && (!opts.ascii || char <= '\x7e'))) return char;
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  return code <= 0xffff ? `\\u${hex(code, 4)}` : astral(code);
}

/** `code` in lower-case hexadecimal, zero-padded to `width` digits. */
export function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
