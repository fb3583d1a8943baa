/**
 * Reading run directories back: one run, all runs of a runs directory, a run by reference,
 * and a run's status by the rule Guild AI applies, so we and `guild runs` agree.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FlagValue } from '../../transformers/types.js';
import { GuildStageError } from '../errors.js';
import type { BatchRole, RunStatus } from '../run-status.js';
import { fromMicros, GUILD_STAGE_ATTR, readAttr, readAttrs } from './attrs.js';
import { readTextIfExists } from './files.js';
import { runFile } from './layout.js';
import { runsDirEntries } from './runs-home.js';
import { lockPid, pidExists, readMarker } from './markers.js';
import { parseOpref } from './opref.js';
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
  status: RunStatus;
  flags: Record<string, FlagValue>;
  label: string | null;
  initialized: Date | null;
  started: Date | null;
  stopped: Date | null;
  exitStatus: number | null;
  batch: BatchRole;
  /** Why the run failed before or instead of its script, from the `guild_stage` attr. */
  error: string | null;
  /** Every attr, as read. */
  attrs: Record<string, unknown>;
}

const MAX_LISTED_MATCHES = 10;

/** Whether `dir` holds a run: a `.guild/` with an `opref` or an `attrs/` directory. */
export async function isRunDir(dir: string): Promise<boolean> {
  const [opref, attrs] = await Promise.all([statOrNull(runFile(dir, 'opref')), statOrNull(runFile(dir, 'attrs'))]);
  return (opref?.isFile() ?? false) || (attrs?.isDirectory() ?? false);
}

/** Reads the run in `runDir`. Throws `NOT_FOUND` when it is not a run directory. */
export async function readRun(runDir: string): Promise<RunRecord> {
  const dir = path.resolve(runDir);
  if (!(await isRunDir(dir))) {
    throw new GuildStageError('NOT_FOUND', `no run at ${dir}: it has no .guild/opref or .guild/attrs`);
  }
  const [attrs, oprefText, status] = await Promise.all([
    readAttrs(dir),
    readTextIfExists(runFile(dir, 'opref')),
    runStatus(dir),
  ]);
  const opref = oprefText === undefined ? null : parseOpref(oprefText);
  const ours = asObject(attrs[GUILD_STAGE_ATTR]);
  return {
    id: typeof attrs.id === 'string' ? attrs.id : path.basename(dir),
    dir,
    opspec: opref?.opspec ?? '',
    projectDir: opref?.projectDir ?? '',
    status,
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

/**
 * Every run in `runsDir`, newest first by `initialized` (then `started`). Hidden entries
 * (`.staging-*`, Guild's `.deleted`) and directories that are not runs are skipped; a missing
 * runs directory has no runs.
 */
export async function listRuns(runsDir: string): Promise<RunRecord[]> {
  const candidates = (await runDirNames(runsDir)).map((name) => path.join(runsDir, name));
  const runs = await Promise.all(candidates.map(readRunIfPresent));
  return runs.filter((run): run is RunRecord => run !== null).sort(newestFirst);
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
    const indexed = byIndex(ref, listingOrder(await listRuns(runsDir)));
    if (indexed) return indexed;
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
  const [remote, pending, staged] = await Promise.all([
    readMarker(runDir, 'LOCK.remote'),
    readMarker(runDir, 'PENDING'),
    readMarker(runDir, 'STAGED'),
  ]);
  if (remote !== undefined) return 'running';
  if (pending !== undefined || staged !== undefined) return 'staged';
  const exitStatus = await readAttr(runDir, 'exit_status');
  if (exitStatus !== undefined && exitStatus !== null) return statusForExit(exitStatus);
  const pid = await lockPid(runDir);
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

/** A run, or null when the directory is not (or no longer) a run. */
async function readRunIfPresent(dir: string): Promise<RunRecord | null> {
  if (!(await isRunDir(dir))) return null;
  try {
    return await readRun(dir);
  } catch (error) {
    if (error instanceof GuildStageError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
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
