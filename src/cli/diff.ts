/**
 * `guild-stage diff <run>`: the run's staged patch, as `git diff` would show it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { patchStats } from '../diff.js';
import { GuildStageError, messageOf } from '../errors.js';
import { resolveRun } from '../records/read-run.js';
import { resolveRunsDir } from '../records/runs-home.js';
import { colorPatch, formatStat } from './format.js';
import { useColor, type CliIO } from './io.js';
import { addRunsDirOption } from './options.js';

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
    const record = await resolveRun(
      ref,
      resolveRunsDir({ runsDir: options.runsDir, cwd: io.cwd, env: io.env }),
      io.cwd,
    );
    const file = path.join(record.dir, '.guild', 'staged.patch');
    const patch = await readFile(file, 'utf8').catch((error: unknown) => {
      throw new GuildStageError('NOT_FOUND', `run ${record.id.slice(0, 8)} has no staged patch (${messageOf(error)})`);
    });
    if (options.stat) {
      io.stdout.write(
        formatStat(patchStats(patch))
          .map((line) => `${line}\n`)
          .join(''),
      );
      return;
    }
    io.stdout.write(useColor(io, options.color) ? colorPatch(patch) : patch);
  });
}
