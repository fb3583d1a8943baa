/**
 * A cache of what `compare` and the `runs` listing read of each run, one file per runs
 * directory: `<runs dir>/.guild-stage-index.json`. Listing or comparing thousands of runs then
 * reads one file and stats a few paths per run, instead of reading and parsing a dozen files
 * per run (and, for `compare`, walking it for event files).
 *
 * Guild AI takes the entries of a runs directory that hold `.guild/opref` for runs, so a
 * plain file there is none to it, and nothing of Guild reads it (its own cache lives in
 * `$GUILD_HOME/cache/`). No run directory is written, ours or Guild's.
 *
 * An entry holds a run's facts and, once `compare` read the run, its scalar summaries, and the
 * stamps (ctime and size) of what could change them (see run-summary.ts and `listingStamps`
 * in read-run.ts for the lists):
 * - every directory of the run: adding, removing or renaming an entry changes its directory,
 *   so a new marker, attr, summary or event file anywhere in the run shows;
 * - every event file: scalars are appended to it in place;
 * - the label and marked attrs: `guild label` and `guild mark` rewrite them in place, where no
 *   directory changes.
 * An entry is used only while every stamp still matches. ctime, not mtime: tools that copy
 * files can set mtime back; nothing sets ctime back.
 *
 * Only settled runs are stored (a status from the files, not from whether a pid lives), with
 * clean event files, and only when the stamps cannot be "racy" (git's word): every path must
 * be older than {@link RACY_MS} before the read began. A change during the read, or within a
 * tick of the file system's clock of the stamp, then always shows as a changed stamp, never
 * as a stale entry that looks current. A run that just ended is read from its files until it
 * has been quiet that long. A listing does not take a run's status from its entry: the markers
 * (`LOCK`, `STAGED`, ...) are looked at on every listing.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './files.js';
import type { FlagValue } from '../../transformers/types.js';
import type { BatchRole, RunStatus } from '../run-status.js';
import type { TagSummary } from './scalar-summary.js';

/** The index's name in the runs directory. */
export const RUN_INDEX_FILE = '.guild-stage-index.json';

const FORMAT_VERSION = 3;

/**
 * How much older than the read a stamp must be. File times come from a coarse clock (a
 * jiffy on Linux, 2 s on FAT); two seconds also absorbs small clock differences on NFS.
 */
export const RACY_MS = 2000;

/** A run as `compare` and `runs` show it. Times are Guild's: microseconds since the epoch. */
export interface RunFacts {
  id: string;
  /** What ran, e.g. `train.py`; empty when the run has no opref. */
  opspec: string;
  /** The project the source came from; empty when the run has no opref. */
  projectDir: string;
  status: RunStatus;
  label: string | null;
  flags: Record<string, FlagValue>;
  /** Values forced for names the script does not declare (`--force-flags`), from our attr. */
  forced?: Record<string, FlagValue>;
  initialized: number | null;
  started: number | null;
  stopped: number | null;
  exitStatus: number | null;
  batch: BatchRole;
  /** Why the run failed before or instead of its script, from our attr. */
  error: string | null;
  /** A batch's objective, as our attr records it. */
  objective?: unknown;
  /** Guild's `marked` attr is true. */
  marked?: true;
  /** The run has a `remote` attr (submitted to Slurm). */
  remote?: true;
}

/** What an entry caches of a run. */
export interface IndexedRun {
  facts: RunFacts;
  scalars: Record<string, TagSummary>;
}

/** What the listing stores: the facts alone (`compare` reads the scalars when it needs them). */
export type StoredRun = Pick<IndexedRun, 'facts'> & Partial<Pick<IndexedRun, 'scalars'>>;

/** Paths relative to the run directory (`''` for itself), each with its ctime (ms) and size. */
export type Stamps = Array<[relPath: string, ctimeMs: number, size: number]>;

/**
 * An entry in the file: `s` the stamps flattened, `f` the facts, `c` the scalars. `x` is set
 * when a flag or scalar is NaN or an infinity, which JSON cannot hold: then the scalars' values
 * are encoded as in the summary file and such flags as `{"$float": "NaN"}`. Entries without
 * `x` are used as parsed, without a copy. `c` is missing when only the listing read the run.
 */
interface Entry {
  s: Array<string | number>;
  f: RunFacts;
  c?: Record<string, Record<string, number | string | null>> | Record<string, TagSummary>;
  x?: 1;
}

export class RunIndex {
  private changed = false;

