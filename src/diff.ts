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
  const { hunks } = structuredPatch(change.path, change.path, change.before ?? '', change.after ?? '', '', '', {
    context: 3,
  });
  const body: string[] = [];
  for (const hunk of hunks) {
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
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
