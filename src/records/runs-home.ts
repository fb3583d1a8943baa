/**
 * Where runs live: `<guild home>/runs/<id>/`, with Guild AI's choice of home, so that
 * `guild runs` run from the same directory lists the same runs.
 */
import { type Dirent, statSync, type Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fsReason, GuildStageError, isFsError } from '../errors.js';
import { GUILD_DIR, runFile } from './layout.js';

/**
 * The Guild home: `$GUILD_HOME` when set, else the nearest `.guild/` directory from `cwd` up,
 * else `~/.guild`. A run's own `.guild/` (one with `opref` or `attrs`) is metadata, not a
 * home, so a command run inside a run directory still finds the project's home.
 */
function findGuildHome(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GUILD_HOME) return path.resolve(cwd, env.GUILD_HOME);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, GUILD_DIR);
    if (isDir(candidate) && !isRunDirSync(dir)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  return path.join(env.HOME || os.homedir(), GUILD_DIR);
}

/** The runs directory: `runsDir` (from `--runs-dir`, relative to `cwd`) when given, else `<home>/runs`. */
export function resolveRunsDir(opts: { runsDir?: string; cwd: string; env?: NodeJS.ProcessEnv }): string {
  if (opts.runsDir) return path.resolve(opts.cwd, opts.runsDir);
  return path.join(findGuildHome(opts.cwd, opts.env), 'runs');
}

/** `isRunDir` of read-run.ts, synchronously: the home is found while options are read. */
/**
 * Everything in a runs directory, for the commands that list, find or clean up runs. A path
 * with no directory at it (missing, or under a regular file) has no runs; any other failure
 * is the one `RUN_STATE` error, whichever command met it.
 */
export async function runsDirEntries(runsDir: string): Promise<Dirent[]> {
  try {
    return await readdir(runsDir, { withFileTypes: true });
  } catch (error) {
    if (isFsError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return [];
    throw new GuildStageError('RUN_STATE', `cannot read runs dir ${runsDir}: ${fsReason(error)}`, { cause: error });
  }
}

function isRunDirSync(dir: string): boolean {
  return exists(runFile(dir, 'opref')) || isDir(runFile(dir, 'attrs'));
}

function isDir(file: string): boolean {
  return statOrNull(file)?.isDirectory() ?? false;
}

function exists(file: string): boolean {
  return statOrNull(file) !== null;
}

/** Unreadable counts as absent: a directory we may not look into is no Guild home. */
function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
