/**
 * Reading run directories back: one run, all runs of a runs directory, a run by reference,
 * and a run's status by the rule Guild AI applies, so we and `guild runs` agree.
 */
import { existsSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FlagValue } from '../../transformers/types.js';
import { GuildStageError } from '../errors.js';
import type { BatchRole, RunStatus } from '../run-status.js';
import { attrNames, fromMicros, GUILD_STAGE_ATTR, parseAttr, pickTopLevel, readAttr, readRecordText } from './attrs.js';
import { attrFile, guildDir, runFile } from './layout.js';
import { isRunDirSync, runsDirEntries } from './runs-home.js';
import { pidExists, pidOfLock } from './markers.js';
import { parseOprefFile } from './opref.js';
import { type RunFacts, RunIndex, stampsIfSettled } from './run-index.js';
import { byIndex, listingOrder, mayBeIndex } from './run-listing.js';

/** A run as its directory records it. */
export interface RunRecord {
  id: string;
  /** Absolute path of the run directory. */
  dir: string;
  /** What ran, e.g. `train.py`; empty when the run has no opref. */
  opspec: string;
  /** The project the source came from; empty when the run has no opref. */
  projectDir: string;
  /** `unreadable` when its records could not be read (see {@link RunRecord.unreadable}). */
  status: RunStatus | 'unreadable';
  /**
   * Why the run's records cannot be read (an attr or opref that is damaged, not a file, too
   * large or too deeply nested), or null. The other fields then hold what could be read.
   */
  unreadable: string | null;
  flags: Record<string, FlagValue>;
  label: string | null;
  initialized: Date | null;
  started: Date | null;
  stopped: Date | null;
  exitStatus: number | null;
  batch: BatchRole;
  /** Why the run failed before or instead of its script, from the `guild_stage` attr. */
  error: string | null;
  /**
   * The attrs read: every attr for one run (`readRun`, `resolveRun`); for a listing only
   * {@link LISTED_ATTRS}, and of our own attr only its `batch`, `error`, `objective` and
   * `forced` (a listing served from the index has `remote` only as `true`).
   */
  attrs: Record<string, unknown>;
}

/** What a listing reads of each run: what `runs` shows, sorts and filters by. */
export const LISTED_ATTRS = [
  'id',
  'flags',
  'label',
  'initialized',
  'started',
  'stopped',
  'exit_status',
  'marked',
  // A run submitted to Slurm: `runs` asks Slurm whether it is pending or running.
  'remote',
  GUILD_STAGE_ATTR,
] as const;

const LISTED_OF_OURS: ReadonlySet<string> = new Set(['batch', 'error', 'objective', 'forced']);

/** Every attr of a run, or what a listing shows. */
export type AttrSelection = 'all' | 'listed';

const MAX_LISTED_MATCHES = 10;

/** Whether `dir` holds a run: a `.guild/` with an `opref` or an `attrs/` directory. */
export async function isRunDir(dir: string): Promise<boolean> {
  const [opref, attrs] = await Promise.all([statOrNull(runFile(dir, 'opref')), statOrNull(runFile(dir, 'attrs'))]);
  return (opref?.isFile() ?? false) || (attrs?.isDirectory() ?? false);
}

/**
 * Reads the run in `runDir`. Throws `NOT_FOUND` when it is not a run directory; a run whose
 * records are damaged is returned with `unreadable` saying why, so that one bad run never
 * stops a command over many.
 */
export async function readRun(runDir: string, selection: AttrSelection = 'all'): Promise<RunRecord> {
  const dir = path.resolve(runDir);
  if (!(await isRunDir(dir))) {
    throw new GuildStageError('NOT_FOUND', `no run at ${dir}: it has no .guild/opref or .guild/attrs`);
  }
  return readRunAt(dir, selection);
}

async function readRunAt(dir: string, selection: AttrSelection): Promise<RunRecord> {
  return (await readRunParts(dir, selection)).record;
}

/**
 * A run as the listing reads it (only {@link LISTED_ATTRS}), and the first error that made it
 * `unreadable`: `compare` leaves such a run out with that error.
 */
export async function readListedRun(dir: string): Promise<{ record: RunRecord; problem?: GuildStageError }> {
  return readRunParts(dir, 'listed');
}

