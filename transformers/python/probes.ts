/**
 * Offsets the lexer tells code from text: an offset inside a string or a comment is not
 * code. The lexer reports every string and comment in source order, skimmed lines too, so
 * one pass over the sorted offsets answers for all of them without keeping any token.
 */
export class CodeProbes {
  private next = 0;
  private readonly text: boolean[];

  /** `offsets` sorted ascending. */
  constructor(readonly offsets: readonly number[]) {
    this.text = offsets.map(() => false);
  }

  /** `[start, end)` is a string or a comment; calls come in source order. */
  mask(start: number, end: number): void {
    const { offsets } = this;
    while (this.next < offsets.length && offsets[this.next]! < end) {
      if (offsets[this.next]! >= start) this.text[this.next] = true;
      this.next++;
    }
  }

  /** The offsets that are code, once the lexer has run. */
  code(): number[] {
    return this.offsets.filter((_, i) => !this.text[i]);
  }
}
