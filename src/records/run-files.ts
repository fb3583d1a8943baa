/**
 * A run's files as `guild ls` and `guild cat` show them: paths relative to the run directory,
 * hidden names (`.guild` among them) left out unless asked for, symlinks listed, not followed.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fsReason, GuildStageError } from '../errors.js';
import { runFile } from './layout.js';

/** Every file and directory under `runDir` (directories end with `/`), in natural order. */
export async function listRunDirFiles(runDir: string, all: boolean): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(runDir, rel), { withFileTypes: true });
    } catch (error) {
      throw new GuildStageError('RUN_STATE', `cannot read ${path.join(runDir, rel)}: ${fsReason(error)}`);
    }
    for (const entry of entries) {
      if (!all && entry.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      found.push(entry.isDirectory() ? `${child}/` : child);
      if (entry.isDirectory()) await walk(child);
    }
  };
  await walk('');
  return found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * The absolute path of a file of the run: `rel` (relative, inside the run directory), or the
 * run's output when `rel` is undefined. A file that is missing or not a regular file is `NOT_FOUND`.
 */
export async function runFilePath(runDir: string, shortId: string, rel: string | undefined): Promise<string> {
  if (rel === undefined) {
    const output = runFile(runDir, 'output');
    if (!(await stat(output).catch(() => null))?.isFile()) {
      throw new GuildStageError('NOT_FOUND', `run ${shortId} has no output (it has not run)`);
    }
    return output;
  }
  const file = path.resolve(runDir, rel);
  const inside = path.relative(runDir, file);
  if (path.isAbsolute(rel) || inside === '' || inside.startsWith('..')) {
    throw new GuildStageError('USAGE', `--path ${rel}: give a file of the run, relative to its directory`);
  }
  const stats = await stat(file).catch(() => null);
  if (!stats) throw new GuildStageError('NOT_FOUND', `run ${shortId} has no file ${rel}`);
  if (!stats.isFile()) throw new GuildStageError('USAGE', `--path ${rel}: not a regular file in run ${shortId}`);
  return file;
}
