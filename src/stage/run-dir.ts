/**
 * Run directories appear whole or not at all: built under a hidden name, renamed into place.
 * Readers (`guild runs`, our own commands) never see a half-copied run.
 */
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pidExists } from '../records/markers.js';
import { resolveRunsDir, runsDirEntries } from '../records/runs-home.js';
import { fsReason, GuildStageError, isFsError } from '../errors.js';

const STAGING_PREFIX = '.staging-';
/** `.staging-<id>-<pid>`: the pid tells whether its owner is still at work. */
const STAGING_NAME = /^\.staging-(.+)-(\d+)$/;

/**
 * Creates `<runsDir>/<id>` atomically: builds it under a hidden temporary name in runsDir
 * (`.staging-<id>-<pid>`), calls `populate(tmpDir)`, then renames it to the final name. On
 * any failure the temporary dir is removed and the error rethrown (fs errors wrapped as
 * GuildStageError('STAGE')). Creates runsDir (recursive) if missing; one that cannot be
 * created or written is GuildStageError('STAGE', 'runs dir <path> is not writable: ...').
 * Returns the final path.
 */
export async function createRunDir(
  runsDir: string,
  id: string,
  populate: (tmpDir: string) => Promise<void>,
): Promise<string> {
  if (id === '' || id.startsWith('.') || id.includes('/') || id.includes(path.sep)) {
    throw new GuildStageError('STAGE', `run id ${JSON.stringify(id)} cannot name a directory`);
  }
  const finalDir = path.join(runsDir, id);
  const tmpDir = path.join(runsDir, `${STAGING_PREFIX}${id}-${process.pid}`);
  try {
    await mkdir(runsDir, { recursive: true });
    await mkdir(tmpDir);
  } catch (error) {
    throw new GuildStageError('STAGE', `runs dir ${runsDir} is not writable: ${fsReason(error)}`, { cause: error });
  }
  try {
    await populate(tmpDir);
    await assertAbsent(finalDir);
    await rename(tmpDir, finalDir).catch((error: unknown) => {
      throw new GuildStageError('STAGE', `cannot create run dir ${finalDir}: ${fsReason(error)}`, { cause: error });
    });
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    throw asStageError(error);
  }
  return finalDir;
}

/**
 * rename(2) silently replaces an empty directory, so an existing run dir is checked first:
 * run ids are unique, and a clash means something else wrote there.
 */
async function assertAbsent(dir: string): Promise<void> {
  const exists = await lstat(dir).then(
    () => true,
    (error: unknown) => {
      if (isFsError(error) && error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (exists) throw new GuildStageError('STAGE', `run dir ${dir} already exists`);
}

function asStageError(error: unknown): unknown {
  if (!isFsError(error)) return error;
  const where = error.path ?? 'run dir';
  return new GuildStageError('STAGE', `cannot stage ${where}: ${fsReason(error)}`, { cause: error });
}

/**
 * Removes leftover `.staging-*` dirs whose owning pid (in the name) is no longer alive: a
 * process killed mid-copy leaves one behind. Returns the removed paths; a missing runsDir
 * has none. Called by commands that read the runs dir.
 */
export async function cleanStaleStaging(runsDir: string): Promise<string[]> {
  const names = (await runsDirEntries(runsDir)).map((entry) => entry.name);
  const stale = names.filter((name) => {
    const match = STAGING_NAME.exec(name);
    return match !== null && !pidExists(Number(match[2]));
  });
  const removed = stale.map((name) => path.join(runsDir, name));
  await Promise.all(removed.map((dir) => rm(dir, { recursive: true, force: true })));
  return removed;
}

/** The runs directory `opts` name, rid of what staging processes that died left under temporary names. */
export async function openRunsDir(opts: { cwd?: string; runsDir?: string }): Promise<string> {
  const runsDir = resolveRunsDir({ runsDir: opts.runsDir, cwd: opts.cwd ?? process.cwd() });
  await cleanStaleStaging(runsDir);
  return runsDir;
}
