/**
 * Short reasons for fs errors, for one-line messages that already name the path themselves.
 */

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
