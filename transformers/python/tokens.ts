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

/** A growable list of tokens: kind and `[start, end)` offsets into the source. */
export class TokenList {
  count = 0;
  private kinds = new Uint8Array(1024);
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);

  constructor(readonly source: string) {}

  push(kind: Tok, start: number, end: number): void {
    if (this.count === this.kinds.length) this.grow();
    this.kinds[this.count] = kind;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
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
    kinds.set(this.kinds);
    starts.set(this.starts);
    ends.set(this.ends);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
  }
}
