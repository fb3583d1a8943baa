/**
 * Finding what hooks changed in the staged copy, however they changed it: through
 * StagedSource, `fs` directly, or a command hook. Compares file stats taken before and
 * after the hooks, so unchanged files are never read.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Relative path (`/` separators) -> size, mtime and inode of each staged file. */
export type StatSnapshot = Map<string, string>;

export interface StagedChanges {
  modified: string[];
  added: string[];
  deleted: string[];
}

/** Stats every file under `dir` except `.guild/` and `.git/`. */
export async function snapshotStats(dir: string): Promise<StatSnapshot> {
  const snapshot: StatSnapshot = new Map();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      if (entry.isDirectory()) return;
      const full = path.join(entry.parentPath, entry.name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      // Our metadata, and the repository of a --git run, are not part of the source.
      if (/^\.(guild|git)(\/|$)/.test(rel)) return;
      const st = await lstat(full, { bigint: true });
      snapshot.set(rel, `${st.size}:${st.mtimeNs}:${st.ino}`);
    }),
  );
  return snapshot;
}

/** What differs between two snapshots, plus files known to be written (`written`). */
export function diffSnapshots(before: StatSnapshot, after: StatSnapshot, written: Iterable<string> = []): StagedChanges {
  const modified = new Set<string>();
  const added: string[] = [];
  for (const [file, stamp] of after) {
    const old = before.get(file);
    if (old === undefined) added.push(file);
    else if (old !== stamp) modified.add(file);
  }
  for (const file of written) if (before.has(file) && after.has(file)) modified.add(file);
  const deleted = [...before.keys()].filter((file) => !after.has(file));
  const sort = (list: Iterable<string>) => [...list].sort();
  return { modified: sort(modified), added: sort(added), deleted: sort(deleted) };
}
