/**
 * What the hooks changed in the staged copy, as a list and as the patch a reviewer reads.
 * Original text comes from the project (via the manifest), the new from the run directory.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createPatch, type FileChange } from '../diff.js';
import { readManifest } from '../records/manifest.js';
import { diffSnapshots, snapshotStats, type StatSnapshot } from './changes.js';

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
 * Compares the run directory now with `before` (taken before the hooks). `writers` lists the
 * plugins that wrote each file through StagedSource.
 */
export async function stagedChanges(
  runDir: string,
  projectDir: string,
  before: StatSnapshot,
  writers: ReadonlyMap<string, string[]>,
): Promise<{ changed: ChangedFile[]; patch: string }> {
  const found = diffSnapshots(before, await snapshotStats(runDir), writers.keys());
  const sources = new Map((await readManifest(runDir)).map((entry) => [entry.path, entry.sourcePath]));
  const fileChanges: FileChange[] = [];
  const changed: ChangedFile[] = [];
  const kinds = [
    ['modified', found.modified],
    ['added', found.added],
    ['deleted', found.deleted],
  ] as const;
  for (const [change, files] of kinds) {
    for (const file of files) {
      const original = change === 'added' ? null : await readOrNull(path.join(projectDir, sources.get(file) ?? file));
      const current = change === 'deleted' ? null : await readOrNull(path.join(runDir, file));
      if (original === current) continue;
      fileChanges.push({ path: file, before: original, after: current });
      changed.push({ path: file, change, plugins: writers.get(file) ?? [] });
    }
  }
  return { changed, patch: createPatch(fileChanges) };
}
