/**
 * Character classes of the Python lexer, and the error it throws. Works on UTF-16 code
 * units: every character that matters to Python's grammar is ASCII, and any non-ASCII
 * unit is taken as part of an identifier, as Python allows letters of any script.
 */
import { TransformError } from '../errors.js';
import { lineAt } from '../shared/line-breaks.js';

/** Character codes the scanners compare against. */
export const CR = 0x0d;
export const LF = 0x0a;
export const BACKSLASH = 0x5c;
const QUOTE = 0x27;
const DQUOTE = 0x22;

/** `0`-`9`. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A letter, `_`, or any non-ASCII unit. */
export function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

/** What may follow the first character of an identifier. */
export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** `'` or `"`. */
export function isQuote(c: number): boolean {
  return c === QUOTE || c === DQUOTE;
}

/** `\n` or `\r` (a `\r\n` pair starts with `\r`). */
export function isLineBreak(c: number): boolean {
  return c === LF || c === CR;
}

/** The offset after the line break at `i` (`\r\n` counts as one). */
export function skipLineBreak(source: string, i: number): number {
  return source.charCodeAt(i) === CR && source.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
}

/** Lower-case `r`, `u`, `b`, `f`, `t`; `c | 0x20` is one of them only for that letter in either case. */
const R = 0x72;
const U = 0x75;
const B = 0x62;
const F = 0x66;
const T = 0x74;

/**
 * Whether `source[start, end)` is a string prefix such as `rb` or `F` (any case): one of
 * `r u b f t`, or `r` paired with `b`, `f` or `t` in either order.
 */
export function isStringPrefix(source: string, start: number, end: number): boolean {
  const a = source.charCodeAt(start) | 0x20;
  if (end - start === 1) return a === R || a === U || a === B || a === F || a === T;
  if (end - start !== 2) return false;
  const b = source.charCodeAt(start + 1) | 0x20;
  return (a === R && (b === B || b === F || b === T)) || (b === R && (a === B || a === F || a === T));
}

/** PEP 3131: an identifier is `_` or a character of XID_Start, then characters of XID_Continue. */
const IDENTIFIER = /^[\p{XID_Start}_]\p{XID_Continue}*$/u;

/** Whether `name` (as written) is an identifier Python accepts; the lexer takes any non-ASCII unit as part of one. */
export function isPythonIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A `source` error for a source that does not tokenize, naming `file:line`. */
export function syntaxError(source: string, file: string, offset: number, message: string): TransformError {
  const line = lineAt(source, offset);
  return new TransformError('source', `${file}:${line}: ${message}`, { file, line });
}
