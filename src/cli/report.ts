/**
 * The one place errors become messages and exit codes.
 */
import { CommanderError } from 'commander';
import { GuildStageError, messageOf, type ErrorCode } from '../errors.js';
import { println, type CliIO } from './io.js';
import { terminalSafe } from './terminal-text.js';

/**
 * 2 for usage and bad input, found before anything ran (as commander does for usage): what
 * the user typed, or the files, plugins and runs they named. 1 for a run that went wrong: the
 * run directory could not be written, a hook failed, the script could not be started. The
 * README's exit code table is this one.
 */
const EXIT_CODES: Record<ErrorCode, number> = {
  USAGE: 2,
  FLAG: 2,
  NOT_FOUND: 2,
  ENCODING: 2,
  SOURCE: 2,
  PLUGIN_LOAD: 2,
  RUN_STATE: 2,
  STAGE: 1,
  PLUGIN: 1,
  EXEC: 1,
};

/** One line: the message, then the suggestion when there is one. */
export function formatError(error: unknown): string {
  if (error instanceof GuildStageError) {
    const first = error.message.split('\n')[0]!;
    return terminalSafe(error.suggestion ? `${first}; ${error.suggestion}` : first);
  }
  return terminalSafe(messageOf(error).split('\n')[0]!);
}

/** An error as `--json` prints it on stdout: `{"error": {code, message, ...}}`. */
export function errorJson(error: unknown): string {
  if (error instanceof GuildStageError) {
    const { code, plugin, hook, file, line, suggestion } = error;
    return JSON.stringify({ error: { code, message: error.message, plugin, hook, file, line, suggestion } });
  }
  const code = error instanceof CommanderError ? 'USAGE' : 'INTERNAL';
  return JSON.stringify({ error: { code, message: formatError(error).replace(/^error: /, '') } });
}

/** The process exit code for an error a command threw. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof GuildStageError) return EXIT_CODES[error.code];
  if (error instanceof CommanderError) return error.exitCode === 1 ? 2 : error.exitCode;
  return 1;
}

/**
 * The exit code of a finished run: 0 when it completed, the script's own code when it
 * failed, 128 + the signal number when a signal ended it (as a shell reports it).
 */
export function exitCodeForRun(status: string, exitStatus: number | null): number {
  if (status === 'completed') return 0;
  if (exitStatus === null || exitStatus === 0) return 1;
  if (exitStatus < 0) return 128 - exitStatus;
  return exitStatus;
}

/**
 * Whether a run ended for a reason only guild-stage can tell (a hook failed or timed out, the
 * script could not be started): `-q` hides progress, never that. A script's own failure
 * speaks through its output and exit code. With `--json` the reason is in the JSON.
 */
export function failedByUs(run: { error: string | null }, options: { json?: boolean }): boolean {
  return run.error !== null && !options.json;
}

/** A failure that did not stop the command, on stderr; `quiet` silences it unless it is loud. */
export function warn(io: CliIO, warning: GuildStageError, quiet = false): void {
  if (!quiet || warning.loud) println(io.stderr, `guild-stage: warning: ${formatError(warning)}`);
}
