/**
 * Run directories appear whole or not at all: built under a hidden name, renamed into place.
 * Readers (`guild runs`, our own commands) never see a half-copied run, and a staging
 * directory is never taken from a stager that is still at work (see staging-owner.ts).
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, renameSync, type Stats } from 'node:fs';
import { lstat, rename, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { pidExists } from '../records/markers.js';
import { resolveRunsDir, runsDirEntries } from '../records/runs-home.js';
import { fsReason, GuildStageError, isFsError } from '../errors.js';
import { HEARTBEAT_MS, isAbandoned, namespaceTag, stagingName } from './staging-owner.js';

/** What a cleaner renames a staging directory to before removing it: the rename is the claim. */
const REMOVING_PREFIX = '.removing-';
const STAGING_PREFIX = '.staging-';

/** A file `populate` put in the run directory, checked before the directory is renamed into place. */
export interface PlacedFile {
  path: string;
  size: number;
}

/**
 * Creates `<runsDir>/<id>` atomically: builds it under a hidden temporary name in runsDir
 * (`.staging-<id>-h<tag>-<pid>`), calls `populate(tmpDir)`, checks that the files it returns
 * are there with their sizes, then renames it to the final name. While populate runs, the
 * temporary dir's mtime is kept fresh (the heartbeat cleaners on other hosts read). On any
 * failure the temporary dir is removed and the error rethrown (fs errors wrapped as
 * GuildStageError('STAGE')); a temporary dir that another process removed or took is a STAGE
 * error saying so, and is never made again. Creates runsDir (recursive) if missing; one that
 * cannot be created or written is GuildStageError('STAGE', 'runs dir <path> is not writable: ...').
 * Returns the final path.
 */
export async function createRunDir(
  runsDir: string,
  id: string,
  populate: (tmpDir: string) => Promise<readonly PlacedFile[]>,
): Promise<string> {
  if (id === '' || id.startsWith('.') || id.includes('/') || id.includes(path.sep)) {
    throw new GuildStageError('STAGE', `run id ${JSON.stringify(id)} cannot name a directory`);
  }
  const finalDir = path.join(runsDir, id);
  const tmpDir = path.join(runsDir, stagingName(id));
  // The directory operations are synchronous: single system calls, cheaper than their round
  // trips through the thread pool, which a batch pays for every trial.
  let made: Stats;
  try {
    mkdirSync(runsDir, { recursive: true });
    mkdirSync(tmpDir);
    made = lstatSync(tmpDir);
  } catch (error) {
    throw new GuildStageError('STAGE', `runs dir ${runsDir} is not writable: ${fsReason(error)}`, { cause: error });
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(tmpDir, now, now).catch(() => undefined);
  }, HEARTBEAT_MS).unref();
  try {
    const placed = await populate(tmpDir);
    assertOwnDir(tmpDir, made, runsDir);
    assertPlaced(tmpDir, placed);
    assertAbsent(finalDir);
    try {
      renameSync(tmpDir, finalDir);
    } catch (error) {
      throw new GuildStageError('STAGE', `cannot create run dir ${finalDir}: ${fsReason(error)}`, { cause: error });
    }
  } catch (error) {
    let lost: unknown;
    try {
      assertOwnDir(tmpDir, made, runsDir);
      lost = (await vanishedInside(error, tmpDir)) ? removedError(tmpDir, runsDir) : null;
    } catch (gone) {
      lost = gone;
    }
    await rm(tmpDir, { recursive: true, force: true });
    throw lost ?? asStageError(error);
  } finally {
    clearInterval(heartbeat);
  }
  return finalDir;
}

/** The staging dir is still the one this process made: nobody removed it or took it away. */
function assertOwnDir(dir: string, made: Stats, runsDir: string): void {
  let now: Stats | undefined;
  try {
    now = lstatSync(dir);
  } catch {
    // Gone, or no longer a path to it: not ours either way.
  }
  if (now?.ino === made.ino && now.dev === made.dev) return;
  throw removedError(dir, runsDir);
}

function removedError(dir: string, runsDir: string): GuildStageError {
  return new GuildStageError(
    'STAGE',
    `staging dir ${dir} was removed by another process while the run was staged; nothing was recorded`,
    { suggestion: `check what else cleans ${runsDir} (another host or container sharing it?), then run again` },
  );
}

