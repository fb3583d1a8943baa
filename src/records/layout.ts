/**
 * Where a run's records live: `<run>/.guild/`, with the names Guild AI 0.9 reads. Every
 * `.guild` path is built here, so the layout is written down once.
 */
import path from 'node:path';

/** A run's metadata directory; Guild's home directory has the same name. */
export const GUILD_DIR = '.guild';

/** What `<run>/.guild/` holds, by what each entry is for. */
const RUN_FILES = {
  /** A directory of attrs, one YAML document per file. */
  attrs: 'attrs',
  /** The one line telling what the run ran. */
  opref: 'opref',
  /** stdout and stderr as they came. */
  output: 'output',
  /** One record per line of `output`: its time and stream. */
  outputIndex: 'output.index',
  /** The source files copied into the run. */
  manifest: 'manifest',
  /** The source files `--link` shares with the project, as they were linked (ours, not Guild's). */
  linked: 'linked',
  /** First, last, min and max of each scalar the run logged. */
  scalarSummary: 'scalars.json',
  /** The unified diff of every change hooks made to the staged source. */
  stagedPatch: 'staged.patch',
  /** Stamped when hooks start, so their changes can be found afterwards (ours, not Guild's). */
  hooksStarted: '.hooks-started',
  /** Markers: staged and not started, being set up, running (the pid), running remotely. */
  STAGED: 'STAGED',
  PENDING: 'PENDING',
  LOCK: 'LOCK',
  'LOCK.remote': 'LOCK.remote',
} as const;

export type RunFile = keyof typeof RUN_FILES;

/** `<run>/.guild`. */
export function guildDir(runDir: string): string {
  return path.join(runDir, GUILD_DIR);
}

/** The path of one of a run's records. */
export function runFile(runDir: string, file: RunFile): string {
  return path.join(runDir, GUILD_DIR, RUN_FILES[file]);
}

/** The file of one attr; `name` must be a plain file name (the attrs module checks it). */
export function attrFile(runDir: string, name: string): string {
  return path.join(runFile(runDir, 'attrs'), name);
}

/** Whether a path relative to the run directory (either separator) is `.guild` or inside it. */
export function isGuildPath(rel: string): boolean {
  return rel === GUILD_DIR || rel.startsWith(`${GUILD_DIR}/`) || rel.startsWith(`${GUILD_DIR}${path.sep}`);
}
