/**
 * `guild-stage flags <script>`: the flags a script declares, as a table or `--json`.
 */
import type { Command } from 'commander';
import path from 'node:path';
import { discoverFlags, loadConfig, supportedExtensions } from '../engine.js';
import { GuildStageError } from '../errors.js';
import { formatFlagsTable } from './format.js';
import { println, type CliIO } from './io.js';

export function registerFlags(program: Command, io: CliIO): void {
  program
    .command('flags')
    .description(
      'list the flags a script declares, or the config file its flags-dest names holds: name, type, default, description, where',
    )
    .argument('[script]', 'the script (default: "script" in the config file)')
    .option(
      '--json',
      'print a JSON array of {name, type, default, defaultText?, file, line, kind?, option?, description?, choices?, min?, max?}',
    )
    .action(async (script: string | undefined, options: { json?: boolean }) => {
      const config = await loadConfig(io.cwd);
      const chosen = script ?? config.script;
      if (!chosen)
        throw new GuildStageError('USAGE', 'no script given', { suggestion: 'name one: guild-stage flags train.py' });
      const { sites } = await discoverFlags(chosen, {
        cwd: io.cwd,
        flagsDest: config.flagsDest,
        projectDir: io.projectDir,
        configDir: config.file ? path.dirname(config.file) : undefined,
      });
      if (sites === null) {
        throw new GuildStageError('USAGE', `no flag transformer handles ${chosen}`, {
          suggestion: `flags are found in ${supportedExtensions().join(' ')} files, or in a config file flagsDest names`,
        });
      }
      if (options.json) println(io.stdout, JSON.stringify(sites));
      else for (const line of formatFlagsTable(sites)) println(io.stdout, line);
    });
}