async function readRunParts(
  dir: string,
  selection: AttrSelection,
): Promise<{ record: RunRecord; problem?: GuildStageError }> {
  const problems: GuildStageError[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof GuildStageError)) throw error;
      problems.push(error);
      return undefined;
    }
  };
  const attrs: Record<string, unknown> = {};
  const names = selection === 'all' ? await attrNames(dir) : LISTED_ATTRS;
  for (const name of names) {
    const value = attempt(() => readListedAttr(dir, name, selection));
    if (value !== undefined) attrs[name] = value;
  }
  const opref = attempt(() => {
    const file = runFile(dir, 'opref');
    const text = readRecordText(file);
    return text === undefined ? null : parseOprefFile(file, text);
  });
  const status = problems.length === 0 ? attempt(() => statusOf(dir, attrs.exit_status)) : undefined;
  const ours = asObject(attrs[GUILD_STAGE_ATTR]);
  const record: RunRecord = {
    id: typeof attrs.id === 'string' ? attrs.id : path.basename(dir),
    dir,
    opspec: opref?.opspec ?? '',
    projectDir: opref?.projectDir ?? '',
    status: status ?? 'unreadable',
    unreadable: problems[0]?.message ?? null,
    flags: (asObject(attrs.flags) ?? {}) as Record<string, FlagValue>,
    label: typeof attrs.label === 'string' ? attrs.label : null,
    initialized: timestamp(attrs.initialized),
    started: timestamp(attrs.started),
    stopped: timestamp(attrs.stopped),
    exitStatus: typeof attrs.exit_status === 'number' ? attrs.exit_status : null,
    batch: asBatchRole(ours?.batch),
    error: typeof ours?.error === 'string' ? ours.error : null,
    attrs,
  };
  return problems.length === 0 ? { record } : { record, problem: problems[0] };
}

/** One attr (undefined when absent); of ours, for a listing, only the keys it shows. */
function readListedAttr(dir: string, name: string, selection: AttrSelection): unknown {
  const file = attrFile(dir, name);
  const text = readRecordText(file);
  if (text === undefined) return undefined;
  const part = selection === 'listed' && name === GUILD_STAGE_ATTR ? pickTopLevel(text, LISTED_OF_OURS) : undefined;
  // Most runs are no batch's and have no error: then nothing of ours needs the YAML parser.
  if (part !== undefined && /^batch: null\s*$/.test(part)) return { batch: null };
  return parseAttr(file, part ?? text);
}

/**
 * Every run in `runsDir`, newest first by `initialized` (then `started`). Hidden entries
 * (`.staging-*`, Guild's `.deleted`) and directories that are not runs are skipped; a missing
 * runs directory has no runs. A run whose records are damaged is listed as `unreadable`.
 */
export async function listRuns(runsDir: string, selection: AttrSelection = 'all'): Promise<RunRecord[]> {
  const candidates = (await runDirNames(runsDir)).map((name) => path.join(runsDir, name));
  const runs: RunRecord[] = [];
  for (const dir of candidates) if (isRunDirSync(dir)) runs.push(await readRunAt(dir, selection));
  return runs.sort(newestFirst);
}

/**
 * {@link listRuns} with only what a listing shows, through the runs directory's index
 * (run-index.ts): a run whose stamps hold is not read again, its status excepted, which the
 * markers decide on every call (a `LOCK` whose process died, a `STAGED` run started). A run
 * read from its files is stored when its read can be cached; runs gone from the directory
 * are forgotten.
 */
export async function listRunsIndexed(runsDir: string): Promise<RunRecord[]> {
  const index = RunIndex.open(runsDir);
  const names = await runDirNames(runsDir);
  const runs: RunRecord[] = [];
  for (const name of names) {
    const dir = path.join(runsDir, name);
    const facts = index.lookupFacts(name);
    if (facts) {
      runs.push(recordOf(dir, facts));
      continue;
    }
    if (!isRunDirSync(dir)) continue;
    const readStart = Date.now();
    const { record, problem } = await readListedRun(dir);
    const stamps = problem || !isSettled(record) ? undefined : stampsIfSettled(dir, listingStamps(record), readStart);
    if (stamps) index.store(name, { facts: factsOf(record) }, stamps);
    runs.push(record);
  }
  index.prune(new Set(names));
  await index.save();
  return runs.sort(newestFirst);
}

/**
 * Whether the record follows from the files alone: its status came from `exit_status` or a
 * `STAGED`/`PENDING` marker, not from whether the pid in `LOCK` is alive. Only such a read
 * is cached against the files' stamps.
 */
export function isSettled(record: RunRecord): boolean {
  return record.status === 'staged' || (record.status !== 'running' && typeof record.attrs.exit_status === 'number');
}

/**
 * The paths whose stamps tell whether a listed run changed: its `.guild` (opref, markers,
 * linked files list) and attrs directories, where any attr file appears, is replaced by a
 * rename or removed, and the attrs Guild rewrites in place on a finished run (`guild label`,
 * `guild mark`), which change no directory.
 */
