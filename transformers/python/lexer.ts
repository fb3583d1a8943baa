/**
 * A single-pass, linear-time Python tokenizer, as much of one as flag discovery needs:
 * it knows every string form, comments, backslash continuations and bracket nesting, so
 * it can tell where a logical line ends and which tokens are code at all. It does not
 * build INDENT/DEDENT tokens: a statement is top-level exactly when its logical line
 * starts at column 0, which `startsLine` tells from the source.
 */
import { BACKSLASH, CR, isDigit, isIdentPart, isIdentStart, isLineBreak, isQuote, isStringPrefix, LF, skipLineBreak, syntaxError } from './chars.js';
import { scanString } from './strings.js';
import { Tok, TokenList } from './tokens.js';

const BOM = 0xfeff;
const HASH = 0x23;
const DOT = 0x2e;

const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Python's tokenizer limit (MAXLEVEL); it also keeps our recursive literal reader off deep stacks. */
const MAX_NESTING = 200;

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
  ['=', Tok.EQUAL], [':', Tok.COLON], [';', Tok.SEMI], [',', Tok.COMMA], ['(', Tok.LPAR], [')', Tok.RPAR],
  ['[', Tok.LSQB], [']', Tok.RSQB], ['{', Tok.LBRACE], ['}', Tok.RBRACE], ['-', Tok.MINUS], ['+', Tok.PLUS],
  ['@', Tok.AT], ['.', Tok.DOT], ['*/%&|^~<>', Tok.OP],
] as const) {
  for (const char of chars) OPERATOR_INFO[char.charCodeAt(0)] = kind;
}
for (const char of '*/<>') OPERATOR_INFO[char.charCodeAt(0)]! |= DOUBLES;
for (const char of '+-*/%@&|^') OPERATOR_INFO[char.charCodeAt(0)]! |= AUGMENTS;
for (const char of '=!<>:') OPERATOR_INFO[char.charCodeAt(0)]! |= COMPARES;

const EQ = 0x3d;

/** Options of `tokenize`. */
export interface TokenizeOptions {
  /**
   * Keep only the tokens of logical lines that start at column 0 (and comments that do),
   * the only ones flag discovery reads. Indented code is still scanned, never stored:
   * most of a script is function bodies, so this saves most of the memory and time.
   */
  topLevelOnly?: boolean;
}

/** Tokenizes `source`; throws a `SOURCE` error naming `file:line` when it does not tokenize. */
export function tokenize(source: string, file: string, options: TokenizeOptions = {}): TokenList {
  return new Lexer(source, file, options.topLevelOnly ?? false).run();
}

/** Whether `offset` is at column 0: at the start of the source, after a BOM, or after a line break. */
export function startsLine(source: string, offset: number): boolean {
  if (offset === 0) return true;
  const before = source.charCodeAt(offset - 1);
  return isLineBreak(before) || (offset === 1 && before === BOM);
}

class Lexer {
  private readonly tokens: TokenList;
  /** Offsets of the open brackets, innermost last. */
  private readonly open: number[] = [];
  /** Whether the current logical line has a token other than comments. */
  private lineHasCode = false;
  /** Whether the tokens of the current logical line are stored. */
  private keep = true;

  constructor(
    private readonly src: string,
    private readonly file: string,
    private readonly topLevelOnly: boolean,
  ) {
    this.tokens = new TokenList(src);
  }

  run(): TokenList {
    const src = this.src;
    let i = src.charCodeAt(0) === BOM ? 1 : 0;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0c) i++;
      else if (c === LF || c === CR) i = this.lineBreak(i);
      else if (c === HASH) i = this.comment(i);
      else if (c === BACKSLASH) i = this.continuation(i);
      else if (isDigit(c) || (c === DOT && isDigit(src.charCodeAt(i + 1)))) i = this.emit(Tok.NUMBER, i, numberEnd(src, i));
      else if (isQuote(c)) i = this.emit(Tok.STRING, i, scanString(src, i, this.file));
      else if (isIdentStart(c)) i = this.word(i);
      else i = this.operator(i);
    }
    const unclosed = this.open.at(-1);
    if (unclosed !== undefined) throw syntaxError(src, this.file, unclosed, `'${src[unclosed]}' was never closed`);
    if (this.lineHasCode && this.keep) this.tokens.push(Tok.NEWLINE, src.length, src.length);
    return this.tokens;
  }

  private emit(kind: Tok, start: number, end: number): number {
    if (!this.lineHasCode) {
      this.lineHasCode = true;
      this.keep = !this.topLevelOnly || startsLine(this.src, start);
    }
    if (this.keep) this.tokens.push(kind, start, end);
    return end;
  }

  private lineBreak(i: number): number {
    const end = skipLineBreak(this.src, i);
    if (this.open.length === 0 && this.lineHasCode) {
      if (this.keep) this.tokens.push(Tok.NEWLINE, i, end);
      this.lineHasCode = false;
    }
    return end;
  }

  private comment(i: number): number {
    let end = i + 1;
    while (end < this.src.length && !isLineBreak(this.src.charCodeAt(end))) end++;
    const keep = this.lineHasCode ? this.keep : !this.topLevelOnly || startsLine(this.src, i);
    if (keep) this.tokens.push(Tok.COMMENT, i, end);
    return end;
  }

  private continuation(i: number): number {
    if (!isLineBreak(this.src.charCodeAt(i + 1))) {
      throw syntaxError(this.src, this.file, i, 'unexpected character after line continuation character');
    }
    return skipLineBreak(this.src, i + 1);
  }

  /** An identifier, or a string when the identifier is a prefix right before a quote. */
  private word(i: number): number {
    const src = this.src;
    let end = i + 1;
    while (end < src.length && isIdentPart(src.charCodeAt(end))) end++;
    if (isQuote(src.charCodeAt(end)) && isStringPrefix(src, i, end)) {
      return this.emit(Tok.STRING, i, scanString(src, i, this.file));
    }
    return this.emit(Tok.NAME, i, end);
  }

  private operator(i: number): number {
    const src = this.src;
    const packed = operatorAt(src, i);
    const length = packed >> 8;
    const kind = (packed & 0xff) as Tok;
    if (length === 0) throw syntaxError(src, this.file, i, `invalid character '${String.fromCodePoint(src.codePointAt(i)!)}'`);
    if (kind === Tok.LPAR || kind === Tok.LSQB || kind === Tok.LBRACE) {
      if (this.open.length === MAX_NESTING) throw syntaxError(src, this.file, i, 'too many nested parentheses');
      this.open.push(i);
    }
    else if (kind === Tok.RPAR || kind === Tok.RSQB || kind === Tok.RBRACE) this.close(i, src[i]!);
    return this.emit(kind, i, i + length);
  }

  private close(i: number, op: string): void {
    const opener = this.open.pop();
    if (opener === undefined) throw syntaxError(this.src, this.file, i, `unmatched '${op}'`);
    if (this.src[opener] !== OPENERS[op]) {
      throw syntaxError(this.src, this.file, i, `closing '${op}' does not match '${this.src[opener]}'`);
    }
  }
}

/**
 * The operator at `i`, longest match first, packed as `length << 8 | kind` so that the
 * hot loop allocates nothing; length 0 when there is none.
 */
function operatorAt(src: string, i: number): number {
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

/** The end of the number literal at `i`: ints (with `0x`/`0o`/`0b`), floats, exponents, `j`. */
function numberEnd(src: string, i: number): number {
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

function wordEnd(src: string, i: number): number {
  while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
  return i;
}
