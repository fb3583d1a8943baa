/**
 * Guild's records found inside a project are never source: runs (of any runs directory, the
 * trash included), `.guild` directories (a run's records, or a Guild home), our compare
 * index and `--link` hash cache. Copying them would make each run copy every earlier one (`--runs-dir .` doubled
 * the project per run). No select rule brings them in.
 */
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { GUILD_DIR } from '../records/layout.js';
import { isRunDir } from '../records/read-run.js';
import { RUN_INDEX_FILE } from '../records/run-index.js';
import { HASH_CACHE_FILE } from './hash-cache.js';

/** Guild names run directories by a UUID without dashes. */
const RUN_ID = /^[0-9a-f]{32}$/;

/** Whether a directory entry named `name` is one of Guild's records wherever it is. */
export function isGuildRecordName(name: string): boolean {
  return name === GUILD_DIR || name === RUN_INDEX_FILE || name === HASH_CACHE_FILE;
}

/** Whether `rel` ('/' separators) is or lies inside a `.guild` directory, or is our index or hash cache. */
export function isGuildRecordPath(rel: string): boolean {
  return rel.split('/').some(isGuildRecordName);
}

/**
 * The directories among `paths`' ancestors (relative to `root`) that hold a run: those named
 * like a run and those with a listed `.guild/` (git may list a run's files while ignoring
 * its `.guild/`, or the other way round). The project itself is never one.
 */
export async function runDirsAmong(root: string, paths: readonly string[]): Promise<Set<string>> {
  const suspects = new Set<string>();
  for (const rel of paths) {
    const parts = rel.split('/');
    for (let i = 0; i < parts.length - 1; i++) {
      if (RUN_ID.test(parts[i]!)) suspects.add(parts.slice(0, i + 1).join('/'));
      else if (parts[i] === GUILD_DIR && i > 0) suspects.add(parts.slice(0, i).join('/'));
    }
  }
  const checked = await Promise.all(
    [...suspects].map(async (dir) => [dir, await isRunDir(path.join(root, dir))] as const),
  );
  return new Set(checked.filter(([, run]) => run).map(([dir]) => dir));
}

/** Whether the directory `abs`, listed as `entries`, holds a run. */
export async function holdsRun(abs: string, entries: readonly Dirent[]): Promise<boolean> {
  return entries.some((entry) => entry.name === GUILD_DIR && entry.isDirectory()) && (await isRunDir(abs));
}

/** Whether `rel` is one of `dirs` or lies inside one. */
export function inAnyDir(rel: string, dirs: ReadonlySet<string>): boolean {
  if (dirs.size === 0) return false;
  for (let slash = rel.indexOf('/'); slash !== -1; slash = rel.indexOf('/', slash + 1)) {
    if (dirs.has(rel.slice(0, slash))) return true;
  }
  return dirs.has(rel);
}
