/**
 * How much a run's source is, and the two warnings about it that `-q` does not hide: a
 * source far larger than a script usually needs (a project inferred too broadly), and a
 * source cut short by the file limit.
 */
import { GuildStageError } from '../errors.js';
import type { Selection } from './select.js';

/** Files and bytes a run copies. */
export interface SourceExtent {
  files: number;
  bytes: number;
}

/** Past either, staging warns: a script's source is rarely this large. */
export const LARGE_SOURCE: SourceExtent = { files: 1000, bytes: 100 * 1024 * 1024 };

export function extentOf(selection: Selection): SourceExtent {
  let bytes = 0;
  for (const file of selection.files) bytes += file.size;
  return { files: selection.files.length, bytes };
}

/** `1,234 files (5.6 MB)`. */
/** `12,345`: what toLocaleString('en-US') gives, without loading ICU's locale data for it. */
function grouped(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function describeExtent(extent: SourceExtent): string {
  return `${grouped(extent.files)} file${extent.files === 1 ? '' : 's'} (${formatBytes(extent.bytes)})`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The warnings about a selection of `projectDir` for the script `opspec`: one when it is
 * larger than `LARGE_SOURCE` (with how much of it is the script's own directory), one when
 * the file limit left files out.
 */
export function extentWarnings(selection: Selection, projectDir: string, opspec: string): GuildStageError[] {
  const warnings: GuildStageError[] = [];
  const extent = extentOf(selection);
  if (extent.files > LARGE_SOURCE.files || extent.bytes > LARGE_SOURCE.bytes) {
    const slash = opspec.lastIndexOf('/');
    const own =
      slash === -1
        ? ''
        : `; the script's directory ${opspec.slice(0, slash)}/ holds ${describeExtent(
            extentOf({
              ...selection,
              files: selection.files.filter((f) => f.path.startsWith(opspec.slice(0, slash + 1))),
            }),
          )} of it`;
    warnings.push(
      new GuildStageError('SOURCE', `staging ${describeExtent(extent)} from ${projectDir}${own}`, {
        suggestion: 'name a smaller project with -C DIR, or exclude what the script does not need in "source"',
        loud: true,
      }),
    );
  }
  const cut = selection.skipped.filter((file) => file.reason === 'count').length;
  if (cut > 0) {
    const total = grouped(selection.files.length + cut);
    warnings.push(
      new GuildStageError(
        'SOURCE',
        `the file limit left ${grouped(cut)} of ${total} files of ${projectDir} out of the run (${grouped(selection.files.length)} staged, in path order)`,
        { suggestion: 'raise "maxFiles" in "source", or exclude what the script does not need', loud: true },
      ),
    );
  }
  return warnings;
}
