/**
 * Comparing runs: which runs (references, a batch's trials, or every run), their facts and
 * scalar summaries through the runs directory's index, then filter, sort and limit. Loads
 * only for `compare`.
 */
import path from 'node:path';
import { GuildStageError } from '../errors.js';
import { fromMicros } from '../records/attrs.js';
import { isRunDir, resolveRun, runDirNames } from '../records/read-run.js';
import { type IndexedRun, RunIndex } from '../records/run-index.js';
import { mapLimit } from '../stage/pool.js';
import { naturalCompare, parseSort, sortRows, unknownName } from './sort.js';
import type { CompareOptions, CompareResult, CompareRow } from './types.js';

/** Runs read from their directories at once (the index serves the rest without waiting). */
const READ_CONCURRENCY = 8;

/** Compares the runs `refs` name (every run of the runs directory when none), as `compare` shows them. */
export async function compareRuns(
  refs: readonly string[],
  runsDir: string,
  opts: CompareOptions = {},
): Promise<CompareResult> {
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) {
    throw new GuildStageError('USAGE', `the row limit must be a whole number of at least 1, not ${opts.limit}`);
  }
  const cwd = opts.cwd ?? process.cwd();
  const warnings: GuildStageError[] = [];
  const listAll = refs.length === 0;
  const dirs = listAll
    ? (await runDirNames(runsDir)).map((name) => path.join(runsDir, name))
    : await dirsOf(refs, runsDir, cwd, opts.includeBatch ?? false, warnings);
  const loaded = await loadRuns(dirs, runsDir, listAll, warnings);
  const now = Date.now();
  let rows = loaded
    .filter(({ run }) => opts.includeBatch || !listAll || run.facts.batch?.role !== 'batch')
    .filter(({ run }) => !opts.status || opts.status.includes(run.facts.status))
    .sort((a, b) => newestFirst(a.run, b.run))
    .map(({ dir, run }) => toRow(dir, run, now));

  // Names are checked against every row that passed the filters, columns come from those shown.
  const scalars = unionOf(rows.map((row) => Object.keys(row.scalars)));
  const show = opts.show ?? {};
  for (const [name, choice] of Object.entries(show)) {
    if (!scalars.includes(name)) throw unknownName(`cannot show the ${choice} of '${name}'`, name, { scalars });
  }
  const flagNames = (shown: CompareRow[]) =>
    unionOf(shown.map((row) => [...Object.keys(row.flags), ...Object.keys(row.forced)]));
  if (opts.sort !== undefined) {
    const flags = flagNames(rows);
    sortRows(rows, parseSort(opts.sort, flags, scalars), show);
  }
  if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
  return {
    runs: rows,
    flags: flagNames(rows),
    scalars: unionOf(rows.map((row) => Object.keys(row.scalars))),
    warnings,
  };
}

/**
 * The run directories `refs` name, each once, in order: a batch run stands for its trials
 * (and itself too with `includeBatch`). A reference that matches no run throws.
 */
async function dirsOf(
  refs: readonly string[],
  runsDir: string,
  cwd: string,
  includeBatch: boolean,
  warnings: GuildStageError[],
): Promise<string[]> {
  const dirs = new Set<string>();
  for (const ref of refs) {
    const run = await resolveRun(ref, runsDir, cwd);
    if (run.batch?.role !== 'batch') {
      dirs.add(run.dir);
      continue;
    }
    if (includeBatch) dirs.add(run.dir);
    for (const id of run.batch.trials) {
      const dir = path.join(path.dirname(run.dir), id);
      if (await isRunDir(dir)) dirs.add(dir);
      else {
        warnings.push(
          new GuildStageError(
            'NOT_FOUND',
            `batch ${run.id.slice(0, 8)} lists trial ${id}, which is not in ${path.dirname(run.dir)}`,
          ),
        );
      }
    }
  }
  return [...dirs];
}

interface Loaded {
  dir: string;
  run: IndexedRun;
}

/**
 * Every run of `dirs` that is one: from the index while its stamps hold (synchronously, in
 * one pass), else read from its directory and added to the index when it may be cached.
 */
async function loadRuns(
  dirs: readonly string[],
  runsDir: string,
  listAll: boolean,
  warnings: GuildStageError[],
): Promise<Loaded[]> {
  const index = RunIndex.open(runsDir);
  const found: Array<Loaded | undefined> = new Array(dirs.length);
  const misses: number[] = [];
  for (let i = 0; i < dirs.length; i++) {
    const dir = dirs[i]!;
    const run = path.dirname(dir) === runsDir ? index.lookup(path.basename(dir)) : undefined;
    if (run) found[i] = { dir, run };
    else misses.push(i);
  }
  // Reading a run from its files (event files included) loads only when the index misses one.
  const { readRunSummary } = misses.length > 0 ? await import('../records/run-summary.js') : { readRunSummary: null };
  await mapLimit(misses, READ_CONCURRENCY, async (i) => {
    const dir = dirs[i]!;
    if (!(await isRunDir(dir))) return;
    try {
      const read = await readRunSummary!(dir);
      const id = read.run.facts.id.slice(0, 8);
      for (const warning of read.warnings) {
        warnings.push(
          new GuildStageError('SOURCE', `run ${id}: ${warning.message}; its scalars are left out`, {
            file: warning.file,
            cause: warning,
          }),
        );
      }
      if (read.stamps && path.dirname(dir) === runsDir) index.store(path.basename(dir), read.run, read.stamps);
      found[i] = { dir, run: read.run };
    } catch (error) {
      if (!(error instanceof GuildStageError)) throw error;
      warnings.push(
        new GuildStageError(error.code, `run ${path.basename(dir)} left out: ${error.message}`, {
          file: error.file,
          cause: error,
        }),
      );
    }
  });
  if (listAll) index.prune(new Set(dirs.map((dir) => path.basename(dir))));
  await index.save();
  return found.filter((item): item is Loaded => item !== undefined);
}

function toRow(dir: string, { facts, scalars }: IndexedRun, now: number): CompareRow {
  const started = facts.started === null ? null : fromMicros(facts.started);
  const stopped = facts.stopped === null ? null : fromMicros(facts.stopped);
  const end = stopped?.getTime() ?? (facts.status === 'running' ? now : null);
  return {
    id: facts.id,
    runDir: dir,
    opspec: facts.opspec,
    status: facts.status,
    label: facts.label,
    flags: facts.flags,
    forced: facts.forced ?? {},
    scalars,
    startedAt: started,
    stoppedAt: stopped,
    durationMs: started && end !== null ? Math.max(0, end - started.getTime()) : null,
    step: stepOf(scalars),
    exitStatus: facts.exitStatus,
    batch: facts.batch,
  };
}

/** Guild's `step` column: the step of `loss` when the run has it, else of its first scalar by name. */
function stepOf(scalars: CompareRow['scalars']): number | null {
  if (Object.hasOwn(scalars, 'loss')) return scalars.loss!.step;
  const first = Object.keys(scalars).sort(naturalCompare)[0];
  return first === undefined ? null : scalars[first]!.step;
}

/** Newest first by `initialized` (then `started`), as `runs` lists them; ties by id. */
function newestFirst(a: IndexedRun, b: IndexedRun): number {
  const created = (run: IndexedRun) => run.facts.initialized ?? run.facts.started ?? 0;
  return created(b) - created(a) || (a.facts.id < b.facts.id ? -1 : a.facts.id > b.facts.id ? 1 : 0);
}

function unionOf(lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort(naturalCompare);
}
