/**
 * Offsets the lexer tells code from text: an offset inside a string or a comment is not
 * code. The lexer reports every string and comment in source order, skimmed lines too, so
 * one pass over the sorted offsets answers for all of them without keeping any token, and
 * gives each its line on the way.
 */
export class CodeProbes {
  private next = 0;
  private readonly text: boolean[];
  private readonly lines: number[];

  /** `offsets` sorted ascending. */
  constructor(
    private readonly source: string,
    readonly offsets: readonly number[],
  ) {
    this.text = offsets.map(() => false);
    this.lines = offsets.map(() => 0);
  }

  /**
   * `[start, end)` is a string or a comment that starts on 1-based line `line` (the source's
   * length and last line at the end); calls come in source order.
   */
  mask(start: number, end: number, line: number): void {
    const { offsets } = this;
    while (this.next < offsets.length && offsets[this.next]! < end) {
      const at = offsets[this.next]!;
      if (at >= start) this.text[this.next] = true;
      else this.lines[this.next] = line - breaksIn(this.source, at, start);
      this.next++;
    }
  }

  /** The offsets that are code, with their lines, once the lexer has run. */
  code(): Array<{ offset: number; line: number }> {
    return this.offsets.flatMap((offset, i) => (this.text[i] ? [] : [{ offset, line: this.lines[i]! }]));
  }
}

/** Line breaks in `[start, end)`, a `\r\n` counted once: between a probe and the next string, a few at most. */
function breaksIn(source: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && source.charCodeAt(i + 1) !== 0x0a)) n++;
  }
  return n;
}
