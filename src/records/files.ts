/**
 * Reads and writes shared by the record files.
 */
import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GuildStageError, messageOf } from '../errors.js';

/** A file's text, or undefined when it does not exist; other read failures name the file. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  const data = await readBytesIfExists(file);
  return data?.toString('utf8');
}

/**
 * A file's bytes, or undefined when it does not exist; other read failures name the file.
 * Read synchronously: record files are small (an attr is at most 4 MiB), and a batch reads
 * several per trial, each of which would otherwise be a round trip through the thread pool.
 */
export async function readBytesIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GuildStageError('RUN_STATE', `cannot read ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/** Characters of text encoded at once by `writeFileAtomic`. */
const SLICE = 1 << 20;
/**
 * Up to this size `writeFileAtomic` writes synchronously: a record file (an attr, a marker, a
 * patch) takes a few system calls, which cost less than their round trips through the thread
 * pool, and a batch writes a dozen of them per trial (P7 in bench/README.md).
 */
const SMALL_WRITE = 64 * 1024;

/** `text` in slices of about SLICE characters, never between the two halves of a surrogate pair. */
function* slices(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + SLICE, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * Writes `file` whole or not at all: the data goes to a temporary file that is then renamed
 * over `file`. A reader (`guild runs` while we run) never sees half of it, and a file that is a
 * hard link (a `--link` staged file, shared with the project) is replaced, never written through.
 * The temporary file is removed again when anything fails; the error is rethrown as it came.
 * Text is encoded a slice at a time, never as one buffer the size of the file.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  opts: {
    /** How text is encoded; UTF-8 unless given. */
    encoding?: 'utf8' | 'latin1';
    /** Where the temporary file goes when not beside `file`; it must be on the same filesystem. */
    tempDir?: string;
    /** Give the new file the permission bits of the one it replaces. */
    keepMode?: boolean;
    /** Create the new file with these permission bits (less the umask's), e.g. 0o600. */
    mode?: number;
  } = {},
): Promise<void> {
  const name = `.${path.basename(file)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  const temp = path.join(opts.tempDir ?? path.dirname(file), name);
  if ((typeof data === 'string' ? data.length : data.byteLength) <= SMALL_WRITE) {
    writeSmallAtomic(file, temp, data, opts);
    return;
  }
  try {
    const mode = opts.keepMode
      ? await stat(file).then(
          (st) => st.mode,
          () => undefined,
        )
      : undefined;
    const content = typeof data === 'string' && data.length > SLICE ? slices(data) : data;
    await writeFile(temp, content, {
      encoding: opts.encoding ?? 'utf8',
      ...(opts.mode === undefined ? {} : { mode: opts.mode }),
    });
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes a new file in a run directory that is still private (being staged, so no reader can
 * see half of it): small ones synchronously, for the reason writeFileAtomic does.
 */
export async function writeStagingFile(file: string, text: string): Promise<void> {
  if (text.length <= SMALL_WRITE) writeFileSync(file, text);
  else await writeFile(file, text);
}

function modeOf(file: string): number | undefined {
  try {
    return statSync(file).mode;
  } catch {
    return undefined;
  }
}

function writeSmallAtomic(
  file: string,
  temp: string,
  data: string | Uint8Array,
  opts: { encoding?: 'utf8' | 'latin1'; keepMode?: boolean; mode?: number },
): void {
  try {
    const mode = opts.keepMode ? modeOf(file) : undefined;
    writeFileSync(temp, data, {
      encoding: opts.encoding ?? 'utf8',
      ...(opts.mode === undefined ? {} : { mode: opts.mode }),
    });
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Makes `dir`, a directory inside run directory `runDir` (`.guild`, `.guild/attrs`), and the
 * missing ones between, never `runDir` itself: a run directory that was removed (its runs
 * directory deleted during the run, a staging directory another process took) stays gone
 * instead of coming back as a skeleton of records. Its absence is a STAGE error saying so.
 */
export async function makeRunSubdir(runDir: string, dir: string): Promise<void> {
  makeRunSubdirSync(runDir, dir);
}

/** Synchronous: single system calls, nearly always a stat that finds the directory there. */
function makeRunSubdirSync(runDir: string, dir: string): void {
  if (path.relative(runDir, dir) === '') throw runDirGone(runDir);
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw error;
    makeRunSubdirSync(runDir, path.dirname(dir));
    try {
      mkdirSync(dir);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

function runDirGone(runDir: string): GuildStageError {
  return new GuildStageError(
    'STAGE',
    `run directory ${runDir} no longer exists: it was removed while guild-stage was writing it`,
    { file: runDir },
  );
}
