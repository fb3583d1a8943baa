/**
 * Finds where a Python string literal ends: single, double or triple quoted, with any
 * prefix (r, b, u, f, t and their pairs, any case). An f-string's replacement fields are
 * scanned as expressions, so nested strings (`f"{d['k']}"`, or `f"{d["k"]}"` as Python
 * 3.12 allows), nested fields in format specs, and `\N{...}` escapes do not end it early.
 */
import { BACKSLASH, isDigit, isIdentPart, isIdentStart, isLineBreak, isQuote, isStringPrefix, skipLineBreak, syntaxError } from './chars.js';

const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LPAR = 0x28;
const RPAR = 0x29;
const LSQB = 0x5b;
const RSQB = 0x5d;
const COLON = 0x3a;
const HASH = 0x23;
const UPPER_N = 0x4e;

/** The quote that closes a string, and whether it is tripled. */
interface Quoting {
  quote: number;
  triple: boolean;
  /** Offset of the literal's first character (its prefix), for error lines. */
  start: number;
}

/**
 * Returns the offset just after the closing quote of the string literal that starts at
 * `start` (at its prefix, or at the opening quote when it has none). Throws a `SOURCE`
 * error when the literal is not terminated.
 */
export function scanString(source: string, start: number, file: string): number {
  return new StringScanner(source, file).string(start);
}

/** Like Python's own limit on nested f-strings, and it keeps the recursion off deep stacks. */
const MAX_FIELD_NESTING = 150;

class StringScanner {
  /** How many replacement fields enclose the current position. */
  private fields = 0;

  constructor(
    private readonly src: string,
    private readonly file: string,
  ) {}

  string(start: number): number {
    let q = start;
    while (!isQuote(this.src.charCodeAt(q))) q++;
    const prefix = this.src.slice(start, q).toLowerCase();
    const quote = this.src.charCodeAt(q);
    const triple = this.src.charCodeAt(q + 1) === quote && this.src.charCodeAt(q + 2) === quote;
    const quoting = { quote, triple, start };
    const body = q + (triple ? 3 : 1);
    if (prefix.includes('f') || prefix.includes('t')) return this.formatted(body, quoting, prefix.includes('r'));
    return this.plain(body, quoting);
  }

  /** Where a closing quote at `i` ends the literal, or -1 when it is one quote of a triple. */
  private closeAt(i: number, { quote, triple }: Quoting): number {
    if (!triple) return i + 1;
    return this.src.charCodeAt(i + 1) === quote && this.src.charCodeAt(i + 2) === quote ? i + 3 : -1;
  }

  /** Skips a backslash and what it escapes; a backslash before a line break joins lines. */
  private escapeEnd(i: number): number {
    return isLineBreak(this.src.charCodeAt(i + 1)) ? skipLineBreak(this.src, i + 1) : i + 2;
  }

  private plain(i: number, quoting: Quoting): number {
    const src = this.src;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === BACKSLASH) {
        i = this.escapeEnd(i);
        continue;
      }
      if (c === quoting.quote) {
        const end = this.closeAt(i, quoting);
        if (end >= 0) return end;
      } else if (!quoting.triple && isLineBreak(c)) break;
      i++;
    }
    throw this.unterminated(quoting);
  }

  private formatted(i: number, quoting: Quoting, raw: boolean): number {
    const src = this.src;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      const next = src.charCodeAt(i + 1);
      if (c === BACKSLASH) {
        // In a raw f-string `\{x}` is a backslash then a field; `\N{DASH}` is a name, not a field.
        if (raw && (next === LBRACE || next === RBRACE)) i++;
        else if (!raw && next === UPPER_N && src.charCodeAt(i + 2) === LBRACE) i = this.namedEscapeEnd(i + 3, quoting);
        else i = this.escapeEnd(i);
        continue;
      }
      if (c === quoting.quote) {
        const end = this.closeAt(i, quoting);
        if (end >= 0) return end;
      } else if (c === LBRACE) {
        i = next === LBRACE ? i + 2 : this.field(i + 1, quoting);
        continue;
      } else if (c === RBRACE && next === RBRACE) {
        i += 2;
        continue;
      } else if (!quoting.triple && isLineBreak(c)) break;
      i++;
    }
    throw this.unterminated(quoting);
  }

  private namedEscapeEnd(i: number, quoting: Quoting): number {
    const close = this.src.indexOf('}', i);
    if (close < 0) throw this.unterminated(quoting);
    return close + 1;
  }

  /** A replacement field's expression, from after `{` to after its closing `}`. */
  private field(i: number, quoting: Quoting): number {
    if (this.fields === MAX_FIELD_NESTING) throw syntaxError(this.src, this.file, i, 'too many nested f-strings');
    this.fields++;
    const end = this.expression(i, quoting);
    this.fields--;
    return end;
  }

  /** The expression of a field up to its `}`, or up to `:` and then the format spec. */
  private expression(i: number, quoting: Quoting): number {
    const src = this.src;
    let depth = 0;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (isQuote(c)) {
        i = this.string(i);
        continue;
      }
      if (isIdentStart(c) || isDigit(c)) {
        i = this.wordOrString(i);
        continue;
      }
      if (c === HASH) {
        while (i < src.length && !isLineBreak(src.charCodeAt(i))) i++;
        continue;
      }
      if (c === LPAR || c === LSQB || c === LBRACE) depth++;
      else if (c === RPAR || c === RSQB || c === RBRACE) {
        if (depth === 0) {
          if (c === RBRACE) return i + 1;
          throw syntaxError(src, this.file, i, `f-string: unmatched '${String.fromCharCode(c)}'`);
        }
        depth--;
      } else if (c === COLON && depth === 0) return this.formatSpec(i + 1, quoting);
      i++;
    }
    throw this.unterminated(quoting);
  }

  /** An identifier or number inside a field, or a prefixed string such as `rb'x'`. */
  private wordOrString(i: number): number {
    const src = this.src;
    let j = i + 1;
    while (j < src.length && isIdentPart(src.charCodeAt(j))) j++;
    if (isQuote(src.charCodeAt(j)) && isStringPrefix(src, i, j)) return this.string(i);
    return j;
  }

  /** A format spec, from after `:` to after the field's `}`; it may hold nested fields. */
  private formatSpec(i: number, quoting: Quoting): number {
    const src = this.src;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === LBRACE) {
        i = this.field(i + 1, quoting);
        continue;
      }
      if (c === RBRACE) return i + 1;
      if (c === quoting.quote || (!quoting.triple && isLineBreak(c))) {
        throw syntaxError(src, this.file, i, "f-string: expecting '}'");
      }
      i++;
    }
    throw this.unterminated(quoting);
  }

  private unterminated({ start, triple }: Quoting): Error {
    const what = triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
    return syntaxError(this.src, this.file, start, what);
  }
}
