/**
 * A single-pass tokenizer for R source: enough of R's lexer to find top-level statements
 * and the exact spans of literals, and to reject sources R itself could not read
 * (unterminated strings, unbalanced brackets).
 *
 * Whitespace is dropped; comments and line breaks are tokens because flag discovery needs
 * them (annotations above a statement, a trailing description, newline-ended statements).
 * With `topLevelOnly`, a bracketed group at the top level (a call's arguments, a function
 * body) keeps only its two brackets: what lies between is skimmed (see skim.ts).
 */
import { LineBreaks } from '../shared/line-breaks.js';
import {
  isBlank,
  isDigit,
  isNameStart,
  isStringQuote,
  scanError,
  scanName,
  scanNumber,
  scanOperator,
  scanQuoted,
  scanRaw,
} from './scan.js';
import { Brackets, closeBracket, type LexState, openerEnd, skimGroup } from './skim.js';
import { TokenBuffer } from '../shared/token-buffer.js';
import { K, sourceError } from './tokens.js';

export { K, KIND_NAMES, sourceError, type TokenKind } from './tokens.js';

/** Options of `tokenize`. */
export interface TokenizeOptions {
  /**
   * Keep only the tokens outside every bracket, and the outermost brackets themselves
   * (matched), the only ones flag discovery reads. The rest is still checked, never
   * stored: most of a script is function bodies.
   */
  topLevelOnly?: boolean;
}

/**
 * Splits R source into tokens in one linear pass. A leading UTF-8 BOM is skipped. Throws a
 * `source` error naming `file:line` for an unterminated string, raw string, backtick name
 * or `%op%`, an unexpected character, or unbalanced brackets.
 */
export function tokenize(source: string, file: string, options: TokenizeOptions = {}): TokenBuffer {
  return new Lexer(source, file, options.topLevelOnly ?? false).run();
}

/** Code with every construct whose scanner keeps state: brackets at both levels, strings of each kind. */
const SAMPLE = 'f <- function(x = r"(a)", y = `b`) {\n  g(x[[1]], \'c\', "d") # e\n}\nz <- 1\n';

class Lexer implements LexState {
  /**
   * A lexer that has read `SAMPLE`, alive as long as the class. V8 drops optimized code
   * once no object of a shape it was built for is left; without one live object of each
   * shape the lexer uses, a full garbage collection between two calls would send the next
   * call back to the interpreter and through the optimizing compiler again.
   */
  private static readonly sample = new Lexer(SAMPLE, 'sample.R', true);
  static {
    Lexer.sample.run();
  }

  readonly tokens: TokenBuffer;
  readonly brackets = new Brackets();
  readonly breaks: LineBreaks;
  line = 1;

  constructor(
    source: string,
    readonly file: string,
    readonly topLevelOnly: boolean,
  ) {
    // Real code has about one token per three characters, and one top-level token per
    // forty or so; sizing for more makes growing (a copy of every array) rare.
    this.tokens = new TokenBuffer(source, 64 + (source.length >> (topLevelOnly ? 5 : 1)), true);
    this.breaks = new LineBreaks(source);
  }

  run(): TokenBuffer {
    this.scan();
    this.finish();
    return this.tokens;
  }

  /**
   * The token-at-a-time loop. It is apart from `finish` so that the optimized code of the
   * loop never runs into code that has not run yet, which would send every call of a hot
   * tokenize back to the interpreter.
   */
  private scan(): void {
    const { tokens, brackets, file } = this;
    const source = tokens.source;
    const length = source.length;
    let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (i < length) {
      const c = source.charCodeAt(i);
      let kind: number;
      let end: number;
      let opener = -1;
      if (isBlank(c)) {
        i++;
        continue;
      } else if (c === 10 || c === 13) {
        end = c === 13 && source.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
        tokens.add(K.newline, i, end, this.line++);
        i = end;
        continue;
      } else if (c === 35) {
        end = this.breaks.lineEnd(i);
        kind = K.comment;
      } else if ((c === 114 || c === 82) && isStringQuote(source.charCodeAt(i + 1))) {
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
        end = openerEnd(source, i);
        kind = K.open;
      } else if (c === 41 || c === 125 || c === 93) {
        opener = brackets.token();
        end = closeBracket(source, brackets.pop(), i);
        if (end < 0) throw sourceError(file, this.line, `unexpected '${source[i]}'`);
        kind = K.close;
      } else if (c === 44 || c === 59) {
        end = i + 1;
        kind = c === 44 ? K.comma : K.semi;
      } else {
        end = scanOperator(source, i);
        kind = K.op;
      }
      if (end < 0) throw sourceError(file, this.line, scanError(source, i));
      const index = tokens.add(kind, i, end, this.line);
      if (opener >= 0) {
        tokens.matches[index] = opener;
        tokens.matches[opener] = index;
      }
      if (kind === K.string || c === 96) this.line += this.breaks.count(i, end);
      if (kind === K.open) {
        brackets.push(i, this.line, index);
        if (this.topLevelOnly) end = skimGroup(this, end);
      }
      i = end;
    }
  }

  /** Rejects a bracket left open, naming the innermost one and its line. */
  private finish(): void {
    const { brackets, tokens, file } = this;
    if (brackets.depth === 0) return;
    const line = brackets.line();
    const at = brackets.pop();
    throw sourceError(file, line, `'${tokens.source.slice(at, openerEnd(tokens.source, at))}' is never closed`);
  }
}
