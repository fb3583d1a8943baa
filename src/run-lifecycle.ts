/**
 * The part of a run's life every run shares, batch runs included: onRunBegin, the body
 * (the script, or a batch's trials), the records of how it ended, onRunEnd.
 */
import { type GuildStageError, toGuildStageError } from './errors.js';
import { execScript } from './exec.js';
import type { EngineOptions } from './options.js';
import { LineSplitter } from './output-lines.js';
import type { PluginDriver } from './plugins/driver.js';
import type { OutputLine, RunResult } from './plugins/types.js';
import { markStarted, markStopped } from './records/lifecycle.js';
import { OutputWriter } from './records/output.js';
import type { Run } from './run.js';

/** How a run's body ended. */
export interface Ending {
  status: RunResult['status'];
  exitStatus: number | null;
  signal: string | null;
  error: GuildStageError | null;
}

/** Records how the run ended, then calls onRunEnd: `run.status` is final by then. */
export async function endRun(run: Run, driver: PluginDriver, ending: Ending, began: number): Promise<RunResult> {
  run.status = ending.status;
  run.exitStatus = ending.exitStatus;
  run.error = ending.error?.message ?? null;
  run.stoppedAt = new Date();
  await markStopped(run);
  const result: RunResult = { ...ending, durationMs: run.stoppedAt.getTime() - began };
  await driver.run('onRunEnd', [run, result]);
  return result;
}

/** onRunBegin -> body -> onRunEnd. A failing onRunBegin ends the run in `error` without the body. */
export async function runLifecycle(run: Run, driver: PluginDriver, body: () => Promise<Ending>): Promise<RunResult> {
  const began = Date.now();
  run.status = 'running';
  run.startedAt = new Date();
  await markStarted(run);
  try {
    await driver.run('onRunBegin', [run]);
  } catch (error) {
    return endRun(
      run,
      driver,
      { status: 'error', exitStatus: null, signal: null, error: toGuildStageError('PLUGIN', error) },
      began,
    );
  }
  return endRun(run, driver, await body(), began);
}

/** The script as a run's body: exec, output records, onRunOutput per line. */
export async function execBody(run: Run, driver: PluginDriver, opts: EngineOptions): Promise<Ending> {
  const writer = await OutputWriter.open(run.dir);
  const splitters = { stdout: new LineSplitter('stdout'), stderr: new LineSplitter('stderr') };
  // Lines reach the output hook in order: while a handler's promise for one line is pending,
  // later lines wait behind it; when handlers finish in the call, no promise is made at all.
  let pending: Promise<void> | undefined;
  const deliver = (line: OutputLine) => {
    const next = pending
      ? pending.then(() => driver.emit('onRunOutput', [run, line]))
      : driver.emit('onRunOutput', [run, line]);
    if (!next) return;
    const settled: Promise<void> = next.then(() => {
      if (pending === settled) pending = undefined;
    });
    pending = settled;
  };
  const emit = (lines: ReturnType<LineSplitter['push']>) => {
    for (const line of lines) deliver(line);
  };
  try {
    const exec = await execScript({
      cmd: run.cmd,
      cwd: run.dir,
      env: run.env,
      forwardSignals: opts.forwardSignals,
      signal: opts.signal,
      killGraceMs: opts.killGraceMs,
      onChunk: (stream, chunk, time) => {
        writer.write(stream, chunk, time);
        opts.onOutput?.(stream, chunk);
        emit(splitters[stream].push(chunk, time));
      },
    });
    const status = exec.terminated ? 'terminated' : exec.exitStatus === 0 ? 'completed' : 'error';
    return { status, exitStatus: exec.exitStatus, signal: exec.signal, error: null };
  } catch (error) {
    return { status: 'error', exitStatus: null, signal: null, error: toGuildStageError('EXEC', error) };
  } finally {
    const end = new Date();
    emit(splitters.stdout.end(end));
    emit(splitters.stderr.end(end));
    await pending;
    await writer.close();
  }
}
