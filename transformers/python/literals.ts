/**
 * Reads the right-hand side of an assignment as a flag literal: a number (signed, with
 * underscores, hex/octal/binary ints), a plain or raw string, `True`/`False`/`None`, or a
 * list of those, any of them in parentheses (`(0.01)`, `-(1)`: Python's syntax tree, and so
 * Guild AI, sees the literal alone). Anything else (f-strings, bytes, tuples, implicit
 * concatenation, expressions) is not a flag value and yields null.
 */
import type { TokenBuffer } from '../shared/token-buffer.js';
import type { FlagType, FlagValue } from '../types.js';
import { syntaxError } from './chars.js';
import { type DecodedString, decodeStringLiteral } from './string-literal.js';
import { skipComments, Tok } from './tokens.js';

/** A literal on the right of `=`: its value and the exact span it occupies. */
export interface Literal {
  type: FlagType;
  value: FlagValue;
  /** Offsets of the literal text in the source, a leading sign included. */
  start: number;
  end: number;
  /** The quote of its first string, so a new value can be written in the same style. */
  quote?: '"' | "'";
}

const KEYWORD_VALUES: Record<string, [FlagType, FlagValue]> = {
  True: ['boolean', true],
  False: ['boolean', false],
  None: ['null', null],
};

/** Parses tokens `[from, to)` (comments skipped) as one literal, or returns null. */
export function parseLiteral(tokens: TokenBuffer, from: number, to: number, file: string): Literal | null {
  const first = skipComments(tokens, from, to);
  if (first >= to) return null;
  const parser = new LiteralParser(tokens, first, to, file);
  if (!parser.parse() || skipComments(tokens, parser.at, to) !== to) return null;
  const { type, value, quote } = parser;
  // The span is inside any parentheses around the whole literal: a new value keeps them.
  let start = first;
  let end = parser.at - 1;
  while (tokens.kind(start) === Tok.LPAR && tokens.kind(end) === Tok.RPAR) {
    start = skipComments(tokens, start + 1, end);
    end--;
    while (tokens.kind(end) === Tok.COMMENT) end--;
  }
  return { type, value, start: tokens.start(start), end: tokens.end(end), quote };
}

/**
 * A recursive-descent reader of one literal. Results go to fields rather than objects,
 * so a list of a million numbers allocates nothing per item.
 */
class LiteralParser {
  /** The last value parsed and its type. */
  type: FlagType = 'null';
  value: FlagValue = null;
  /** The quote of the first string met, for rendering in the same style. */
  quote: '"' | "'" | undefined;

  constructor(
    private readonly tokens: TokenBuffer,
    /** The next token to read. */
    public at: number,
    private readonly to: number,
    private readonly file: string,
  ) {}

  /** Parses the value at `at` and moves past it; false when it is not a literal. */
  parse(): boolean {
    const { tokens } = this;
    const kind = tokens.kind(this.at);
    if (kind === Tok.MINUS || kind === Tok.PLUS) return this.signed(kind === Tok.MINUS);
    if (kind === Tok.LPAR) return this.parenthesized();
    const index = this.at++;
    if (kind === Tok.NUMBER) return this.number(tokens.text(index), false);
    if (kind === Tok.STRING) return this.string(index);
    if (kind === Tok.LSQB) return this.list();
    const keyword = kind === Tok.NAME ? KEYWORD_VALUES[tokens.text(index)] : undefined;
    if (keyword === undefined) return false;
    [this.type, this.value] = keyword;
    return true;
  }

  /** `(literal)`: one value, not a tuple (`(1,)`, `()`). */
  private parenthesized(): boolean {
    this.at = this.skip(this.at + 1);
    if (this.at >= this.to || !this.parse()) return false;
    const close = this.skip(this.at);
    if (close >= this.to || this.tokens.kind(close) !== Tok.RPAR) return false;
    this.at = close + 1;
    return true;
  }

  /** A sign and a number, which may be in parentheses (`-(1)`), as Guild AI reads a unary minus. */
  private signed(negative: boolean): boolean {
    const { tokens } = this;
    let i = this.skip(this.at + 1);
    let open = 0;
    for (; i < this.to && tokens.kind(i) === Tok.LPAR; i = this.skip(i + 1)) open++;
    if (i >= this.to || tokens.kind(i) !== Tok.NUMBER) return false;
    const number = i;
    let last = i;
    for (; open > 0; open--) {
      last = this.skip(last + 1);
      if (last >= this.to || tokens.kind(last) !== Tok.RPAR) return false;
    }
    this.at = last + 1;
    return this.number(tokens.text(number), negative);
  }

  private string(index: number): boolean {
    let decoded: DecodedString | null;
    try {
      decoded = decodeStringLiteral(this.tokens.text(index));
    } catch (error) {
      throw syntaxError(this.tokens.source, this.file, this.tokens.start(index), (error as Error).message);
    }
    if (decoded === null) return false;
    this.type = 'string';
    this.value = decoded.value;
    this.quote ??= decoded.quote;
    return true;
  }

  /** The items of a list after its `[`, up to and including `]`; a trailing comma is fine. */
  private list(): boolean {
    const { tokens } = this;
    const items: FlagValue[] = [];
    for (;;) {
      this.at = this.skip(this.at);
      if (this.at >= this.to) return false;
      if (tokens.kind(this.at) === Tok.RSQB) break;
      if (!this.parse()) return false;
      items.push(this.value);
      this.at = this.skip(this.at);
      if (this.at >= this.to) return false;
      const separator = tokens.kind(this.at);
      if (separator === Tok.RSQB) break;
      if (separator !== Tok.COMMA) return false;
      this.at++;
    }
    this.at++;
    this.type = 'list';
    this.value = items;
    return true;
  }

  /** A number token's value; imaginary numbers are not flag values. One pass, no regex. */
  private number(text: string, negative: boolean): boolean {
    const base = text.length > 1 && text.charCodeAt(0) === 0x30 ? text.charCodeAt(1) | 0x20 : 0;
    const prefixed = base === 0x78 || base === 0x6f || base === 0x62;
    let float = false;
    let underscores = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5f) underscores = true;
      else if ((c | 0x20) === 0x6a) return false;
      else if (!prefixed && (c === 0x2e || (c | 0x20) === 0x65)) float = true;
    }
    const magnitude = Number(underscores ? text.replaceAll('_', '') : text);
    if (Number.isNaN(magnitude)) return false;
    this.type = float ? 'float' : 'int';
    // An int has no negative zero; a float keeps it, as Python's -0.0 does.
    this.value = negative && (float || magnitude !== 0) ? -magnitude : magnitude;
    return true;
  }

  private skip(i: number): number {
    return skipComments(this.tokens, i, this.to);
  }
}
