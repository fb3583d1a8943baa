/**
 * What `apply` refuses to edit without `--force`: the user's own checkout (the directory
 * holding the project's `.git`), and files of a git work tree with uncommitted changes,
 * which `git checkout` could not give back.
 */
import { realpath } from 'node:fs/promises';
import { GuildStageError } from '../errors.js';
import { runGit } from '../git.js';

/** The top of the git work tree `dir` is in; undefined outside one (or without git). */
async function workTreeOf(dir: string): Promise<string | undefined> {
  const top = await runGit(['rev-parse', '--show-toplevel'], { cwd: dir });
  return top.exitCode === 0 ? top.stdout.trim() : undefined;
}

/** Throws when `dir` is a git checkout itself: checked before any plugin or hook runs. */
export async function guardCheckout(dir: string): Promise<void> {
  const root = await workTreeOf(dir);
  if (root !== undefined && (await realpath(root)) === (await realpath(dir))) {
    throw new GuildStageError(
      'USAGE',
      `${dir} is a git checkout (it holds .git): apply edits a copy, not the project`,
      {
        suggestion: 'apply to the copy a tool prepared (--dir DIR), or pass --force to edit the checkout itself',
      },
    );
  }
}

/** Throws when any of `files` (relative to `dir`) has changes git does not hold, which editing could lose. */
export async function guardUncommitted(dir: string, files: readonly string[]): Promise<void> {
  const root = await workTreeOf(dir);
  // Not in a work tree (or no git at all): nothing git could give back is at stake.
  if (root === undefined || files.length === 0) return;
  const status = await runGit(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...files], {
    cwd: dir,
  });
  if (status.exitCode !== 0) throw new GuildStageError('STAGE', `git status failed in ${dir}: ${status.reason}`);
  const dirty = status.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
  if (dirty.length > 0) {
    throw new GuildStageError(
      'USAGE',
      `${dirty.join(', ')} in ${root} ${dirty.length === 1 ? 'has' : 'have'} uncommitted changes: apply would mix its edits with them`,
      { suggestion: 'commit or stash them first, or pass --force' },
    );
  }
}
