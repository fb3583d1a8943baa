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

/** Printable ASCII but the quotes, the backtick and the backslash: what every literal holds as itself. */
const PLAIN = new Uint8Array(0x80).map((_, code) =>
  code >= 0x20 && code < 0x7f && !`"'\`\\`.includes(String.fromCharCode(code)) ? 1 : 0,
);
/** Pieces joined into one flat string at a time: the rest are garbage young. */
const PIECES_PER_JOIN = 4096;

/** The body of a one-line string literal quoted by `quote` (see {@link escapeChar}). */
export function escapeString(
  value: string,
  quote: string,
  astral: (code: number) => string,
  opts: { ascii?: boolean } = {},
): string {
  return escapeRuns(value, (char) => escapeChar(char, quote, astral, opts));
}

/**
 * `value` with every character (code point, or lone surrogate) but plain printable ASCII,
 * which `escapeOne` must leave as it is, replaced by `escapeOne(char)`. The runs of plain
 * ones are copied as slices, and the pieces joined a few thousand at a time: a string built
 * a character at a time (10 million pieces for a 10 MB default) spent seconds in the
 * garbage collector.
 */
export function escapeRuns(value: string, escapeOne: (char: string) => string): string {
  const joined: string[] = [];
  let pieces: string[] = [];
  let last = 0;
  for (let i = 0; i < value.length; ) {
    const code = value.charCodeAt(i);
    if (code < 0x80 && PLAIN[code] === 1) {
      i++;
      continue;
    }
    const width = isHighSurrogate(code) && isLowSurrogate(value.charCodeAt(i + 1)) ? 2 : 1;
    pieces.push(value.slice(last, i), escapeOne(value.slice(i, i + width)));
    i += width;
    last = i;
    if (pieces.length >= PIECES_PER_JOIN) {
      joined.push(pieces.join(''));
      pieces = [];
    }
  }
  pieces.push(value.slice(last));
  joined.push(pieces.join(''));
  return joined.join('');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** `code` in lower-case hexadecimal, zero-padded to `width` digits. */
export function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
