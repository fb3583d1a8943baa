/**
 * Copies a selection into the run directory. Each file is read once: the same buffer is
 * checked for binary content, hashed for the manifest and written.
 */
import { createHash } from 'node:crypto';
import fs, {
  closeSync,
  constants,
  createReadStream,
  fchmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fsReason, GuildStageError, isFsError } from '../errors.js';
import type { LinkedStamp } from '../records/linked.js';
import type { FileHash, HashCache } from './hash-cache.js';
import { mapLimit } from './pool.js';
import type { Selection, SelectedFile } from './select.js';
import type { SkippedFile } from './skipped.js';

/** One copied file, for the manifest. */
export interface CopiedFile {
  path: string;
  sha1: string;
  size: number;
  /** Set for a file hard-linked with the project (`--link` without reflinks): how it was then. */
  linked?: LinkedStamp;
}

const COPY_CONCURRENCY = 32;
/** Where the text check looks for a NUL byte, as git and Guild do. */
const TEXT_PROBE_BYTES = 8 * 1024;
/**
 * Larger files (only ever selected by an include rule or a raised size limit) are streamed, not
 * read whole into the job's buffer, which so stays at 4 MiB or less.
 */
const STREAM_THRESHOLD = 4 * 1024 * 1024;
/** The job's read buffer to begin with; it doubles for a larger file. */
const INITIAL_BUFFER_BYTES = 64 * 1024;
/** Errors for which a hard link cannot be made but a copy can. */
const LINK_FALLBACK_CODES = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK']);
/** Errors for which a reflink cannot be made but a hard link may (no reflinks here, another filesystem, no read access). */
const CLONE_FALLBACK_CODES = new Set([
  'ENOTSUP',
  'EOPNOTSUPP',
  'EXDEV',
  'EINVAL',
  'ENOSYS',
  'ENOTTY',
  'EPERM',
  'EACCES',
]);

/** The callback readFile: fewer round trips to the thread pool than the FileHandle-based one in fs/promises. */
const readFile = promisify(fs.readFile);

interface CopyJob {
  projectDir: string;
  destDir: string;
  link: boolean;
  /** The process umask, or undefined when it cannot be read (then every file is chmod'ed). */
  umask: number | undefined;
  /** The destination directories made so far. */
  dirs: Set<string>;
  /**
   * Where small files are read: one buffer for the job instead of one allocation per file (a
   * 5,000-file project was 50 MB of garbage). A file's read, hash and write never await, so
   * no other copy can reuse it meanwhile.
   */
  buffer: Buffer;
  /** With `link`: whether the first file could be reflinked, and so the others are tried too. */
  clones?: Promise<boolean>;
  /** With `link`: the hashes of files seen before, so an unchanged file is not read. */
  hashes?: HashCache;
}

type Outcome = { copied: CopiedFile } | { skipped: SkippedFile };

/**
 * Copies the selected files from projectDir into destDir (which exists), preserving modes;
 * returns sha1 of each for the manifest. Binary files found while copying outside git are
 * skipped (returned in `skipped`), as are files that cannot be read. Bounded concurrency.
 * With `link`, files are reflinked or hard-linked where possible (see shareOne): the caller
 * must then replace a staged file (write a new one and rename) rather than write into it, or
 * a hard-linked project file changes. With `link`, `hashes` is consulted and updated (and
 * saved) for the files of this project.
 * A destination that cannot be written is a GuildStageError('STAGE').
 */
export async function copySource(
  projectDir: string,
  destDir: string,
  selection: Selection,
  opts: { link?: boolean; hashes?: HashCache } = {},
): Promise<{ copied: CopiedFile[]; skipped: SkippedFile[] }> {
  const job: CopyJob = {
    projectDir,
    destDir: path.resolve(destDir),
    link: opts.link ?? false,
    umask: readUmask(),
    dirs: new Set(),
    buffer: Buffer.allocUnsafe(INITIAL_BUFFER_BYTES),
    hashes: opts.link ? opts.hashes : undefined,
  };
  const outcomes = await mapLimit(selection.files, COPY_CONCURRENCY, (file) => copyOne(job, file));
  if (job.hashes) {
    job.hashes.prune(
      projectDir,
      new Set(selection.files.map((file) => path.join(projectDir, file.source ?? file.path))),
    );
    await job.hashes.save();
  }
  const copied: CopiedFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const outcome of outcomes) {
    if ('copied' in outcome) copied.push(outcome.copied);
    else skipped.push(outcome.skipped);
  }
  return { copied, skipped };
}

