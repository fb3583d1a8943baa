/**
 * `guild-stage cat <run>`: what the run printed (`.guild/output`), or one of its files, as
 * `guild cat` shows them: the bytes as they are.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { runFileOf } from '../engine.js';
import type { CliIO } from './io.js';
import { addRunsDirOption, runsLocation } from './options.js';

export function registerCat(program: Command, io: CliIO): void {
  const command = program
    .command('cat')
    .description("print a run's output (stdout and stderr as they came), or one of its files")
    .argument('<run>', 'run index, id, unique id prefix or run directory')
    .option('-p, --path <file>', 'print this file of the run instead (relative to the run directory)');
  addRunsDirOption(command).action(async (ref: string, options: { runsDir?: string; path?: string }) => {
    const { path } = await runFileOf(ref, options.path, await runsLocation(options, io));
    await pipeline(createReadStream(path), io.stdout, { end: false });
  });
}
