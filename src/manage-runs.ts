/**
 * Run management as Guild AI does it, on the same records: delete runs to the trash, restore
 * or purge them, and the `label`, `tags` and `marked` attrs Guild writes for `guild label`,
 * `guild tag` and `guild mark`, so `guild runs` shows what these did and the other way round.
 * Every reference is resolved and checked before anything moves: a bad one changes nothing.
 */
import path from 'node:path';
import { GuildStageError } from './errors.js';
import type { EngineOptions } from './options.js';
import { deleteAttr, writeAttr } from './records/attrs.js';
import { type RunRecord, readRun, resolveRun } from './records/read-run.js';
import { resolveRunsDir } from './records/runs-home.js';
import { moveRun, removeRunDir, trashDir } from './records/trash.js';

export type RunsDirOptions = Pick<EngineOptions, 'cwd' | 'runsDir'>;

/** The runs directory and its trash, as every command finds them. */
export function runsDirs(opts: RunsDirOptions): { cwd: string; runsDir: string; trash: string } {
  const cwd = opts.cwd ?? process.cwd();
  const runsDir = resolveRunsDir({ runsDir: opts.runsDir, cwd });
  return { cwd, runsDir, trash: trashDir(runsDir) };
}

/**
 * Moves runs to the trash (`guild runs rm`): `guild runs --deleted` lists them and
 * `restoreRuns` brings them back. A running run is refused: its process still writes there.
 */
export async function deleteRuns(refs: readonly string[], opts: RunsDirOptions = {}): Promise<RunRecord[]> {
  const { cwd, runsDir, trash } = runsDirs(opts);
  const runs = await resolveAll(refs, runsDir, cwd);
  const running = runs.find((run) => run.status === 'running');
  if (running) {
    throw new GuildStageError('RUN_STATE', `run ${shortId(running)} is running: stop it before deleting it`);
  }
  for (const run of runs) await moveRun(run.dir, trash);
  return runs;
}

/** Moves deleted runs back from the trash into the runs directory. */
export async function restoreRuns(refs: readonly string[], opts: RunsDirOptions = {}): Promise<RunRecord[]> {
  const { cwd, runsDir, trash } = runsDirs(opts);
  const runs = await resolveAll(refs, trash, cwd);
  for (const run of runs) await moveRun(run.dir, runsDir);
  return runs;
}

/**
 * Deletes runs of the trash for good, once `confirm` (given the runs) says yes; returns the
 * runs deleted, none when it said no.
 */
export async function purgeRuns(
  refs: readonly string[],
  opts: RunsDirOptions & { confirm?: (runs: readonly RunRecord[]) => Promise<boolean> } = {},
): Promise<RunRecord[]> {
  const { cwd, trash } = runsDirs(opts);
  const runs = await resolveAll(refs, trash, cwd);
  if (opts.confirm && !(await opts.confirm(runs))) return [];
  for (const run of runs) await removeRunDir(run.dir);
  return runs;
}

/** Sets a run's label (the `label` attr), or removes it when `label` is null. */
export async function labelRun(ref: string, label: string | null, opts: RunsDirOptions = {}): Promise<RunRecord> {
  const run = await findOne(ref, opts);
  const text = label?.trim();
  if (text === '') throw new GuildStageError('USAGE', 'the label is empty: give a label, or --clear to remove it');
  if (text === undefined) await deleteAttr(run.dir, 'label');
  else await writeAttr(run.dir, 'label', text);
  return readRun(run.dir);
}

/** What `tagRun` changes: tags added and removed, or every tag removed first. */
export interface TagChange {
  add?: readonly string[];
  remove?: readonly string[];
  clear?: boolean;
}

/** Changes a run's tags (the `tags` attr, a sorted list as Guild keeps it) and returns them. */
export async function tagRun(ref: string, change: TagChange, opts: RunsDirOptions = {}): Promise<string[]> {
  const empty = [...(change.add ?? []), ...(change.remove ?? [])].find((tag) => tag.trim() === '');
  if (empty !== undefined) throw new GuildStageError('USAGE', 'a tag cannot be empty');
  const run = await findOne(ref, opts);
  const old = Array.isArray(run.attrs.tags) ? run.attrs.tags.map(String) : [];
  const tags = new Set(change.clear ? [] : old);
  for (const tag of change.remove ?? []) tags.delete(tag);
  for (const tag of change.add ?? []) tags.add(tag);
  const sorted = [...tags].sort();
  await writeAttr(run.dir, 'tags', sorted);
  return sorted;
}

/** Marks runs (the `marked` attr, true), or unmarks them when `marked` is false. */
export async function markRuns(
  refs: readonly string[],
  marked: boolean,
  opts: RunsDirOptions = {},
): Promise<RunRecord[]> {
  const { cwd, runsDir } = runsDirs(opts);
  const runs = await Promise.all(refs.map((ref) => resolveRun(ref, runsDir, cwd)));
  for (const run of runs) {
    if (marked) await writeAttr(run.dir, 'marked', true);
    else await deleteAttr(run.dir, 'marked');
  }
  return runs;
}

function findOne(ref: string, opts: RunsDirOptions): Promise<RunRecord> {
  const { cwd, runsDir } = runsDirs(opts);
  return resolveRun(ref, runsDir, cwd);
}

/** Every run `refs` name in `dir`, each once; a run elsewhere (a path) is refused. */
async function resolveAll(refs: readonly string[], dir: string, cwd: string): Promise<RunRecord[]> {
  if (refs.length === 0) throw new GuildStageError('USAGE', 'no run given');
  const runs = await Promise.all(refs.map((ref) => resolveRun(ref, dir, cwd)));
  const outside = runs.find((run) => path.dirname(run.dir) !== path.resolve(dir));
  if (outside) throw new GuildStageError('USAGE', `${outside.dir} is not a run of ${dir}`);
  return [...new Map(runs.map((run) => [run.id, run])).values()];
}

function shortId(run: RunRecord): string {
  return run.id.slice(0, 8);
}
