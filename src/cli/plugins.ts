/**
 * `guild-stage plugins`: the plugins a run would load and the order each hook runs in.
 */
import type { Command } from 'commander';
import { HOOK_NAMES, pluginOrder } from '../engine.js';
import { println, type CliIO } from './io.js';
import { addPluginOptions, engineOptions, type HookCliOptions } from './options.js';

export function registerPlugins(program: Command, io: CliIO): void {
  const command = program
    .command('plugins')
    .description('show the plugins from the config file and the command line, and the order of each hook');
  addPluginOptions(command)
    .option('--json', 'print the plugins and the order of each hook as one JSON object')
    .action(async (options: HookCliOptions) => {
      const { engine } = await engineOptions(options, io);
      const { plugins, order } = await pluginOrder(engine);
      if (options.json) {
        println(io.stdout, JSON.stringify({ plugins, order }));
        return;
      }
      for (const hook of HOOK_NAMES) {
        const entries = order[hook]!;
        println(io.stdout, `${hook}:${entries.length ? '' : ' (none)'}`);
        entries.forEach((entry, i) => {
          println(io.stdout, `  ${i + 1}. ${entry.plugin} (priority ${entry.priority})`);
        });
      }
    });
}
