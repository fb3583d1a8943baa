/**
 * A run as `compare` shows it: its facts and its scalar summary, read from the run directory
 * (see run-index.ts for the cache in front of this). Nothing is written: a summary rebuilt
 * from event files stays in memory (and in the runs directory's index).
 */
import { statSync } from 'node:fs';
import { GuildStageError } from '../errors.js';
import { readRunFacts } from './run-facts.js';
import { type IndexedRun, type Stamps, stampsIfSettled } from './run-index.js';
import { readScalarSummary, rebuildScalarSummary, type ScalarSummary } from './scalar-summary.js';
import { walkEventFiles } from './tfevents.js';

/** A run read from its directory, with the stamps to cache it by when it may be cached. */
export interface ReadSummary {
  run: IndexedRun;
  /** Set when the read can be cached (see run-index.ts). */
  stamps?: Stamps;
  /** Bad event files: the run's scalars are then left out. */
  warnings: GuildStageError[];
}

/**
 * Reads the run in `dir`. Its scalars come from `.guild/scalars.json` when that still covers
 * the event files Guild would read (the same names and sizes), else from the event files
 * themselves. A bad event file leaves the run's scalars out and is reported; an attr or opref
 * that cannot be read throws `RUN_STATE`.
 */
export async function readRunSummary(dir: string): Promise<ReadSummary> {
  const readStart = Date.now();
  const walk = await walkEventFiles(dir);
  const { facts, inPlace, settled } = await readRunFacts(dir);
  const existing = await readScalarSummary(dir).catch((error: unknown) => {
    if (error instanceof GuildStageError && error.code === 'SOURCE') return undefined;
    throw error;
  });
  const eventPaths = walk.files.map((file) => file.relPath);
  // Of the files the facts come from, only the label and marked attrs are rewritten in place on
  // a finished run (`guild label`, `guild mark` open the attr file and write it), where no
  // directory changes. The rest are created once, replaced by a rename (our attrs,
  // scalars.json), or rewritten only while a marker appears (Guild's --restart): each of those
  // changes a stamped directory.
  const stamps = stampsIfSettled(dir, [...walk.dirs, ...eventPaths, ...inPlace], readStart);
  const sizes = new Map(walk.files.map((file) => [file.relPath, sizeOf(file.file)]));
  let summary: ScalarSummary;
  let warnings: GuildStageError[] = [];
  if (existing && covers(existing, sizes)) {
    summary = existing;
  } else {
    const rebuilt = await rebuildScalarSummary(dir, { write: false });
    summary = rebuilt.summary;
    warnings = rebuilt.errors;
  }
  const scalars = warnings.length > 0 ? {} : summary.scalars;
  const cacheable = settled && warnings.length === 0 && covers(summary, sizes) && stamps !== undefined;
  return { run: { facts, scalars }, stamps: cacheable ? stamps : undefined, warnings };
}

/** Whether `summary` was built from exactly these event files at these sizes. */
function covers(summary: ScalarSummary, sizes: ReadonlyMap<string, number | undefined>): boolean {
  if (summary.sources.length !== sizes.size) return false;
  return summary.sources.every((source) => sizes.get(source.path) === source.size);
}

function sizeOf(file: string): number | undefined {
  return statSync(file, { throwIfNoEntry: false })?.size;
}
