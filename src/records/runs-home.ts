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
import { currentUser, othersCanWrite, type User } from './ownership.js';

/** A `.guild/` found on the way up that was passed over, and why. */
export interface IgnoredHome {
  dir: string;
  reason: string;
}

/**
 * The Guild home: `$GUILD_HOME` when set, else the nearest `.guild/` directory from `cwd` up,
 * else `~/.guild`. A run's own `.guild/` (one with `opref` or `attrs`) is metadata, not a
 * home, so a command run inside a run directory still finds the project's home.
 *
 * Guild takes any `.guild/` it finds; here a found one must be safe to record runs in (they
 * hold the environment and the source): owned by the user and writable by no one else
 * (`othersCanWrite`), else it is passed over and reported, so another user's `/tmp/.guild`
 * never receives our runs. Below `$HOME` the search stops at `$HOME`; elsewhere (a project in
 * `/tmp`, `/data`) it goes up to `/`, the ownership check keeping out other users' homes.
 */
function findGuildHome(
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  user: User | undefined = currentUser(),
): { home: string; ignored: IgnoredHome[] } {
  if (env.GUILD_HOME) return { home: path.resolve(cwd, env.GUILD_HOME), ignored: [] };
  const userHome = path.resolve(env.HOME || os.homedir());
  const start = path.resolve(cwd);
  const top = isWithin(start, userHome) ? userHome : path.parse(start).root;
  const fallback = path.join(userHome, GUILD_DIR);
  const ignored: IgnoredHome[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, GUILD_DIR);
    const st = statOrNull(candidate);
    if (st?.isDirectory() && !isRunDirSync(dir)) {
      // ~/.guild is where runs go anyway: passing over it would change nothing.
      const reason = user === undefined || candidate === fallback ? null : foreignHome(st, user);
      if (reason === null) return { home: candidate, ignored };
      ignored.push({ dir: candidate, reason });
    }
    if (dir === top || path.dirname(dir) === dir) break;
  }
  return { home: fallback, ignored };
}

/** Why a found `.guild/` is not ours to use, or null. */
function foreignHome(st: Stats, user: User): string | null {
  if (st.uid !== user.uid) return `it is owned by uid ${st.uid}, not by you (uid ${user.uid})`;
  const why = othersCanWrite(st, user);
  return why && `it is ${why}`;
}

function isWithin(dir: string, ancestor: string): boolean {
  const rel = path.relative(ancestor, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The runs directory: `runsDir` (from `--runs-dir`, relative to `cwd`) when given, else `<home>/runs`. */
export function resolveRunsDir(opts: { runsDir?: string; cwd: string; env?: NodeJS.ProcessEnv }): string {
  return locateRunsDir(opts).runsDir;
}

/** {@link resolveRunsDir}, with the `.guild/` directories passed over on the way as warnings. */
export function locateRunsDir(opts: { runsDir?: string; cwd: string; env?: NodeJS.ProcessEnv }): {
  runsDir: string;
  warnings: GuildStageError[];
} {
  if (opts.runsDir) return { runsDir: path.resolve(opts.cwd, opts.runsDir), warnings: [] };
  const { home, ignored } = findGuildHome(opts.cwd, opts.env);
  const warnings = ignored.map(
    ({ dir, reason }) =>
      new GuildStageError('RUN_STATE', `ignoring ${dir} as a Guild home: ${reason}; using ${home}`, {
        file: dir,
        suggestion: 'set GUILD_HOME or --runs-dir to choose where runs go',
      }),
  );
  return { runsDir: path.join(home, 'runs'), warnings };
}

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

/** `isRunDir` of read-run.ts, synchronously: the home is found while options are read. */
export function isRunDirSync(dir: string): boolean {
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
