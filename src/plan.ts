/**
 * Everything checked before a run directory exists: the script, the flags, the
 * transformer, the hook commands. A bad input fails here, so it never leaves a half-made
 * run behind.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError } from './errors.js';
import { discoverFlags } from './flags/discover.js';
import { flagEnv } from './flags/env.js';
import { parseFlagItems, type FlagAssignment } from './flags/parse.js';
import { resolveFlags, type ResolvedFlags } from './flags/resolve.js';
import type { FlagSite, FlagValue, Transformer, TransformMode } from '../transformers/types.js';

export interface PlanInput {
  /** The script, relative to `cwd` or absolute. */
  script: string;
  cwd: string;
  /** The project root; default: `cwd` when the script is inside it, else the script's directory. */
  projectDir?: string;
  /** `name=value` items as typed, or values by name (strings are decoded like typed ones). */
  flags?: readonly string[] | Record<string, FlagValue>;
  forceFlags?: boolean;
  mode?: TransformMode;
}

export interface RunPlan {
  projectDir: string;
  /** The script relative to the project, `/` separators. */
  opspec: string;
  transformer: Transformer | undefined;
  sites: FlagSite[] | null;
  resolved: ResolvedFlags;
  mode: TransformMode;
  /** `FLAG_*` variables for the run. */
  flagEnv: Record<string, string>;
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function assignmentsOf(flags: PlanInput['flags']): FlagAssignment[] {
  if (!flags) return [];
  if (Array.isArray(flags)) return parseFlagItems(flags as readonly string[]);
  return parseFlagItems(
    Object.entries(flags).map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`),
  );
}

export async function planRun(input: PlanInput): Promise<RunPlan> {
  const scriptPath = path.resolve(input.cwd, input.script);
  const info = await stat(scriptPath).catch(() => undefined);
  if (!info) throw new GuildStageError('NOT_FOUND', `script not found: ${input.script}`);
  if (!info.isFile()) throw new GuildStageError('NOT_FOUND', `script ${input.script} is not a file`);
  const projectDir = path.resolve(input.cwd, input.projectDir ?? (isInside(input.cwd, scriptPath) ? '.' : path.dirname(scriptPath)));
  if (!isInside(projectDir, scriptPath)) {
    throw new GuildStageError('USAGE', `script ${input.script} is outside the project ${projectDir}`);
  }
  const opspec = path.relative(projectDir, scriptPath).split(path.sep).join('/');
  const assignments = assignmentsOf(input.flags);
  const { transformer, sites } = await discoverFlags(scriptPath, { shown: opspec });
  const resolved = resolveFlags(assignments, sites, { force: input.forceFlags ?? false, script: opspec });
  return {
    projectDir,
    opspec,
    transformer,
    sites,
    resolved,
    mode: input.mode ?? 'text',
    flagEnv: flagEnv(resolved.flags),
  };
}
