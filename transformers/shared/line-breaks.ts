/**
 * Line breaks in a source text, as the Python and R lexers count them: `\n`, `\r\n` and a
 * lone `\r`, the set both languages accept, so a CRLF file and an LF file number their
 * lines alike.
 */

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
