/**
 * The script's output as Guild AI records it: `<run>/.guild/output` holds stdout and stderr
 * bytes in arrival order; `<run>/.guild/output.index` holds one 9-byte record per line of that
 * file: big-endian u64 milliseconds since the epoch, then the stream (0 stdout, 1 stderr).
 * `guild cat --output` and `guild runs` read them together, line by line.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { makeRunSubdir } from './files.js';
import { GuildStageError, messageOf } from '../errors.js';
import { guildDir, runFile } from './layout.js';

export type OutputStream = 'stdout' | 'stderr';

const RECORD_SIZE = 9;
const LF = 0x0a;

/** Pending output is written once it passes this many bytes... */
const FLUSH_BYTES = 64 * 1024;
/** ...or this long after its first chunk, so `.guild/output` follows a slow script closely. */
const FLUSH_INTERVAL_MS = 50;

/**
 * Appends output chunks to `.guild/output` and lines to `.guild/output.index`. Chunks may split
 * lines anywhere; a line is indexed when its first byte is written, with that chunk's time and
 * stream. Lines are those of the combined file, so the index always has exactly one record per
 * line of `output`, in order, even when the two streams interleave mid-line.
 *
 * A script that writes line by line (Python unbuffered, as guild-stage runs it) hands over
 * hundreds of thousands of small chunks; writing each would cost two system calls. Chunks are
 * gathered and written together, at most {@link FLUSH_INTERVAL_MS} later; `close()` writes the
 * rest, so only a SIGKILL of guild-stage itself can lose the last few milliseconds.
 */
export class OutputWriter {
  private atLineStart = true;
  private closed = false;
  private failure: Error | null = null;
  private outputParts: Buffer[] = [];
  private indexParts: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly output: FileHandle,
    private readonly index: FileHandle,
  ) {}

  /** Creates (or truncates) the output files of a run. */
  static async open(runDir: string): Promise<OutputWriter> {
    const outputFile = runFile(runDir, 'output');
    try {
      await makeRunSubdir(runDir, guildDir(runDir));
      const output = await open(outputFile, 'w');
      const index = await open(runFile(runDir, 'outputIndex'), 'w').catch(async (error: unknown) => {
        await output.close();
        throw error;
      });
      return new OutputWriter(output, index);
    } catch (error) {
      throw new GuildStageError('STAGE', `cannot open ${outputFile}: ${messageOf(error)}`, {
        file: outputFile,
        cause: error,
      });
    }
  }

  /** Records a chunk of the script's output, received at `time`. */
  write(stream: OutputStream, chunk: Buffer, time: Date = new Date()): void {
    if (this.closed) throw new GuildStageError('STAGE', `output writer is closed; cannot write ${stream}`);
    this.throwIfFailed();
    if (chunk.length === 0) return;
    const lines = countLineStarts(chunk, this.atLineStart);
    this.atLineStart = chunk[chunk.length - 1] === LF;
    this.outputParts.push(chunk);
    this.pendingBytes += chunk.length;
    if (lines > 0) this.indexParts.push(encodeIndexRecords(lines, time.getTime(), stream === 'stdout' ? 0 : 1));
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Writes what is pending and closes both files. Rejects if any write failed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    await this.writing;
    await Promise.all([this.output.close(), this.index.close()]);
    this.throwIfFailed();
  }

  /** Queues the pending chunks as one write per file, after the writes queued before. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingBytes === 0) return;
    const output = Buffer.concat(this.outputParts, this.pendingBytes);
    const index = Buffer.concat(this.indexParts);
    this.outputParts = [];
    this.indexParts = [];
    this.pendingBytes = 0;
    this.writing = this.writing
      .then(async () => {
        await this.output.appendFile(output);
        if (index.length > 0) await this.index.appendFile(index);
      })
      .catch((error: Error) => {
        this.failure ??= error;
      });
  }

  private throwIfFailed(): void {
    if (this.failure) {
      throw new GuildStageError('STAGE', `cannot write run output: ${this.failure.message}`, { cause: this.failure });
    }
  }
}

/**
 * How many lines start in `chunk`: one at its first byte when the output so far ended a
 * line, and one after each line feed that is not its last byte.
 */
function countLineStarts(chunk: Buffer, atLineStart: boolean): number {
  let count = atLineStart && chunk.length > 0 ? 1 : 0;
  for (let i = chunk.indexOf(LF); i !== -1 && i < chunk.length - 1; i = chunk.indexOf(LF, i + 1)) count += 1;
  return count;
}

/** `count` identical index records. */
function encodeIndexRecords(count: number, timeMs: number, stream: 0 | 1): Buffer {
  const buffer = Buffer.alloc(count * RECORD_SIZE);
  for (let i = 0; i < count; i += 1) {
    buffer.writeBigUInt64BE(BigInt(timeMs), i * RECORD_SIZE);
    buffer.writeUInt8(stream, i * RECORD_SIZE + 8);
  }
  return buffer;
}
