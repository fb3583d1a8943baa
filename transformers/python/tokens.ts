/**
 * The token stream of a Python source, stored as parallel typed arrays so that lexing a
 * 10 MB script allocates a handful of buffers instead of millions of objects.
 */

/** Token kinds. Operators that matter to flag discovery get their own kind; the rest are `OP`. */
export const Tok = {
  NAME: 1,
  NUMBER: 2,
  /** Any string literal, f-strings included (one token up to the closing quote). */
  STRING: 3,
  /** `#` up to the end of the physical line, without the line break. */
  COMMENT: 4,
  /** The end of a logical line (never inside brackets or after a backslash continuation). */
  NEWLINE: 5,
  EQUAL: 6,
  /** `+=`, `**=` and the other augmented assignments. */
  AUGASSIGN: 7,
  COLON: 8,
  SEMI: 9,
  COMMA: 10,
  LPAR: 11,
  RPAR: 12,
  LSQB: 13,
  RSQB: 14,
  LBRACE: 15,
  RBRACE: 16,
  MINUS: 17,
  PLUS: 18,
  AT: 19,
  DOT: 20,
  OP: 21,
} as const;

export type Tok = (typeof Tok)[keyof typeof Tok];

const COMPOUND = new Set([
  'if',
  'elif',
  'else',
  'for',
  'while',
  'with',
  'try',
  'except',
  'finally',
  'def',
  'class',
  'async',
]);

/**
 * Whether a logical line whose first token is of `kind` and spans `[start, end)` of
 * `source` opens a compound statement (`if x:`, `def f():`, `@decorator`): whatever it
 * assigns is not a top-level assignment.
 */
export function opensBlock(kind: Tok, source: string, start: number, end: number): boolean {
  if (kind === Tok.AT) return true;
  // No compound keyword is longer than `finally`: longer names need no slice.
  return kind === Tok.NAME && end - start <= 7 && COMPOUND.has(source.slice(start, end));
}

/** A growable list of tokens: kind, `[start, end)` offsets into the source, and 1-based line. */
export class TokenList {
  count = 0;
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private lines: Int32Array;

  /** `capacity`: how many tokens fit before the arrays grow (each growth copies them all). */
  constructor(
    readonly source: string,
    capacity: number,
  ) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.lines = new Int32Array(capacity);
  }

  push(kind: Tok, start: number, end: number, line: number): void {
    if (this.count === this.kinds.length) this.grow();
    this.kinds[this.count] = kind;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.lines[this.count] = line;
    this.count++;
  }

  kind(i: number): Tok {
    return this.kinds[i] as Tok;
  }

  start(i: number): number {
    return this.starts[i]!;
  }

  end(i: number): number {
    return this.ends[i]!;
  }

  /** The 1-based line on which token `i` starts. */
  line(i: number): number {
    return this.lines[i]!;
  }

  text(i: number): string {
    return this.source.slice(this.starts[i], this.ends[i]);
  }

  /** The first index at or after `i` that is not a comment (`limit` when there is none). */
  skipComments(i: number, limit: number): number {
    while (i < limit && this.kinds[i] === Tok.COMMENT) i++;
    return i;
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const lines = new Int32Array(size);
    kinds.set(this.kinds);
    starts.set(this.starts);
    ends.set(this.ends);
    lines.set(this.lines);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
    this.lines = lines;
  }
}
