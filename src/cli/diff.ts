/**
 * `guild-stage diff <run>`: the run's staged patch, as `git diff` would show it;
 * `diff <run> <other>`: the source difference between two runs.
 */
import type { Command } from 'commander';
import { diffRuns, patchStats, readRunPatch } from '../engine.js';
import { colorPatch, formatStat } from './format.js';
import { println, useColor, type CliIO } from './io.js';
import { addRunsDirOption, runsLocation } from './options.js';
import { warn } from './report.js';

interface DiffOptions {
  runsDir?: string;
  stat?: boolean;
  color?: boolean;
}

export function registerDiff(program: Command, io: CliIO): void {
  const command = program
    .command('diff')
    .description(
      "print a run's staged patch (every change plugins made to its copy of the source), or the source difference between two runs",
    )
    .argument('<run>', 'run index, id, unique id prefix, or run directory')
    .argument('[other]', "a second run: print the patch from <run>'s source to this run's")
    .option('--stat', 'a per-file summary instead of the patch')
    .option('--color', 'color the patch even when stdout is not a terminal')
    .option('--no-color', 'never color the patch');
  addRunsDirOption(command).action(async (ref: string, other: string | undefined, options: DiffOptions) => {
    const where = await runsLocation(options, io);
    const { patch, warnings } =
      other === undefined ? await readRunPatch(ref, where) : await diffRuns(ref, other, where);
    for (const warning of warnings) warn(io, warning);
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
