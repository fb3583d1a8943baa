/**
 * Paths and reads shared by the record files: everything lives under `<run>/.guild/`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError, messageOf } from '../errors.js';

/** The `.guild` directory of a run, where Guild keeps its metadata. */
export function guildDir(runDir: string): string {
  return path.join(runDir, '.guild');
}

/** A file's text, or undefined when it does not exist; other read failures name the file. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  const data = await readBytesIfExists(file);
  return data?.toString('utf8');
}

/** A file's bytes, or undefined when it does not exist; other read failures name the file. */
export async function readBytesIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GuildStageError('RUN_STATE', `cannot read ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}
