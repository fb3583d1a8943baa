/**
 * Where the CLI writes. Commands get it instead of touching `process` directly, so every
 * print goes through the CLI layer and tests can run commands in process.
 */
import type { Readable, Writable } from 'node:stream';
import { GuildStageError, messageOf } from '../errors.js';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  cwd: string;
  /** The directory `-C` named: the project, whatever the script's own directory is. */
  projectDir?: string;
  env: NodeJS.ProcessEnv;
  /** Where questions are answered (`runs purge`); none means nobody can answer. */
  stdin?: Readable & { isTTY?: boolean };
}

export function processIO(): CliIO {
  // `guild-stage runs | head`: once the reader has gone, what is left to print is not wanted.
  // Without a listener the closed pipe would end the process with a stack trace.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', ignoreClosedPipe);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    // Made on first use: opening stdin costs a stream (~1 ms) that most commands never read.
    get stdin() {
      return process.stdin;
    },
  };
}

/** Streams whose reader has gone: the process's stdout and stderr do not say so themselves. */
const closedPipes = new WeakSet<Writable>();

function ignoreClosedPipe(this: Writable, error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  closedPipes.add(this);
}

/**
 * Passes a chunk of the script's output on to `stream`. Once the reader has gone
 * (`guild-stage run ... | head`) it throws instead: the run then stops and records why,
 * rather than run on with nobody reading.
 */
export function passOn(stream: Writable, name: 'stdout' | 'stderr', chunk: Buffer): void {
  if (closedPipes.has(stream) || stream.errored || stream.destroyed) {
    throw new GuildStageError(
      'EXEC',
      `${name} was closed: ${messageOf(stream.errored ?? 'the reader has gone (EPIPE)')}`,
    );
  }
  stream.write(chunk);
}

/** Writes one line (a newline is added). */
export function println(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}

/** Color when asked (`--color`/`--no-color`), else on a terminal unless NO_COLOR is set. */
export function useColor(io: CliIO, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  return Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
}
