/**
 * The project's config file: `guild-stage.config.json`, or a `"guild-stage"` key in
 * `package.json`, in the directory guild-stage runs from. It names the defaults the
 * command line would otherwise repeat: the script, plugins, hooks, source rules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GuildStageError, messageOf } from './errors.js';
import { nearestName } from './flags/resolve.js';
import { compileOutputScalars } from './results/patterns.js';
import { checkExecutorConfig, type ExecutorSpec } from './executors/slurm-options.js';
import { checkedHook, type CommandHook } from './plugins/command-hooks.js';
import type { SelectRule } from './stage/rules.js';
import { parseRequires, type RequirementSpec } from './stage/requires.js';
import type { SourceRules } from './stage/select.js';
import type { TransformMode } from '../transformers/types.js';

export interface ProjectConfig {
  /** The config file, or null when there is none. */
  file: string | null;
  /** The script to run when the command line names none. */
  script?: string;
  /** Plugin paths (resolved against the config file's directory) or package names. */
  plugins: string[];
  hooks: CommandHook[];
  source: SourceRules;
  runsDir?: string;
  mode?: TransformMode;
  /** `--exec` default, a command line. */
  exec?: string;
  /** `--git` by default: every run directory is a git repository. */
  git?: boolean;
  /** `--link` by default: unchanged source files are hard-linked into runs. */
  link?: boolean;
  /**
   * Guild's `output-scalars`: patterns that turn output lines into scalars, or false for no
   * capture; a script's own `output-scalars` frontmatter wins. Checked when a run is planned.
   */
  outputScalars?: unknown;
  /**
   * Where the flags of scripts whose frontmatter names no `flags-dest` live: a config file
   * of the project, `config:config.yml` or `config.yml` (as a script's `#| flags-dest:`).
   */
  flagsDest?: string;
  /** The scalar a batch's best trial has the least (`minimize`) or most (`maximize`) of. */
  minimize?: string;
  maximize?: string;
  /** Data files linked (or copied) into every run, `{file, target-path, copy}` as a script's `requires:` frontmatter. */
  requires?: RequirementSpec[];
  /** Where runs execute: `"slurm"` or `{"type": "slurm", "partition": ..., ...}` (see `--executor`). */
  executor?: ExecutorSpec;
}

const KEYS = [
  'script',
  'plugins',
  'hooks',
  'source',
  'runsDir',
  'mode',
  'exec',
  'git',
  'link',
  'outputScalars',
  'minimize',
  'maximize',
  'flagsDest',
  'requires',
  'executor',
] as const;
const SOURCE_KEYS = ['select', 'include', 'exclude', 'maxFileSize', 'maxFiles'] as const;

const CONFIG_FILE = 'guild-stage.config.json';

async function readJson(file: string): Promise<unknown | undefined> {
  let text: string;
  try {
    // Synchronous: read on every command, usually to find that there is none.
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GuildStageError('SOURCE', `cannot read ${file}: ${messageOf(error)}`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GuildStageError('USAGE', `${file} is not valid JSON: ${messageOf(error)}`, { file });
  }
}

/** Finds and checks the config of the project in `dir`; an empty config when there is none. */
export async function loadConfig(dir: string): Promise<ProjectConfig> {
  const own = path.join(dir, CONFIG_FILE);
  const ownValue = await readJson(own);
  if (ownValue !== undefined) return checkConfig(ownValue, own);
  const pkgFile = path.join(dir, 'package.json');
  const pkg = (await readJson(pkgFile)) as Record<string, unknown> | undefined;
  if (pkg && typeof pkg === 'object' && pkg['guild-stage'] !== undefined) {
    return checkConfig(pkg['guild-stage'], `${pkgFile} ("guild-stage")`);
  }
  return { file: null, plugins: [], hooks: [], source: {} };
}

function fail(where: string, message: string, suggestion?: string): never {
  throw new GuildStageError('USAGE', `${where}: ${message}`, { suggestion });
}

function stringList(value: unknown, where: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  fail(where, 'expected a string or a list of strings');
}

function checkKeys(record: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    fail(where, `unknown key '${key}' (keys: ${known.join(', ')})`, near ? `did you mean ${near}?` : undefined);
  }
}

