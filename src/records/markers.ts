/**
 * Marker files in `<run>/.guild/` whose presence Guild AI reads as run state: `STAGED`
 * (staged, not started), `PENDING` (being set up), `LOCK` (running; holds the pid).
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { GuildStageError, messageOf } from '../errors.js';
import { makeRunSubdir, readTextIfExists } from './files.js';
import { guildDir, runFile } from './layout.js';

export type MarkerName = 'STAGED' | 'PENDING' | 'LOCK';

/** Creates or replaces a marker. Guild writes `STAGED` and `PENDING` empty and `LOCK` with the pid. */
export async function setMarker(runDir: string, name: MarkerName, content = ''): Promise<void> {
  const file = runFile(runDir, name);
  try {
    await makeRunSubdir(runDir, guildDir(runDir));
    await writeFile(file, content);
  } catch (error) {
    throw new GuildStageError('STAGE', `cannot write ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/** Removes a marker; a marker that is not there is fine. */
export async function clearMarker(runDir: string, name: MarkerName): Promise<void> {
  const file = runFile(runDir, name);
  try {
    await rm(file, { force: true });
  } catch (error) {
    throw new GuildStageError('STAGE', `cannot remove ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/**
 * Turns marker `from` into `to` holding `content`, atomically: of processes doing it at
 * once, exactly one gets true; the others (and any later one) find `from` gone and get false.
 */
export async function claimMarker(runDir: string, from: MarkerName, to: MarkerName, content: string): Promise<boolean> {
  const file = runFile(runDir, to);
  try {
    await rename(runFile(runDir, from), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new GuildStageError('STAGE', `cannot claim ${file}: ${messageOf(error)}`, { file, cause: error });
  }
  await setMarker(runDir, to, content);
  return true;
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
