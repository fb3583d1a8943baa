/**
 * `<run>/.guild/linked` (ours, not Guild's): the files `--link` hard-linked into the run, so
 * that a later edit of the project in place, which changes the run's copy too, shows. One
 * line per file: `<inode> <mtime in ns> <size> <path in run>`, the path shell-quoted. A
 * reflinked or copied file shares nothing with the project and is not listed.
 */
import { existsSync } from 'node:fs';
import { lstat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError, messageOf } from '../errors.js';
import { shlexQuote, shlexSplit } from '../shlex.js';
import { readTextIfExists } from './files.js';
import { runFile } from './layout.js';

/** A file shared with the project, as it was when it was linked. */
export interface LinkedStamp {
  ino: bigint;
  mtimeNs: bigint;
  size: bigint;
}

/** Writes the list; a run without linked files gets no file. */
export async function writeLinked(
  runDir: string,
  files: ReadonlyArray<{ path: string; linked?: LinkedStamp }>,
): Promise<void> {
  const lines = files.flatMap(({ path: rel, linked }) =>
    linked ? [`${linked.ino} ${linked.mtimeNs} ${linked.size} ${shlexQuote(rel)}\n`] : [],
  );
  if (lines.length === 0) return;
  const file = runFile(runDir, 'linked');
  try {
    await writeFile(file, lines.join(''));
  } catch (error) {
    throw new GuildStageError('STAGE', `cannot write ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/**
 * The linked files of the run that changed since they were linked: the same inode (still
 * shared with the project) with another mtime or size. A file the run replaced (a plugin's
 * edit) or deleted shares nothing with the project any more and is not reported. None for a
 * run without `--link`.
 */
export async function changedLinkedFiles(runDir: string): Promise<string[]> {
  const file = runFile(runDir, 'linked');
  // `runs` asks this of every run it shows, and most have no list: a failed open, thousands of
  // times over, costs far more than a stat.
  if (!existsSync(file)) return [];
  const text = await readTextIfExists(file);
  if (text === undefined) return [];
  // Quoted paths may hold newlines: the list is read as one stream of words, four per file.
  const words = shlexSplit(text);
  const entries = Array.from({ length: Math.floor(words.length / 4) }, (_, i) => {
    const [ino, mtimeNs, size, rel] = words.slice(i * 4, i * 4 + 4) as [string, string, string, string];
    return { rel, ino, mtimeNs, size };
  });
  const changed = await Promise.all(
    entries.map(async ({ rel, ino, mtimeNs, size }) => {
      const st = await lstat(path.join(runDir, rel), { bigint: true }).catch(() => undefined);
      if (!st || String(st.ino) !== ino) return null;
      return String(st.mtimeNs) === mtimeNs && String(st.size) === size ? null : rel;
    }),
  );
  return changed.filter((rel): rel is string => rel !== null);
}
