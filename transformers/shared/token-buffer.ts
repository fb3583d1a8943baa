/**
 * The tokens of one source, stored as parallel typed arrays rather than objects: a 10 MB
 * script has millions of them. The Python and R lexers both fill one; each language
 * numbers its own kinds.
 */
export class TokenBuffer {
  count = 0;
  /** Token `i` is of kind `kinds[i]`, spans UTF-16 offsets `starts[i]..ends[i]` and starts on 1-based line `lines[i]`. */
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  lines: Int32Array;
  /**
   * For a bracket, its partner's index, where the lexer pairs brackets (R's does); -1
   * otherwise. Empty for a lexer that does not pair them: a quarter less memory per token.
   */
  matches: Int32Array;

  /**
   * `capacity`: how many tokens fit before the arrays grow (each growth copies them all);
   * `pairs`: whether the lexer fills `matches`.
   */
  constructor(
    readonly source: string,
    capacity: number,
    private readonly pairs = false,
  ) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.lines = new Int32Array(capacity);
    this.matches = new Int32Array(pairs ? capacity : 0).fill(-1);
  }

  /** Appends a token and returns its index. */
  add(kind: number, start: number, end: number, line: number): number {
    if (this.count === this.kinds.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.lines[i] = line;
    return i;
  }

  kind(i: number): number {
    return this.kinds[i]!;
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

  /** The source text of token `i`. */
  text(i: number): string {
    return this.source.slice(this.starts[i], this.ends[i]);
  }

  /** Whether token `i` exists, is of `kind` and, when given, reads `text`. */
  is(i: number, kind: number, text?: string): boolean {
    if (i < 0 || i >= this.count || this.kinds[i] !== kind) return false;
    return (
      text === undefined ||
      (this.ends[i]! - this.starts[i]! === text.length && this.source.startsWith(text, this.starts[i]))
    );
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.kinds = kinds;
    this.starts = widened(this.starts, size, 0);
    this.ends = widened(this.ends, size, 0);
    this.lines = widened(this.lines, size, 0);
    if (this.pairs) this.matches = widened(this.matches, size, -1);
  }
}

/** `array` copied into a new one of `size` items, the new ones `fill`. */
function widened(array: Int32Array, size: number, fill: number): Int32Array {
  const next = new Int32Array(size);
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}
