/**
 * Python's token kinds, for the shared token buffer, and what flag discovery asks of them.
 */
import type { TokenBuffer } from '../shared/token-buffer.js';

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
export function opensBlock(kind: number, source: string, start: number, end: number): boolean {
  if (kind === Tok.AT) return true;
  // No compound keyword is longer than `finally`: longer names need no slice.
  return kind === Tok.NAME && end - start <= 7 && COMPOUND.has(source.slice(start, end));
}

/** The first index at or after `i` that is not a comment (`limit` when there is none). */
export function skipComments(tokens: TokenBuffer, i: number, limit: number): number {
  while (i < limit && tokens.kinds[i] === Tok.COMMENT) i++;
  return i;
}
