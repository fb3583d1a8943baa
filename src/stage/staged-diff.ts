/**
 * What the hooks changed in the staged copy, as a list and as the patch a reviewer reads.
 * Original text and mode come from the project (via the manifest), the new from the run
 * directory; a mode change shows as git shows it (`old mode`/`new mode`, `new file mode 100755`).
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createPatch, gitFileMode, type FileChange, type GitFileMode } from '../diff.js';
import { readChangedRegion } from '../diff-region.js';
import { changedSince } from './changes.js';

/** A file the hooks changed in the staged copy, with the plugins that wrote it through StagedSource. */
export interface ChangedFile {
  path: string;
  change: 'modified' | 'added' | 'deleted';
  plugins: string[];
}

async function readOrNull(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch(() => null);
}

/**
 * A file both sides have, as the region that changed: a large file is never read whole. One
 * side that cannot be read is diffed as missing, as `readOrNull` reads it.
 */
async function modifiedFile(file: string, original: string, current: string): Promise<FileChange> {
  const region = await readChangedRegion(original, current).catch(() => undefined);
  if (region === undefined) return { path: file, before: await readOrNull(original), after: await readOrNull(current) };
  return region === null
    ? { path: file, before: '', after: '' }
    : { path: file, before: region.before, after: region.after, linesAbove: region.linesAbove };
}

/** Synchronous: one stat, cheaper than its round trip through the thread pool. */
async function modeOrUndefined(file: string): Promise<GitFileMode | undefined> {
  try {
    return gitFileMode(statSync(file).mode);
  } catch {
    return undefined;
  }
}

/**
 * The staged copy's changes since the hooks started. `copied` lists the files staging
 * copied; `mark` is the filesystem time the hooks started (see `markHooksStart`), or null
 * when only StagedSource could write, whose `writers` then say everything. Originals are
 * read from the project: the staged files sit at the same paths. `required` are the run's
 * data files (`requires:`), which are no source.
 */
export async function stagedChanges(
  runDir: string,
  projectDir: string,
  copied: ReadonlySet<string>,
  mark: bigint | null,
  writers: ReadonlyMap<string, string[]>,
  required: readonly string[] = [],
): Promise<{ changed: ChangedFile[]; patch: string }> {
  const found =
    mark === null ? { modified: [], added: [], deleted: [] } : await changedSince(runDir, copied, mark, required);
  for (const file of writers.keys()) {
    const list = copied.has(file) ? found.modified : found.added;
    if (!list.includes(file)) list.push(file);
  }
  found.modified.sort();
  found.added.sort();
  const fileChanges: FileChange[] = [];
  const changed: ChangedFile[] = [];
  const kinds = [
    ['modified', found.modified],
    ['added', found.added],
    ['deleted', found.deleted],
  ] as const;
  for (const [change, files] of kinds) {
    for (const file of files) {
      const original = path.join(projectDir, file);
      const current = path.join(runDir, file);
      const [oldMode, newMode] = await Promise.all([
        change === 'added' ? undefined : modeOrUndefined(original),
        change === 'deleted' ? undefined : modeOrUndefined(current),
      ]);
      const fileChange =
        change === 'modified' && oldMode !== undefined && newMode !== undefined
          ? await modifiedFile(file, original, current)
          : {
              path: file,
              before: change === 'added' ? null : await readOrNull(original),
              after: change === 'deleted' ? null : await readOrNull(current),
            };
      if (fileChange.before === fileChange.after && oldMode === newMode) continue;
      fileChanges.push({ ...fileChange, oldMode, newMode });
      changed.push({ path: file, change, plugins: writers.get(file) ?? [] });
    }
  }
  return { changed, patch: createPatch(fileChanges) };
}
