/**
 * Character-level scanners for the R tokenizer. Each takes the offset where a token starts
 * and returns the offset after it, or -1 when the text is not valid R; `scanError` then
 * says why, so the hot path never builds a message.
 */

const NON_ASCII_START = /[\p{L}\p{Nl}]/u;
const NON_ASCII_PART = /[\p{L}\p{N}\p{M}\p{Pc}]/u;

const RAW_CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Whitespace R skips between tokens (no-break space included). */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0;
}

/** `"` or `'`, the quotes a string (raw or not) may open with. */
export function isStringQuote(c: number): boolean {
  return c === 34 || c === 39;
}

/** Whether char code `c` is an ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function nonAscii(source: string, i: number, pattern: RegExp): boolean {
  return pattern.test(String.fromCodePoint(source.codePointAt(i)!));
}

/** A letter, `.` not followed by a digit, or `_` (R 4.2's pipe placeholder). */
export function isNameStart(source: string, i: number): boolean {
  const c = source.charCodeAt(i);
  if (isAsciiLetter(c) || c === 95) return true;
  if (c === 46) return !isDigit(source.charCodeAt(i + 1));
  return c > 127 && nonAscii(source, i, NON_ASCII_START);
}

/** The rest of an identifier: letters, digits, `.` and `_`, unicode letters and marks included. */
export function scanName(source: string, i: number): number {
  const length = source.length;
  while (i < length) {
    const c = source.charCodeAt(i);
    if (isAsciiLetter(c) || isDigit(c) || c === 46 || c === 95) i++;
    else if (c > 127 && nonAscii(source, i, NON_ASCII_PART)) i += source.codePointAt(i)! > 0xffff ? 2 : 1;
    else break;
  }
  return i;
}

function scanDigits(source: string, i: number, hex: boolean): number {
  while (hex ? isHexDigit(source.charCodeAt(i)) : isDigit(source.charCodeAt(i))) i++;
  return i;
}

/** Decimal `1`, `1.5`, `.5`, `1e-3`, hex `0x1F`, `0x1.8p3`, each optionally suffixed `L` or `i`. */
export function scanNumber(source: string, i: number): number {
  const hex = source.charCodeAt(i) === 48 && (source[i + 1] === 'x' || source[i + 1] === 'X');
  if (hex) i += 2;
  i = scanDigits(source, i, hex);
  if (source[i] === '.') i = scanDigits(source, i + 1, hex);
  const mark = source[i];
  if (hex ? mark === 'p' || mark === 'P' : mark === 'e' || mark === 'E') {
    let j = i + 1;
    if (source[j] === '+' || source[j] === '-') j++;
    if (isDigit(source.charCodeAt(j))) i = scanDigits(source, j, false);
  }
  if (source[i] === 'L' || source[i] === 'i') i++;
  return i;
}

/** A `"`, `'` or backtick string with backslash escapes, which may span lines; -1 if unterminated. */
export function scanQuoted(source: string, i: number, quote: number): number {
  for (let j = i + 1; j < source.length; j++) {
    const c = source.charCodeAt(j);
    if (c === 92) j++;
    else if (c === quote) return j + 1;
  }
  return -1;
}

/** `r"(...)"`, `R'[...]'`, `r"---{...}---"`: no escapes, ends at the first matching closer; -1 if invalid. */
export function scanRaw(source: string, i: number): number {
  const quote = source[i + 1]!;
  let j = i + 2;
  while (source.charCodeAt(j) === 45) j++;
  const closer = RAW_CLOSERS[source[j] ?? ''];
  if (closer === undefined) return -1;
  const dashes = j - i - 2;
  const end = source.indexOf(closer + '-'.repeat(dashes) + quote, j + 1);
  return end < 0 ? -1 : end + dashes + 2;
}

/** `%op%`, which must close on its own line; -1 if it does not. */
function scanPercent(source: string, i: number): number {
  for (let j = i + 1; j < source.length; j++) {
    const c = source.charCodeAt(j);
    if (c === 37) return j + 1;
    if (c === 10 || c === 13) break;
  }
  return -1;
}

/**
 * An operator, longest match first (`<<-` before `<-` before `<`), `%op%` included;
 * -1 for a character R does not accept.
 */
export function scanOperator(source: string, i: number): number {
  const next = source.charCodeAt(i + 1);
  switch (source.charCodeAt(i)) {
    case 60: // <
      if (next === 60 && source.charCodeAt(i + 2) === 45) return i + 3;
      return next === 45 || next === 61 ? i + 2 : i + 1;
    case 45: // -
      if (next !== 62) return i + 1;
      return source.charCodeAt(i + 2) === 62 ? i + 3 : i + 2;
    case 58: // :
      if (next === 58) return source.charCodeAt(i + 2) === 58 ? i + 3 : i + 2;
      return next === 61 ? i + 2 : i + 1;
    case 124: // |
      return next === 124 || next === 62 ? i + 2 : i + 1;
    case 62: // >
    case 61: // =
    case 33: // !
      return next === 61 ? i + 2 : i + 1;
    case 38: // &
      return next === 38 ? i + 2 : i + 1;
    case 42: // *
      return next === 42 ? i + 2 : i + 1;
    case 37: // %
      return scanPercent(source, i);
    case 43:
    case 47:
    case 94:
    case 126:
    case 63:
    case 36:
    case 64:
    case 92: // + / ^ ~ ? $ @ \
      return i + 1;
    default:
      return -1;
  }
}

/** Why the token starting at `i` could not be scanned, for the error message. */
export function scanError(source: string, i: number): string {
  const c = source[i]!;
  if (c === '`') return 'unterminated backtick name';
  if (c === '"' || c === "'") return 'unterminated string';
  if (c === '%') return 'unterminated %operator%';
  if (c === 'r' || c === 'R') {
    let j = i + 2;
    while (source[j] === '-') j++;
    return RAW_CLOSERS[source[j] ?? '']
      ? 'unterminated raw string'
      : 'malformed raw string literal: expected (, [ or { after the quote';
  }
  return `unexpected character ${JSON.stringify(String.fromCodePoint(source.codePointAt(i)!))}`;
}
