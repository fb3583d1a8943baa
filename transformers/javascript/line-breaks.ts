/**
 * Undoing recast's source normalisation. recast splits a file into lines at every line
 * terminator (`\r\n`, `\r`, `\n`, U+2028, U+2029), expands each line's leading whitespace
 * to spaces, and joins lines with one terminator when it parses and when it prints. These
 * helpers give the parser the file's own terminators back (a raw U+2028 inside a string
 * must stay one), map the parser's offsets to the file's, and restore each line's own
 * terminator in printed code, so CRLF and mixed files print byte-identical.
 */
import { diffArrays } from 'diff';

const BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** A source cut at its line terminators: `lines.length === breaks.length + 1`. */
export interface SplitSource {
  lines: string[];
  breaks: string[];
}

/** Cuts `source` into lines and the terminator after each but the last. */
export function splitLines(source: string): SplitSource {
  return { lines: source.split(BREAK), breaks: source.match(BREAK) ?? [] };
}

/** Joins lines with the given terminators; a missing terminator is `\n`. */
export function joinLines(lines: readonly string[], breaks: readonly string[]): string {
  let out = lines[0] ?? '';
  for (let i = 1; i < lines.length; i++) out += (breaks[i - 1] ?? '\n') + lines[i];
  return out;
}

/**
 * `printed` (lines joined by `\n`) with the terminators of `original` put back: each line
 * that is an unchanged line of the original gets that line's terminator; lines that
 * replace original lines get theirs in order (the last one the last one's, so a literal
 * printed on fewer lines still ends its line alike); other new lines get the file's most
 * common terminator.
 */
export function restoreBreaks(original: SplitSource, printed: string): string {
  const lines = printed.split('\n');
  const kinds = new Set(original.breaks);
  if (kinds.size === 0 || (kinds.size === 1 && kinds.has('\n'))) return printed;
  if (kinds.size === 1) return lines.join(original.breaks[0]);
  const usual = mostCommon(original.breaks);
  const breaks: string[] = [];
  let replaced: (string | undefined)[] = [];
  let at = 0;
  for (const change of diffArrays(original.lines, lines)) {
    const count = change.value.length;
    if (change.removed) {
      replaced = original.breaks.slice(at, at + count);
      at += count;
    } else if (change.added) {
      for (let i = 0; i < count; i++) breaks.push((i === count - 1 ? replaced.at(-1) : replaced[i]) ?? usual);
      replaced = [];
    } else {
      replaced = [];
      for (let i = 0; i < count; i++) breaks.push(original.breaks[at++] ?? usual);
    }
  }
  return joinLines(lines, breaks);
}

function mostCommon(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

/**
 * Maps offsets in recast's parser input (the file with each line's leading whitespace
 * rewritten) to offsets in the file. Positions inside leading whitespace never start or
 * end a token, so only the rest of each line needs mapping.
 */
export class OffsetMap {
  private readonly inputStarts: number[] = [];
  private readonly shifts: number[] = [];

  constructor(original: SplitSource, input: SplitSource) {
    let inAt = 0;
    let origAt = 0;
    input.lines.forEach((line, i) => {
      const origLine = original.lines[i]!;
      this.inputStarts.push(inAt);
      this.shifts.push(origAt + leadLength(origLine) - (inAt + leadLength(line)));
      inAt += line.length + (input.breaks[i]?.length ?? 0);
      origAt += origLine.length + (original.breaks[i]?.length ?? 0);
    });
  }

  /** The file offset of parser-input offset `offset`. */
  toOriginal(offset: number): number {
    const starts = this.inputStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return offset + this.shifts[lo]!;
  }
}

/** The leading whitespace recast re-indents: what `/^\s*\/` matches. */
function leadLength(line: string): number {
  return /^\s*/.exec(line)![0].length;
}
