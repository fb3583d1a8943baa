/**
 * Finds where a Python string literal ends: single, double or triple quoted, with any
 * prefix (r, b, u, f, t and their pairs, any case). An f-string's replacement fields are
 * scanned as expressions, so nested strings (`f"{d['k']}"`, or `f"{d["k"]}"` as Python
 * 3.12 allows), nested fields in format specs, and `\N{...}` escapes do not end it early.
 */
import {
  BACKSLASH,
  isDigit,
  isIdentPart,
  isIdentStart,
  isLineBreak,
  isQuote,
  isStringPrefix,
  skipLineBreak,
  syntaxError,
} from './chars.js';

const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LPAR = 0x28;
const RPAR = 0x29;
const LSQB = 0x5b;
const RSQB = 0x5d;
const COLON = 0x3a;
const HASH = 0x23;
const UPPER_N = 0x4e;
const DQUOTE = 0x22;

/** The quote that closes a string, and whether it is tripled. */
interface Quoting {
  quote: number;
  triple: boolean;
  /** Offset of the literal's first character (its prefix), for error lines. */
  start: number;
}

/**
 * Finds where string literals end in one source. One scanner serves a whole tokenize
 * pass: it remembers where the next backslash is, so most triple-quoted bodies are found
 * with one native search.
 */
export class StringScanner {
  /** The first backslash at or after the last body searched (`src.length` when none). */
  private nextBackslash = -1;
  private formattedScanner: FormattedScanner | undefined;

  constructor(
    private readonly src: string,
    private readonly file: string,
  ) {}

  /**
   * Returns the offset just after the closing quote of the string literal that starts at
   * `start` (at its prefix, or at the opening quote when it has none). Calls must come in
   * source order. Throws a `source` error when the literal is not terminated.
   */
  end(start: number): number {
    const src = this.src;
    const q = quoteAfterPrefix(src, start);
    if (isFormatted(src, start, q))
      return (this.formattedScanner ??= new FormattedScanner(this, src, this.file)).string(start, q);
    const triple = isTriple(src, q);
    const end = triple ? this.tripleEnd(q) : singleEnd(src, q + 1, src.charCodeAt(q));
    if (end < 0) throw unterminated(src, this.file, start, triple);
    return end;
  }

  /** After the closing triple quote of the body opened at `q`; -1 when there is none. */
  private tripleEnd(q: number): number {
    const body = q + 3;
    const close = this.src.indexOf(this.src.charCodeAt(q) === DQUOTE ? '"""' : "'''", body);
    if (close < 0) return -1;
    // Only an escape can move the end past the first closing quotes.
    return this.backslashFrom(body) > close ? close + 3 : escapedTripleEnd(this.src, body, this.src.charCodeAt(q));
  }

  private backslashFrom(i: number): number {
    if (this.nextBackslash < i) {
      const next = this.src.indexOf('\\', i);
      this.nextBackslash = next < 0 ? this.src.length : next;
    }
    return this.nextBackslash;
  }
}

/** The offset of the opening quote of the literal whose prefix starts at `start`. */
function quoteAfterPrefix(src: string, start: number): number {
  let q = start;
  while (!isQuote(src.charCodeAt(q))) q++;
  return q;
}

/** Whether the prefix `[start, q)` (string prefix letters only) makes an f-string or a t-string. */
function isFormatted(src: string, start: number, q: number): boolean {
  return prefixHas(src, start, q, 0x66) || prefixHas(src, start, q, 0x74);
}

/** Whether the prefix `[start, q)` holds the lower-case letter `letter` in either case. */
function prefixHas(src: string, start: number, q: number, letter: number): boolean {
  for (let i = start; i < q; i++) if ((src.charCodeAt(i) | 0x20) === letter) return true;
  return false;
}

function isTriple(src: string, q: number): boolean {
  const quote = src.charCodeAt(q);
  return src.charCodeAt(q + 1) === quote && src.charCodeAt(q + 2) === quote;
}

/** After the closing quote of a one-line body starting at `i`; -1 at a line break or the end. */
function singleEnd(src: string, i: number, quote: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === BACKSLASH) i = escapeEnd(src, i);
    else if (isLineBreak(c)) return -1;
    else i++;
  }
  return -1;
}

/** After the closing triple quote of a body starting at `i`, escapes considered; -1 when there is none. */
function escapedTripleEnd(src: string, i: number, quote: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === BACKSLASH) i = escapeEnd(src, i);
    else if (c === quote && src.charCodeAt(i + 1) === quote && src.charCodeAt(i + 2) === quote) return i + 3;
    else i++;
  }
  return -1;
}

/** Skips a backslash and what it escapes; a backslash before a line break joins lines. */
function escapeEnd(src: string, i: number): number {
  return isLineBreak(src.charCodeAt(i + 1)) ? skipLineBreak(src, i + 1) : i + 2;
}

function unterminated(src: string, file: string, start: number, triple: boolean): Error {
  const what = triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
  return syntaxError(src, file, start, what);
}

/** What a formatted literal's text stops at: escapes, quotes, braces and line breaks. */
const FORMAT_STOPS = new Uint8Array(128);
for (const char of '\\\'"{}\n\r') FORMAT_STOPS[char.charCodeAt(0)] = 1;

/** Like Python's own limit on nested f-strings, and it keeps the recursion off deep stacks. */
const MAX_FIELD_NESTING = 150;

/** Reads an f-string (or t-string), whose replacement fields hold code with strings of their own. */
class FormattedScanner {
  /** How many replacement fields enclose the current position. */
  private fields = 0;

  constructor(
    private readonly strings: StringScanner,
    private readonly src: string,
    private readonly file: string,
  ) {}

  /** The end of the formatted literal whose prefix starts at `start` and opening quote is at `q`. */
  string(start: number, q: number): number {
    const quote = this.src.charCodeAt(q);
    const triple = isTriple(this.src, q);
    const raw = prefixHas(this.src, start, q, 0x72);
    return this.formatted(q + (triple ? 3 : 1), { quote, triple, start }, raw);
  }

  /** A string inside a field: formatted ones nest here, so the nesting limit sees them. */
  private nested(start: number): number {
    const q = quoteAfterPrefix(this.src, start);
    return isFormatted(this.src, start, q) ? this.string(start, q) : this.strings.end(start);
  }

  /** Where a closing quote at `i` ends the literal, or -1 when it is one quote of a triple. */
  private closeAt(i: number, { quote, triple }: Quoting): number {
    if (!triple) return i + 1;
    return this.src.charCodeAt(i + 1) === quote && this.src.charCodeAt(i + 2) === quote ? i + 3 : -1;
  }

  private formatted(i: number, quoting: Quoting, raw: boolean): number {
    const src = this.src;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c >= 128 || FORMAT_STOPS[c] === 0) {
        i++;
        continue;
      }
      const next = src.charCodeAt(i + 1);
      if (c === BACKSLASH) {
        // In a raw f-string `\{x}` is a backslash then a field; `\N{DASH}` is a name, not a field.
        if (raw && (next === LBRACE || next === RBRACE)) i++;
        else if (!raw && next === UPPER_N && src.charCodeAt(i + 2) === LBRACE) i = this.namedEscapeEnd(i + 3, quoting);
        else i = escapeEnd(src, i);
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
        i = this.nested(i);
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
    if (isQuote(src.charCodeAt(j)) && isStringPrefix(src, i, j)) return this.nested(i);
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
    return unterminated(this.src, this.file, start, triple);
  }
}
