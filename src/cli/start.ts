/**
 * `guild-stage start <run>`: runs a staged run. Unlike Guild's `--start`, it gets
 * onRunBegin and onRunEnd like any run, from the plugins and hooks it was staged with.
 */
import type { Command } from 'commander';
import { startRun } from '../engine.js';
import type { CliIO } from './io.js';
import { addHookOptions, type HookCliOptions } from './options.js';
import { runAgain } from './run-again.js';

export function registerStart(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('start')
    .description('run a staged run')
    .argument('<run>', 'run id, unique id prefix, or run directory');
  addHookOptions(command, { runsScript: true, plugins: false }).action((ref: string, options: HookCliOptions) =>
    runAgain('start', ref, options, io, setExit, (run, engine, announce) =>
      startRun(run, { ...engine, onStart: () => announce('Starting') }),
    ),
  );
}
