/**
 * The source difference between two runs, as `git diff` prints it: each run's copy of the
 * source (the files its manifest lists; every file but `.guild/` for a run without one), read
 * as they are in the run directories now.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { filePatch, gitFileMode, type GitFileMode } from './diff.js';
import { GuildStageError } from './errors.js';
import { isGuildPath } from './records/layout.js';
import { readManifestPaths } from './records/manifest.js';
import type { RunRecord } from './records/read-run.js';
import { listRunDirFiles } from './records/run-files.js';

interface SourceFile {
  bytes: Buffer;
  mode: GitFileMode;
}

/** The patch that turns `from`'s source into `to`'s, files in path order (diff.ts's form); empty when they are the same. */
export async function diffRunSources(from: RunRecord, to: RunRecord): Promise<string> {
  const [a, b] = await Promise.all([sourceFiles(from), sourceFiles(to)]);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.map((file) => filePatchOf(file, a.get(file), b.get(file))).join('');
}

function filePatchOf(file: string, before: SourceFile | undefined, after: SourceFile | undefined): string {
  if (!isBinary(before) && !isBinary(after)) {
    return filePatch({
      path: file,
      before: before?.bytes.toString('utf8') ?? null,
      after: after?.bytes.toString('utf8') ?? null,
      oldMode: before?.mode,
      newMode: after?.mode,
    });
  }
  if (before && after && before.bytes.equals(after.bytes) && before.mode === after.mode) return '';
  // As git prints a binary file that differs (paths of source files need no quoting in practice).
  const mode = !before ? `new file mode ${after!.mode}\n` : !after ? `deleted file mode ${before.mode}\n` : '';
  return `diff --git a/${file} b/${file}\n${mode}Binary files ${before ? `a/${file}` : '/dev/null'} and ${after ? `b/${file}` : '/dev/null'} differ\n`;
}

function isBinary(file: SourceFile | undefined): boolean {
  return file?.bytes.includes(0) ?? false;
}

async function sourceFiles(run: RunRecord): Promise<Map<string, SourceFile>> {
  const listed =
    (await readManifestPaths(run.dir)) ??
    (await listRunDirFiles(run.dir, true)).filter((file) => !file.endsWith('/') && !isGuildPath(file));
  const files = new Map<string, SourceFile>();
  for (const rel of listed) {
    const full = path.join(run.dir, rel);
    const stats = await stat(full).catch(() => null);
    // A source file the script deleted is gone from this run's copy.
    if (!stats?.isFile()) continue;
    try {
      files.set(rel, { bytes: await readFile(full), mode: gitFileMode(stats.mode) });
    } catch (error) {
      throw new GuildStageError('RUN_STATE', `cannot read ${full}: ${(error as Error).message}`, { cause: error });
    }
  }
  return files;
}