async function copyOne(job: CopyJob, file: SelectedFile): Promise<Outcome> {
  const from = path.join(job.projectDir, file.source ?? file.path);
  const to = path.join(job.destDir, file.path);
  const shared = job.link ? await shareOne(job, file, from, to) : undefined;
  if (shared) return shared;
  if (file.size > STREAM_THRESHOLD) return copyLarge(job, file, from, to);
  // Synchronous: a file under STREAM_THRESHOLD is a few system calls on what is usually in the
  // page cache, cheaper than the seven thread-pool round trips of reading and writing it.
  let data: Buffer;
  try {
    data = readWhole(job, from);
  } catch (error) {
    return { skipped: { path: file.path, reason: 'unreadable', detail: fsReason(error) } };
  }
  if (file.textOnly && isBinary(data)) return { skipped: { path: file.path, reason: 'binary' } };
  ensureDir(job, path.dirname(to));
  try {
    writeNew(to, data, file.mode, job.umask);
  } catch (error) {
    throw writeFailure(to, error);
  }
  return { copied: { path: file.path, sha1: sha1(data), size: data.length } };
}

/** Hashes by streaming, then lets the kernel copy (reflinking where the filesystem can). */
async function copyLarge(job: CopyJob, file: SelectedFile, from: string, to: string): Promise<Outcome> {
  let hashed: FileHash | 'binary';
  try {
    hashed = await hashStream(from, file.textOnly ?? false);
  } catch (error) {
    return { skipped: { path: file.path, reason: 'unreadable', detail: fsReason(error) } };
  }
  if (hashed === 'binary') return { skipped: { path: file.path, reason: 'binary' } };
  ensureDir(job, path.dirname(to));
  await writeTarget(to, () => copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE));
  return { copied: { path: file.path, sha1: hashed.sha1, size: hashed.size } };
}

/**
 * `--link`: the file shares storage with the project, by a reflink (a copy-on-write clone:
 * an edit of either side leaves the other as it was) where the filesystem has them, else by
 * a hard link, stamped (inode, mtime, size) so that a later edit of the project in place,
 * which the run's file shares, shows (records/linked.ts). The stamp is taken before the
 * content is read and hashed from the run's side, so the manifest says what the run holds and
 * any change after it shows; a file whose stamp the hash cache knows is not read at all.
 * Undefined when neither can be made (another filesystem): the file is then copied.
 */
async function shareOne(job: CopyJob, file: SelectedFile, from: string, to: string): Promise<Outcome | undefined> {
  ensureDir(job, path.dirname(to));
  const how = await writeTarget(to, () => share(job, from, to));
  if (how === undefined) return undefined;
  // A hard link is the project's file itself; a reflink holds what the project's file held
  // when cloned, which its stamp just after still tells (a change since is too new to cache).
  const stamp = how === 'link' || job.hashes ? lstatSync(how === 'link' ? to : from, { bigint: true }) : undefined;
  let hashed = stamp && job.hashes?.lookup(from, stamp);
  if (!hashed) {
    try {
      const read = await hashFile(to, file);
      if (read !== 'binary' && stamp) job.hashes?.store(from, stamp, read);
      hashed = read === 'binary' ? undefined : read;
    } catch (error) {
      await rm(to, { force: true });
      return { skipped: { path: file.path, reason: 'unreadable', detail: fsReason(error) } };
    }
  }
  if (!hashed || (file.textOnly && hashed.binary)) {
    await rm(to, { force: true });
    return { skipped: { path: file.path, reason: 'binary' } };
  }
  const linked = how === 'link' && stamp && { ino: stamp.ino, mtimeNs: stamp.mtimeNs, size: stamp.size };
  return { copied: { path: file.path, sha1: hashed.sha1, size: hashed.size, ...(linked && { linked }) } };
}

/**
 * Reflinks when the job's first file could be reflinked (FICLONE_FORCE fails where the
 * filesystem cannot), else hard-links; undefined when neither is possible.
 */
