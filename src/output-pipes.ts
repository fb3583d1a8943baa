/**
 * The pipes the script writes its output into. Node's own child pipes are socket pairs, where
 * every small write is a message of its own and wakes the reader: a script printing line by
 * line (Python unbuffered, as Guild runs it) then pays a wake-up per line and runs at half
 * speed. A FIFO is what a shell pipeline gives (`python3 train.py | tee log`): small writes
 * pile up in its 64 KiB, so the reader can take them in few reads. Node cannot make a FIFO,
 * so `mkfifo` makes them ahead, a few pairs at once, in a private directory; each exec takes
 * a fresh pair and unlinks it, so no process from an earlier run can write into a later one.
 * The directory is in memory where the system has a place for that ($XDG_RUNTIME_DIR,
 * /dev/shm): a batch makes and removes two FIFOs per trial, and on a disk file system that
 * many files come and go for nothing.
 */
import { execFile } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, rmSync, statSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** One output stream: the descriptor the script writes, the socket guild-stage reads. */
export interface OutputPipe {
  /** Given to the script as its stdout or stderr; close it here once the script has it. */
  writeFd: number;
  /** Read end; yields chunks through the `onChunk` given to {@link openOutputPipes}. */
  reader: net.Socket;
}

export type OutputStreamName = 'stdout' | 'stderr';

/** A read shorter than this, soon after another, means a script writing in small pieces. */
const SMALL_READ = 32 * 1024;
/** Short enough that nobody sees the output later, long enough for hundreds of lines to gather. */
const GATHER_MS = 1;
const READ_BUFFER = 64 * 1024;

let pool: { dir: string; free: string[]; made: number } | null | undefined;
let making: Promise<void> | undefined;

/**
 * FIFOs for the script's stdout and stderr, or null where FIFOs cannot be made (no
 * `mkfifo`): the caller then uses Node's own child pipes. `onChunk` gets a copy of each
 * read's bytes.
 *
 * While the script writes small pieces in quick succession, both streams stop being read for
 * {@link GATHER_MS} at a time, together: pausing only one would let the other's lines overtake
 * it, and a line printed in two writes (Python's text, then its newline) would be cut by the
 * other stream's output. A lone small write (a progress line) is read at once.
 */
export async function openOutputPipes(
  onChunk: (stream: OutputStreamName, chunk: Buffer) => void,
): Promise<Record<OutputStreamName, OutputPipe> | null> {
  const readers: net.Socket[] = [];
  let lastRead = Number.NEGATIVE_INFINITY;
  let holding = false;
  const release = () => {
    holding = false;
    for (const reader of readers) reader.resume();
  };
  const read = (stream: OutputStreamName) => (size: number, buffer: Uint8Array) => {
    onChunk(stream, Buffer.from(buffer.subarray(0, size)));
    const now = performance.now();
    if (size < SMALL_READ && now - lastRead < 2 * GATHER_MS && !holding) {
      holding = true;
      for (const reader of readers) reader.pause();
      setTimeout(release, GATHER_MS);
    }
    lastRead = now;
    return true;
  };
  const stdout = await openFifo(read('stdout'));
  const stderr = stdout && (await openFifo(read('stderr')));
  if (!stdout || !stderr) {
    if (stdout) closePipe(stdout);
    return null;
  }
  readers.push(stdout.reader, stderr.reader);
  return { stdout, stderr };
}

function closePipe(pipe: OutputPipe): void {
  closeSync(pipe.writeFd);
  pipe.reader.destroy();
}

async function openFifo(onRead: (size: number, buffer: Uint8Array) => boolean): Promise<OutputPipe | null> {
  const fifo = await takeFifo();
  if (!fifo) return null;
  let readFd: number | undefined;
  try {
    // Opening the read end first, without blocking, lets the write end open at once.
    readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(fifo, constants.O_WRONLY);
    // `onread` reads into one reused buffer and lets pause() stop reading at the system
    // level (Node documents it for `net.Socket`, though its type declarations lack it).
    const options: net.SocketConstructorOpts & { onread: net.OnReadOpts } = {
      fd: readFd,
      readable: true,
      writable: false,
      onread: { buffer: Buffer.allocUnsafe(READ_BUFFER), callback: onRead },
    };
    return { writeFd, reader: new net.Socket(options) };
  } catch {
    if (readFd !== undefined) closeSync(readFd);
    return null;
  } finally {
    unlinkSync(fifo);
  }
}

/** A FIFO path from the pool, made on first use; null when `mkfifo` fails. */
async function takeFifo(): Promise<string | null> {
  while (pool !== null) {
    const fifo = pool?.free.pop();
    if (fifo) return fifo;
    making ??= refill().finally(() => {
      making = undefined;
    });
    await making;
  }
  return null;
}

/** The first of $XDG_RUNTIME_DIR, /dev/shm and the temp directory that is a directory we may write in. */
function fifoParent(): string {
  const candidates = [process.env.XDG_RUNTIME_DIR, '/dev/shm'].filter((dir): dir is string => !!dir);
  for (const dir of candidates) {
    try {
      if (statSync(dir).isDirectory()) {
        accessSync(dir, constants.W_OK | constants.X_OK);
        return dir;
      }
    } catch {
      // Not there, or not ours to write: try the next.
    }
  }
  return os.tmpdir();
}

/** Makes the next FIFOs in one `mkfifo`: twice as many each time, so a long batch spawns it a few times only. */
async function refill(): Promise<void> {
  try {
    if (!pool) {
      const dir = mkdtempSync(path.join(fifoParent(), 'guild-stage-fifo-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      pool = { dir, free: [], made: 0 };
    }
    const { dir, made } = pool;
    const count = Math.min(Math.max(made, 2), 64);
    const names = Array.from({ length: count }, (_, i) => path.join(dir, String(made + i)));
    await promisify(execFile)('mkfifo', ['-m', '600', ...names]);
    pool.made += count;
    pool.free.push(...names.reverse());
  } catch {
    pool = null;
  }
}
