/**
 * A small per-run summary of the run's scalars, `<run>/.guild/scalars.json`, so that comparing
 * runs needs no event file read. Guild writes nothing of that name in `.guild/` (its files
 * there are attrs/, opref, output, output.index, manifest, sourcecode/, the markers, ENV,
 * proto, generated, job-packages, and event files, whose names hold `.tfevents.`), and it
 * ignores files it does not know.
 *
 * Per key: `first` and `last` are the values at the smallest and largest step (the earliest
 * and the latest added among equal steps), as Guild's index summarizes; `step` is the step of
 * `last`; `min` and `max` leave NaN out (null when every value was NaN) and take infinities;
 * `count` counts every value. Guild differs in one corner: when a tag's first value is NaN,
 * its min and max stay NaN (`val < nan` is never true); later NaNs it ignores as we do.
 *
 * A summary written from the captured output (`origin: "captured"`) holds the values as the
 * script printed them, parsed as doubles: 0.1 is 0.1. One rebuilt from event files
 * (`origin: "events"`) holds what they store: float32 `simple_value`s, 0.1 as
 * 0.10000000149011612, which is also what `guild compare` shows. Keys are Guild's: the bare tag
 * for event files in the run directory or `.guild/`, `<dir>#<tag>` for others.
 *
 * In the file, NaN and the infinities are the strings "NaN", "Infinity" and "-Infinity" (JSON
 * has no such numbers); every finite double round-trips exactly.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError, messageOf } from '../errors.js';
import { makeRunSubdir, readTextIfExists, writeFileAtomic } from './files.js';
import { guildDir, runFile } from './layout.js';
import { findEventFiles, readRunScalars, scalarKey } from './tfevents.js';

const FORMAT_VERSION = 1;

/** The summary of one scalar key. */
export interface TagSummary {
  /** The value at the smallest step. */
  first: number;
  firstStep: number;
  /** The value at the largest step. */
  last: number;
  /** The step of `last`. */
  step: number;
  /** The smallest value that is not NaN; null when all were NaN. */
  min: number | null;
  /** The largest value that is not NaN; null when all were NaN. */
  max: number | null;
  /** How many values, NaN included. */
  count: number;
}

/** An event file a summary was built from. */
export interface SummarySource {
  /** Relative to the run directory, with `/`. */
  path: string;
  /** Its size in bytes when the summary was written. */
  size: number;
}

export interface ScalarSummary {
  /** `captured`: from the script's output, exact; `events`: rebuilt from event files, float32. */
  origin: 'captured' | 'events';
  sources: SummarySource[];
  /** By scalar key, in the order first seen. */
  scalars: Record<string, TagSummary>;
}

/** Builds a summary one scalar at a time, in O(1) time per scalar. */
export class ScalarSummaryBuilder {
  private readonly tags = new Map<string, TagSummary>();
  private readonly sources: string[] = [];

  constructor(readonly origin: ScalarSummary['origin'] = 'captured') {}

  /** Adds one value of `key` at `step`. */
  add(key: string, value: number, step: number): void {
    const s = this.tags.get(key);
    if (!s) {
      const bound = Number.isNaN(value) ? null : value;
      this.tags.set(key, { first: value, firstStep: step, last: value, step, min: bound, max: bound, count: 1 });
      return;
    }
    if (step < s.firstStep) {
      s.first = value;
      s.firstStep = step;
    }
    if (step >= s.step) {
      s.last = value;
      s.step = step;
    }
    if (!Number.isNaN(value)) {
      if (s.min === null || value < s.min) s.min = value;
      if (s.max === null || value > s.max) s.max = value;
    }
    s.count += 1;
  }

  /** Records an event file (relative to the run directory) that holds these scalars. */
  addSource(relPath: string): void {
    const normal = relPath.split(path.sep).join('/');
    if (!this.sources.includes(normal)) this.sources.push(normal);
  }

