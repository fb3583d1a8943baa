/**
 * Everything checked before a run directory exists: the script, the flags, the
 * transformer, the hook commands. A bad input fails here, so it never leaves a half-made
 * run behind.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError, messageOf } from './errors.js';
import { compileOutputScalars, type OutputScalars } from './results/patterns.js';
import { discoverFlags, type FlagsConfig } from './flags/discover.js';
import { flagEnv } from './flags/env.js';
import { parseFlagItems, type FlagAssignment } from './flags/parse.js';
import { resolveFlags, type ResolvedFlags } from './flags/resolve.js';
import { findProjectDir, type ProjectSource } from './project-dir.js';
import { parseRequires, type Requirement, type RequirementSpec, resolveRequires } from './stage/requires.js';
import { languageOf } from '../transformers/index.js';
import type { FlagSite, FlagValue, Transformer, TransformMode } from '../transformers/types.js';

export interface PlanInput {
  /** The script, relative to `cwd` or absolute. */
  script: string;
  cwd: string;
  /** The project root, which must hold the script; default: found by `findProjectDir`. */
  projectDir?: string;
  /** The directory of the project config file in effect: the project when it holds the script. */
  configDir?: string;
  /** `name=value` items as typed, or values by name (strings are decoded like typed ones). */
  flags?: readonly string[] | Record<string, FlagValue>;
  forceFlags?: boolean;
  mode?: TransformMode;
  /**
   * Guild's `output-scalars` patterns for the run's scalar capture when the script's
   * frontmatter names none (default: Guild's); false for no capture.
   */
  outputScalars?: unknown;
  /** False turns scalar capture off, whatever the script or `outputScalars` say (`--no-scalars`). */
  captureScalars?: boolean;
  /**
   * Where the flags of a script whose frontmatter names no `flags-dest` live: a config file
   * of the project (`config:config.yml`, or `config.yml`); default: the script's own.
   */
  flagsDest?: string;
  /** Data files every run of the script gets linked (or copied) in, from the config file; the script's frontmatter adds its own. */
  requires?: readonly RequirementSpec[];
}

/** How a run captures scalars: the config as given (recorded with the run) and compiled. */
export interface ScalarsPlan {
  /** Guild's `output-scalars` value: undefined for Guild's defaults, false for none. */
  config: unknown;
  compiled: OutputScalars;
}

export interface RunPlan {
  projectDir: string;
  /** How `projectDir` was found: given, the config file's directory, git, the script's directory. */
  projectSource: ProjectSource;
  /** The script relative to the project, `/` separators. */
  opspec: string;
  /** The transformer that writes the flags into `flagsFile`. */
  transformer: Transformer | undefined;
  sites: FlagSite[] | null;
  /** The file the flags are written into, relative to the project: the script, or its config file. */
  flagsFile: string;
  /** The config file the flags live in (`flags-dest: config:...`), or null for the script's own. */
  config: FlagsConfig | null;
  resolved: ResolvedFlags;
  mode: TransformMode;
  scalars: ScalarsPlan;
  /** `FLAG_*` variables for the run. */
  flagEnv: Record<string, string>;
  /** Data files linked or copied into the run, found on disk (the config's, then the frontmatter's). */
  requires: Requirement[];
}

/** `name=value` items, or values by name (strings are decoded like typed ones). */
export function assignmentsOf(flags: PlanInput['flags']): FlagAssignment[] {
  if (!flags) return [];
  if (Array.isArray(flags)) return parseFlagItems(flags as readonly string[]);
  return parseFlagItems(
    Object.entries(flags).map(
      ([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
    ),
  );
}

/** A script found, read and discovered once: what every run (or trial) of it shares. */
export type ScriptPlan = Omit<RunPlan, 'resolved' | 'flagEnv'>;

/** Locates the script in its project and discovers its flags. */
export async function planScript(input: PlanInput): Promise<ScriptPlan> {
  const scriptPath = path.resolve(input.cwd, input.script);
  const info = await stat(scriptPath).catch(() => undefined);
  if (!info) throw new GuildStageError('NOT_FOUND', `script not found: ${input.script}`);
  if (!info.isFile()) throw new GuildStageError('NOT_FOUND', `script ${input.script} is not a file`);
  const { dir: projectDir, source: projectSource } = await findProjectDir({
    cwd: input.cwd,
    scriptPath,
    projectDir: input.projectDir,
    configDir: input.configDir,
  });
  const opspec = path.relative(projectDir, scriptPath).split(path.sep).join('/');
  const { transformer, sites, frontmatter, config } = await discoverFlags(scriptPath, {
    shown: opspec,
    projectDir,
    flagsDest: input.flagsDest,
  });
  const mode = input.mode ?? 'text';
  if (transformer && !transformer.modes.includes(mode)) {
    // The transformer is the one the registry gives for the config file or the script.
    const name = config ? `${config.name} config files` : languageOf(scriptPath)!.name;
    throw new GuildStageError(
      'USAGE',
      `${mode.toUpperCase()} mode is not available for ${name}; use --mode ${transformer.modes.join('|')}`,
    );
  }
  const requires = await resolveRequires(
    [...(input.requires ?? []), ...parseRequires(frontmatter?.requires, `${opspec} frontmatter`)],
    projectDir,
  );
  return {
    projectDir,
    projectSource,
    opspec,
    requires,
    transformer,
    sites,
    flagsFile: config?.file ?? opspec,
    config,
    mode,
    scalars: scalarsPlan(input, frontmatter, opspec),
  };
}

/**
 * Which output-scalars config the run captures with: none with `--no-scalars`, else the
 * script's own frontmatter, else the caller's (the config file's), else Guild's defaults.
 * Compiled here, so a bad pattern fails before anything is staged.
 */
function scalarsPlan(input: PlanInput, frontmatter: Record<string, unknown> | null, opspec: string): ScalarsPlan {
  if (input.captureScalars === false) return { config: false, compiled: compileOutputScalars(false) };
  const own = frontmatter?.['output-scalars'];
  if (own === undefined) return { config: input.outputScalars, compiled: compileOutputScalars(input.outputScalars) };
  try {
    return { config: own, compiled: compileOutputScalars(own) };
  } catch (error) {
    throw new GuildStageError('USAGE', `${opspec} frontmatter ${messageOf(error)}`, { file: opspec, cause: error });
  }
}

/** A run's plan: the script's, with these flag values decoded and checked against its flags. */
export function planFlags(script: ScriptPlan, assignments: readonly FlagAssignment[], force: boolean): RunPlan {
  const resolved = resolveFlags(assignments, script.sites, {
    force,
    script: script.flagsFile,
    isIdentifier: script.transformer?.isIdentifier,
    normalizeValue: script.transformer?.normalizeValue,
  });
  return {
    ...script,
    resolved,
    flagEnv: flagEnv({ ...resolved.flags, ...resolved.forced }, new Set(Object.keys(resolved.forced))),
  };
}

export async function planRun(input: PlanInput): Promise<RunPlan> {
  return planFlags(await planScript(input), assignmentsOf(input.flags), input.forceFlags ?? false);
}
