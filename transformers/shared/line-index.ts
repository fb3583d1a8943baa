/**
 * Maps UTF-16 offsets of a source text to 1-based line numbers.
 *
 * Line breaks are `\n`, `\r\n` and a lone `\r`, the set Python and R both accept, so a
 * CRLF file and an LF file number their lines alike.
 */
export class LineIndex {
  /** Offset of the first character of each line; `starts[0]` is line 1. */
  private readonly starts: number[] = [0];

  constructor(source: string) {
    const starts = this.starts;
    if (!source.includes('\r')) {
      // The common case, left to the engine's native search.
      for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
      return;
    }
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c === 0x0a) starts.push(i + 1);
      else if (c === 0x0d) {
        if (source.charCodeAt(i + 1) === 0x0a) i++;
        starts.push(i + 1);
      }
    }
  }

  /** The 1-based line holding `offset` (an offset at a line break belongs to that line). */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** The 1-based line of `offset`, for one-off lookups such as error messages. */
export function lineAt(source: string, offset: number): number {
  return new LineIndex(source).lineOf(offset);
}
