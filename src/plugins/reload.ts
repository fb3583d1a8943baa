/**
 * The plugins of a staged run, recorded when it is staged and loaded again when it starts
 * (`guild-stage start`, from any directory): a run runs with exactly the plugins it was
 * staged with, or not at all.
 */
import { GuildStageError, messageOf } from '../errors.js';
import type { EngineOptions } from '../options.js';
import { GUILD_STAGE_ATTR, type GuildStageAttr, type RecordedPlugin, readAttr } from '../records/attrs.js';
import type { Run } from '../run.js';
import { checkedHook, checkHookCommand, type CommandHook } from './command-hooks.js';
import { FLAGS_PLUGIN } from './flags-plugin.js';
import { loadPlugins, pluginOrigin } from './load.js';
import { SCALARS_PLUGIN } from './scalars-plugin.js';
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

/**
 * The plugins and command hooks a staged run was staged with, for `start`, wherever it runs:
 * loaded again from their modules (or the caller's `plugins`, by name), the hooks as recorded.
 * Fails before the run is claimed when one cannot be had, or when the options would add any.
 */
export async function stagedPlugins(
  run: Run,
  opts: EngineOptions,
): Promise<{ plugins: Plugin[]; hooks: CommandHook[] }> {
  const own = (await readAttr<GuildStageAttr>(run.dir, GUILD_STAGE_ATTR)) ?? { version: '' };
  const recorded = own.plugins ?? (await unrecordedPlugins(run, opts));
  const hooks = (own.hooks ?? []).map(({ event, command }) => checkedHook(event, command, `run ${run.shortId}`));
  const given = opts.hooks ?? [];
  if (given.length > 0 && JSON.stringify(given) !== JSON.stringify(hooks)) {
    throw new GuildStageError(
      'USAGE',
      `run ${run.shortId} runs the hooks it was staged with: start cannot add or change hooks`,
      {
        suggestion: 'stage a new run with those hooks',
      },
    );
  }
  const plugins = await reloadPlugins(recorded, opts.plugins ?? [], run.shortId);
  // on_run_staged ran at staging; the commands still to run must exist now, from the run directory.
  await Promise.all(
    hooks.filter((hook) => hook.event !== 'on_run_staged').map((hook) => checkHookCommand(hook, run.dir)),
  );
  return { plugins, hooks };
}

/**
 * A run staged before plugins were recorded knows only their names: it starts when it had
 * none but the built-ins, or when the caller gives every one of them again.
 */
async function unrecordedPlugins(run: Run, opts: EngineOptions): Promise<Array<{ name: string }>> {
  const names = ((await readAttr<string[]>(run.dir, 'plugins')) ?? []).filter(
    (name) => name !== FLAGS_PLUGIN && name !== SCALARS_PLUGIN,
  );
  const given = new Set((opts.plugins ?? []).map((plugin) => plugin.name));
  const missing = names.filter((name) => !given.has(name));
  if (missing.length > 0) {
    throw new GuildStageError(
      'PLUGIN_LOAD',
      `run ${run.shortId} was staged by a guild-stage that did not record how to load its plugins and hooks again (${missing.join(', ')})`,
      { plugin: missing[0], suggestion: 'stage a new run' },
    );
  }
  return names.map((name) => ({ name }));
}
