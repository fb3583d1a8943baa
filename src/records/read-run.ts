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
import { attrFile, runFile } from './layout.js';
import { isRunDirSync, runsDirEntries } from './runs-home.js';
import { pidExists, pidOfLock } from './markers.js';
import { parseOprefFile } from './opref.js';
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
   * {@link LISTED_ATTRS}, and of our own attr only its `batch`, `error` and `objective`.
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
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof GuildStageError)) throw error;
      problems.push(error.message);
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
  return {
    id: typeof attrs.id === 'string' ? attrs.id : path.basename(dir),
    dir,
    opspec: opref?.opspec ?? '',
    projectDir: opref?.projectDir ?? '',
    status: status ?? 'unreadable',
    unreadable: problems[0] ?? null,
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
}

/** One attr (undefined when absent); of ours, for a listing, only the keys it shows. */
function readListedAttr(dir: string, name: string, selection: AttrSelection): unknown {
  const file = attrFile(dir, name);
  const text = readRecordText(file);
  if (text === undefined) return undefined;
  const part = selection === 'listed' && name === GUILD_STAGE_ATTR ? pickTopLevel(text, LISTED_OF_OURS) : undefined;
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
 * {@link runStatus}, with the `exit_status` attr already read. Synchronous, as attrs are read:
 * listing thousands of runs otherwise waits on thousands of thread-pool round trips.
 */
function statusOf(runDir: string, exitStatus: unknown): RunStatus {
  const isSet = (marker: 'LOCK.remote' | 'PENDING' | 'STAGED') => existsSync(runFile(runDir, marker));
  if (isSet('LOCK.remote')) return 'running';
  if (isSet('PENDING') || isSet('STAGED')) return 'staged';
  if (exitStatus !== undefined && exitStatus !== null) return statusForExit(exitStatus);
  const pid = pidOfLock(readRecordText(runFile(runDir, 'LOCK')));
  return pid !== null && pidExists(pid) ? 'running' : 'error';
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
