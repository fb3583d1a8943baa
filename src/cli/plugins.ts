/**
 * `guild-stage plugins`: the plugins a run would load and the order each hook runs in.
 */
import type { Command } from 'commander';
import { PluginDriver } from '../plugins/driver.js';
import { HOOK_NAMES } from '../plugins/types.js';
import { commandHookPlugin } from '../plugins/command-hooks.js';
import { FLAGS_PLUGIN } from '../plugins/flags-plugin.js';
import { println, type CliIO } from './io.js';
import { addHookOptions, engineOptions, type HookCliOptions } from './options.js';

export function registerPlugins(program: Command, io: CliIO): void {
  const command = program
    .command('plugins')
    .description('show the plugins from the config file and the command line, and the order of each hook');
  addHookOptions(command).action(async (options: HookCliOptions) => {
    const { engine } = await engineOptions(options, io);
    // The built-in flags plugin is registered first whenever a script has flags to apply.
    const plugins = [
      { name: FLAGS_PLUGIN, onRunStaged: () => {} },
      ...(engine.plugins ?? []),
      ...(engine.hooks ?? []).map((hook) => commandHookPlugin(hook)),
    ];
    const driver = new PluginDriver(plugins);
    const order = Object.fromEntries(
      HOOK_NAMES.map((hook) => [
        hook,
        driver.order(hook).map(({ plugin, priority }) => ({ plugin: plugin.name, priority })),
      ]),
    );
    if (options.json) {
      println(io.stdout, JSON.stringify({ plugins: plugins.map((plugin) => plugin.name), order }));
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
