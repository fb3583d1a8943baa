/**
 * Loading `--plugin PATH|PACKAGE` modules and checking that what they export is a plugin.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GuildStageError, messageOf } from '../errors.js';
import { nearestName } from '../flags/resolve.js';
import { importModule } from './import-module.js';
import { HOOK_NAMES, HOOK_SYNONYMS, type Plugin } from './types.js';

const PLUGIN_KEYS = new Set<string>(['name', 'priority', ...HOOK_NAMES]);

/** Checks one exported value; `source` names where it came from in every message. */
function validatePlugin(value: unknown, source: string): Plugin {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GuildStageError('PLUGIN_LOAD', `${source} exports no plugin: expected an object with a name and hooks`);
  }
  const record = value as Record<string, unknown>;
  if (typeof record.name !== 'string' || record.name === '') {
    throw new GuildStageError('PLUGIN_LOAD', `${source}: a plugin needs a non-empty string 'name'`);
  }
  const where = `plugin ${record.name} (${source})`;
  if (record.priority !== undefined && !Number.isFinite(record.priority)) {
    throw new GuildStageError('PLUGIN_LOAD', `${where}: priority must be a number`, { plugin: record.name });
  }
  for (const key of Object.keys(record)) {
    if (PLUGIN_KEYS.has(key)) continue;
    const near = nearestName(key, HOOK_NAMES, HOOK_SYNONYMS);
    throw new GuildStageError('PLUGIN_LOAD', `${where}: unknown hook name '${key}' (hooks: ${HOOK_NAMES.join(', ')})`, {
      plugin: record.name,
      suggestion: near ? `did you mean ${near}?` : undefined,
    });
  }
  for (const hook of HOOK_NAMES) {
    const hookValue = record[hook];
    if (hookValue === undefined || typeof hookValue === 'function') continue;
    const handlerObject = hookValue as { handler?: unknown; priority?: unknown } | null;
    const valid =
      typeof handlerObject === 'object' &&
      handlerObject !== null &&
      typeof handlerObject.handler === 'function' &&
      (handlerObject.priority === undefined || Number.isFinite(handlerObject.priority));
    if (!valid) {
      throw new GuildStageError('PLUGIN_LOAD', `${where}: ${hook} must be a function or { handler, priority? }`, {
        plugin: record.name,
        hook,
      });
    }
  }
  return value as Plugin;
}

/** A module's default export: one plugin or an array of plugins. */
function pluginsFromModule(exported: unknown, source: string): Plugin[] {
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0) throw new GuildStageError('PLUGIN_LOAD', `${source} exports an empty list of plugins`);
  return list.map((value) => validatePlugin(value, source));
}

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || path.isAbsolute(spec) || /\.(m?[jt]s|c[jt]s)$/.test(spec);
}

/** Where `spec` loads from: a file relative to `baseDir`, or a package resolved from there. */
function resolvePluginSpec(spec: string, baseDir: string): string {
  if (looksLikePath(spec)) {
    const file = path.resolve(baseDir, spec);
    if (!existsSync(file)) throw new GuildStageError('NOT_FOUND', `plugin not found: ${spec} (no file ${file})`);
    return file;
  }
  try {
    return createRequire(path.join(baseDir, 'package.json')).resolve(spec);
  } catch {
    throw new GuildStageError(
      'NOT_FOUND',
      `plugin not found: ${spec} (not a file, and no package of that name is installed)`,
    );
  }
}

async function importPlugin(file: string): Promise<Record<string, unknown>> {
  if (/\.[cm]?ts$/.test(file)) {
    // TypeScript plugins load through tsx, which the package depends on anyway for .ts scripts.
    const { tsImport } = await importModule<typeof import('tsx/esm/api')>('tsx/esm/api');
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  }
  return importModule(pathToFileURL(file).href);
}

/** Where a loaded plugin came from: what was asked for, and the module file that was imported. */
export interface PluginOrigin {
  /** The `--plugin` path or package name as given. */
  spec: string;
  /** The absolute path of the module file, which loads again from anywhere. */
  module: string;
}

/** Kept beside the plugin objects rather than on them: a plugin's own keys are only its name and hooks. */
const origins = new WeakMap<Plugin, PluginOrigin>();

/** Where `plugin` was loaded from by {@link loadPlugins}; undefined for an object a caller made. */
export function pluginOrigin(plugin: Plugin): PluginOrigin | undefined {
  return origins.get(plugin);
}

/** Loads each spec in order; a spec's plugins keep their order in its export. */
export async function loadPlugins(specs: readonly string[], baseDir: string): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const spec of specs) {
    const file = resolvePluginSpec(spec, baseDir);
    let module: Record<string, unknown>;
    try {
      module = await importPlugin(file);
    } catch (error) {
      throw new GuildStageError('PLUGIN_LOAD', `plugin ${spec} failed to load: ${messageOf(error).split('\n')[0]}`, {
        cause: error,
      });
    }
    let exported = 'default' in module ? module.default : undefined;
    // A CommonJS module compiled from `export default` nests the plugin one level deeper.
    if (typeof exported === 'object' && exported !== null && !('name' in exported) && 'default' in exported) {
      exported = (exported as { default: unknown }).default;
    }
    if (exported === undefined) throw new GuildStageError('PLUGIN_LOAD', `plugin ${spec} has no default export`);
    for (const plugin of pluginsFromModule(exported, spec)) {
      origins.set(plugin, { spec, module: file });
      plugins.push(plugin);
    }
  }
  return plugins;
}
