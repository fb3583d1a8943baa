/**
 * Who else may write a path: the one rule behind which Guild home guild-stage takes when it
 * finds one, and which run directory it agrees to start. A directory another user can write
 * is one where that user can read what we record (the environment, the source) or swap what
 * we later run.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fsReason, GuildStageError } from '../errors.js';

/** The user guild-stage runs as; undefined where the platform has no uids (Windows). */
export interface User {
  uid: number;
  gid: number;
}

export function currentUser(): User | undefined {
  const uid = process.geteuid?.();
  const gid = process.getegid?.();
  return uid === undefined || gid === undefined ? undefined : { uid, gid };
}

const GROUP_WRITE = 0o020;
const OTHER_WRITE = 0o002;
const STICKY = 0o1000;

/**
 * Why a path is writable by someone other than `user` (and root, who can write anything), or
 * null when it is not: another owner can always change it; world-writable means anyone; a
 * group-writable one means the group, unless that group is the user's own private group
 * (gid equal to the uid, the convention under which Debian and Ubuntu give users umask 002).
 * With `sticky`, a world- or group-writable directory with the sticky bit (`/tmp`) passes:
 * others can add entries to it but not move or remove ours.
 */
export function othersCanWrite(st: Stats, user: User, opts: { sticky?: boolean } = {}): string | null {
  if (st.uid !== user.uid && st.uid !== 0) return `owned by uid ${st.uid}, not by you (uid ${user.uid})`;
  if (opts.sticky && st.isDirectory() && st.mode & STICKY) return null;
  if (st.mode & OTHER_WRITE) return `writable by every user (mode ${modeText(st)})`;
  const privateGroup = st.gid === user.gid && user.gid === user.uid;
  if (st.mode & GROUP_WRITE && !privateGroup) return `writable by group ${st.gid} (mode ${modeText(st)})`;
  return null;
}

function modeText(st: Stats): string {
  return (st.mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * Throws `RUN_STATE` naming the first path another user could change before `runDir` runs:
 * the run directory, anything in it (symlinks are not followed: replacing one takes a
 * writable directory), and the runs directory holding it, which could swap the whole run.
 */
export async function checkRunPrivate(runDir: string, user: User | undefined = currentUser()): Promise<void> {
  if (user === undefined) return;
  const refuse = (file: string, why: string) => {
    throw new GuildStageError('RUN_STATE', `refusing to start the run in ${runDir}: ${file} is ${why}`, {
      file,
      suggestion: 'stage the run again in a runs directory only you can write',
    });
  };
  const parent = path.dirname(runDir);
  const parentWhy = othersCanWrite(await statOrFail(stat, parent), user, { sticky: true });
  if (parentWhy) refuse(parent, parentWhy);
  const pending = [runDir];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    // The run directory itself may be a symlink in the runs directory; what it points to runs.
    const info = await statOrFail(dir === runDir ? stat : lstat, dir, dir !== runDir);
    if (info === null) continue;
    const why = othersCanWrite(info, user);
    if (why) refuse(dir, why);
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      if (dir !== runDir && isGone(error)) return [];
      throw new GuildStageError('RUN_STATE', `cannot check who may write in ${dir}: ${fsReason(error)}`, {
        file: dir,
        cause: error,
      });
    });
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) pending.push(file);
      else if (!entry.isSymbolicLink()) {
        const fileInfo = await statOrFail(lstat, file, true);
        const fileWhy = fileInfo && othersCanWrite(fileInfo, user);
        if (fileWhy) refuse(file, fileWhy);
      }
    }
  }
}

/**
 * `file`'s stat; null when `mayBeGone` and it is gone: a file in the run that a process
 * writing the run (another `start` that won the claim) renamed away since it was listed
 * cannot be written by anyone.
 */
async function statOrFail(how: typeof stat, file: string): Promise<Stats>;
async function statOrFail(how: typeof stat, file: string, mayBeGone: boolean): Promise<Stats | null>;
async function statOrFail(how: typeof stat, file: string, mayBeGone = false): Promise<Stats | null> {
  try {
    return await how(file);
  } catch (error) {
    if (mayBeGone && isGone(error)) return null;
    throw new GuildStageError('RUN_STATE', `cannot check who may write ${file}: ${fsReason(error)}`, {
      file,
      cause: error,
    });
  }
}

function isGone(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
