/**
 * `guild-stage diff <run>`: the run's staged patch, as `git diff` would show it.
 */
import type { Command } from 'commander';
import { patchStats, readRunPatch } from '../engine.js';
import { colorPatch, formatStat } from './format.js';
import { println, useColor, type CliIO } from './io.js';
import { addRunsDirOption, runsLocation } from './options.js';

interface DiffOptions {
  runsDir?: string;
  stat?: boolean;
  color?: boolean;
}

export function registerDiff(program: Command, io: CliIO): void {
  const command = program
    .command('diff')
    .description("print a run's staged patch: every change plugins made to its copy of the source")
    .argument('<run>', 'run id, unique id prefix, or run directory')
    .option('--stat', 'a per-file summary instead of the patch')
    .option('--color', 'color the patch even when stdout is not a terminal')
    .option('--no-color', 'never color the patch');
  addRunsDirOption(command).action(async (ref: string, options: DiffOptions) => {
    const { patch } = await readRunPatch(ref, await runsLocation(options, io));
    if (options.stat) {
      io.stdout.write(
        formatStat(patchStats(patch))
          .map((line) => `${line}\n`)
          .join(''),
      );
      return;
    }
    if (patch === '') println(io.stderr, '(no changes)');
    io.stdout.write(useColor(io, options.color) ? colorPatch(patch) : patch);
  });
}