/**
 * A failure because a directory in the staging dir is gone: staging never removes what it
 * made, so another process is removing it (its root may still be there, mid-removal). A
 * missing file in a directory that is there is the caller's own error.
 */
async function vanishedInside(error: unknown, dir: string): Promise<boolean> {
  const cause = (error instanceof GuildStageError ? error.cause : error) as
    | (NodeJS.ErrnoException & { dest?: string })
    | undefined;
  if (cause?.code !== 'ENOENT') return false;
  // A copy's error names the source as its path and the file in the staging dir as its dest.
  const file = [cause.dest, cause.path].find((candidate) => candidate?.startsWith(`${dir}${path.sep}`));
  return (
    file !== undefined &&
    (await lstat(path.dirname(file)).then(
      () => false,
      () => true,
    ))
  );
}

/**
 * Every file `populate` reported is in `dir`, a regular file of its size: a copy that lost
 * files (a directory removed under it) never becomes a run whose manifest lists them.
 */
function assertPlaced(dir: string, files: readonly PlacedFile[]): void {
  // Synchronous: the files were just written, so each call is a cached lookup, far cheaper
  // than a round trip through the thread pool.
  const bad = files
    .filter((file) => {
      const st = lstatSync(path.join(dir, file.path), { throwIfNoEntry: false });
      return !(st?.isFile() && st.size === file.size);
    })
    .map((file) => file.path);
  if (bad.length === 0) return;
  throw new GuildStageError(
    'STAGE',
    `the staged copy does not match its manifest: ${bad.length} of ${files.length} files missing or changed while staging (${bad[0]})`,
    { file: bad[0] },
  );
}

/**
 * rename(2) silently replaces an empty directory, so an existing run dir is checked first:
 * run ids are unique, and a clash means something else wrote there.
 */
function assertAbsent(dir: string): void {
  if (lstatSync(dir, { throwIfNoEntry: false })) throw new GuildStageError('STAGE', `run dir ${dir} already exists`);
}

function asStageError(error: unknown): unknown {
  if (!isFsError(error)) return error;
  const where = error.path ?? 'run dir';
  return new GuildStageError('STAGE', `cannot stage ${where}: ${fsReason(error)}`, { cause: error });
}

/**
 * Removes the staging dirs whose owners are gone (`isAbandoned`): a process killed mid-copy
 * leaves one behind. A dir is first renamed to a `.removing-*` name, so that of a stager
 * renaming it into place and cleaners removing it, exactly one gets it; `.removing-*` dirs a
 * cleaner left are removed too. A dir that cannot be taken or removed (another user's) stays
 * for a later try. Returns the removed staging paths; a missing runsDir has none. Called by
 * commands that read the runs dir.
 */
export async function cleanStaleStaging(runsDir: string): Promise<string[]> {
  const names = (await runsDirEntries(runsDir))
    .map((entry) => entry.name)
    .filter((name) => name.startsWith(STAGING_PREFIX) || name.startsWith(REMOVING_PREFIX));
  // The tag hashes (node:crypto, ~8 ms to load): a runs dir with nothing to judge needs none.
  if (names.length === 0) return [];
  const observer = { tag: namespaceTag(), alive: pidExists, now: Date.now() };
  const removed = await Promise.all(
    names.map(async (name) => {
      const dir = path.join(runsDir, name);
      if (name.startsWith(REMOVING_PREFIX)) return void (await removeQuietly(dir));
      const st = await lstat(dir).catch(() => undefined);
      if (!st || !isAbandoned(name, st.mtimeMs, observer)) return;
      const claimed = path.join(runsDir, `${REMOVING_PREFIX}${randomBytes(6).toString('hex')}${name}`);
      if (
        !(await rename(dir, claimed).then(
          () => true,
          () => false,
        ))
      )
        return;
      return (await removeQuietly(claimed)) ? dir : undefined;
    }),
  );
  return removed.filter((dir): dir is string => dir !== undefined);
}

function removeQuietly(dir: string): Promise<boolean> {
  return rm(dir, { recursive: true, force: true }).then(
    () => true,
    () => false,
  );
}

/** The runs directory `opts` name, rid of what staging processes that died left under temporary names. */
export async function openRunsDir(opts: { cwd?: string; runsDir?: string }): Promise<string> {
  const runsDir = resolveRunsDir({ runsDir: opts.runsDir, cwd: opts.cwd ?? process.cwd() });
  await cleanStaleStaging(runsDir);
  return runsDir;
}
