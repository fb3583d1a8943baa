/**
 * The plain exec: the script runs as its user would run it, with nothing of ours in its
 * process or its stack traces. Output is handed over chunk by chunk as it arrives; a stop
 * request reaches the script and everything it started (see src/process-group.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { GuildStageError, messageOf } from './errors.js';
import { openOutputPipes } from './output-pipes.js';
import { ownGroupFor, ProcessTree } from './process-group.js';
import type { RunStop } from './stop.js';

export type Stream = 'stdout' | 'stderr';

export interface ExecOptions {
  cmd: readonly string[];
  cwd: string;
  /** Added to the inherited environment. */
  env: Record<string, string>;
  onChunk: (stream: Stream, chunk: Buffer, time: Date) => void;
  /** Each request stops the script's process tree: the first with its signal, a second with SIGKILL. */
  stop?: RunStop;
  /** After a stop request, SIGKILL follows when the script has not exited by then. Default 10 s. */
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

/**
 * Once a stopped script has exited, its output is read this much longer at most: a process
 * that escaped its group (setsid) may hold the pipes open forever, and must not keep the run
 * `running`.
 */
const DRAIN_AFTER_STOP_MS = 200;

export async function execScript(opts: ExecOptions): Promise<ExecResult> {
  const [file, ...args] = opts.cmd;
  if (!file) throw new GuildStageError('EXEC', 'nothing to run: the command is empty');
  const pipes = await openOutputPipes((stream, chunk) => opts.onChunk(stream, chunk, new Date()));
  const group = ownGroupFor(true);
  // node:child_process, not execa: the script's group is signalled, and its exit is told
  // apart from the end of its output, which a child it left behind may hold open.
  const child = spawn(file, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['inherit', pipes?.stdout.writeFd ?? 'pipe', pipes?.stderr.writeFd ?? 'pipe'],
    detached: group,
  });
  // The script holds its own copies of the write ends now: the readers see the end of
  // output when the script (and whatever it left running) closes them.
  if (pipes) for (const pipe of [pipes.stdout, pipes.stderr]) closeSync(pipe.writeFd);
  child.stdout?.on('data', (chunk: Buffer) => opts.onChunk('stdout', chunk, new Date()));
  child.stderr?.on('data', (chunk: Buffer) => opts.onChunk('stderr', chunk, new Date()));
  const readers: Readable[] = [pipes?.stdout.reader ?? child.stdout, pipes?.stderr.reader ?? child.stderr].filter(
    (reader): reader is Readable => reader !== null && reader !== undefined,
  );
  const stopReading = () => {
    for (const reader of readers) reader.destroy();
  };

  const started = await Promise.race([once(child, 'spawn').then(() => null), once(child, 'error')]);
  if (started) {
    stopReading();
    const [error] = started as [Error];
    throw new GuildStageError('EXEC', `cannot run ${file}: ${messageOf(error)}`, { cause: error });
  }
  const tree = new ProcessTree(child.pid!, group, opts.killGraceMs ?? 10_000);
  tree.watch();
  const closed = Promise.all(readers.map((reader) => once(reader, 'close')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  let exitedYet = false;
  let giveUp: () => void = () => {};
  const gaveUp = new Promise<void>((resolve) => (giveUp = resolve));
  const stopWaitingOnOutput = () => {
    if (exitedYet && tree.stopRequested) setTimeout(giveUp, DRAIN_AFTER_STOP_MS);
  };
  const unlisten = opts.stop?.on((request) => {
    tree.stop(request.signal);
    stopWaitingOnOutput();
  });
  if (opts.stop?.first) tree.stop(opts.stop.first.signal);
  try {
    const [code, signal] = await exited;
    exitedYet = true;
    stopWaitingOnOutput();
    await Promise.race([closed, gaveUp]);
    const exitStatus = signal ? -(constants.signals[signal] ?? 1) : (code ?? 1);
    return {
      exitStatus,
      signal,
      terminated: signal !== null || (tree.stopRequested && exitStatus !== 0),
      pid: child.pid,
    };
  } finally {
    unlisten?.();
    stopReading();
    tree.settled();
  }
}
