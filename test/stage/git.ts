/**
 * Real git for the stage tests, isolated from the machine's configuration so that a global
 * excludesFile or hook cannot change what a test sees.
 */
import { execFileSync } from 'node:child_process';

const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** Runs `git <args>` in `cwd` and returns its stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    env,
    encoding: 'utf8',
  });
}

/** Makes `dir` a repository and commits everything `git add -A` takes. */
export function initAndCommit(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
}
