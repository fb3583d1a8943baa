/**
 * Which project files a run gets: git's view of the source inside a checkout, a walk with
 * Guild's defaults outside one, select rules over both, then the size and count limits.
 * Nothing here reads file contents; `copySource` does, once.
 */
import { lstatSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fsReason, GuildStageError, isFsError } from '../errors.js';
import { collectFromGit } from './git.js';
import { mapLimit } from './pool.js';
import { compileRules, NO_RULE, type RuleSet, type SelectRule } from './rules.js';
import { isSecretPath } from './secrets.js';
import type { SkippedFile } from './skipped.js';
import { walkTree, type Candidate, type WalkContext } from './walk.js';

export interface SourceRules {
  /** Ordered include/exclude rules; an include selects a file even where the defaults skip it (hidden dir, size limit, node_modules, git-ignored...), an exclude skips it. */
  select?: SelectRule[];
  /** Bytes; larger files are skipped unless an include rule selects them. Default 1 MiB. */
  maxFileSize?: number;
  /** At most this many files are selected, in sorted path order. Default 10,000. */
  maxFiles?: number;
}

/** A file to copy. */
export interface SelectedFile {
  /** Relative to the project, '/' separators. */
  path: string;
  size: number;
  /** Permission bits (`0o755`). */
  mode: number;
  /** Skip it as 'binary' if its first 8 KiB hold a NUL byte: set outside git unless an include rule selected it. */
  textOnly?: boolean;
  /** For a symlink: the project file it resolves to, relative to the project; its content is what gets copied. */
  source?: string;
}

/** Files sorted by path; `git` tells whether git's listing was used. */
export interface Selection {
  files: SelectedFile[];
  skipped: SkippedFile[];
  git: boolean;
}

const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
const DEFAULT_MAX_FILES = 10_000;
const STAT_CONCURRENCY = 64;

type Limits = Required<Pick<SourceRules, 'maxFileSize' | 'maxFiles'>>;
/** A stat'ed candidate: selected, skipped with a reason, or null when it silently isn't source (a deleted tracked file, a submodule). */
type Examined = { file: SelectedFile } | { skip: SkippedFile } | null;

/** Selects the source files of `projectDir` to copy into a run. */
export async function selectSource(
  projectDir: string,
  opts: {
    rules?: SourceRules;
    /** absolute dirs never copied, e.g. the runs home when it is inside the project */
    excludeDirs?: string[];
  } = {},
): Promise<Selection> {
  const limits = readLimits(opts.rules);
  const rules = compileRules(opts.rules?.select);
  const root = await projectRoot(projectDir);
  const excluded = await relativeDirs(root, opts.excludeDirs ?? []);
  const ctx: WalkContext = { root, rules, excluded, candidates: [], skipped: [] };
  const git = await collectFromGit(ctx);
  if (!git) await walkTree(ctx, { rel: '', rule: NO_RULE, skipped: false });
  const candidates: Candidate[] = [];
  for (const c of new Map(ctx.candidates.map((c) => [c.path, c])).values()) {
    const skip = lineBreakSkip(c.path) ?? secretSkip(c.path, rules);
    if (skip) ctx.skipped.push(skip);
    else candidates.push(c);
  }
  candidates.sort(byPath);
  const { files, skipped } = await applyLimits(root, candidates, limits, git, rules);
  return { files, skipped: [...ctx.skipped, ...skipped].sort(byPath), git };
}

/** `rel` skipped when it (or the file a link at `rel` points to) can hold secrets and no include rule names it. */
function secretSkip(rel: string, rules: RuleSet, target = rel): SkippedFile | null {
  if (!isSecretPath(target) || rules.namesFile(rel)) return null;
  return { path: rel, reason: 'secret', detail: target === rel ? SECRET_HINT : `points to ${target}; ${SECRET_HINT}` };
}

const SECRET_HINT = 'staged only when an include rule names it';

/**
 * A file whose name holds a line break cannot be a run's source: Guild reads the manifest a
 * line at a time (Python's universal newlines: `\n` and `\r`), so no quoting of such a name
 * reads back, and the run's records would not say which files it has.
 */
function lineBreakSkip(rel: string): SkippedFile | null {
  return /[\r\n]/.test(rel) ? { path: rel, reason: 'name', detail: "Guild's manifest lists one file per line" } : null;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function readLimits(rules: SourceRules = {}): Limits {
  const { maxFileSize = DEFAULT_MAX_FILE_SIZE, maxFiles = DEFAULT_MAX_FILES } = rules;
  for (const [name, value] of Object.entries({ maxFileSize, maxFiles })) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new GuildStageError('USAGE', `${name} must be a non-negative integer, got ${String(value)}`);
    }
  }
  return { maxFileSize, maxFiles };
}

