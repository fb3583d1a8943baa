/**
 * The plugins of a staged run, recorded when it is staged and loaded again when it starts
 * (`guild-stage start`, from any directory): a run runs with exactly the plugins it was
 * staged with, or not at all.
 */
import { GuildStageError, messageOf } from '../errors.js';
import type { RecordedPlugin } from '../records/attrs.js';
import { loadPlugins, pluginOrigin } from './load.js';
import type { Plugin } from './types.js';

/** The caller's plugins as a run records them: a loaded one with its module, an object by name. */
export function recordPlugins(plugins: readonly Plugin[]): RecordedPlugin[] {
  return plugins.map((plugin) => {
    const origin = pluginOrigin(plugin);
    return origin ? { name: plugin.name, spec: origin.spec, module: origin.module } : { name: plugin.name };
  });
}

/**
 * The recorded plugins again, in their order: each one `given` (a library caller's objects,
 * matched by name) or else loaded from its module. A plugin that cannot be had fails with
 * PLUGIN_LOAD naming it; a given plugin the run was not staged with fails with USAGE.
 */
export async function reloadPlugins(
  recorded: readonly RecordedPlugin[],
  given: readonly Plugin[],
  run: string,
): Promise<Plugin[]> {
  const unused = [...given];
  const modules = new Map<string, Promise<Plugin[]>>();
  const plugins: Plugin[] = [];
  for (const entry of recorded) {
    const index = unused.findIndex((plugin) => plugin.name === entry.name);
    if (index >= 0) {
      plugins.push(...unused.splice(index, 1));
      continue;
    }
    if (entry.module === undefined) {
      throw new GuildStageError(
        'PLUGIN_LOAD',
        `run ${run} was staged with plugin ${entry.name}, an object given by a library caller, which start cannot load`,
        { plugin: entry.name, suggestion: `start it with startRun(run, { plugins: [${entry.name}, ...] })` },
      );
    }
    const module = entry.module;
    if (!modules.has(module)) modules.set(module, loadPlugins([module], '/'));
    const exported = await modules.get(module)!.catch((error: unknown) => {
      const gone = error instanceof GuildStageError && error.code === 'NOT_FOUND';
      throw cannotLoad(run, entry, gone ? `no file ${module}` : messageOf(error), error);
    });
    const plugin = exported.find((candidate) => candidate.name === entry.name && !plugins.includes(candidate));
    if (!plugin) {
      const names = exported.map((candidate) => candidate.name).join(', ');
      throw cannotLoad(run, entry, `the module now exports ${names}`);
    }
    plugins.push(plugin);
  }
  if (unused.length > 0) {
    const names = recorded.map((entry) => entry.name).join(', ') || 'none';
    throw new GuildStageError(
      'USAGE',
      `run ${run} was not staged with plugin ${unused[0]!.name}: start runs the plugins a run was staged with (${names})`,
      { plugin: unused[0]!.name, suggestion: 'stage a new run with that plugin' },
    );
  }
  return plugins;
}

function cannotLoad(run: string, entry: RecordedPlugin, why: string, cause?: unknown): GuildStageError {
  return new GuildStageError(
    'PLUGIN_LOAD',
    `run ${run} was staged with plugin ${entry.name} (${entry.spec ?? entry.module}), which cannot be loaded now: ${why}`,
    { plugin: entry.name, cause, suggestion: 'put the plugin back where it was, or stage a new run' },
  );
}
