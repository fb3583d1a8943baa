/**
 * `guild-stage ls <run>`: a run's files, one relative path a line, directories ending in `/`,
 * as `guild ls -n` lists them.
 */
import type { Command } from 'commander';
import { listRunFiles } from '../engine.js';
import { println, type CliIO } from './io.js';
import { addRunsDirOption, runsLocation } from './options.js';
import { terminalSafe } from './terminal-text.js';

export function registerLs(program: Command, io: CliIO): void {
  const command = program
    .command('ls')
    .description("list a run's files: its source and what it wrote (hidden files and .guild only with --all)")
    .argument('<run>', 'run index, id, unique id prefix or run directory')
    .option('-a, --all', 'list hidden files and the run records in .guild too');
  addRunsDirOption(command).action(async (ref: string, options: { runsDir?: string; all?: boolean }) => {
    const { files } = await listRunFiles(ref, { ...(await runsLocation(options, io)), all: options.all });
    for (const file of files) println(io.stdout, terminalSafe(file));
  });
}