export function listingStamps(record: RunRecord): string[] {
  return ['.guild', '.guild/attrs', ...inPlaceAttrs(record)];
}

/** The attr files of `record` rewritten in place, relative to the run directory with `/`. */
export function inPlaceAttrs(record: RunRecord): string[] {
  return IN_PLACE_ATTRS.filter((name) => record.attrs[name] !== undefined).map((name) => `.guild/attrs/${name}`);
}

const IN_PLACE_ATTRS = ['label', 'marked'] as const;

/** What the index keeps of a run read by {@link readListedRun}. */
export function factsOf(record: RunRecord): RunFacts {
  const { attrs } = record;
  const ours = asObject(attrs[GUILD_STAGE_ATTR]);
  const micros = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  return {
    id: record.id,
    opspec: record.opspec,
    projectDir: record.projectDir,
    status: record.status as RunStatus,
    label: record.label,
    flags: record.flags,
    ...(asObject(ours?.forced) && { forced: ours!.forced as Record<string, FlagValue> }),
    initialized: micros(attrs.initialized),
    started: micros(attrs.started),
    stopped: micros(attrs.stopped),
    exitStatus: record.exitStatus,
    batch: record.batch,
    error: record.error,
    ...(ours?.objective !== undefined && { objective: ours.objective }),
    ...(attrs.marked === true && { marked: true }),
    ...(attrs.remote !== undefined && { remote: true }),
  };
}

/**
 * A listed run from its cached facts, with the status its markers give now. Its attrs hold
 * what a listing reads of them: a `remote` attr only as `true`, our attr's listed keys.
 */
function recordOf(dir: string, facts: RunFacts): RunRecord {
  const ours = {
    batch: facts.batch,
    ...(facts.error !== null && { error: facts.error }),
    ...(facts.objective !== undefined && { objective: facts.objective }),
    ...(facts.forced && { forced: facts.forced }),
  };
  const attrs: Record<string, unknown> = {
    id: facts.id,
    flags: facts.flags,
    ...(facts.label !== null && { label: facts.label }),
    ...(facts.initialized !== null && { initialized: facts.initialized }),
    ...(facts.started !== null && { started: facts.started }),
    ...(facts.stopped !== null && { stopped: facts.stopped }),
    ...(facts.exitStatus !== null && { exit_status: facts.exitStatus }),
    ...(facts.marked && { marked: true }),
    ...(facts.remote && { remote: true }),
    [GUILD_STAGE_ATTR]: ours,
  };
  return {
    id: facts.id,
    dir,
    opspec: facts.opspec,
    projectDir: facts.projectDir,
    status: statusOf(dir, facts.exitStatus),
    unreadable: null,
    flags: facts.flags,
    label: facts.label,
    initialized: timestamp(facts.initialized),
    started: timestamp(facts.started),
    stopped: timestamp(facts.stopped),
    exitStatus: facts.exitStatus,
    batch: facts.batch,
    error: facts.error,
    attrs,
  };
}

/**
 * A run by the `[N]` index `runs` shows it at, full id, unique id prefix, or directory path
 * (absolute or relative to `cwd`). A number is an index when there are that many runs, else
 * an id prefix, as `guild runs` decides. No match is `NOT_FOUND` naming the reference;
 * several are `USAGE` listing their ids.
 */
export async function resolveRun(ref: string, runsDir: string, cwd: string): Promise<RunRecord> {
  if (ref.trim() === '') {
    throw new GuildStageError('USAGE', 'empty run reference: give a run index, id, id prefix or run directory');
  }
  if (looksLikePath(ref)) return readRun(path.resolve(cwd, ref));
  if (mayBeIndex(ref)) {
    const indexed = byIndex(ref, listingOrder(await listRuns(runsDir, 'listed')));
    if (indexed) return readRun(indexed.dir);
  }
  const prefix = ref.toLowerCase();
  const names = (await runDirNames(runsDir)).filter((name) => name.toLowerCase().startsWith(prefix));
  const runNames = await filterRunDirs(runsDir, names);
  const exact = runNames.find((name) => name.toLowerCase() === prefix);
  const matches = exact ? [exact] : runNames;
  if (matches.length === 1) return readRun(path.join(runsDir, matches[0]));
  if (matches.length > 1) throw ambiguous(ref, matches);
  const local = path.resolve(cwd, ref);
  if (await isRunDir(local)) return readRun(local);
  throw new GuildStageError('NOT_FOUND', `no run matches '${ref}' in ${runsDir}`, {
    suggestion: 'check the id, or give the run directory',
  });
}

