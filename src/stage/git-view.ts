/**
 * `--git`: the run directory as a git repository whose one commit is the source as copied
 * from the project, so the staged edits show in `git diff`, `git status` and any IDE's git
 * panel as working-tree changes, and files the script writes later as untracked.
 */
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError } from '../errors.js';
import { runGit } from '../git.js';
import { GUILD_DIR } from '../records/layout.js';

/** Settings that keep the user's git config (hooks, signing, templates) out of our commit. */
const ISOLATED = [
  '-c',
  'init.defaultBranch=main',
  '-c',
  'user.name=guild-stage',
  '-c',
  'user.email=guild-stage@localhost',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.autocrlf=false',
];

async function git(dir: string, args: string[]): Promise<string> {
  const result = await runGit([...ISOLATED, ...args], { cwd: dir });
  if (result.exitCode !== 0)
    throw new GuildStageError('STAGE', `--git: git ${args[0]} failed in ${dir}: ${result.reason}`);
  return result.stdout;
}

/** The message of the source commit: the project and, when it is a git checkout, its commit. */
function sourceCommitMessage(projectDir: string, vcsCommit: string | null): string {
  const from = vcsCommit ? ` at ${vcsCommit.replace(/^git:/, '')}` : '';
  return `Source of ${projectDir}${from}, as staged by guild-stage\n\nThe working tree holds the edits plugins made before the run.\n`;
}

/**
 * After `onRunStaged`: files that plugins added are marked intent-to-add, so `git diff` shows
 * them as new files beside the edits (an untracked file is in no diff). Nothing else is
 * untracked yet: `.guild/` is excluded and the script has not run.
 */
export async function markAddedFiles(runDir: string): Promise<void> {
  const added = (await git(runDir, ['ls-files', '-z', '--others', '--exclude-standard'])).split('\0').filter(Boolean);
  if (added.length > 0) await git(runDir, ['add', '--intent-to-add', '--', ...added]);
}

/** Makes `runDir` a repository with the staged source committed; `.guild/` and the `required` data stay out of it. */
export async function initGitView(
  runDir: string,
  projectDir: string,
  vcsCommit: string | null,
  required: readonly string[] = [],
): Promise<void> {
  await git(runDir, ['init', '-q']);
  // The run's data files (`requires:`) are no source: not in the commit, not untracked either.
  const excluded = [GUILD_DIR, ...required].map((rel) => `/${rel.replace(/[[\]*?!#\\ ]/g, '\\$&')}\n`);
  await appendFile(path.join(runDir, '.git', 'info', 'exclude'), excluded.join(''));
  await git(runDir, ['add', '-A']);
  await git(runDir, ['commit', '-q', '--allow-empty', '--no-verify', '-m', sourceCommitMessage(projectDir, vcsCommit)]);
}
