/**
 * Source selection inside a git checkout: git decides what is source (tracked files plus
 * untracked ones it does not ignore); include rules can still bring in ignored files.
 */
import { GuildStageError } from '../errors.js';
import { mayBeInCheckout, runGit } from '../git.js';
import { inAnyDir, isGuildRecordPath, runDirsAmong } from './guild-records.js';
import { parentDir } from './rules.js';
import { inExcludedDir, walkTree, type WalkContext } from './walk.js';

/**
 * Adds what git lists under `ctx.root` (paths relative to it, also when the project is a
 * subdirectory of the repository). Returns false, adding nothing, when the project is not
 * in a git checkout, git is not installed, or git lists nothing: a project the enclosing
 * repository ignores as a whole (a checkout of dotfiles in $HOME) is no git project.
 */
export async function collectFromGit(ctx: WalkContext): Promise<boolean> {
  const listed = await gitLsFiles(ctx.root, ['--cached', '--others', '--exclude-standard']);
  if (listed === null || listed.length === 0) return false;
  const runs = await runDirsAmong(ctx.root, listed);
  for (const rel of new Set(listed)) {
    // A trailing '/' is a nested repository or submodule: its files are not this project's.
    if (rel.endsWith('/') || inExcludedDir(ctx, rel) || isGuildRecordPath(rel) || inAnyDir(rel, runs)) continue;
    const rule = ctx.rules.lastMatch(rel, ctx.rules.dirMatch(parentDir(rel)));
    const type = ctx.rules.typeAt(rule);
    if (type === 'exclude') ctx.skipped.push({ path: rel, reason: 'excluded' });
    else ctx.candidates.push({ path: rel, kind: 'unknown', included: type === 'include' });
  }
  if (ctx.rules.hasIncludes) await collectIncludedIgnored(ctx, runs);
  return true;
}

/**
 * `--directory` lists a wholly ignored directory once (`node_modules/`) instead of every
 * file in it; the walker then enters it only if an include rule can reach inside.
 */
async function collectIncludedIgnored(ctx: WalkContext, listedRuns: ReadonlySet<string>): Promise<void> {
  const ignored = (await gitLsFiles(ctx.root, ['--others', '--ignored', '--exclude-standard', '--directory'])) ?? [];
  const runs = new Set([...listedRuns, ...(await runDirsAmong(ctx.root, ignored))]);
  const walks: Promise<void>[] = [];
  for (const entry of ignored) {
    if (entry.endsWith('/')) {
      const rel = entry.slice(0, -1);
      if (inAnyDir(rel, runs)) continue;
      walks.push(walkTree(ctx, { rel, rule: ctx.rules.dirMatch(rel), skipped: true }));
      continue;
    }
    if (inExcludedDir(ctx, entry) || isGuildRecordPath(entry) || inAnyDir(entry, runs)) continue;
    const rule = ctx.rules.lastMatch(entry, ctx.rules.dirMatch(parentDir(entry)));
    if (ctx.rules.typeAt(rule) === 'include') ctx.candidates.push({ path: entry, kind: 'unknown', included: true });
  }
  await Promise.all(walks);
}

/** `git ls-files -z <args>` run in `dir`; null when `dir` is not in a checkout or git is missing. */
async function gitLsFiles(dir: string, args: string[]): Promise<string[] | null> {
  if (!(await mayBeInCheckout(dir))) return null;
  const result = await runGit(['ls-files', '-z', ...args], { cwd: dir });
  if (result.exitCode === 0) return result.stdout.split('\0').filter((entry) => entry !== '');
  if (result.missing || /not a git repository/i.test(result.stderr)) return null;
  throw new GuildStageError('SOURCE', `git ls-files failed in ${dir}: ${result.reason}`);
}