async function projectRoot(projectDir: string): Promise<string> {
  let root: string;
  let info: Stats;
  try {
    root = await realpath(projectDir);
    info = await stat(root);
  } catch (error) {
    if (isFsError(error) && error.code === 'ENOENT') {
      throw new GuildStageError('NOT_FOUND', `project dir ${projectDir} does not exist`, { cause: error });
    }
    throw new GuildStageError('SOURCE', `project dir ${projectDir} cannot be read: ${fsReason(error)}`, {
      cause: error,
    });
  }
  if (!info.isDirectory()) throw new GuildStageError('SOURCE', `project dir ${projectDir} is not a directory`);
  return root;
}

/** `dirs` that are inside `root`, by real path, relative to it. */
async function relativeDirs(root: string, dirs: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const dir of dirs) {
    const real = await realpath(dir).catch(() => path.resolve(dir));
    const rel = toPosix(path.relative(root, real));
    if (rel !== '' && !isOutside(rel)) out.add(rel);
  }
  return out;
}

function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith('../') || path.isAbsolute(rel);
}

function toPosix(rel: string): string {
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/**
 * Stats candidates in sorted order, one window at a time, so that past `maxFiles` nothing
 * more is stat'ed: the rest are skipped as 'count'.
 */
async function applyLimits(
  root: string,
  candidates: Candidate[],
  limits: Limits,
  git: boolean,
  rules: RuleSet,
): Promise<{ files: SelectedFile[]; skipped: SkippedFile[] }> {
  const files: SelectedFile[] = [];
  const skipped: SkippedFile[] = [];
  let next = 0;
  while (next < candidates.length && files.length < limits.maxFiles) {
    const window = candidates.slice(next, next + limits.maxFiles - files.length);
    next += window.length;
    for (const result of await mapLimit(window, STAT_CONCURRENCY, (c) => examine(root, c, limits, git, rules))) {
      if (result === null) continue;
      if ('file' in result) files.push(result.file);
      else skipped.push(result.skip);
    }
  }
  for (const c of candidates.slice(next)) {
    skipped.push({ path: c.path, reason: 'count', detail: `over the limit of ${limits.maxFiles} files` });
  }
  return { files, skipped };
}

async function examine(root: string, c: Candidate, limits: Limits, git: boolean, rules: RuleSet): Promise<Examined> {
  const abs = path.join(root, c.path);
  if (c.kind === 'symlink') return examineLink(root, abs, c, limits, git, rules);
  let info: Stats;
  try {
    // Synchronous: one system call per file, not a thread-pool round trip.
    info = lstatSync(abs);
  } catch (error) {
    // git still lists a tracked file deleted from the work tree; it is simply not there.
    if (c.kind === 'unknown' && isFsError(error) && error.code === 'ENOENT') return null;
    return { skip: { path: c.path, reason: 'unreadable', detail: fsReason(error) } };
  }
  if (info.isSymbolicLink()) return examineLink(root, abs, c, limits, git, rules);
  if (info.isDirectory()) return null;
  return selectStat(c, info, limits, git);
}

/** Follows a symlink only to a regular file inside the project; its content is then copied under the link's name. */
async function examineLink(
  root: string,
  abs: string,
  c: Candidate,
  limits: Limits,
  git: boolean,
  rules: RuleSet,
): Promise<Examined> {
  let real: string;
  let info: Stats;
  try {
    real = await realpath(abs);
    info = await stat(real);
  } catch (error) {
    return { skip: { path: c.path, reason: 'unreadable', detail: linkProblem(error) } };
  }
  const source = toPosix(path.relative(root, real));
  if (isOutside(source)) return { skip: { path: c.path, reason: 'symlink-outside', detail: `points to ${real}` } };
  if (info.isDirectory())
    return { skip: { path: c.path, reason: 'symlink-dir', detail: `points to ${source || '.'}/` } };
  const secret = secretSkip(c.path, rules, source);
  if (secret) return { skip: secret };
  const examined = selectStat(c, info, limits, git);
  if (examined !== null && 'file' in examined) examined.file.source = source;
  return examined;
}

function linkProblem(error: unknown): string {
  if (isFsError(error) && error.code === 'ENOENT') return 'dangling symlink';
  if (isFsError(error) && error.code === 'ELOOP') return 'symlink loop';
  return fsReason(error);
}

function selectStat(c: Candidate, info: Stats, limits: Limits, git: boolean): Examined {
  if (!info.isFile()) return { skip: { path: c.path, reason: 'unreadable', detail: 'not a regular file' } };
  if (!c.included && info.size > limits.maxFileSize) {
    return {
      skip: { path: c.path, reason: 'size', detail: `${info.size} bytes, over the limit of ${limits.maxFileSize}` },
    };
  }
  const file: SelectedFile = { path: c.path, size: info.size, mode: info.mode & 0o777 };
  if (!git && !c.included) file.textOnly = true;
  return { file };
}
