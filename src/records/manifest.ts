/**
 * `<run>/.guild/manifest`: one line per source file copied into the run, as Guild AI writes
 * it: `s <path in run> <sha1> <path in project>`, each field shell-quoted. `guild diff` and
 * `guild ls` use it to tell source files from generated ones.
 */
import { createHash } from 'node:crypto';
import { GuildStageError, messageOf } from '../errors.js';
import { guildDir, runFile } from './layout.js';
import { shlexQuote, shlexSplit } from '../shlex.js';
import { makeRunSubdir, readTextIfExists, writeStagingFile } from './files.js';

/** A copied source file. Paths are relative, with `/` separators. */
interface ManifestEntry {
  /** Where the file is in the run directory. */
  path: string;
  /** SHA-1 of its content as copied, in hex. */
  sha1: string;
  /** Where it came from in the project; the same as `path` unless it was moved. */
  sourcePath: string;
}

/** Writes the manifest, replacing any previous one. */
export async function writeManifest(
  runDir: string,
  files: ReadonlyArray<{ path: string; sha1: string; sourcePath?: string }>,
): Promise<void> {
  const text = files.map((f) => formatManifestLine({ ...f, sourcePath: f.sourcePath ?? f.path })).join('');
  const file = runFile(runDir, 'manifest');
  try {
    await makeRunSubdir(runDir, guildDir(runDir));
    await writeStagingFile(file, text);
  } catch (error) {
    throw new GuildStageError('STAGE', `cannot write ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/** One manifest line, with its newline. */
function formatManifestLine(entry: ManifestEntry): string {
  return `${['s', entry.path, entry.sha1, entry.sourcePath].map(shlexQuote).join(' ')}\n`;
}

/**
 * The `sourcecode_digest` attr: an MD5 over each file's path and SHA-1, in path order. Guild
 * compares it between runs to tell whether their source differs; any stable digest of the
 * copied files serves.
 */
export function sourcecodeDigest(files: ReadonlyArray<{ path: string; sha1: string }>): string {
  const md5 = createHash('md5');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    md5.update(file.path).update('\0').update(file.sha1).update('\0');
  }
  return md5.digest('hex');
}

/** The paths in the run of the source files its manifest lists; undefined without a manifest. */
export async function readManifestPaths(runDir: string): Promise<string[] | undefined> {
  const text = await readTextIfExists(runFile(runDir, 'manifest'));
  if (text === undefined) return undefined;
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => shlexSplit(line))
    .filter((fields) => fields[0] === 's' && fields[1] !== undefined)
    .map((fields) => fields[1]!);
}
