/**
 * `guild-stage cat <run>`: what the run printed (`.guild/output`), or one of its files, as
 * `guild cat` shows them: the bytes as they are.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { followRunOutput, runFileOf } from '../engine.js';
import type { CliIO } from './io.js';
import { addRunsDirOption, runsLocation } from './options.js';

export function registerCat(program: Command, io: CliIO): void {
  const command = program
    .command('cat')
    .description("print a run's output (stdout and stderr as they came), or one of its files")
    .argument('<run>', 'run index, id, unique id prefix or run directory')
    .option('-p, --path <file>', 'print this file of the run instead (relative to the run directory)')
    .option('-f, --follow', 'keep printing the output as the run writes it, until the run ends (also on Slurm)');
  addRunsDirOption(command).action(
    async (ref: string, options: { runsDir?: string; path?: string; follow?: boolean }) => {
      const where = await runsLocation(options, io);
      if (options.follow && options.path === undefined) {
        await followRunOutput(ref, (chunk) => io.stdout.write(chunk), where);
        return;
      }
      const { path } = await runFileOf(ref, options.path, where);
      await pipeline(createReadStream(path), io.stdout, { end: false });
    },
  );
}