function checkSource(value: unknown, where: string): SourceRules {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'expected an object');
  const record = value as Record<string, unknown>;
  checkKeys(record, SOURCE_KEYS, where);
  const select: SelectRule[] = [];
  if (record.select !== undefined) {
    if (!Array.isArray(record.select))
      fail(`${where}.select`, 'expected a list of {"include": GLOB} or {"exclude": GLOB}');
    for (const rule of record.select as unknown[]) {
      const entries = typeof rule === 'object' && rule !== null ? Object.entries(rule) : [];
      const [type, pattern] = entries[0] ?? [];
      if (entries.length !== 1 || (type !== 'include' && type !== 'exclude') || typeof pattern !== 'string') {
        fail(`${where}.select`, `bad rule ${JSON.stringify(rule)}: expected {"include": GLOB} or {"exclude": GLOB}`);
      }
      select.push({ type, pattern });
    }
  }
  if (record.include !== undefined)
    for (const pattern of stringList(record.include, `${where}.include`)) select.push({ type: 'include', pattern });
  if (record.exclude !== undefined)
    for (const pattern of stringList(record.exclude, `${where}.exclude`)) select.push({ type: 'exclude', pattern });
  const rules: SourceRules = { select };
  for (const key of ['maxFileSize', 'maxFiles'] as const) {
    const limit = record[key];
    if (limit === undefined) continue;
    if (!Number.isInteger(limit) || (limit as number) < 0) fail(`${where}.${key}`, 'expected a whole number');
    rules[key] = limit as number;
  }
  return rules;
}

function checkHooks(value: unknown, where: string): CommandHook[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(where, 'expected an object like {"on_run_staged": "Rscript patch.R"}');
  }
  return Object.entries(value).flatMap(([event, commands]) =>
    stringList(commands, `${where}.${event}`).map((command) => checkedHook(event, command, where)),
  );
}

/** Checks a parsed config value; `where` names the file in every message. */
function checkConfig(value: unknown, where: string): ProjectConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'expected a JSON object');
  const record = value as Record<string, unknown>;
  checkKeys(record, KEYS, where);
  const file = where.replace(/ \(.*\)$/, '');
  const config: ProjectConfig = {
    file,
    plugins: record.plugins === undefined ? [] : stringList(record.plugins, `${where} plugins`),
    hooks: record.hooks === undefined ? [] : checkHooks(record.hooks, `${where} hooks`),
    source: record.source === undefined ? {} : checkSource(record.source, `${where} source`),
  };
  for (const key of ['script', 'runsDir', 'exec', 'minimize', 'maximize', 'flagsDest'] as const) {
    const text = record[key];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text === '') fail(`${where} ${key}`, 'expected a non-empty string');
    config[key] = text;
  }
  for (const key of ['git', 'link'] as const) {
    if (record[key] === undefined) continue;
    if (typeof record[key] !== 'boolean') fail(`${where} ${key}`, 'expected true or false');
    config[key] = record[key] as boolean;
  }
  if (record.minimize !== undefined && record.maximize !== undefined) {
    fail(where, "'minimize' and 'maximize' name two objectives; keep one");
  }
  if (record.outputScalars !== undefined) {
    try {
      compileOutputScalars(record.outputScalars);
    } catch (error) {
      fail(`${where} outputScalars`, messageOf(error).replace(/^output-scalars: /, ''));
    }
    config.outputScalars = record.outputScalars;
  }
  if (record.requires !== undefined) config.requires = parseRequires(record.requires, where);
  if (record.executor !== undefined) config.executor = checkExecutorConfig(record.executor, `${where} executor`);
  if (record.mode !== undefined) {
    if (record.mode !== 'text' && record.mode !== 'ast') fail(`${where} mode`, "expected 'text' or 'ast'");
    config.mode = record.mode;
  }
  return config;
}
