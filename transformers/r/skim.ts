/**
 * Skimming the inside of a top-level bracketed group: no tokens, only what can change the
 * brackets or the line count, or make the source invalid. A tight loop passes over every
 * character that is valid anywhere in code and changes neither (names, numbers, blanks,
 * operators) and stops at the rest: line breaks, comments, quotes, brackets, `%op%`,
 * non-ASCII units and characters R rejects. Each stop is then read as the token loop would.
 */
import type { LineBreaks } from '../shared/line-breaks.js';
import type { TokenBuffer } from '../shared/token-buffer.js';
import {
  isBlank,
  isDigit,
  isNameStart,
  scanError,
  scanName,
  scanNumber,
  scanOperator,
  scanQuoted,
  scanRaw,
} from './scan.js';
import { K, sourceError } from './tokens.js';

/** What one tokenize pass shares with the skimming scanner. */
export interface LexState {
  readonly tokens: TokenBuffer;
  readonly file: string;
  readonly brackets: Brackets;
  readonly breaks: LineBreaks;
  /** The 1-based line at the scan position. */
  line: number;
}

/** The ASCII characters skimming stops at; non-ASCII units stop it too, as a name may or may not hold one. */
const STOPS = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) STOPS[c] = c === 9 || c === 11 || c === 12 ? 0 : 1;
for (const char of '#"\'`()[]{}%\x7f') STOPS[char.charCodeAt(0)] = 1;

/** The open brackets, innermost last: where each starts, its line, and its token (-1 when not stored). */
export class Brackets {
  private readonly starts: number[] = [];
  private readonly lines: number[] = [];
  private readonly tokens: number[] = [];

  get depth(): number {
    return this.starts.length;
  }

  push(start: number, line: number, token: number): void {
    this.starts.push(start);
    this.lines.push(line);
    this.tokens.push(token);
  }

  /** The innermost bracket's token; -1 when it has none or no bracket is open. */
  token(): number {
    return this.tokens.length > 0 ? this.tokens[this.tokens.length - 1]! : -1;
  }

  /** The innermost bracket's line; 0 when no bracket is open. */
  line(): number {
    return this.lines.length > 0 ? this.lines[this.lines.length - 1]! : 0;
  }

  /** Closes the innermost bracket and returns its offset; -1 when no bracket is open. */
  pop(): number {
    if (this.starts.length === 0) return -1;
    this.lines.pop();
    this.tokens.pop();
    return this.starts.pop()!;
  }
}

/** The end of the bracket at `at` if it closes the one at `opener` (`]]` for `[[`), else -1. */
export function closeBracket(source: string, opener: number, at: number): number {
  if (opener < 0) return -1;
  const close = source.charCodeAt(at);
  switch (source.charCodeAt(opener)) {
    case 40:
      return close === 41 ? at + 1 : -1;
    case 123:
      return close === 125 ? at + 1 : -1;
    default:
      if (close !== 93) return -1;
      if (source.charCodeAt(opener + 1) !== 91) return at + 1;
      return source.charCodeAt(at + 1) === 93 ? at + 2 : -1;
  }
}

/** The end of the opening bracket at `i`: `[[` is one token. */
export function openerEnd(source: string, i: number): number {
  return source.charCodeAt(i) === 91 && source.charCodeAt(i + 1) === 91 ? i + 2 : i + 1;
}

/**
 * Skims from `i`, just inside the top-level bracket whose token is on top of
 * `state.brackets`, to its closing bracket, which it stores as a token matched with the
 * opening one. Returns the offset after it, or the source's length when it never closes.
 */
export function skimGroup(state: LexState, i: number): number {
  const { tokens, brackets } = state;
  const source = tokens.source;
  const n = source.length;
  // The last offset known to start a token (or a blank); only STOPS-free ASCII follows it.
  let boundary = i;
  for (;;) {
    let c = 0;
    while (i < n && (c = source.charCodeAt(i)) < 128 && STOPS[c] === 0) i++;
    if (i >= n) return n;
    if (c === 10 || c === 13) {
      i = c === 13 && source.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      state.line++;
    } else if (c === 35) i = state.breaks.lineEnd(i);
    else if (c === 34 || c === 39 || c === 96) i = quoted(state, c === 96 ? i : stringStart(source, boundary, i));
    else if (c === 40 || c === 123 || c === 91) {
      brackets.push(i, state.line, -1);
      i = openerEnd(source, i);
    } else if (c === 41 || c === 125 || c === 93) {
      const root = brackets.token();
      const end = closeBracket(source, brackets.pop(), i);
      if (end < 0) throw sourceError(state.file, state.line, `unexpected '${source[i]}'`);
      if (root >= 0) {
        const index = tokens.add(K.close, i, end, state.line);
        tokens.matches[index] = root;
        tokens.matches[root] = index;
        return end;
      }
      i = end;
    } else if (c >= 128) i = throughToken(state, boundary, i);
    else if (c === 37) i = checked(state, i, scanOperator(source, i));
    else throw sourceError(state.file, state.line, scanError(source, i));
    boundary = i;
  }
}

/** `end`, the end of the token at `i`, unless it is -1: then the error for that token. */
function checked(state: LexState, i: number, end: number): number {
  if (end < 0) throw sourceError(state.file, state.line, scanError(state.tokens.source, i));
  return end;
}

/** The end of the string, raw string or backtick name at `start`, its line breaks counted. */
function quoted(state: LexState, start: number): number {
  const source = state.tokens.source;
  const c = source.charCodeAt(start);
  const end = checked(state, start, c === 114 || c === 82 ? scanRaw(source, start) : scanQuoted(source, start, c));
  state.line += state.breaks.count(start, end);
  return end;
}

/**
 * Where the string whose quote is at `q` starts: at an `r` or `R` right before it that
 * starts a token (a raw string, `r"(x)"`), else at the quote. `boundary` is a token start
 * at or before that letter.
 */
function stringStart(source: string, boundary: number, q: number): number {
  const r = q - 1;
  const c = source.charCodeAt(r);
  if (r < boundary || (c !== 114 && c !== 82)) return q;
  if (r === boundary || !isNamePart(source.charCodeAt(r - 1))) return r;
  // The letter ends a name (`bar"x"`) or follows a number (`1r"(x)"`): read the tokens to know.
  let i = boundary;
  while (i < r) i = plainTokenEnd(source, i);
  return i === r ? r : q;
}

/**
 * Reads the tokens from `boundary` through the non-ASCII unit at `at`, as the token loop
 * would: the unit may start or continue a name, be a blank, or be rejected. Returns the
 * end of the token that holds it.
 */
function throughToken(state: LexState, boundary: number, at: number): number {
  let i = boundary;
  while (i <= at) i = checked(state, i, plainTokenEnd(state.tokens.source, i));
  return i;
}

/**
 * The end of the token at `i` when it is a blank, a number, a name, `,`, `;` or an
 * operator, as the token loop reads them (a blank counts as a token); -1 for a character
 * R does not accept.
 */
function plainTokenEnd(source: string, i: number): number {
  const c = source.charCodeAt(i);
  if (isBlank(c) || c === 44 || c === 59) return i + 1;
  if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) return scanNumber(source, i);
  if (isNameStart(source, i)) return scanName(source, i);
  return scanOperator(source, i);
}

/** Whether the ASCII unit `c` can be part of a name: a letter, digit, `.` or `_`. */
function isNamePart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95;
}
