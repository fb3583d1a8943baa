/**
 * The plain exec: the script runs as its user would run it, with nothing of ours in its
 * process or its stack traces. Output is handed over chunk by chunk as it arrives;
 * termination signals sent to guild-stage reach the script.
 */
import { once } from 'node:events';
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import type { Options } from 'execa';
import { GuildStageError } from './errors.js';
import { openOutputPipe } from './output-pipes.js';

export type Stream = 'stdout' | 'stderr';

export interface ExecOptions {
  cmd: readonly string[];
  cwd: string;
  /** Added to the inherited environment. */
  env: Record<string, string>;
  onChunk: (stream: Stream, chunk: Buffer, time: Date) => void;
  /** Forward SIGINT and SIGTERM received by this process to the script (the CLI sets it). */
  forwardSignals?: boolean;
  /** Aborting it terminates the script (SIGTERM), for library callers. */
  signal?: AbortSignal;
  /** After a termination request, SIGKILL follows when the script has not exited by then. Default 10 s. */
  killGraceMs?: number;
}

export interface ExecResult {
  /** The exit code, or a negative signal number when a signal ended the script. */
  exitStatus: number;
  signal: NodeJS.Signals | null;
  /** True when a signal ended it, or it failed after being asked to stop: the run is `terminated`. */
  terminated: boolean;
  pid: number | undefined;
}

/** The signals a CLI passes on to what it runs: Ctrl-C, a kill, a closed terminal. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function execScript(opts: ExecOptions): Promise<ExecResult> {
  const [file, ...args] = opts.cmd;
  if (!file) throw new GuildStageError('EXEC', 'nothing to run: the command is empty');
  // execa loads on first use: commands that never spawn (stage, runs, diff) start faster without it.
  const { execa } = await import('execa');
  const pipes = {
    stdout: await openOutputPipe((chunk) => opts.onChunk('stdout', chunk, new Date())),
    stderr: await openOutputPipe((chunk) => opts.onChunk('stderr', chunk, new Date())),
  };
  const options: Options = {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    stdin: 'inherit',
    // execa hands any descriptor number to spawn(); its types list only 1 to 9.
    stdout: (pipes.stdout?.writeFd ?? 'pipe') as Options['stdout'],
    stderr: (pipes.stderr?.writeFd ?? 'pipe') as Options['stderr'],
    buffer: false,
    reject: false,
    encoding: 'buffer',
    forceKillAfterDelay: false,
  };
  const child = execa(file, args, options);
  // The script holds its own copies of the write ends now: the readers see the end of
  // output when the script (and whatever it left running) closes them.
  for (const pipe of [pipes.stdout, pipes.stderr]) if (pipe) closeSync(pipe.writeFd);
  const drained = [pipes.stdout?.reader, pipes.stderr?.reader].map((reader) => reader && once(reader, 'close'));
  child.stdout?.on('data', (chunk: Buffer) => opts.onChunk('stdout', chunk, new Date()));
  child.stderr?.on('data', (chunk: Buffer) => opts.onChunk('stderr', chunk, new Date()));

  let stopRequested = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stopRequested && signal !== 'SIGKILL') signal = 'SIGKILL';
    stopRequested = true;
    child.kill(signal);
    if (signal !== 'SIGKILL' && !killTimer) {
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 10_000);
      killTimer.unref();
    }
  };
  const onAbort = () => stop('SIGTERM');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  const handlers = opts.forwardSignals ? FORWARDED_SIGNALS.map((sig) => [sig, () => stop(sig)] as const) : [];
  for (const [sig, handler] of handlers) process.on(sig, handler);

  try {
    const result = await child;
    await Promise.all(drained);
    if (result.exitCode === undefined && !result.signal) {
      throw new GuildStageError('EXEC', `cannot run ${file}: ${result.originalMessage ?? result.shortMessage}`, {
        cause: result.cause,
      });
    }
    const signal = (result.signal ?? null) as NodeJS.Signals | null;
    const exitStatus = signal ? -(constants.signals[signal] ?? 1) : (result.exitCode ?? 1);
    return { exitStatus, signal, terminated: signal !== null || (stopRequested && exitStatus !== 0), pid: child.pid };
  } finally {
    clearTimeout(killTimer);
    opts.signal?.removeEventListener('abort', onAbort);
    for (const [sig, handler] of handlers) process.off(sig, handler);
  }
}
