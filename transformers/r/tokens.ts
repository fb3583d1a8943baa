/**
 * R's token kinds, for the shared token buffer, and the error for a source R cannot read.
 */
import { TransformError } from '../errors.js';

/** Token kinds, as stored in `TokenBuffer.kinds`. */
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

/** The error for a source R cannot read: `file:line: message`, with `file` and `line` set. */
export function sourceError(file: string, line: number, message: string): TransformError {
  return new TransformError('source', `${file}:${line}: ${message}`, { file, line });
}
