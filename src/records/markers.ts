/**
 * Marker files in `<run>/.guild/` whose presence Guild AI reads as run state: `STAGED`
 * (staged, not started), `PENDING` (being set up), `LOCK` (running; holds the pid).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, unlinkSync } from 'node:fs';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import { GuildStageError, messageOf } from '../errors.js';
import { makeRunSubdir, readTextIfExists, writeFileAtomic } from './files.js';
import { guildDir, runFile } from './layout.js';

export type MarkerName = 'STAGED' | 'PENDING' | 'LOCK';

/**
 * Creates or replaces a marker. Guild writes `STAGED` and `PENDING` empty and `LOCK` with the
 * pid. A marker with content is replaced whole (a temporary file renamed over it): written in
 * place, a `LOCK` is empty for a moment, which reads `error` to `runs`, Guild and a `start`
 * racing for the run.
 */
export async function setMarker(runDir: string, name: MarkerName, content = ''): Promise<void> {
  const file = runFile(runDir, name);
  try {
    await makeRunSubdir(runDir, guildDir(runDir));
    if (content === '') await writeFile(file, content);
    else await writeFileAtomic(file, content, { tempDir: guildDir(runDir) });
  } catch (error) {
    throw new GuildStageError('STAGE', `cannot write ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/** Removes a marker; a marker that is not there is fine. */
export async function clearMarker(runDir: string, name: MarkerName): Promise<void> {
  const file = runFile(runDir, name);
  try {
    // One system call: rm() would lstat the marker twice through the thread pool first.
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new GuildStageError('STAGE', `cannot remove ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/**
 * Turns marker `from` into a `LOCK` holding `pid`, atomically and never empty: of processes
 * doing it at once, exactly one gets true; the others (and any later one) get false. `from`
 * is removed only once the LOCK is made (see {@link createLock}). A LOCK left by a claimer
 * that died before removing `from` is taken over.
 */
export async function claimMarker(runDir: string, from: MarkerName, pid: number): Promise<boolean> {
  const source = runFile(runDir, from);
  if (!(await createLock(runDir, pid, () => existsSync(source)))) return false;
  const claimed = await rm(source).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw lockError(runDir, error);
      return false;
    },
  );
  // `from` was gone: the run was claimed (and its LOCK since cleared) before us.
  if (!claimed) await rm(runFile(runDir, 'LOCK'), { force: true });
  return claimed;
}

/**
 * Makes a `LOCK` holding `pid` where there is none, or where its process is gone (taken
 * over); false when a live process holds it, or when `wanted()` says, after another LOCK was
 * found, that the run is no longer to be had. The LOCK is made by link(2) from a file
 * already holding the pid: a LOCK created empty and written after (`wx`) would read, for a
 * moment, as one whose process is gone, to be taken over by a second claimer, and then a
 * third: every claimer at once would run the run. A `STAGE` error when it cannot be made.
 */
export async function createLock(runDir: string, pid: number, wanted: () => boolean = () => true): Promise<boolean> {
  const lock = runFile(runDir, 'LOCK');
  const mine = `${lock}.claim-${pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(mine, String(pid)).catch((error: unknown) => {
    throw lockError(runDir, error);
  });
  try {
    for (;;) {
      const linked = await link(mine, lock).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw lockError(runDir, error);
          return false;
        },
      );
      if (linked) return true;
      const holder = pidOfLock(await readMarker(runDir, 'LOCK'));
      if (!wanted() || (holder !== null && pidExists(holder))) return false;
      // Renamed away first: of two claimers taking over the same stale LOCK, one renames it.
      const stale = `${lock}.stale-${randomBytes(4).toString('hex')}`;
      await rename(lock, stale).then(
        () => rm(stale, { force: true }),
        () => undefined,
      );
    }
  } finally {
    await rm(mine, { force: true });
  }
}

function lockError(runDir: string, error: unknown): GuildStageError {
  const lock = runFile(runDir, 'LOCK');
  return new GuildStageError('STAGE', `cannot claim ${lock}: ${messageOf(error)}`, { file: lock, cause: error });
}

/** A marker's content, or undefined when it is not set. */
export async function readMarker(runDir: string, name: MarkerName | 'LOCK.remote'): Promise<string | undefined> {
  return readTextIfExists(runFile(runDir, name));
}

/**
 * The pid a `LOCK`'s text holds, read as Guild does (`int()` of its first 10 characters), or
 * null when there is no lock or no positive pid in it.
 */
export function pidOfLock(text: string | undefined): number | null {
  const raw = text?.slice(0, 10).trim();
  if (!raw || !/^\+?\d+$/.test(raw)) return null;
  const pid = Number(raw);
  return pid > 0 ? pid : null;
}

/** Whether a process with this pid exists (one owned by another user counts). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
