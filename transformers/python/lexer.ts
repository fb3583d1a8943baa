/**
 * A single-pass, linear-time Python tokenizer, as much of one as flag discovery needs:
 * it knows every string form, comments, backslash continuations and bracket nesting, so
 * it can tell where a logical line ends and which tokens are code at all. It does not
 * build INDENT/DEDENT tokens: a statement is top-level exactly when its logical line
 * starts at column 0, which `startsLine` tells from the source.
 *
 * Lines whose tokens are kept are read a token at a time. The others (with
 * `topLevelOnly`, every indented logical line: most of a script) are skimmed by a tight
 * loop that stops only where something can end the line or make the source invalid:
 * strings, comments, brackets, continuations, line breaks and characters Python rejects.
 */
import { LineBreaks } from '../shared/line-breaks.js';
import { TokenBuffer } from '../shared/token-buffer.js';
import {
  BACKSLASH,
  CR,
  isIdentPart,
  isIdentStart,
  isLineBreak,
  isQuote,
  isStringPrefix,
  LF,
  skipLineBreak,
  syntaxError,
} from './chars.js';
import type { CodeProbes } from './probes.js';
import { indentedCode, isBlank, lastWordStart, numberEnd, operatorAt, startsNumber, wordEnd } from './scanners.js';
import { StringScanner } from './strings.js';
import { opensBlock, Tok } from './tokens.js';

const BOM = 0xfeff;
const HASH = 0x23;
const DOT = 0x2e;
const BANG = 0x21;
const EQ = 0x3d;

/** Python's tokenizer limit (MAXLEVEL); it also keeps our recursive literal reader off deep stacks. */
const MAX_NESTING = 200;

/**
 * The ASCII characters skimming stops at; every other one (names, numbers, blanks and
 * operators) is valid anywhere in code and changes neither brackets nor lines. Non-ASCII
 * units are identifier characters and never stop it.
 */
const STOPS = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) STOPS[c] = c === 0x09 || c === 0x0c ? 0 : 1;
for (const char of '!"#$\'()?[\\]`{}\x7f') STOPS[char.charCodeAt(0)] = 1;

/** Options of `tokenize`. */
export interface TokenizeOptions {
  /**
   * Keep only what flag discovery reads: the tokens of top-level simple statements
   * (logical lines that start at column 0 and open no compound statement such as `def`
   * or `if`), and the comments at column 0 outside indented lines. The rest is still
   * scanned, never stored: most of a script is function bodies, so this saves most of
   * the memory and time.
   */
  topLevelOnly?: boolean;
  /** Offsets to tell code from strings and comments, skimmed lines included (see `CodeProbes`). */
  probes?: CodeProbes;
}

/** Tokenizes `source`; throws a `source` error naming `file:line` when it does not tokenize. */
export function tokenize(source: string, file: string, options: TokenizeOptions = {}): TokenBuffer {
  return new Lexer(source, file, options.topLevelOnly ?? false, options.probes ?? null).run();
}

/** Whether `offset` is at column 0: at the start of the source, after a BOM, or after a line break. */
export function startsLine(source: string, offset: number): boolean {
  if (offset === 0) return true;
  const before = source.charCodeAt(offset - 1);
  return isLineBreak(before) || (offset === 1 && before === BOM);
}

/** Code with every construct whose scanner keeps state: strings of each kind, brackets, indented lines. */
const SAMPLE = 'x = f"{a!r:>{w}}" + """b""" + c(1, [2])  # d\nif x:\n    y = {\'z\': rb"\\n"}\n';

class Lexer {
  /**
   * A lexer that has read `SAMPLE`, alive as long as the class. V8 drops optimized code
   * once no object of a shape it was built for is left; without one live object of each
   * shape the lexer uses, a full garbage collection between two calls would send the next
   * call back to the interpreter and through the optimizing compiler again.
   */
  private static readonly sample = new Lexer(SAMPLE, 'sample.py', true, null);
  static {
    Lexer.sample.run();
  }

