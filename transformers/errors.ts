/**
 * The one error a transformer throws. Transformers know nothing of the engine, so this is
 * theirs alone; the engine turns it into its own error where it calls a transformer.
 */

export type TransformErrorKind =
  /** The source does not parse, or a flag annotation in it is malformed. */
  | 'source'
  /** A flag value the language cannot write as a literal (NaN in JavaScript, NUL in an R string). */
  | 'value'
  /** A source encoding the transformer will not write into (Python's `# coding: utf-7`). */
  | 'encoding';

export interface TransformErrorOptions {
  /** The script's path, as the caller named it. */
  file?: string;
  /** 1-based line in that file. */
  line?: number;
  /** A hint that helps fix it. */
  suggestion?: string;
  cause?: unknown;
}

export class TransformError extends Error {
  readonly kind: TransformErrorKind;
  readonly file?: string;
  readonly line?: number;
  readonly suggestion?: string;

  constructor(kind: TransformErrorKind, message: string, options: TransformErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransformError';
    this.kind = kind;
    this.file = options.file;
    this.line = options.line;
    this.suggestion = options.suggestion;
  }
}

export function isTransformError(value: unknown): value is TransformError {
  return value instanceof TransformError;
}
