/**
 * Where the Python tokens that need no context end: numbers, names, operators, blanks.
 * Shared by the lexer's two modes, so both split code into the same tokens.
 */
import { BACKSLASH, isDigit, isIdentPart, isIdentStart, isLineBreak } from './chars.js';
import { Tok } from './tokens.js';

const DOT = 0x2e;
const EQ = 0x3d;
const HASH = 0x23;

/** The blanks between tokens: space, tab and form feed. */
export function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0c;
}

/**
 * What each ASCII character does as an operator, in one table so the hot loop needs no
 * hashing: the low five bits are its one-character token kind (0: not an operator), and
 * the flags say how it combines with what follows.
 */
const OPERATOR_INFO = new Uint8Array(128);
/** Doubles (`**`, `//`, `<<`, `>>`) and then takes `=` as an augmented assignment. */
const DOUBLES = 0x20;
/** Takes `=` to form an augmented assignment (`+=`). */
const AUGMENTS = 0x40;
/** Takes `=` to form a comparison or walrus (`==`, `!=`, `<=`, `:=`). */
const COMPARES = 0x80;
for (const [chars, kind] of [
  ['=', Tok.EQUAL],
  [':', Tok.COLON],
  [';', Tok.SEMI],
  [',', Tok.COMMA],
  ['(', Tok.LPAR],
  [')', Tok.RPAR],
  ['[', Tok.LSQB],
  [']', Tok.RSQB],
  ['{', Tok.LBRACE],
  ['}', Tok.RBRACE],
  ['-', Tok.MINUS],
  ['+', Tok.PLUS],
  ['@', Tok.AT],
  ['.', Tok.DOT],
  ['*/%&|^~<>', Tok.OP],
] as const) {
  for (const char of chars) OPERATOR_INFO[char.charCodeAt(0)] = kind;
}
for (const char of '*/<>') OPERATOR_INFO[char.charCodeAt(0)]! |= DOUBLES;
for (const char of '+-*/%@&|^') OPERATOR_INFO[char.charCodeAt(0)]! |= AUGMENTS;
for (const char of '=!<>:') OPERATOR_INFO[char.charCodeAt(0)]! |= COMPARES;

/**
 * The operator at `i`, longest match first, packed as `length << 8 | kind` so that the
 * hot loop allocates nothing; length 0 when there is none.
 */
export function operatorAt(src: string, i: number): number {
  const c = src.charCodeAt(i);
  const info = c < 128 ? OPERATOR_INFO[c]! : 0;
  const next = src.charCodeAt(i + 1);
  if (info & DOUBLES && next === c) return src.charCodeAt(i + 2) === EQ ? (3 << 8) | Tok.AUGASSIGN : (2 << 8) | Tok.OP;
  if (next === EQ && info & AUGMENTS) return (2 << 8) | Tok.AUGASSIGN;
  if (next === EQ && info & COMPARES) return (2 << 8) | Tok.OP;
  if (c === DOT && next === DOT && src.charCodeAt(i + 2) === DOT) return (3 << 8) | Tok.OP;
  if (c === 0x2d && next === 0x3e) return (2 << 8) | Tok.OP;
  const kind = info & 0x1f;
  return kind === 0 ? 0 : (1 << 8) | kind;
}

/** Whether a number starts at `i`: a digit, or `.` before a digit. */
export function startsNumber(src: string, i: number): boolean {
  const c = src.charCodeAt(i);
  return isDigit(c) || (c === DOT && isDigit(src.charCodeAt(i + 1)));
}

/** The end of the number literal at `i`: ints (with `0x`/`0o`/`0b`), floats, exponents, `j`. */
export function numberEnd(src: string, i: number): number {
  const second = src.charCodeAt(i + 1) | 0x20;
  if (src.charCodeAt(i) === 0x30 && (second === 0x78 || second === 0x6f || second === 0x62)) {
    return wordEnd(src, i + 2);
  }
  i = digitsEnd(src, i);
  if (src.charCodeAt(i) === DOT) i = digitsEnd(src, i + 1);
  if ((src.charCodeAt(i) | 0x20) === 0x65) {
    const sign = src.charCodeAt(i + 1);
    const digitAt = sign === 0x2b || sign === 0x2d ? i + 2 : i + 1;
    if (isDigit(src.charCodeAt(digitAt))) i = digitsEnd(src, digitAt);
  }
  if ((src.charCodeAt(i) | 0x20) === 0x6a) i++;
  return i;
}

function digitsEnd(src: string, i: number): number {
  while (isDigit(src.charCodeAt(i)) || src.charCodeAt(i) === 0x5f) i++;
  return i;
}

/** The end of the run of identifier characters at `i`. */
export function wordEnd(src: string, i: number): number {
  while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
  return i;
}

/**
 * The offset of the first character on the line starting at `i` when that line is
 * indented and opens with a token (not a comment, continuation or line break); else -1.
 */
export function indentedCode(src: string, i: number): number {
  let j = i;
  while (isBlank(src.charCodeAt(j))) j++;
  if (j === i || j >= src.length) return -1;
  const c = src.charCodeAt(j);
  return isLineBreak(c) || c === HASH || c === BACKSLASH ? -1 : j;
}

/**
 * Reads the tokens of `[from, to)`, which start at `from` and hold no string, comment or
 * bracket, and returns the start of the last one when it is a name ending at `to`, else -1.
 */
export function lastWordStart(src: string, from: number, to: number): number {
  let word = -1;
  let i = from;
  while (i < to) {
    word = -1;
    if (isBlank(src.charCodeAt(i))) i++;
    else if (startsNumber(src, i)) i = numberEnd(src, i);
    else if (isIdentStart(src.charCodeAt(i))) {
      word = i;
      i = wordEnd(src, i);
    } else i += operatorAt(src, i) >> 8;
  }
  return word;
}
