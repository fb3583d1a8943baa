/**
 * Two pieces of Python's string semantics that output-scalar capture depends on, written
 * from CPython 3.11's documented behaviour:
 *
 * - `float(text)`: Guild converts every captured value with `float`, so `1_000`, ` 5 `,
 *   `-Infinity`, `nan` and full-width digits are numbers and `1e`, `.`, `0x1` are not.
 * - `str.rstrip()`: Guild strips each output line with it before matching, and Python's
 *   whitespace is not JavaScript's `\s` (it has U+001C..U+001F and U+0085, not U+FEFF).
 */

/** The characters `str.isspace()` accepts (the same set as `\s` in a Unicode `re` pattern). */
export const PY_WHITESPACE_CLASS =
  '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const PY_SPACE = new RegExp(`^[${PY_WHITESPACE_CLASS}]$`, 'u');
const TRAILING_PY_SPACE = new RegExp(`[${PY_WHITESPACE_CLASS}]+$`, 'u');

/** Whether `code` (a UTF-16 code unit; all Python whitespace is in the BMP) is Python whitespace. */
export function isPyWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return PY_SPACE.test(String.fromCharCode(code));
}

/** `text.rstrip()` as Python does it. */
export function pyRstrip(text: string): string {
  const n = text.length;
  if (n === 0 || !isPyWhitespace(text.charCodeAt(n - 1))) return text;
  return text.replace(TRAILING_PY_SPACE, '');
}

const PLAIN_DECIMAL = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;
const INF_OR_NAN = /^([-+]?)(?:(inf|infinity)|nan)$/i;
const NEEDS_TRANSFORM = /[^\x21-\x7e]/;
const UNICODE_DIGIT = /\p{Nd}/u;

/**
 * Python's `float(text)`: the number, or `null` where Python raises ValueError. Exact for
 * every string (its digits of other scripts follow this Node's Unicode tables).
 */
export function parsePyFloat(text: string): number | null {
  const fast = plainDecimal(text);
  if (fast !== undefined) return fast;
  // The common case: an ASCII decimal with no spaces or underscores, which JavaScript's
  // Number() reads to the same double (both round correctly).
  if (PLAIN_DECIMAL.test(text)) return Number(text);
  let s = text;
  if (NEEDS_TRANSFORM.test(s)) {
    // CPython first maps Unicode whitespace to ' ', decimal digits of any script to ASCII,
    // and other non-ASCII characters to something that cannot parse.
    let out = '';
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += ch;
      else if (cp <= 0xffff && isPyWhitespace(cp)) out += ' ';
      else if (UNICODE_DIGIT.test(ch)) out += String(unicodeDigitValue(cp));
      else return null;
    }
    s = out;
  }
  if (s.includes('_')) {
    // PEP 515: an underscore only between two digits (checked before spaces are stripped).
    let prev = '';
    let kept = '';
    for (const ch of s) {
      if (ch === '_') {
        if (!(prev >= '0' && prev <= '9')) return null;
      } else {
        if (prev === '_' && !(ch >= '0' && ch <= '9')) return null;
        kept += ch;
      }
      prev = ch;
    }
    if (prev === '_') return null;
    s = kept;
  }
  s = s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  if (PLAIN_DECIMAL.test(s)) return Number(s);
  const special = INF_OR_NAN.exec(s);
  if (special) {
    if (!special[2]) return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return null;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `[-+]digits[.digits]` with at most 15 digits, without Number()'s general parser: the
 * digits make an integer below 2^53 and dividing it by an exact power of ten rounds once,
 * correctly (the fast path of every correct strtod). Otherwise undefined.
 */
function plainDecimal(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 17) return undefined;
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i = 1;
  let m = 0;
  let digits = 0;
  let fraction = 0;
  let dot = false;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) fraction++;
    } else if (c === 46 && !dot) dot = true;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  const value = fraction === 0 ? m : m / POW10[fraction]!;
  return negative ? -value : value;
}

/**
 * The value 0..9 of a decimal digit of any script (category Nd). Unicode keeps these in
 * runs of ten from zero to nine, so the distance from the run's start, mod 10, is the value.
 */
function unicodeDigitValue(cp: number): number {
  let start = cp;
  while (start > 0 && UNICODE_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Python's order of strings (by code point; JavaScript's `<` compares UTF-16 units). */
export function comparePyStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Only a difference involving a surrogate can order differently by code point.
      if ((x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff)) {
        return a.codePointAt(i)! - b.codePointAt(i)!;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}