/**
 * A run's status by Guild AI's rule: `LOCK.remote` is running; `PENDING` or `STAGED` is
 * staged (we have no pending status and never leave `PENDING` behind); else an `exit_status`
 * attr decides (0 completed, negative terminated, other error); else a `LOCK` holding a live
 * pid is running; anything else is an error (a run that died without recording its end).
 */
export async function runStatus(runDir: string): Promise<RunStatus> {
  return statusOf(runDir, await readAttr(runDir, 'exit_status'));
}

/**
 * {@link runStatus}, with the `exit_status` attr read before (undefined when it was absent).
 * Synchronous, as attrs are read: listing thousands of runs otherwise waits on thousands of
 * thread-pool round trips. Exported for its tests.
 */
export function statusOf(runDir: string, exitStatus: unknown): RunStatus {
  // One join per run: a listing asks this of thousands of runs, three markers each.
  const dir = guildDir(runDir);
  const isSet = (marker: 'LOCK.remote' | 'PENDING' | 'STAGED') => existsSync(`${dir}${path.sep}${marker}`);
  if (isSet('LOCK.remote')) return 'running';
  if (isSet('PENDING') || isSet('STAGED')) return 'staged';
  if (exitStatus !== undefined && exitStatus !== null) return statusForExit(exitStatus);
  const pid = pidOfLock(readRecordText(runFile(runDir, 'LOCK')));
  if (pid !== null && pidExists(pid)) return 'running';
  // A run's end writes exit_status, then clears LOCK: a run that ended between the read of
  // its exit_status and that of its LOCK (as another process starts or lists it) is no error.
  const file = attrFile(runDir, 'exit_status');
  const text = readRecordText(file);
  const late = text === undefined ? undefined : parseAttr(file, text);
  return late !== undefined && late !== null ? statusForExit(late) : 'error';
}

function statusForExit(exitStatus: unknown): RunStatus {
  if (exitStatus === 0) return 'completed';
  return typeof exitStatus === 'number' && exitStatus < 0 ? 'terminated' : 'error';
}

function looksLikePath(ref: string): boolean {
  return path.isAbsolute(ref) || ref.startsWith('.') || ref.includes('/') || ref.includes(path.sep);
}

function ambiguous(ref: string, ids: string[]): GuildStageError {
  const shown = ids.slice(0, MAX_LISTED_MATCHES).join(', ');
  const more = ids.length > MAX_LISTED_MATCHES ? ` and ${ids.length - MAX_LISTED_MATCHES} more` : '';
  return new GuildStageError('USAGE', `run reference '${ref}' matches ${ids.length} runs: ${shown}${more}`, {
    suggestion: 'give more characters of the run id',
  });
}

/** Non-hidden directory names of a runs directory, sorted; none when it does not exist. */
export async function runDirNames(runsDir: string): Promise<string[]> {
  return (await runsDirEntries(runsDir))
    .filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isSymbolicLink()))
    .map((entry) => entry.name)
    .sort();
}

async function filterRunDirs(runsDir: string, names: string[]): Promise<string[]> {
  const flags = await Promise.all(names.map((name) => isRunDir(path.join(runsDir, name))));
  return names.filter((_, i) => flags[i]);
}

function newestFirst(a: RunRecord, b: RunRecord): number {
  return creationMicros(b) - creationMicros(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Raw microseconds, so runs created within the same millisecond still sort by time. */
function creationMicros(run: RunRecord): number {
  const { initialized, started } = run.attrs;
  if (typeof initialized === 'number') return initialized;
  return typeof started === 'number' ? started : 0;
}

function timestamp(value: unknown): Date | null {
  return typeof value === 'number' && Number.isFinite(value) ? fromMicros(value) : null;
}

function asObject(value: unknown): Record<string, unknown> | null {
  const isMap = value !== null && typeof value === 'object' && !Array.isArray(value);
  return isMap ? (value as Record<string, unknown>) : null;
}

/** A `guild_stage.batch` value as a BatchRole; anything malformed is none. */
export function asBatchRole(value: unknown): BatchRole {
  const role = asObject(value);
  if (role?.role === 'batch' && Array.isArray(role.trials)) {
    return { role: 'batch', trials: role.trials.filter((id): id is string => typeof id === 'string') };
  }
  if (role?.role === 'trial' && typeof role.batchId === 'string' && typeof role.index === 'number') {
    return { role: 'trial', batchId: role.batchId, index: role.index };
  }
  return null;
}

async function statOrNull(file: string): Promise<Stats | null> {
  return stat(file).catch(() => null);
}
