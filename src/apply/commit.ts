/**
 * Writing `apply`'s edits into the directory another tool prepared: each file whole or not
 * at all (temp + rename), and all of them or none. A write that fails part-way puts back the
 * files already written, so the directory is never left half-applied.
 */
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fsReason, GuildStageError } from '../errors.js';
import { writeFileAtomic } from '../records/files.js';

/** One file's new state: its bytes and permission bits, or null to delete it. */
export interface FileEdit {
  /** Relative to the directory, `/` separators. */
  path: string;
  after: { bytes: Buffer; mode: number } | null;
}

type FileState = FileEdit['after'];

/** Writes every edit into `dir`, or none: on a failure the files written so far get their old bytes and mode back. */
export async function commitEdits(dir: string, edits: readonly FileEdit[]): Promise<void> {
  // Read before anything is written, so that a file that cannot be read fails with nothing changed.
  const before = await Promise.all(edits.map((edit) => stateOf(path.join(dir, edit.path))));
  const done: Array<{ edit: FileEdit; before: FileState; madeDir: string | undefined }> = [];
  for (const [index, edit] of edits.entries()) {
    try {
      const madeDir = await putFile(path.join(dir, edit.path), edit.after);
      done.push({ edit, before: before[index]!, madeDir });
    } catch (error) {
      const unrestored = await restore(dir, done);
      const outcome = unrestored.length
        ? `and ${unrestored.join(', ')} could not be put back: the directory is half-applied`
        : 'nothing was changed';
      throw new GuildStageError('STAGE', `cannot write ${edit.path} in ${dir}: ${fsReason(error)}; ${outcome}`, {
        file: edit.path,
        cause: error,
      });
    }
  }
}

/** Puts back what `done` wrote, newest first; returns the files that could not be. */
async function restore(
  dir: string,
  done: ReadonlyArray<{ edit: FileEdit; before: FileState; madeDir: string | undefined }>,
): Promise<string[]> {
  const failed: string[] = [];
  for (const { edit, before, madeDir } of [...done].reverse()) {
    try {
      await putFile(path.join(dir, edit.path), before);
      if (madeDir) await rm(madeDir, { recursive: true, force: true });
    } catch {
      failed.push(edit.path);
    }
  }
  return failed;
}

async function stateOf(file: string): Promise<FileState> {
  try {
    const [bytes, info] = await Promise.all([readFile(file), stat(file)]);
    return { bytes, mode: info.mode & 0o7777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new GuildStageError('STAGE', `cannot read ${file}: ${fsReason(error)}; nothing was changed`, {
      file,
      cause: error,
    });
  }
}

/** Gives `file` this state; returns the first directory it had to make for it, if any. */
async function putFile(file: string, state: FileState): Promise<string | undefined> {
  if (state === null) {
    await rm(file, { force: true });
    return undefined;
  }
  const madeDir = await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, state.bytes, { keepMode: true });
  if (((await stat(file)).mode & 0o7777) !== state.mode) await chmod(file, state.mode);
  return madeDir;
}
