/**
 * The filesystem walk behind source selection: which directories to enter, which entries
 * become candidates. It only reads directories; the one stat per file happens later, in
 * sorted order, so the file limit can stop it early.
 */
import type { Dirent } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fsReason } from '../errors.js';
import { holdsRun, isGuildRecordName, isGuildRecordPath } from './guild-records.js';
import type { RuleSet } from './rules.js';
import type { SkippedFile } from './skipped.js';

/** A path that may be selected, once it is stat'ed and checked against the limits. */
export interface Candidate {
  /** Relative to the project, '/' separators. */
  path: string;
  /** From readdir, so a regular file needs one stat; 'unknown' for paths git listed. */
  kind: 'file' | 'symlink' | 'unknown';
  /** An include rule selected it: the size limit and the text check do not apply. */
  included: boolean;
}

/** What a walk shares and fills in. */
export interface WalkContext {
  /** The project's real path. */
  root: string;
  rules: RuleSet;
  /** Directories never copied, relative to `root` (the runs home inside the project). */
  excluded: ReadonlySet<string>;
  candidates: Candidate[];
  skipped: SkippedFile[];
}

/** A directory to walk. */
export interface WalkDir {
  /** Relative to the project, '' for the project itself. */
  rel: string;
  /** The last rule matching it or a parent (see `RuleSet.dirMatch`). */
  rule: number;
  /** Skipped by default (hidden, node_modules, a virtualenv, git-ignored...): only includes reach in. */
  skipped: boolean;
}

/** Skipped wherever they are, as Guild does: dependencies, caches and build outputs. */
const SKIPPED_DIR_NAMES = new Set(['node_modules', '__pycache__', 'build', 'dist']);

/** Whether `rel` is, or is inside, one of the directories never copied. */
export function inExcludedDir(ctx: WalkContext, rel: string): boolean {
  if (ctx.excluded.has(rel)) return true;
  for (const dir of ctx.excluded) if (rel.startsWith(`${dir}/`)) return true;
  return false;
}

/**
 * Walks `dir` and everything below that might hold a selected file, adding to `ctx`.
 * Directories are entered in parallel; the caller sorts what comes out.
 */
export async function walkTree(ctx: WalkContext, dir: WalkDir): Promise<void> {
  if (!shouldEnter(ctx, dir) || inExcludedDir(ctx, dir.rel) || isGuildRecordPath(dir.rel)) return;
  const abs = path.join(ctx.root, dir.rel);
  let entries: Dirent[];
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (error) {
    ctx.skipped.push({ path: `${dir.rel}/`, reason: 'unreadable', detail: fsReason(error) });
    return;
  }
  if (dir.rel !== '' && (await holdsRun(abs, entries))) return;
  if (!dir.skipped && dir.rel !== '' && (await isVirtualenv(abs, entries))) {
    dir = { ...dir, skipped: true };
    if (!shouldEnter(ctx, dir)) return;
  }
  const subdirs: Promise<void>[] = [];
  for (const entry of entries) {
    if (isGuildRecordName(entry.name)) continue;
    const rel = dir.rel === '' ? entry.name : `${dir.rel}/${entry.name}`;
    const rule = ctx.rules.lastMatch(rel, dir.rule);
    if (entry.isDirectory()) {
      const skipped = dir.skipped || entry.name.startsWith('.') || SKIPPED_DIR_NAMES.has(entry.name);
      subdirs.push(walkTree(ctx, { rel, rule, skipped }));
    } else addEntry(ctx, entry, rel, rule, dir.skipped);
  }
  await Promise.all(subdirs);
}

/** Excluded or default-skipped directories are entered only when a later include can reach inside. */
function shouldEnter(ctx: WalkContext, dir: WalkDir): boolean {
  const type = ctx.rules.typeAt(dir.rule);
  if (type === 'include' || (type === undefined && !dir.skipped)) return true;
  return ctx.rules.includeCouldReachInside(dir.rel, dir.rule);
}

function addEntry(ctx: WalkContext, entry: Dirent, rel: string, rule: number, inSkippedDir: boolean): void {
  const type = ctx.rules.typeAt(rule);
  if (type === 'exclude') {
    if (!inSkippedDir) ctx.skipped.push({ path: rel, reason: 'excluded' });
    return;
  }
  if (type === undefined && inSkippedDir) return;
  const included = type === 'include';
  if (entry.isFile()) ctx.candidates.push({ path: rel, kind: 'file', included });
  else if (entry.isSymbolicLink()) ctx.candidates.push({ path: rel, kind: 'symlink', included });
  // Reading a FIFO would block the copy forever; sockets and devices are no source either.
  else ctx.skipped.push({ path: rel, reason: 'unreadable', detail: 'not a regular file' });
}

/** A Python virtualenv: `pyvenv.cfg` (venv, virtualenv >= 20) or `bin/activate` (older ones, conda). */
async function isVirtualenv(abs: string, entries: Dirent[]): Promise<boolean> {
  if (entries.some((entry) => entry.name === 'pyvenv.cfg')) return true;
  if (!entries.some((entry) => entry.name === 'bin' && entry.isDirectory())) return false;
  return access(path.join(abs, 'bin', 'activate')).then(
    () => true,
    () => false,
  );
}
