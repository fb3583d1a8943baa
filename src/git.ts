/**
 * The one way guild-stage runs git. It returns what happened rather than throwing, because
 * each caller reads a failure differently: no checkout is a plain answer to source selection
 * and to `vcs_commit`, but an error for `--git`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A large repository's `ls-files` must not hit execFile's default 1 MiB output cap. */
const MAX_OUTPUT_BYTES = 1 << 30;

export interface GitResult {
  /** git's exit code; null when git did not start or did not exit by itself. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** git is not installed: nothing on PATH to run. */
  missing: boolean;
  /** Why it failed, in one line ('' when it did not): `git is not installed`, or git's first line of stderr. */
  reason: string;
}

/**
 * Runs `git <args>` on the repository at `cwd`. The directory is given as `git -C`, not as the
 * child's cwd, so a missing directory is git's own error and never looks like a missing git.
 */
export function runGit(args: readonly string[], opts: { cwd: string }): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', opts.cwd, ...args],
      { maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ exitCode: 0, stdout, stderr, missing: false, reason: '' });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code as unknown;
        const missing = code === 'ENOENT';
        resolve({
          exitCode: typeof code === 'number' ? code : null,
          stdout,
          stderr,
          missing,
          reason: missing ? 'git is not installed' : stderr.trim().split('\n')[0] || error.message,
        });
      },
    );
  });
}

/**
 * The nearest directory from `dir` up with a `.git` entry (a directory, or the file of a
 * linked worktree or submodule): git's own rule, read without running git.
 */
export async function gitWorkTreeOf(dir: string): Promise<string | null> {
  // One synchronous access per level: the walk runs on every stage, and each round trip
  // through the thread pool costs more than the system call.
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return null;
  }
}

/**
 * Whether git could find a repository from `dir`: `$GIT_DIR` is set, or a `.git` is in `dir`
 * or above. When not, asking git is a process spawned for a sure "no", which costs more than
 * the rest of staging a small project (P1 in bench/README.md).
 */
export async function mayBeInCheckout(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return Boolean(env.GIT_DIR) || (await gitWorkTreeOf(dir)) !== null;
}
