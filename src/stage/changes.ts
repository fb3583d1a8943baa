/**
 * Finding what hooks changed in the staged copy, however they changed it: through
 * StagedSource, `fs` directly, or a command hook. One `lstat` pass after the hooks compares
 * each file's ctime with a mark the filesystem itself stamped before them, so unchanged
 * files are never read. ctime, not mtime: a chmod moves only ctime, and no tool can set it
 * back, while `cp -p` or `touch -d` can leave a rewritten file with an old mtime.
 */
import { lstat, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isGuildPath, runFile } from '../records/layout.js';

export interface StagedChanges {
  modified: string[];
  added: string[];
  deleted: string[];
}

/**
 * Stamps the time hooks start, in the filesystem's own clock. File times come from a
 * coarse kernel clock that can lag `Date.now()` by milliseconds, so only a timestamp the
 * filesystem wrote is safe to compare them with.
 */
export async function markHooksStart(runDir: string): Promise<bigint> {
  const file = runFile(runDir, 'hooksStarted');
  await writeFile(file, '');
  return (await lstat(file, { bigint: true })).ctimeNs;
}

/**
 * Files changed since `mark`: modified ones among `copied` (written or chmod'ed; a change in
 * the same clock tick as the mark counts, and comparing contents and modes later drops it),
 * new files, deleted ones.
 * `.guild/`, a `--git` run's `.git/` and the `required` data files are not source.
 */
export async function changedSince(
  runDir: string,
  copied: ReadonlySet<string>,
  mark: bigint,
  required: readonly string[] = [],
): Promise<StagedChanges> {
  const modified: string[] = [];
  const added: string[] = [];
  const seen = new Set<string>();
  const entries = await readdir(runDir, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      if (entry.isDirectory()) return;
      const rel = path.relative(runDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      if (isGuildPath(rel) || /^\.git(\/|$)/.test(rel)) return;
      if (required.some((target) => rel === target || rel.startsWith(`${target}/`))) return;
      seen.add(rel);
      if (!copied.has(rel)) added.push(rel);
      else if ((await lstat(path.join(runDir, rel), { bigint: true })).ctimeNs >= mark) modified.push(rel);
    }),
  );
  const deleted = [...copied].filter((file) => !seen.has(file));
  return { modified: modified.sort(), added: added.sort(), deleted: deleted.sort() };
}
