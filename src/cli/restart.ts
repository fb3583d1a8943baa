/**
 * `guild-stage restart <run>`: runs a finished run again in its own directory, as Guild's
 * `run --restart`; like `start`, it gets onRunBegin and onRunEnd from the plugins and hooks
 * it was staged with.
 */
import type { Command } from 'commander';
import { restartRun } from '../engine.js';
import type { CliIO } from './io.js';
import { addHookOptions, type HookCliOptions } from './options.js';
import { runAgain } from './run-again.js';

export function registerRestart(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('restart')
    .description('run a finished run again in its own directory, with the same flags and staged source')
    .argument('<run>', 'run id, unique id prefix, [N] index or run directory');
  addHookOptions(command, { runsScript: true, plugins: false }).action((ref: string, options: HookCliOptions) =>
    runAgain('restart', ref, options, io, setExit, (run, engine, announce) =>
      restartRun(run, { ...engine, onRestart: (previous) => announce('Restarting', `; was ${previous}`) }),
    ),
  );
}
