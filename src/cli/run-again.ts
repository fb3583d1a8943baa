/**
 * What `start` and `restart` share: a run that exists already executes again with the plugins
 * and hooks it was staged with (none added here, none of this directory's config), its output
 * passed on, its end reported and its exit code returned.
 */
import { type EngineOptions, openRun, type Run, type RunResult } from '../engine.js';
import { formatEnd, runJson } from './format.js';
import { passOn, println, type CliIO } from './io.js';
import { engineOptions, type HookCliOptions, refuseAddedPlugins } from './options.js';
import { exitCodeForRun, failedByUs, warn } from './report.js';
import { terminalSafe } from './terminal-text.js';

/**
 * Runs `ref` through `execute` (`startRun` or `restartRun` with the options given). `execute`
 * calls `announce` once the run is ours, so a refused run prints only its error:
 * `announce('Starting')` prints `Starting run ID (script label)` unless quiet, `more` goes
 * inside the parentheses.
 */
export async function runAgain(
  command: 'start' | 'restart',
  ref: string,
  options: HookCliOptions,
  io: CliIO,
  setExit: (code: number) => void,
  execute: (run: Run, engine: EngineOptions, announce: (verb: string, more?: string) => void) => Promise<RunResult>,
): Promise<void> {
  refuseAddedPlugins(command, options);
  const { engine } = await engineOptions(options, io, { plugins: false });
  const run = await openRun(ref, engine);
  const talk = !options.quiet && !options.json;
  const announce = (verb: string, more = '') => {
    if (talk)
      println(
        io.stderr,
        terminalSafe(`${verb} run ${run.shortId} (${run.opspec}${run.label ? ` ${run.label}` : ''}${more})`),
      );
  };
  const result = await execute(
    run,
    {
      ...engine,
      forwardSignals: true,
      guardProcess: true,
      onOutput: (stream, chunk) =>
        options.json || stream === 'stderr' ? passOn(io.stderr, 'stderr', chunk) : passOn(io.stdout, 'stdout', chunk),
      onWarning: (warning) => warn(io, warning, options.quiet),
    },
    announce,
  );
  if (talk || failedByUs(run, options)) println(io.stderr, formatEnd(run, result));
  if (options.json) println(io.stdout, JSON.stringify(runJson(run)));
  setExit(exitCodeForRun(run.status, run.exitStatus));
}
