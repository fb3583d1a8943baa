/**
 * `guild-stage start <run>`: runs a staged run. Unlike Guild's `--start`, it gets
 * onRunBegin and onRunEnd like any run, from the plugins and hooks it was staged with.
 */
import type { Command } from 'commander';
import { openRun, startRun } from '../engine.js';

import { formatEnd, runJson } from './format.js';
import { passOn, println, type CliIO } from './io.js';
import { addHookOptions, engineOptions, type HookCliOptions, refuseAddedPlugins } from './options.js';
import { exitCodeForRun, failedByUs, warn } from './report.js';
import { terminalSafe } from './terminal-text.js';

export function registerStart(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('start')
    .description('run a staged run')
    .argument('<run>', 'run id, unique id prefix, or run directory');
  addHookOptions(command, { runsScript: true, plugins: false }).action(async (ref: string, options: HookCliOptions) => {
    refuseAddedPlugins('start', options);
    // The run's recorded plugins and hooks, loaded by startRun: none of this directory's config.
    const { engine } = await engineOptions(options, io, { plugins: false });
    const run = await openRun(ref, engine);
    const talk = !options.quiet && !options.json;
    const result = await startRun(run, {
      ...engine,
      // Once it is ours to run: a start refused (not staged, a plugin gone) prints only its error.
      onStart: () => {
        if (talk)
          println(
            io.stderr,
            terminalSafe(`Starting run ${run.shortId} (${run.opspec}${run.label ? ` ${run.label}` : ''})`),
          );
      },
      forwardSignals: true,
      guardProcess: true,
      onOutput: (stream, chunk) =>
        options.json || stream === 'stderr' ? passOn(io.stderr, 'stderr', chunk) : passOn(io.stdout, 'stdout', chunk),
      onWarning: (warning) => warn(io, warning, options.quiet),
    });
    if (talk || failedByUs(run, options)) println(io.stderr, formatEnd(run, result));
    if (options.json) println(io.stdout, JSON.stringify(runJson(run)));
    setExit(exitCodeForRun(run.status, run.exitStatus));
  });
}
