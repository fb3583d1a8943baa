/**
 * `guild-stage restart <run>`: runs a finished run again in its own directory, as Guild's
 * `run --restart`; like `start`, it gets onRunBegin and onRunEnd from the plugins and hooks
 * it was staged with.
 */
import type { Command } from 'commander';
import { openRun, restartRun } from '../engine.js';
import { formatEnd, runJson } from './format.js';
import { passOn, println, type CliIO } from './io.js';
import { addHookOptions, engineOptions, type HookCliOptions, refuseAddedPlugins } from './options.js';
import { exitCodeForRun, failedByUs, warn } from './report.js';
import { terminalSafe } from './terminal-text.js';

export function registerRestart(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('restart')
    .description('run a finished run again in its own directory, with the same flags and staged source')
    .argument('<run>', 'run id, unique id prefix, [N] index or run directory');
  addHookOptions(command, { runsScript: true, plugins: false }).action(async (ref: string, options: HookCliOptions) => {
    refuseAddedPlugins('restart', options);
    // The run's recorded plugins and hooks, loaded by restartRun: none of this directory's config.
    const { engine } = await engineOptions(options, io, { plugins: false });
    const run = await openRun(ref, engine);
    const talk = !options.quiet && !options.json;
    const result = await restartRun(run, {
      ...engine,
      forwardSignals: true,
      guardProcess: true,
      onOutput: (stream, chunk) =>
        options.json || stream === 'stderr' ? passOn(io.stderr, 'stderr', chunk) : passOn(io.stdout, 'stdout', chunk),
      onWarning: (warning) => warn(io, warning, options.quiet),
      // Once the run is ours: a refused restart prints its error alone.
      onRestart: (previous) => {
        if (talk)
          println(
            io.stderr,
            terminalSafe(
              `Restarting run ${run.shortId} (${run.opspec}${run.label ? ` ${run.label}` : ''}; was ${previous})`,
            ),
          );
      },
    });
    if (talk || failedByUs(run, options)) println(io.stderr, formatEnd(run, result));
    if (options.json) println(io.stdout, JSON.stringify(runJson(run)));
    setExit(exitCodeForRun(run.status, run.exitStatus));
  });
}
