/**
 * One error type for everything guild-stage reports. The CLI maps it to one line and an
 * exit code; library callers switch on `code`. Also the short reasons those lines give for
 * what the file system refused.
 */
import { isTransformError, type TransformError, type TransformErrorKind } from '../transformers/errors.js';

export type ErrorCode =
  /** The user asked for something malformed: a bad `--flags` item, an unknown option value. */
  | 'USAGE'
  /** A script, run, plugin or hook command that does not exist. */
  | 'NOT_FOUND'
  /** A flag name or value that the script's flags do not accept. */
  | 'FLAG'
  /** A script in a source encoding guild-stage will not write flag values into (utf-7, shift_jis). */
  | 'ENCODING'
  /** A source file that cannot be read or parsed. */
  | 'SOURCE'
  /** Creating or writing the run directory failed. */
  | 'STAGE'
  /** A plugin or command hook failed while a run ran. */
  | 'PLUGIN'
  /** A plugin module that cannot be loaded, or exports no valid plugin: found before any run. */
  | 'PLUGIN_LOAD'
  /** The script could not be started. */
  | 'EXEC'
  /** A run or runs directory that cannot be read, or a run in a state the command cannot use (`start` on a completed run). */
  | 'RUN_STATE';

export interface GuildStageErrorOptions {
  plugin?: string;
  hook?: string;
  file?: string;
  line?: number;
  /** A hint that helps fix it, e.g. "did you mean lr?". */
  suggestion?: string;
  cause?: unknown;
  /** A warning `-q` does not hide: a run's source cut short by a limit, or far larger than expected. */
  loud?: boolean;
}

export class GuildStageError extends Error {
  readonly code: ErrorCode;
  readonly plugin?: string;
  readonly hook?: string;
  readonly file?: string;
  readonly line?: number;
  readonly suggestion?: string;
  readonly loud?: boolean;

  constructor(code: ErrorCode, message: string, options: GuildStageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GuildStageError';
    this.code = code;
    this.plugin = options.plugin;
    this.hook = options.hook;
    this.file = options.file;
    this.line = options.line;
    this.suggestion = options.suggestion;
    if (options.loud) this.loud = true;
  }
}

export function isGuildStageError(value: unknown): value is GuildStageError {
  return value instanceof GuildStageError;
}

const TRANSFORM_CODES: Record<TransformErrorKind, ErrorCode> = {
  source: 'SOURCE',
  value: 'FLAG',
  encoding: 'ENCODING',
};

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

/** `error` as a GuildStageError: itself when it is one, else wrapped under `code`, keeping it as the cause. */
export function toGuildStageError(code: ErrorCode, error: unknown): GuildStageError {
  return error instanceof GuildStageError ? error : new GuildStageError(code, messageOf(error), { cause: error });
}

/** A system error from fs (`ENOENT`, `EACCES`...), narrowed from `unknown`. */
export interface FsError extends Error {
  code: string;
  errno: number;
  path?: string;
  syscall?: string;
}

/** Checks `errno` too: a GuildStageError also has a string `code`. */
export function isFsError(error: unknown): error is FsError {
  const candidate = error as Partial<FsError>;
  return error instanceof Error && typeof candidate.code === 'string' && typeof candidate.errno === 'number';
}

/**
 * `permission denied (EACCES)` rather than Node's `EACCES: permission denied, open '/x/y'`,
 * whose path would repeat the one the message already names.
 */
export function fsReason(error: unknown): string {
  if (!isFsError(error)) return error instanceof Error ? error.message : String(error);
  const match = /^[A-Z0-9_]+: ([^,]+)/.exec(error.message);
  return match ? `${match[1]} (${error.code})` : `${error.message} (${error.code})`;
}