async function share(job: CopyJob, from: string, to: string): Promise<'clone' | 'link' | undefined> {
  if (job.clones === undefined) {
    job.clones = clone(from, to);
    if (await job.clones) return 'clone';
  } else if ((await job.clones) && (await clone(from, to))) {
    return 'clone';
  }
  try {
    // Synchronous, like the stamp after it: on an inode the walk just read, the call costs a
    // fraction of a round trip through the thread pool, and a --link stage is thousands of them.
    linkSync(from, to);
    return 'link';
  } catch (error) {
    if (isFsError(error) && LINK_FALLBACK_CODES.has(error.code)) return undefined;
    throw error;
  }
}

async function clone(from: string, to: string): Promise<boolean> {
  try {
    await copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch (error) {
    if (isFsError(error) && CLONE_FALLBACK_CODES.has(error.code)) return false;
    throw error;
  }
}

/** The file's hash; 'binary' (not hashed) for a large text-only file found binary. */
async function hashFile(file: string, selected: SelectedFile): Promise<FileHash | 'binary'> {
  if (selected.size > STREAM_THRESHOLD) return hashStream(file, selected.textOnly ?? false);
  const data = await readFile(file);
  return { sha1: sha1(data), size: data.length, binary: isBinary(data) };
}

async function hashStream(from: string, textOnly: boolean): Promise<FileHash | 'binary'> {
  const hash = createHash('sha1');
  let size = 0;
  let binary = false;
  for await (const chunk of createReadStream(from) as AsyncIterable<Buffer>) {
    if (size === 0) binary = isBinary(chunk);
    if (textOnly && binary) return 'binary';
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha1: hash.digest('hex'), size, binary };
}

function isBinary(data: Buffer): boolean {
  return data.subarray(0, TEXT_PROBE_BYTES).includes(0);
}

function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

/**
 * Makes `dir` one level at a time below destDir, never destDir itself: a staging directory
 * that another process removed stays gone, and the copy fails, instead of refilling a
 * directory nobody will rename into place or, worse, one that is. Synchronous, as the
 * writes into it are.
 */
function ensureDir(job: CopyJob, dir: string): void {
  if (dir === job.destDir || path.dirname(dir) === dir || job.dirs.has(dir)) return;
  ensureDir(job, path.dirname(dir));
  try {
    mkdirSync(dir);
  } catch (error) {
    if (!isFsError(error) || error.code !== 'EEXIST') throw writeFailure(dir, error);
  }
  job.dirs.add(dir);
}

/** Runs a write to `target`, turning an fs failure into a STAGE error naming it. */
async function writeTarget<T>(target: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw writeFailure(target, error);
  }
}

/** An fs failure writing `target` as a STAGE error naming it; any other error as it is. */
function writeFailure(target: string, error: unknown): unknown {
  if (!isFsError(error)) return error;
  return new GuildStageError('STAGE', `cannot write ${target}: ${fsReason(error)}`, { cause: error });
}

/** The whole of `file`, read into the job's buffer (grown when too small): valid until the next read. */
function readWhole(job: CopyJob, file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === job.buffer.length) {
        const larger = Buffer.allocUnsafe(job.buffer.length * 2);
        job.buffer.copy(larger);
        job.buffer = larger;
      }
      const read = readSync(fd, job.buffer, length, job.buffer.length - length, null);
      if (read === 0) return job.buffer.subarray(0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * 'wx': a destination that already exists could be a hard link into the project; never
 * write through one. chmod only when the umask took bits from `mode` (or is unknown).
 */
function writeNew(to: string, data: Buffer, mode: number, umask: number | undefined): void {
  const fd = openSync(to, 'wx', mode);
  let failure: unknown;
  try {
    writeFileSync(fd, data);
    if (umask === undefined || (mode & umask) !== 0) fchmodSync(fd, mode);
  } catch (error) {
    failure = error;
  }
  try {
    closeSync(fd);
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) throw failure;
}

/**
 * From /proc rather than `process.umask()`, which reads it by setting it to 0 for a moment:
 * a file created by another thread just then would get too loose a mode.
 */
function readUmask(): number | undefined {
  try {
    const match = /^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? parseInt(match[1], 8) : undefined;
  } catch {
    return undefined;
  }
}