  private readonly tokens: TokenBuffer;
  private readonly breaks: LineBreaks;
  private readonly strings: StringScanner;
  /** Offsets of the open brackets, innermost last. */
  private readonly open: number[] = [];
  /** Whether the current logical line has a token other than comments. */
  private lineHasCode = false;
  /** Whether the tokens of the current logical line are stored. */
  private keep = true;
  /**
   * Whether the column-0 comments of the current logical line are stored though its other
   * tokens are not: it opens a compound statement, which discovery skips, but a comment
   * line in it (after a continuation, inside brackets) may annotate what follows.
   */
  private keepComments = false;
  /** The 1-based line at the scan position. */
  private line = 1;

  constructor(
    private readonly src: string,
    private readonly file: string,
    private readonly topLevelOnly: boolean,
    private readonly probes: CodeProbes | null,
  ) {
    // About one token per four characters of code; a top-level list holds far fewer, as
    // most of a script is indented. Sizing for more makes growing rare.
    this.tokens = new TokenBuffer(src, 64 + (src.length >> (topLevelOnly ? 6 : 2)));
    this.breaks = new LineBreaks(src);
    this.strings = new StringScanner(src, file);
  }

  run(): TokenBuffer {
    this.scan();
    this.finish();
    return this.tokens;
  }

