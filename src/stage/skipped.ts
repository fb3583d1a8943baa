/**
 * Files source selection and copying leave out, and why: the walk, git's listing, the limits
 * and the copy all report them in this one shape.
 */

export type SkipReason =
  | 'size'
  | 'count'
  | 'binary'
  | 'symlink-outside'
  | 'symlink-dir'
  | 'unreadable'
  | 'excluded'
  | 'secret'
  | 'name';

/** A file left out, and why. An unreadable directory is listed with a trailing '/'. */
export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail?: string;
}

const SKIP_REASONS: Record<SkippedFile['reason'], string> = {
  size: 'too large',
  count: 'too many files',
  binary: 'binary',
  'symlink-outside': 'a symlink out of the project',
  'symlink-dir': 'a symlink to a directory',
  unreadable: 'unreadable',
  excluded: 'excluded by the source rules',
  secret: 'can hold secrets',
  name: 'a line break in its name',
};

/** Why a file was not staged, in words: `too large: 2000000 bytes, over the limit of 1048576`. */
export function describeSkip(file: SkippedFile): string {
  return `${SKIP_REASONS[file.reason]}${file.detail ? `: ${file.detail}` : ''}`;
}
