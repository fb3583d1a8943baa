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
  return 1 + new LineBreaks(source).count(0, offset);
}

/**
 * Finds line breaks for a scanner that moves forward through one source: how many lie in
 * a span (a multi-line string), and where the current line ends (a comment). Queries must
 * come in source order (each span starting at or after the last one's end): then the
 * source is searched at most once, natively, however many queries there are, instead of
 * every string or comment being walked a character at a time.
 */
export class LineBreaks {
  /** Whether a `\r` occurs at all; without one, every search is a search for `\n`. */
  private readonly hasCR: boolean;
  /** The first `\n` at or after the last query's end (`source.length` when there is none). */
  private nextLF = -1;

  constructor(private readonly source: string) {
    this.hasCR = source.includes('\r');
  }

  /** Line breaks in `[start, end)`; a `\r\n` counts once, as does a lone `\r`. */
  count(start: number, end: number): number {
    if (this.hasCR) return countAny(this.source, start, end);
    let n = 0;
    for (let lf = this.lfFrom(start); lf < end; lf = this.lfFrom(lf + 1)) n++;
    return n;
  }

  /** The offset of the first line break at or after `i`, or the source's length. */
  lineEnd(i: number): number {
    if (!this.hasCR) return this.lfFrom(i);
    const source = this.source;
    while (i < source.length && source.charCodeAt(i) !== 0x0a && source.charCodeAt(i) !== 0x0d) i++;
    return i;
  }

  private lfFrom(i: number): number {
    if (this.nextLF < i) {
      const next = this.source.indexOf('\n', i);
      this.nextLF = next < 0 ? this.source.length : next;
    }
    return this.nextLF;
  }
}

function countAny(source: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && source.charCodeAt(i + 1) !== 0x0a)) n++;
  }
  return n;
}