  /** The summary so far, with each source's size as `size` gives it (default 0). */
  summary(size: (relPath: string) => number = () => 0): ScalarSummary {
    return {
      origin: this.origin,
      sources: this.sources.map((p) => ({ path: p, size: size(p) })),
      scalars: Object.fromEntries([...this.tags].map(([key, s]) => [key, { ...s }])),
    };
  }

  /**
   * Writes the summary to `<runDir>/.guild/scalars.json`, with the sources' current sizes
   * (write it after the event files are flushed). Returns what it wrote.
   */
  async write(runDir: string): Promise<ScalarSummary> {
    const sizes = new Map<string, number>();
    for (const source of this.sources) {
      const st = await stat(path.join(runDir, source)).catch(() => undefined);
      sizes.set(source, st?.size ?? 0);
    }
    const summary = this.summary((p) => sizes.get(p) ?? 0);
    await writeScalarSummary(runDir, summary);
    return summary;
  }
}

/** Writes `summary` as the run's summary file, atomically (a reader never sees half of it). */
export async function writeScalarSummary(runDir: string, summary: ScalarSummary): Promise<void> {
  const file = runFile(runDir, 'scalarSummary');
  try {
    await makeRunSubdir(runDir, guildDir(runDir));
    await writeFileAtomic(file, `${JSON.stringify(encodeSummary(summary), null, 1)}\n`);
  } catch (error) {
    throw new GuildStageError('STAGE', `cannot write scalar summary ${file}: ${messageOf(error)}`, {
      file,
      cause: error,
    });
  }
}

/**
 * The run's summary file, or undefined when it has none. A file that is not a summary (bad
 * JSON, another format version, wrong fields) throws `SOURCE` naming it.
 */
