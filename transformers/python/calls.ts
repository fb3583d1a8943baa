/**
 * The arguments of one call, tokenized on their own: argparse's `add_argument(...)` and
 * click's `@option(...)` are usually inside functions, which the top-level lexer skims
 * without tokens. The call is found by offset (its `(` is code, as `CodeProbes` told), its
 * closing `)` by a scan that knows strings, comments and brackets, and only that text is
 * tokenized.
 */
import type { TokenBuffer } from '../shared/token-buffer.js';
import { isIdentPart, isIdentStart, isLineBreak, isQuote, isStringPrefix } from './chars.js';
import { tokenize } from './lexer.js';
import { wordEnd } from './scanners.js';
import { StringScanner } from './strings.js';
import { skipComments, Tok } from './tokens.js';

/** A call's tokens, from its `(` to its `)`, and where they sit in the whole source. */
export interface CallTokens {
  tokens: TokenBuffer;
  /** Offset of the `(` in the source: token offsets are relative to it. */
  base: number;
  /** 1-based line of the `(`. */
  line: number;
}

/** One argument of a call: `keyword=value` or a positional value, as token indexes `[from, to)`. */
export interface CallArg {
  keyword: string | null;
  from: number;
  to: number;
}

/** The tokens of the call whose `(` is at `open`, on 1-based line `line`. */
export function readCall(source: string, open: number, line: number, file: string): CallTokens {
  const close = closingParen(source, open, file);
  return { tokens: tokenize(source.slice(open, close), file), base: open, line };
}

/** The offset just after the `)` that closes the `(` at `open` (the source tokenizes, so there is one). */
function closingParen(src: string, open: number, file: string): number {
  const strings = new StringScanner(src, file);
  let depth = 0;
  let i = open;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (isQuote(c)) i = strings.end(i);
    else if (isIdentStart(c) || (c >= 0x30 && c <= 0x39)) {
      const end = wordEnd(src, i + 1);
      i = isQuote(src.charCodeAt(end)) && isStringPrefix(src, i, end) ? strings.end(i) : end;
    } else if (c === 0x23) {
      while (i < src.length && !isLineBreak(src.charCodeAt(i))) i++;
    } else {
      if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
      else if ((c === 0x29 || c === 0x5d || c === 0x7d) && --depth === 0) return i + 1;
      i++;
    }
  }
  return src.length;
}

/**
 * The arguments of the call whose `(` is token `open`, or null when they cannot be known:
 * a `*args` or `**kwargs` may hold any of them.
 */
export function callArgs(tokens: TokenBuffer, open = 0): CallArg[] | null {
  const args: CallArg[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < tokens.count; i++) {
    const kind = tokens.kind(i);
    if (kind === Tok.LPAR || kind === Tok.LSQB || kind === Tok.LBRACE) depth++;
    else if ((kind === Tok.RPAR || kind === Tok.RSQB || kind === Tok.RBRACE) && depth > 0) depth--;
    else if (depth === 0 && (kind === Tok.COMMA || kind === Tok.RPAR)) {
      const arg = callArg(tokens, from, i);
      if (arg === null) return null;
      if (arg !== undefined) args.push(arg);
      if (kind === Tok.RPAR) break;
      from = i + 1;
    }
  }
  return args;
}

/** The argument `[from, to)`: undefined when it is empty (after a trailing comma), null for `*x` or `**x`. */
function callArg(tokens: TokenBuffer, from: number, to: number): CallArg | null | undefined {
  const first = skipComments(tokens, from, to);
  if (first >= to) return undefined;
  if (tokens.kind(first) === Tok.OP && tokens.source.charCodeAt(tokens.start(first)) === 0x2a) return null;
  const equal = skipComments(tokens, first + 1, to);
  if (tokens.kind(first) === Tok.NAME && equal < to && tokens.kind(equal) === Tok.EQUAL) {
    return { keyword: tokens.text(first), from: equal + 1, to };
  }
  return { keyword: null, from: first, to };
}

/** The source text of tokens `[from, to)`, comments around them left out. */
export function argText(tokens: TokenBuffer, from: number, to: number): string {
  const first = skipComments(tokens, from, to);
  let last = to - 1;
  while (last > first && tokens.kind(last) === Tok.COMMENT) last--;
  return tokens.source.slice(tokens.start(first), tokens.end(last));
}

/** Whether `c` can be part of a name: for telling `.add_argument(` from `.my_add_argument(`. */
export function isNameChar(c: number): boolean {
  return isIdentPart(c);
}