  private constructor(
    readonly runsDir: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** The index of `runsDir`; empty when there is none or it cannot be read (it is only a cache). */
  static open(runsDir: string): RunIndex {
    let entries = new Map<string, Entry>();
    try {
      const data = JSON.parse(readFileSync(path.join(runsDir, RUN_INDEX_FILE), 'utf8'));
      if (data?.version === FORMAT_VERSION && data.runs && typeof data.runs === 'object') {
        entries = new Map(Object.entries(data.runs as Record<string, Entry>));
      }
    } catch {
      // Missing, unreadable or not ours: start empty; the next save replaces it.
    }
    return new RunIndex(runsDir, entries);
  }

  /** The cached run in directory `name` of the runs directory with its scalars, when every stamp still matches. */
  lookup(name: string): IndexedRun | undefined {
    const run = this.current(name);
    return run?.scalars ? (run as IndexedRun) : undefined;
  }

  /** The cached facts of the run in directory `name`, when every stamp still matches. */
  lookupFacts(name: string): RunFacts | undefined {
    return this.current(name)?.facts;
  }

  private current(name: string): StoredRun | undefined {
    const entry = this.entries.get(name);
    if (!isEntry(entry)) return undefined;
    const dir = `${this.runsDir}${path.sep}${name}`;
    const s = entry.s;
    for (let i = 0; i < s.length; i += 3) {
      const rel = s[i] as string;
      const st = statSync(rel === '' ? dir : `${dir}${path.sep}${rel}`, { throwIfNoEntry: false });
      if (st === undefined || st.ctimeMs !== s[i + 1] || st.size !== s[i + 2]) return undefined;
    }
    try {
      return decodeEntry(entry);
    } catch {
      return undefined;
    }
  }

  /** Caches `run` for directory `name`, against `stamps` taken no later than its read. */
  store(name: string, run: StoredRun, stamps: Stamps): void {
    this.entries.set(name, encodeEntry(run, stamps));
    this.changed = true;
  }

  /** Forgets runs whose directories are gone (`present`: every run directory name there is). */
  prune(present: ReadonlySet<string>): void {
    for (const name of this.entries.keys()) {
      if (!present.has(name)) {
        this.entries.delete(name);
        this.changed = true;
      }
    }
  }

  /**
   * Writes the index when it changed, atomically (a concurrent reader sees the old or the new
   * file; of two concurrent writers the last wins). Failing to write it (a read-only runs
   * directory) is not an error: it is a cache.
   */
  async save(): Promise<void> {
    if (!this.changed) return;
    const text = JSON.stringify({ version: FORMAT_VERSION, runs: Object.fromEntries(this.entries) });
    await writeFileAtomic(path.join(this.runsDir, RUN_INDEX_FILE), text).then(
      () => (this.changed = false),
      () => {},
    );
  }
}

/**
 * Stamps of `relPaths` under `runDir`, or undefined when one is missing or changed within
 * {@link RACY_MS} of `readStartMs` (then the read cannot be cached).
 */
export function stampsIfSettled(runDir: string, relPaths: readonly string[], readStartMs: number): Stamps | undefined {
  const stamps: Stamps = [];
  for (const rel of new Set(relPaths)) {
    const st = statSync(rel === '' ? runDir : path.join(runDir, rel), { throwIfNoEntry: false });
    if (st === undefined || st.ctimeMs >= readStartMs - RACY_MS) return undefined;
    stamps.push([rel, st.ctimeMs, st.size]);
  }
  return stamps;
}

function encodeEntry(run: StoredRun, stamps: Stamps): Entry {
  const s = stamps.flat();
  const { facts } = run;
  if (!hasNonFinite(facts.flags) && !hasNonFinite(facts.forced) && !hasNonFinite(run.scalars)) {
    return run.scalars ? { s, f: facts, c: run.scalars } : { s, f: facts };
  }
  const scalars = Object.fromEntries(
    Object.entries(run.scalars ?? {}).map(([key, t]) => [
      key,
      {
        ...t,
        first: encodeScalarNumber(t.first),
        last: encodeScalarNumber(t.last),
        min: t.min === null ? null : encodeScalarNumber(t.min),
        max: t.max === null ? null : encodeScalarNumber(t.max),
      },
    ]),
  );
  const f = {
    ...facts,
    flags: encodeFlagNumbers(facts.flags) as RunFacts['flags'],
    ...(facts.forced && { forced: encodeFlagNumbers(facts.forced) as RunFacts['flags'] }),
  };
  return run.scalars ? { s, f, c: scalars, x: 1 } : { s, f, x: 1 };
}

/** An entry as a run: the parsed objects themselves, unless NaN or an infinity had to be encoded. */
function decodeEntry(entry: Entry): StoredRun {
  if (!entry.x)
    return entry.c ? { facts: entry.f, scalars: entry.c as Record<string, TagSummary> } : { facts: entry.f };
  const scalars: Record<string, TagSummary> = {};
  for (const [key, t] of Object.entries(entry.c ?? {})) {
    scalars[key] = {
      ...(t as unknown as TagSummary),
      first: decodeScalarNumber(t.first),
      last: decodeScalarNumber(t.last),
      min: t.min === null ? null : decodeScalarNumber(t.min),
      max: t.max === null ? null : decodeScalarNumber(t.max),
    };
  }
  const facts = {
    ...entry.f,
    flags: decodeFlagNumbers(entry.f.flags) as RunFacts['flags'],
    ...(entry.f.forced && { forced: decodeFlagNumbers(entry.f.forced) as RunFacts['flags'] }),
  };
  return entry.c ? { facts, scalars } : { facts };
}

/**
 * NaN and the infinities as the summary file writes them: "NaN", "Infinity", "-Infinity",
 * which are exactly what String() gives and Number() reads back.
 */
function encodeScalarNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function decodeScalarNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  throw new Error(`not a scalar value: ${JSON.stringify(value)}`);
}

/** The shape save() writes; anything else (an older format, a hand edit) is a miss. */
function isEntry(entry: Entry | undefined): entry is Entry {
  const isObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
  return (
    isObject(entry) &&
    Array.isArray(entry!.s) &&
    entry!.s.length % 3 === 0 &&
    isObject(entry!.f) &&
    isObject(entry!.f.flags) &&
    typeof entry!.f.id === 'string' &&
    typeof entry!.f.status === 'string' &&
    typeof entry!.f.projectDir === 'string' &&
    (entry!.c === undefined || isObject(entry!.c))
  );
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasNonFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasNonFinite);
  return false;
}

/** In flags, NaN and the infinities become `{"$float": "NaN"}`: a string "NaN" is a flag value of its own. */
function encodeFlagNumbers(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $float: encodeScalarNumber(value) };
  if (Array.isArray(value)) return value.map(encodeFlagNumbers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeFlagNumbers(v)]));
  }
  return value;
}

function decodeFlagNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeFlagNumbers);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$float') return decodeScalarNumber((value as { $float: unknown }).$float);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeFlagNumbers(v)]));
  }
  return value;
}