export async function readScalarSummary(runDir: string): Promise<ScalarSummary | undefined> {
  const file = runFile(runDir, 'scalarSummary');
  const text = await readTextIfExists(file).catch((error: unknown) => {
    throw new GuildStageError('SOURCE', `cannot read scalar summary ${file}: ${messageOf(error)}`, {
      file,
      cause: error,
    });
  });
  if (text === undefined) return undefined;
  try {
    return decodeSummary(JSON.parse(text));
  } catch (error) {
    throw new GuildStageError('SOURCE', `bad scalar summary ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/**
 * Whether `summary` covers exactly the event files Guild would read in the run now, each at
 * the size it had: what Guild's own index checks before it trusts its cache. Walks the run
 * directory.
 */
export async function isScalarSummaryCurrent(runDir: string, summary: ScalarSummary): Promise<boolean> {
  const files = await findEventFiles(runDir);
  if (files.length !== summary.sources.length) return false;
  const sizes = new Map(summary.sources.map((s) => [s.path, s.size]));
  for (const file of files) {
    const size = sizes.get(file.relPath);
    if (size === undefined) return false;
    const st = await stat(file.file).catch(() => undefined);
    if (st?.size !== size) return false;
  }
  return true;
}

/** A summary rebuilt from event files, and the files that could not be read to their end. */
export interface RebuiltScalarSummary {
  summary: ScalarSummary;
  /** One `SOURCE` error per bad event file; the scalars before the bad record are in the summary, as Guild keeps them. */
  errors: GuildStageError[];
}

/**
 * Rebuilds the summary from every event file Guild reads in the run (origin `events`: float32
 * values, Guild's keys) and, unless `write` is false, writes it.
 */
export async function rebuildScalarSummary(
  runDir: string,
  options: { write?: boolean } = {},
): Promise<RebuiltScalarSummary> {
  const builder = new ScalarSummaryBuilder('events');
  const errors: GuildStageError[] = [];
  const sizes = new Map<string, number>();
  for (const file of await readRunScalars(runDir)) {
    builder.addSource(file.relPath);
    const st = await stat(file.file).catch(() => undefined);
    sizes.set(file.relPath, st?.size ?? 0);
    if (file.error) errors.push(file.error);
    for (const s of file.scalars) builder.add(scalarKey(file.prefix, s.tag), s.value, s.step);
  }
  const summary = builder.summary((p) => sizes.get(p) ?? 0);
  if (options.write !== false) await writeScalarSummary(runDir, summary);
  return { summary, errors };
}

/** A run's summary as {@link loadScalarSummary} found or made it. */
export interface LoadedScalarSummary extends RebuiltScalarSummary {
  /** Whether it was rebuilt from the event files (the file was missing, bad or stale). */
  rebuilt: boolean;
  /** Whether a rebuilt summary was written (false when the run directory is read-only). */
  written: boolean;
}

/**
 * The run's summary: the summary file when it is there and (with `verify`, the default)
 * current; else rebuilt from the event files and written back when the run directory allows.
 */
export async function loadScalarSummary(
  runDir: string,
  options: { verify?: boolean } = {},
): Promise<LoadedScalarSummary> {
  const existing = await readScalarSummary(runDir).catch((error: unknown) => {
    if (error instanceof GuildStageError && error.code === 'SOURCE') return undefined;
    throw error;
  });
  if (existing && (options.verify === false || (await isScalarSummaryCurrent(runDir, existing)))) {
    return { summary: existing, errors: [], rebuilt: false, written: false };
  }
  const rebuilt = await rebuildScalarSummary(runDir, { write: false });
  const written = await writeScalarSummary(runDir, rebuilt.summary).then(
    () => true,
    () => false,
  );
  return { ...rebuilt, rebuilt: true, written };
}

// ---------------------------------------------------------------------------------------
// The file format.

type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

function encodeNumber(value: number): JsonNumber {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

function decodeNumber(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new Error(`${what} is not a number: ${JSON.stringify(value)}`);
}

function encodeSummary(summary: ScalarSummary): unknown {
  return {
    version: FORMAT_VERSION,
    origin: summary.origin,
    sources: summary.sources,
    scalars: Object.fromEntries(
      Object.entries(summary.scalars).map(([key, s]) => [
        key,
        {
          first: encodeNumber(s.first),
          firstStep: s.firstStep,
          last: encodeNumber(s.last),
          step: s.step,
          min: s.min === null ? null : encodeNumber(s.min),
          max: s.max === null ? null : encodeNumber(s.max),
          count: s.count,
        },
      ]),
    ),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeSummary(data: unknown): ScalarSummary {
  if (!isObject(data)) throw new Error('not a JSON object');
  if (data.version !== FORMAT_VERSION) throw new Error(`unknown version ${JSON.stringify(data.version)}`);
  if (data.origin !== 'captured' && data.origin !== 'events') throw new Error('origin is not captured or events');
  if (!Array.isArray(data.sources)) throw new Error('sources is not a list');
  const sources = data.sources.map((s: unknown) => {
    if (!isObject(s) || typeof s.path !== 'string' || typeof s.size !== 'number') {
      throw new Error(`bad source ${JSON.stringify(s)}`);
    }
    return { path: s.path, size: s.size };
  });
  if (!isObject(data.scalars)) throw new Error('scalars is not an object');
  const scalars = Object.fromEntries(
    Object.entries(data.scalars).map(([key, s]): [string, TagSummary] => {
      if (!isObject(s)) throw new Error(`scalar ${key} is not an object`);
      const int = (name: string) => {
        const v = s[name];
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${key}.${name} is not an integer`);
        return v;
      };
      const bound = (name: string) => (s[name] === null ? null : decodeNumber(s[name], `${key}.${name}`));
      return [
        key,
        {
          first: decodeNumber(s.first, `${key}.first`),
          firstStep: int('firstStep'),
          last: decodeNumber(s.last, `${key}.last`),
          step: int('step'),
          min: bound('min'),
          max: bound('max'),
          count: int('count'),
        },
      ];
    }),
  );
  return { origin: data.origin, sources, scalars };
}
