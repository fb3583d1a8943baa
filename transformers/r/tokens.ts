/**
 * The tokens of an R source, stored as parallel typed arrays rather than objects: a 10 MB
 * script has millions of them.
 */
import { TransformError } from '../errors.js';

/** Token kinds, as stored in `Tokens.kinds`. */
export const K = {
  number: 0,
  string: 1,
  /** An identifier, keyword or backtick-quoted name. */
  name: 2,
  op: 3,
  open: 4,
  close: 5,
  comma: 6,
  semi: 7,
  newline: 8,
  comment: 9,
} as const;

export type TokenKind = keyof typeof K;

/** Kind names by code, for messages and tests. */
export const KIND_NAMES = Object.keys(K) as TokenKind[];

/**
 * The tokens of one source. Token `i` spans UTF-16 offsets `starts[i]..ends[i]` and starts
 * on 1-based line `lines[i]`; for a bracket, `matches[i]` is its partner's index.
 */
export class Tokens {
  count = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  lines: Int32Array;
  matches: Int32Array;

  /** `capacity`: how many tokens fit before the arrays grow (each growth copies them all). */
  constructor(
    readonly source: string,
    capacity: number,
  ) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.lines = new Int32Array(capacity);
    this.matches = new Int32Array(capacity);
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

  /** Appends a token and returns its index. */
  add(kind: number, start: number, end: number, line: number): number {
    if (this.count === this.kinds.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.lines[i] = line;
    this.matches[i] = -1;
    return i;
  }

  private grow(): void {
    const kinds = new Uint8Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const widen = (old: Int32Array): Int32Array => {
      const next = new Int32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.starts = widen(this.starts);
    this.ends = widen(this.ends);
    this.lines = widen(this.lines);
    this.matches = widen(this.matches);
  }
}

/** The error for a source R cannot read: `file:line: message`, with `file` and `line` set. */
export function sourceError(file: string, line: number, message: string): TransformError {
  return new TransformError('source', `${file}:${line}: ${message}`, { file, line });
}
