/**
 * `guild-stage start <run>`: runs a staged run. Unlike Guild's `--start`, it gets
 * onRunBegin and onRunEnd like any run.
 */
import type { Command } from 'commander';
import { openRun, startRun } from '../engine.js';
import { formatEnd, runJson } from './format.js';
import { println, type CliIO } from './io.js';
import { addHookOptions, engineOptions, type HookCliOptions } from './options.js';
import { exitCodeForRun, failedByUs, warn } from './report.js';

export function registerStart(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('start')
    .description('run a staged run')
    .argument('<run>', 'run id, unique id prefix, or run directory');
  addHookOptions(command, { runsScript: true }).action(async (ref: string, options: HookCliOptions) => {
    const { engine } = await engineOptions(options, io);
    const run = await openRun(ref, engine);
    const talk = !options.quiet && !options.json;
    // startRun refuses a run that is not staged: its error is then the only line printed.
    if (talk && run.status === 'staged')
      println(io.stderr, `Starting run ${run.shortId} (${run.opspec}${run.label ? ` ${run.label}` : ''})`);
    const result = await startRun(run, {
      ...engine,
      forwardSignals: true,
      onOutput: (stream, chunk) => (options.json || stream === 'stderr' ? io.stderr : io.stdout).write(chunk),
      onWarning: (warning) => warn(io, warning, options.quiet),
    });
    if (talk || failedByUs(run, options)) println(io.stderr, formatEnd(run, result));
    if (options.json) println(io.stdout, JSON.stringify(runJson(run)));
    setExit(exitCodeForRun(run.status, run.exitStatus));
  });
}
