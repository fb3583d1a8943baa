/**
 * One error type for everything guild-stage reports. The CLI maps it to one line and an
 * exit code; library callers switch on `code`.
 */
import { isTransformError, type TransformError, type TransformErrorKind } from '../transformers/errors.js';

export type ErrorCode =
  /** The user asked for something malformed: a bad `--flags` item, an unknown option value. */
  | 'USAGE'
  /** A script, run, plugin or hook command that does not exist. */
  | 'NOT_FOUND'
  /** A flag name or value that the script's flags do not accept. */
  | 'FLAG'
  /** A source file that cannot be read or parsed. */
  | 'SOURCE'
  /** Creating or writing the run directory failed. */
  | 'STAGE'
  /** A plugin or command hook failed. */
  | 'PLUGIN'
  /** The script could not be started. */
  | 'EXEC'
  /** A run in a state the command cannot use (e.g. `start` on a completed run). */
  | 'RUN_STATE';

export interface GuildStageErrorOptions {
  plugin?: string;
  hook?: string;
  file?: string;
  line?: number;
  /** A hint that helps fix it, e.g. "did you mean lr?". */
  suggestion?: string;
  cause?: unknown;
}

export class GuildStageError extends Error {
  readonly code: ErrorCode;
  readonly plugin?: string;
  readonly hook?: string;
  readonly file?: string;
  readonly line?: number;
  readonly suggestion?: string;

  constructor(code: ErrorCode, message: string, options: GuildStageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GuildStageError';
    this.code = code;
    this.plugin = options.plugin;
    this.hook = options.hook;
    this.file = options.file;
    this.line = options.line;
    this.suggestion = options.suggestion;
  }
}

export function isGuildStageError(value: unknown): value is GuildStageError {
  return value instanceof GuildStageError;
}

const TRANSFORM_CODES: Record<TransformErrorKind, ErrorCode> = { source: 'SOURCE', value: 'FLAG' };

/** A transformer's error as guild-stage reports it: same message, file, line and suggestion. */
export function fromTransformError(error: TransformError): GuildStageError {
  return new GuildStageError(TRANSFORM_CODES[error.kind], error.message, {
    file: error.file,
    line: error.line,
    suggestion: error.suggestion,
    cause: error,
  });
}

/** Calls a transformer, turning a `TransformError` it throws into a `GuildStageError`. */
export function callTransformer<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw isTransformError(error) ? fromTransformError(error) : error;
  }
}

/** The message of anything thrown, for records and reports. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
