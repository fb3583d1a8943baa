/**
 * A single-pass tokenizer for R source: enough of R's lexer to find top-level statements
 * and the exact spans of literals, and to reject sources R itself could not read
 * (unterminated strings, unbalanced brackets).
 *
 * Whitespace is dropped; comments and line breaks are tokens because flag discovery needs
 * them (annotations above a statement, a trailing description, newline-ended statements).
 * Tokens live in typed arrays rather than objects: a 10 MB script has millions of them.
 */
import { GuildStageError } from '../../src/errors.js';
import { isDigit, isNameStart, scanError, scanName, scanNumber, scanOperator, scanQuoted, scanRaw } from './scan.js';

/** Token kinds, as stored in `Tokens.kinds`. */
export const K = {
  number: 0,
  string: 1,
  /** An identifier, keyword or backtick-quoted name. */
  name: 2,
  op: 3,
  open: 4,
  close: 5,
  comma: 6,
  semi: 7,
  newline: 8,
  comment: 9,
} as const;

export type TokenKind = keyof typeof K;

/** Kind names by code, for messages and tests. */
export const KIND_NAMES = Object.keys(K) as TokenKind[];

/**
 * The tokens of one source. Token `i` spans UTF-16 offsets `starts[i]..ends[i]` and starts
 * on 1-based line `lines[i]`; for a bracket, `matches[i]` is its partner's index.
 */
export class Tokens {
  count = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  lines: Int32Array;
  matches: Int32Array;

  constructor(readonly source: string) {
    // Real code has about one token per three characters; sizing for one per two makes
    // growing (a copy of every array) rare.
    const capacity = 64 + (source.length >> 1);
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.lines = new Int32Array(capacity);
    this.matches = new Int32Array(capacity);
  }

  /** The source text of token `i`. */
  text(i: number): string {
    return this.source.slice(this.starts[i], this.ends[i]);
  }

  /** Whether token `i` exists, is of `kind` and, when given, reads `text`. */
  is(i: number, kind: number, text?: string): boolean {
    if (i < 0 || i >= this.count || this.kinds[i] !== kind) return false;
    return text === undefined || (this.ends[i]! - this.starts[i]! === text.length && this.source.startsWith(text, this.starts[i]));
  }

  /** Appends a token and returns its index. */
  add(kind: number, start: number, end: number, line: number): number {
    if (this.count === this.kinds.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.lines[i] = line;
    this.matches[i] = -1;
    return i;
  }

  private grow(): void {
    const kinds = new Uint8Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const widen = (old: Int32Array): Int32Array => {
      const next = new Int32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.starts = widen(this.starts);
    this.ends = widen(this.ends);
    this.lines = widen(this.lines);
    this.matches = widen(this.matches);
  }
}

/** The error for a source R cannot read: `file:line: message`, with `file` and `line` set. */
export function sourceError(file: string, line: number, message: string): GuildStageError {
  return new GuildStageError('SOURCE', `${file}:${line}: ${message}`, { file, line });
}

/** Line breaks inside a string token: `\n`, `\r\n` and a lone `\r` each count once. */
function countLineBreaks(source: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** The end of the bracket at `at` if it closes `opener` (`]]` for `[[`), else -1. */
function closeBracket(tokens: Tokens, opener: number, at: number): number {
  if (opener < 0) return -1;
  const { source } = tokens;
  const start = tokens.starts[opener]!;
  const close = source.charCodeAt(at);
  switch (source.charCodeAt(start)) {
    case 40:
      return close === 41 ? at + 1 : -1;
    case 123:
      return close === 125 ? at + 1 : -1;
    default:
      if (close !== 93) return -1;
      if (tokens.ends[opener]! - start === 1) return at + 1;
      return source.charCodeAt(at + 1) === 93 ? at + 2 : -1;
  }
}

/**
 * Splits R source into tokens in one linear pass. A leading UTF-8 BOM is skipped. Throws a
 * `SOURCE` error naming `file:line` for an unterminated string, raw string, backtick name
 * or `%op%`, an unexpected character, or unbalanced brackets.
 */
export function tokenize(source: string, file: string): Tokens {
  const tokens = new Tokens(source);
  // Open brackets as token indices; `]]` closes a `[[` only, so the stack remembers which.
  const open: number[] = [];
  const length = source.length;
  let line = 1;
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < length) {
    const c = source.charCodeAt(i);
    let kind: number;
    let end: number;
    let opener = -1;
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0) {
      i++;
      continue;
    } else if (c === 10 || c === 13) {
      end = c === 13 && source.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      tokens.add(K.newline, i, end, line++);
      i = end;
      continue;
    } else if (c === 35) {
      end = i + 1;
      while (end < length && source.charCodeAt(end) !== 10 && source.charCodeAt(end) !== 13) end++;
      kind = K.comment;
    } else if ((c === 114 || c === 82) && (source.charCodeAt(i + 1) === 34 || source.charCodeAt(i + 1) === 39)) {
      end = scanRaw(source, i);
      kind = K.string;
    } else if (c === 34 || c === 39 || c === 96) {
      end = scanQuoted(source, i, c);
      kind = c === 96 ? K.name : K.string;
    } else if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) {
      end = scanNumber(source, i);
      kind = K.number;
    } else if (isNameStart(source, i)) {
      end = scanName(source, i);
      kind = K.name;
    } else if (c === 40 || c === 123 || c === 91) {
      end = c === 91 && source.charCodeAt(i + 1) === 91 ? i + 2 : i + 1;
      open.push(tokens.count);
      kind = K.open;
    } else if (c === 41 || c === 125 || c === 93) {
      opener = open.pop() ?? -1;
      end = closeBracket(tokens, opener, i);
      if (end < 0) throw sourceError(file, line, `unexpected '${source[i]}'`);
      kind = K.close;
    } else if (c === 44 || c === 59) {
      end = i + 1;
      kind = c === 44 ? K.comma : K.semi;
    } else {
      end = scanOperator(source, i);
      kind = K.op;
    }
    if (end < 0) throw sourceError(file, line, scanError(source, i));
    const index = tokens.add(kind, i, end, line);
    if (opener >= 0) {
      tokens.matches[index] = opener;
      tokens.matches[opener] = index;
    }
    if (kind === K.string || c === 96) line += countLineBreaks(source, i, end);
    i = end;
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) {
    throw sourceError(file, tokens.lines[unclosed]!, `'${tokens.text(unclosed)}' is never closed`);
  }
  return tokens;
}
