/**
 * Unified diffs of staged changes, in the form `git apply` takes: `diff --git` headers,
 * `a/` and `b/` prefixes, paths relative to the project root. Pure: texts in, patch out.
 */
import { structuredPatch } from 'diff';

/** A regular file's mode as git records it: executable or not. */
export type GitFileMode = '100644' | '100755';

/** git's mode for a file with these permission bits: `100755` when its owner may execute it, as git decides. */
export function gitFileMode(permissions: number): GitFileMode {
  return permissions & 0o100 ? '100755' : '100644';
}

/** One file's change; `before` null for a new file, `after` null for a deleted one. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
  /** The mode before the change (not read for a new file); default `100644`. */
  oldMode?: GitFileMode;
  /** The mode after the change (not read for a deleted file); default `100644`. */
  newMode?: GitFileMode;
  /**
   * Set when `before` and `after` are only the changed region of larger files (see
   * diff-region.ts): the lines above it, from which the hunks count.
   */
  linesAbove?: number;
}

function quotePath(prefix: string, file: string): string {
  const full = prefix + file;
  // git quotes paths with special characters C-style; plain ones stay bare.
  if (!/["\\\t\n\x00-\x1f\x7f]/.test(full) && !/^ | $/.test(full)) return full;
  const escaped = full.replace(/[\\"\t\n\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '"') return '\\"';
    if (c === '\t') return '\\t';
    if (c === '\n') return '\\n';
    return `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
  });
  return `"${escaped}"`;
}

/** A hunk range as git writes it: the count is left out when it is 1. */
function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Lines of unchanged context around each change, as git writes by default. */
export const CONTEXT = 3;
/** Compared as whole slices first: equal runs of a large file are skipped at native speed. */
const CHUNK = 1 << 16;

/** How many leading characters `a` and `b` share. */
function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= limit && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** How many trailing characters `a` and `b` share, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (
    n + CHUNK <= limit &&
    a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)
  )
    n += CHUNK;
  while (n < limit && a.charCodeAt(a.length - n - 1) === b.charCodeAt(b.length - n - 1)) n++;
  return n;
}

/** The start of the line `count` lines above the line starting at `from` (0 at the top). */
function linesUp(text: string, from: number, count: number): number {
  let start = from;
  for (let k = 0; k < count && start > 0; k++) start = start < 2 ? 0 : text.lastIndexOf('\n', start - 2) + 1;
  return start;
}

/** The end of the `count`th line from the line start `from` (the text's end at most). */
function linesDown(text: string, from: number, count: number): number {
  let end = from;
  for (let k = 0; k < count && end < text.length; k++) {
    const newline = text.indexOf('\n', end);
    end = newline < 0 ? text.length : newline + 1;
  }
  return end;
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/**
 * The part of both texts the diff needs: the lines from the first that differs to the last,
 * with their context. The lines shared before and after (git trims them the same way) are
 * never split or diffed, so a one-line change of a 50 MB file costs two scans, not a diff
 * of a million lines each side (the `diff` library holds several copies of both).
 */
function changedWindow(before: string, after: string): { before: string; after: string; linesBefore: number } {
  const prefix = commonPrefix(before, after);
  const head = prefix === 0 ? 0 : before.lastIndexOf('\n', prefix - 1) + 1;
  const suffix = commonSuffix(before, after, Math.min(before.length, after.length) - head);
  // The shared tail starts after a newline that both texts share, so it is a line start in both.
  const newline = before.indexOf('\n', before.length - suffix);
  const tail = suffix === 0 || newline < 0 ? 0 : before.length - newline - 1;
  const start = linesUp(before, head, CONTEXT);
  const endBefore = linesDown(before, before.length - tail, CONTEXT);
  const endAfter = after.length - (before.length - endBefore);
  return {
    before: before.slice(start, endBefore),
    after: after.slice(start, endAfter),
    linesBefore: countLines(before, start),
  };
}

/** The patch of one file, or '' when neither its content nor its mode changed. */
export function filePatch(change: FileChange): string {
  const oldMode = change.oldMode ?? '100644';
  const newMode = change.newMode ?? '100644';
  const modeChanged = change.before !== null && change.after !== null && oldMode !== newMode;
  if (change.before === change.after && !modeChanged) return '';
  const a = quotePath('a/', change.path);
  const b = quotePath('b/', change.path);
  const head = [`diff --git ${a} ${b}`];
  if (change.before === null) head.push(`new file mode ${newMode}`);
  else if (change.after === null) head.push(`deleted file mode ${oldMode}`);
  else if (modeChanged) head.push(`old mode ${oldMode}`, `new mode ${newMode}`);
  // A mode change alone is the header and nothing else, as git writes it.
  if (change.before === change.after) return `${head.join('\n')}\n`;
  head.push(`--- ${change.before === null ? '/dev/null' : a}`, `+++ ${change.after === null ? '/dev/null' : b}`);
  const window = changedWindow(change.before ?? '', change.after ?? '');
  const { hunks } = structuredPatch(change.path, change.path, window.before, window.after, '', '', {
    context: CONTEXT,
  });
  const body: string[] = [];
  for (const hunk of hunks) {
    const above = window.linesBefore + (change.linesAbove ?? 0);
    const oldStart = (hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart) + above;
    const newStart = (hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart) + above;
    body.push(`@@ -${range(oldStart, hunk.oldLines)} +${range(newStart, hunk.newLines)} @@`, ...hunk.lines);
  }
  return `${[...head, ...body].join('\n')}\n`;
}

/** The patch of every change, files sorted by path so the same changes give the same bytes. */
export function createPatch(changes: readonly FileChange[]): string {
  return [...changes]
    .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
    .map(filePatch)
    .join('');
}
