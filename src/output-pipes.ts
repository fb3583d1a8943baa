/**
 * The pipes the script writes its output into. Node's own child pipes are socket pairs, where
 * every small write is a message of its own and wakes the reader: a script printing line by
 * line (Python unbuffered, as Guild runs it) then pays a wake-up per line and runs at half
 * speed. A FIFO is what a shell pipeline gives (`python3 train.py | tee log`): small writes
 * pile up in its 64 KiB, so the reader can take them in few reads. Node cannot make a FIFO,
 * so `mkfifo` makes them ahead, a few pairs at once, in a private directory; each exec takes
 * a fresh pair and unlinks it, so no process from an earlier run can write into a later one.
 */
import { execFile } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** One output stream: the descriptor the script writes, the socket guild-stage reads. */
export interface OutputPipe {
  /** Given to the script as its stdout or stderr; close it here once the script has it. */
  writeFd: number;
  /** Read end; yields chunks through the `onChunk` given to {@link openOutputPipe}. */
  reader: net.Socket;
}

/** A read shorter than this means the script writes slowly: wait a little for more before the next read. */
const SMALL_READ = 32 * 1024;
/** Short enough that nobody sees the output later, long enough for hundreds of lines to gather. */
const GATHER_MS = 1;
const READ_BUFFER = 64 * 1024;

let pool: { dir: string; free: string[]; made: number } | null | undefined;
let making: Promise<void> | undefined;

/**
 * A FIFO for one output stream, or null where FIFOs cannot be made (no `mkfifo`): the caller
 * then uses an ordinary child pipe. `onChunk` gets a copy of each read's bytes.
 */
export async function openOutputPipe(onChunk: (chunk: Buffer) => void): Promise<OutputPipe | null> {
  const fifo = await takeFifo();
  if (!fifo) return null;
  let readFd: number | undefined;
  try {
    // Opening the read end first, without blocking, lets the write end open at once.
    readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(fifo, constants.O_WRONLY);
    return { writeFd, reader: readerOf(readFd, onChunk) };
  } catch {
    if (readFd !== undefined) closeSync(readFd);
    return null;
  } finally {
    unlinkSync(fifo);
  }
}

function readerOf(fd: number, onChunk: (chunk: Buffer) => void): net.Socket {
  // `onread` reads into one reused buffer and lets pause() stop reading at the system
  // level (Node documents it for `net.Socket`, though its type declarations lack it).
  const options: net.SocketConstructorOpts & { onread: net.OnReadOpts } = {
    fd,
    readable: true,
    writable: false,
    onread: {
      buffer: Buffer.allocUnsafe(READ_BUFFER),
      callback: (size, buffer) => {
        onChunk(Buffer.from(buffer.subarray(0, size)));
        if (size < SMALL_READ) {
          socket.pause();
          setTimeout(() => socket.resume(), GATHER_MS);
        }
        return true;
      },
    },
  };
  const socket = new net.Socket(options);
  return socket;
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

/** Makes the next FIFOs in one `mkfifo`: twice as many each time, so a long batch spawns it a few times only. */
async function refill(): Promise<void> {
  try {
    if (!pool) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'guild-stage-fifo-'));
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