  /**
   * The token-at-a-time loop. It is apart from `finish` so that the optimized code of the
   * loop never runs into code that has not run yet, which would send every call of a
   * hot tokenize back to the interpreter.
   */
  private scan(): void {
    const src = this.src;
    let i = src.charCodeAt(0) === BOM ? 1 : 0;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (isBlank(c)) i++;
      else if (c === LF || c === CR) i = this.lineBreak(i);
      else if (c === HASH) i = this.comment(i);
      else if (c === BACKSLASH) i = this.continuation(i);
      else if (startsNumber(src, i)) i = this.emit(Tok.NUMBER, i, numberEnd(src, i));
      else if (isQuote(c)) i = this.string(i);
      else if (isIdentStart(c)) i = this.word(i);
      else i = this.operator(i);
      if (this.lineHasCode && !this.keep) i = this.skim(i);
    }
  }

  /** Rejects a bracket left open, and ends a last line that has no line break. */
  private finish(): void {
    const unclosed = this.open.at(-1);
    if (unclosed !== undefined)
      throw syntaxError(this.src, this.file, unclosed, `'${this.src[unclosed]}' was never closed`);
    if (this.lineHasCode && this.keep) this.tokens.add(Tok.NEWLINE, this.src.length, this.src.length, this.line);
    if (this.probes !== null) this.probes.mask(this.src.length, this.src.length + 1, this.line);
  }

  private emit(kind: Tok, start: number, end: number): number {
    if (!this.lineHasCode) this.startLogicalLine(kind, start, end);
    if (this.keep) this.tokens.add(kind, start, end, this.line);
    return end;
  }

  /** Decides what to store of the logical line whose first token this is. */
  private startLogicalLine(kind: Tok, start: number, end: number): void {
    this.lineHasCode = true;
    if (!this.topLevelOnly) return;
    const top = startsLine(this.src, start);
    const compound = top && opensBlock(kind, this.src, start, end);
    this.keep = top && !compound;
    this.keepComments = compound;
  }

  private lineBreak(i: number): number {
    const end = skipLineBreak(this.src, i);
    if (this.open.length === 0 && this.lineHasCode) {
      if (this.keep) this.tokens.add(Tok.NEWLINE, i, end, this.line);
      this.lineHasCode = false;
    }
    this.line++;
    return end;
  }

  private comment(i: number): number {
    const end = this.breaks.lineEnd(i);
    const atColumn0 = startsLine(this.src, i);
    const keep = this.lineHasCode ? this.keep || (this.keepComments && atColumn0) : !this.topLevelOnly || atColumn0;
    if (keep) this.tokens.add(Tok.COMMENT, i, end, this.line);
    if (this.probes !== null) this.probes.mask(i, end, this.line);
    return end;
  }

  private continuation(i: number): number {
    if (!isLineBreak(this.src.charCodeAt(i + 1))) {
      throw syntaxError(this.src, this.file, i, 'unexpected character after line continuation character');
    }
    this.line++;
    return skipLineBreak(this.src, i + 1);
  }

  private string(start: number): number {
    const end = this.emit(Tok.STRING, start, this.strings.end(start));
    if (this.probes !== null) this.probes.mask(start, end, this.line);
    this.line += this.breaks.count(start, end);
    return end;
  }

  /** An identifier, or a string when the identifier is a prefix right before a quote. */
  private word(i: number): number {
    const end = wordEnd(this.src, i + 1);
    if (isQuote(this.src.charCodeAt(end)) && isStringPrefix(this.src, i, end)) return this.string(i);
    return this.emit(Tok.NAME, i, end);
  }

  private operator(i: number): number {
    const src = this.src;
    const packed = operatorAt(src, i);
    const length = packed >> 8;
    const kind = (packed & 0xff) as Tok;
    if (length === 0) throw this.invalidCharacter(i);
    if (kind === Tok.LPAR || kind === Tok.LSQB || kind === Tok.LBRACE) this.openAt(i);
    else if (kind === Tok.RPAR || kind === Tok.RSQB || kind === Tok.RBRACE) this.close(i);
    return this.emit(kind, i, i + length);
  }

  private openAt(i: number): void {
    if (this.open.length === MAX_NESTING) throw syntaxError(this.src, this.file, i, 'too many nested parentheses');
    this.open.push(i);
  }

  private close(i: number): void {
    const opener = this.open.pop();
    if (opener === undefined) throw syntaxError(this.src, this.file, i, `unmatched '${this.src[i]}'`);
    // `(` and `)` are adjacent in ASCII; `[` `]` and `{` `}` are two apart.
    const open = this.src.charCodeAt(opener);
    if (this.src.charCodeAt(i) !== open + (open === 0x28 ? 1 : 2)) {
      throw syntaxError(this.src, this.file, i, `closing '${this.src[i]}' does not match '${this.src[opener]}'`);
    }
  }

  private invalidCharacter(i: number): Error {
    return syntaxError(this.src, this.file, i, `invalid character '${String.fromCodePoint(this.src.codePointAt(i)!)}'`);
  }

  /**
   * Skims from `i`, a token boundary inside a logical line whose tokens are not kept, to
   * the end of that line, and on through the indented lines after it, which are not kept
   * either. Returns where the token-at-a-time loop resumes: at a line that may start at
   * column 0 (or is blank, or opens with a comment or a continuation), or the end.
   */
  private skim(i: number): number {
    const src = this.src;
    const n = src.length;
    // The last offset known to start a token (or blanks); only STOPS-free text follows it.
    let boundary = i;
    for (;;) {
      let c = 0;
      while (i < n && ((c = src.charCodeAt(i)) >= 128 || STOPS[c] === 0)) i++;
      if (i >= n) return n;
      if (c === LF || c === CR) {
        i = skipLineBreak(src, i);
        this.line++;
        if (this.open.length === 0) {
          this.lineHasCode = false;
          const next = indentedCode(src, i);
          if (next < 0) return i;
          // The first token of another indented logical line: not kept, skimmed on.
          this.lineHasCode = true;
          this.keepComments = false;
          i = next;
        }
      } else if (c === HASH) i = this.comment(i);
      else if (c === BACKSLASH) i = this.continuation(i);
      else if (isQuote(c)) {
        const start = this.stringStart(boundary, i);
        i = this.strings.end(start);
        if (this.probes !== null) this.probes.mask(start, i, this.line);
        this.line += this.breaks.count(start, i);
      } else if (c === 0x28 || c === 0x5b || c === 0x7b) this.openAt(i++);
      else if (c === 0x29 || c === 0x5d || c === 0x7d) this.close(i++);
      else if (c === BANG && src.charCodeAt(i + 1) === EQ) i += 2;
      else throw this.invalidCharacter(i);
      boundary = i;
    }
  }

  /**
   * Where the string whose quote is at `q` starts: at the name right before the quote
   * when that name is a string prefix (`rb"x"`), else at the quote. `boundary` is a token
   * start at or before the name.
   */
  private stringStart(boundary: number, q: number): number {
    const src = this.src;
    let s = q;
    while (s > boundary && isIdentPart(src.charCodeAt(s - 1))) s--;
    if (s === q) return q;
    // Only a number can run into a name without a break (`1f"x"`, `1._f"x"`, `1e5f"x"`):
    // where one may have, the name's start is found by reading the tokens from `boundary`.
    const clear = isIdentStart(src.charCodeAt(s)) && (s === boundary || src.charCodeAt(s - 1) !== DOT);
    const word = clear ? s : lastWordStart(src, boundary, q);
    return word >= 0 && isStringPrefix(src, word, q) ? word : q;
  }
}
