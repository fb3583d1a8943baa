/**
 * One error type for everything guild-stage reports. The CLI maps it to one line and an
 * exit code; library callers switch on `code`.
 */

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

/** The message of anything thrown, for records and reports. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** `error` as a GuildStageError: itself when it is one, else wrapped under `code`, keeping it as the cause. */
export function toGuildStageError(code: ErrorCode, error: unknown): GuildStageError {
  return error instanceof GuildStageError ? error : new GuildStageError(code, messageOf(error), { cause: error });
}
