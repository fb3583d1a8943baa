/**
 * Which directory is a script's project: what a run copies, and what its paths are relative
 * to. The directory guild-stage happens to run from is no evidence: `guild-stage
 * ~/proj/train.py` run from `~` must not stage the whole home directory.
 */
import os from 'node:os';
import path from 'node:path';
import { GuildStageError } from './errors.js';
import { gitWorkTreeOf } from './git.js';

export interface ProjectHints {
  /** The directory paths are relative to (the CLI's, after `-C`). */
  cwd: string;
  /** The script, absolute. */
  scriptPath: string;
  /** The project as the caller names it (`-C DIR`, a library caller's `projectDir`): the script must be inside it. */
  projectDir?: string;
  /** The directory of the project config file in effect: the project when the script is inside it. */
  configDir?: string;
  /** Default: the user's home directory. */
  home?: string;
}

/** How the project was found, for messages that explain it. */
export type ProjectSource = 'given' | 'config' | 'cwd' | 'git' | 'script';

export interface Project {
  dir: string;
  source: ProjectSource;
}

/** Whether `file` lies under `dir` (and is not `dir` itself). `..foo.py` is inside; `../foo.py` is not. */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * The project of a script:
 * 1. the directory the caller names (`-C`), which must hold the script;
 * 2. else the config file's directory, when it holds the script;
 * 3. else, in a git work tree, the current directory when it is inside that work tree and
 *    holds the script (paths in the script then mean what they mean to `python3 sub/train.py`
 *    typed there), else the work tree;
 * 4. else the script's own directory.
 * Inference never picks the home directory, `/`, or a directory holding the home directory:
 * a work tree there counts as none, and a script directly in one is refused.
 */
export async function findProjectDir(hints: ProjectHints): Promise<Project> {
  const { cwd, scriptPath } = hints;
  if (hints.projectDir !== undefined) {
    const dir = path.resolve(cwd, hints.projectDir);
    if (!isInside(dir, scriptPath)) {
      throw new GuildStageError(
        'USAGE',
        `script ${path.relative(cwd, scriptPath) || scriptPath} is outside the project ${dir}`,
      );
    }
    return { dir, source: 'given' };
  }
  const home = path.resolve(hints.home ?? os.homedir());
  const tooBroad = (dir: string) => dir === home || isInside(dir, home) || path.dirname(dir) === dir;
  const configDir = hints.configDir === undefined ? undefined : path.resolve(cwd, hints.configDir);
  if (configDir !== undefined && !tooBroad(configDir) && isInside(configDir, scriptPath)) {
    return { dir: configDir, source: 'config' };
  }
  const scriptDir = path.dirname(scriptPath);
  const workTree = await gitWorkTreeOf(scriptDir);
  if (workTree !== null && !tooBroad(workTree)) {
    const here = path.resolve(cwd);
    if ((here === workTree || isInside(workTree, here)) && isInside(here, scriptPath))
      return { dir: here, source: 'cwd' };
    return { dir: workTree, source: 'git' };
  }
  if (tooBroad(scriptDir)) {
    const where = scriptDir === home ? `your home directory ${home}` : scriptDir;
    throw new GuildStageError('USAGE', `${scriptPath} is directly in ${where}: guild-stage will not stage all of it`, {
      suggestion: `move the script into a directory of its own, or name the project with -C ${scriptDir}`,
    });
  }
  return { dir: scriptDir, source: 'script' };
}
