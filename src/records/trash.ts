/**
 * Deleted runs, where Guild AI keeps them: a runs directory `<home>/runs` has its trash in
 * `<home>/trash/runs`, so `guild runs --deleted` lists what `guild-stage runs rm` removed and
 * `guild runs restore` brings it back. Moving a run is a rename, never a copy that could stop
 * half-way, unless the trash is on another file system.
 */
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fsReason, GuildStageError, isFsError } from '../errors.js';

/** The trash of a runs directory: `<parent>/trash/<name>`, `<home>/trash/runs` for Guild's `<home>/runs`. */
export function trashDir(runsDir: string): string {
  return path.join(path.dirname(runsDir), 'trash', path.basename(runsDir));
}

/**
 * Moves the run directory `runDir` into `toDir` under its own name. A run already there is
 * never overwritten (Guild would move it aside; we refuse, so nothing is lost or guessed).
 */
export async function moveRun(runDir: string, toDir: string): Promise<string> {
  const dest = path.join(toDir, path.basename(runDir));
  if (await stat(dest).catch(() => null)) {
    throw new GuildStageError('RUN_STATE', `cannot move run ${path.basename(runDir)}: ${dest} already exists`);
  }
  try {
    await mkdir(toDir, { recursive: true });
    await rename(runDir, dest);
  } catch (error) {
    if (!(isFsError(error) && error.code === 'EXDEV')) {
      throw new GuildStageError('RUN_STATE', `cannot move ${runDir} to ${toDir}: ${fsReason(error)}`, { cause: error });
    }
    await copyThenRemove(runDir, dest);
  }
  return dest;
}

async function copyThenRemove(runDir: string, dest: string): Promise<void> {
  try {
    await cp(runDir, dest, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, errorOnExist: true });
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    throw new GuildStageError('RUN_STATE', `cannot move ${runDir} to ${dest}: ${fsReason(error)}`, { cause: error });
  }
  await rm(runDir, { recursive: true, force: true });
}

/** Deletes a run directory for good. */
export async function removeRunDir(runDir: string): Promise<void> {
  try {
    await rm(runDir, { recursive: true });
  } catch (error) {
    throw new GuildStageError('RUN_STATE', `cannot delete ${runDir}: ${fsReason(error)}`, { cause: error });
  }
}
