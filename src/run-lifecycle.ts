/**
 * The part of a run's life every run shares, batch runs included: onRunBegin, the body
 * (the script, or a batch's trials), the records of how it ended, onRunEnd. Whatever
 * happens in between (a failing hook, a signal, an error nothing else caught), the run
 * ends recorded with the reason, its end hooks run and its LOCK is removed.
 */
import { GuildStageError, toGuildStageError } from './errors.js';
import { execScript } from './exec.js';
import type { EngineOptions } from './options.js';
import { LineSplitter } from './output-lines.js';
import type { PluginDriver } from './plugins/driver.js';
import type { OutputLine, RunResult } from './plugins/types.js';
import { markStarted, markStopped, recordRunEnv } from './records/lifecycle.js';
import { OutputWriter } from './records/output.js';
import type { Run } from './run.js';
import { type RunStop, signalStatus } from './stop.js';

/** How a run's body ended. */
export interface Ending {
  status: RunResult['status'];
  exitStatus: number | null;
  signal: string | null;
  error: GuildStageError | null;
}

/** A hook or body that failed: the run ends in `error` with it. */
export function failed(error: unknown, code: 'PLUGIN' | 'EXEC' = 'PLUGIN'): Ending {
  return { status: 'error', exitStatus: null, signal: null, error: toGuildStageError(code, error) };
}

/**
 * How the run ended, given what stopped it. guild-stage's own failure (the last resort)
 * makes it `error` with that reason: the script was stopped for it, so its exit is not its
 * own. A signal that came before the script ran (during a hook) makes it `terminated`, with
 * minus the signal's number as its exit status, as Guild records a stopped run.
 */
export function truthfulEnding(ending: Ending, stop: RunStop): Ending {
  const request = stop.first;
  if (!request) return ending;
  if (request.error) {
    const error = ending.status === 'error' && ending.error ? ending.error : request.error;
    return { status: 'error', exitStatus: null, signal: null, error };
  }
  if (ending.exitStatus !== null) return ending;
  const reason = ending.error ?? new GuildStageError('EXEC', `stopped by ${request.signal} before the script started`);
  return { status: 'terminated', exitStatus: signalStatus(request.signal), signal: request.signal, error: reason };
}

/**
 * Records how the run ended, then calls onRunEnd: `run.status` is final by then. When the
 * records cannot be written (a full disk), the LOCK is still removed and the end hooks still
 * run; the failure is thrown after them.
 */
export async function endRun(run: Run, driver: PluginDriver, ending: Ending, began: number): Promise<RunResult> {
  run.status = ending.status;
  run.exitStatus = ending.exitStatus;
  run.error = ending.error?.message ?? null;
  run.stoppedAt = new Date();
  const recorded = await markStopped(run).then(
    () => null,
    (error: unknown) => error,
  );
  const result: RunResult = { ...ending, durationMs: run.stoppedAt.getTime() - began };
  await driver.run('onRunEnd', [run, result]);
  if (recorded) throw recorded;
  return result;
}

/** onRunBegin -> body -> onRunEnd. A failing onRunBegin ends the run in `error` without the body. */
export async function runLifecycle(
  run: Run,
  driver: PluginDriver,
  stop: RunStop,
  body: () => Promise<Ending>,
): Promise<RunResult> {
  const began = Date.now();
  run.status = 'running';
  run.startedAt = new Date();
  let ending: Ending;
  try {
    await markStarted(run);
    ending = await beginThenBody(run, driver, stop, body);
  } catch (error) {
    ending = failed(error, 'EXEC');
  }
  return endRun(run, driver, truthfulEnding(ending, stop), began);
}

/** What was not done because a stop came first: {@link truthfulEnding} gives it the stop's reason. */
export const NOT_DONE: Ending = { status: 'error', exitStatus: null, signal: null, error: null };

async function beginThenBody(run: Run, driver: PluginDriver, stop: RunStop, body: () => Promise<Ending>) {
  if (stop.first) return NOT_DONE;
  const envBefore = JSON.stringify(run.env);
  try {
    await driver.run('onRunBegin', [run]);
  } catch (error) {
    return failed(error);
  }
  if (stop.first) return NOT_DONE;
  // A plugin set variables for the script: the records say so before it runs.
  if (JSON.stringify(run.env) !== envBefore) await recordRunEnv(run);
  return body();
}

/** The script as a run's body: exec, output records, onRunOutput per line. */
export async function execBody(run: Run, driver: PluginDriver, opts: EngineOptions, stop: RunStop): Promise<Ending> {
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
  let ending: Ending;
  try {
    const exec = await execScript({
      cmd: run.cmd,
      cwd: run.dir,
      env: run.env,
      stop,
      killGraceMs: opts.killGraceMs,
      onChunk: (stream, chunk, time) => {
        try {
          writer.write(stream, chunk, time);
          opts.onOutput?.(stream, chunk);
          emit(splitters[stream].push(chunk, time));
        } catch (error) {
          // Output that cannot be recorded or passed on (a full disk, a closed stdout) stops the run.
          stop.request({ signal: 'SIGTERM', error: toGuildStageError('EXEC', error) });
        }
      },
    });
    const status = exec.terminated ? 'terminated' : exec.exitStatus === 0 ? 'completed' : 'error';
    ending = { status, exitStatus: exec.exitStatus, signal: exec.signal, error: null };
  } catch (error) {
    ending = failed(error, 'EXEC');
  }
  const end = new Date();
  emit(splitters.stdout.end(end));
  emit(splitters.stderr.end(end));
  await pending;
  try {
    await writer.close();
  } catch (error) {
    stop.request({ signal: 'SIGTERM', error: toGuildStageError('EXEC', error) });
  }
  return ending;
}
