/**
 * Run attributes: `<run>/.guild/attrs/<name>`, one YAML document per file, as Guild AI
 * writes and reads them.
 */
import { readdir, rm } from 'node:fs/promises';
import { GuildStageError, messageOf } from '../errors.js';
import type { BatchRole } from '../run-status.js';
import { makeRunSubdir, readTextIfExists, writeFileAtomic } from './files.js';
import { attrFile, guildDir, runFile } from './layout.js';
import { decodeYaml, encodeYaml } from './py-yaml.js';

/**
 * Our own attr, `guild_stage`: what Guild has no attr for. Guild shows it in `guild runs info`
 * and otherwise ignores it.
 */
export interface GuildStageAttr {
  /** The guild-stage version that made the run. */
  version: string;
  /** Why the run is in `error` when a hook stopped it or the script never started. */
  error?: string | null;
  /** Batch membership, as on the Run object. */
  batch?: BatchRole;
  /** Staged files changed before exec, each with the plugins that changed it. */
  changed?: Record<string, string[]>;
  /**
   * Flags whose values reached the script as command-line arguments (they are in `cmd`)
   * rather than written into its source, as their default is not a literal: by name, the arguments.
   */
  flag_args?: Record<string, string[]>;
  [key: string]: unknown;
}

/** The name of the attr holding a {@link GuildStageAttr}. */
export const GUILD_STAGE_ATTR = 'guild_stage';

/**
 * The attrs Guild AI 0.9 itself writes or reads with a meaning (its `CORE_RUN_ATTRS` and the
 * batch and DVC ones), and ours: a plugin's own attr may not take one of these names.
 */
const RESERVED_ATTRS: ReadonlySet<string> = new Set([
  'cmd',
  'comments',
  'compare',
  'deps',
  'dvc',
  'env',
  'exit_status',
  'flags',
  'host',
  'id',
  'initialized',
  'label',
  'marked',
  'max_trials',
  'objective',
  'op',
  'opdef_attrs',
  'pip_freeze',
  'platform',
  'plugins',
  'r_packages_loaded',
  'r_sys_info',
  'random_seed',
  'run_params',
  'sourcecode_digest',
  'stage_trials',
  'started',
  'started_epoch',
  'steps',
  'stopped',
  'tags',
  'trials',
  'user',
  'user_flags',
  'vcs_commit',
  GUILD_STAGE_ATTR,
]);

/**
 * Checks an attr a plugin records (`run.setAttr`): a plain name (letters, digits, `_`, `-`,
 * `.`, not first) that is not one of Guild's or ours, and a value YAML can hold.
 */
export function checkPluginAttr(name: string, value: unknown): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) {
    throw new GuildStageError(
      'USAGE',
      `attr name ${JSON.stringify(name)}: use a plain file name (letters, digits, _ - .; not starting with .)`,
    );
  }
  if (RESERVED_ATTRS.has(name)) {
    throw new GuildStageError('USAGE', `attr name '${name}' is one of Guild's own attrs: choose another name`);
  }
  const bad = unstorable(value);
  if (bad) throw new GuildStageError('USAGE', `attr ${name}: cannot record ${bad} (give YAML data)`);
}

/** What in `value` YAML cannot hold as Guild reads it, or undefined when nothing. */
function unstorable(value: unknown): string | undefined {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return undefined;
  if (Array.isArray(value)) return value.map(unstorable).find((bad) => bad !== undefined);
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    return Object.values(value as object)
      .map(unstorable)
      .find((bad) => bad !== undefined);
  }
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : `a value of type ${typeof value}`;
}

/**
 * Writes one attr. The file is written under another name and renamed into place, so a
 * reader (`guild runs` while we run) never sees half a value.
 */
export async function writeAttr(runDir: string, name: string, value: unknown): Promise<void> {
  checkAttrName(name);
  const file = attrFile(runDir, name);
  try {
    await makeRunSubdir(runDir, runFile(runDir, 'attrs'));
    // Guild lists every file in attrs/ as an attr: the temporary file stays out of it.
    await writeFileAtomic(file, encodeYaml(value), { tempDir: guildDir(runDir) });
  } catch (error) {
    throw new GuildStageError('STAGE', `cannot write run attr ${file}: ${messageOf(error)}`, {
      file,
      cause: error,
    });
  }
}

/** Removes one attr, as Guild's `del_attr`; a run without it is left as it is. */
export async function deleteAttr(runDir: string, name: string): Promise<void> {
  checkAttrName(name);
  const file = attrFile(runDir, name);
  try {
    await rm(file, { force: true });
  } catch (error) {
    throw new GuildStageError('STAGE', `cannot delete run attr ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/** One attr's value, or undefined when the run has no such attr. */
export async function readAttr<T = unknown>(runDir: string, name: string): Promise<T | undefined> {
  checkAttrName(name);
  const file = attrFile(runDir, name);
  const text = await readTextIfExists(file);
  return text === undefined ? undefined : (parseAttr(file, text) as T);
}

/** Every attr of a run by name (empty when it has none). */
export async function readAttrs(runDir: string): Promise<Record<string, unknown>> {
  const names = (await readdir(runFile(runDir, 'attrs')).catch(() => [] as string[]))
    .filter((n) => !n.startsWith('.'))
    .sort();
  const attrs: Record<string, unknown> = {};
  for (const name of names) {
    const file = attrFile(runDir, name);
    const text = await readTextIfExists(file);
    if (text !== undefined) attrs[name] = parseAttr(file, text);
  }
  return attrs;
}

/** Integer microseconds since the epoch, Guild's timestamp unit. */
export function toMicros(date: Date): number {
  return date.getTime() * 1000;
}

/** The Date of a Guild timestamp (microseconds since the epoch). */
export function fromMicros(micros: number): Date {
  return new Date(Math.floor(micros / 1000));
}

function checkAttrName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new GuildStageError('STAGE', `invalid run attr name ${JSON.stringify(name)}: must be a plain file name`);
  }
}

/** Plain integers (timestamps, exit codes) without a YAML parser: most attrs are one. */
const PLAIN_INT = /^-?(?:0|[1-9][0-9]{0,15})\s*$/;

/** One attr file's text as a value; RUN_STATE naming the file when it is not YAML. */
export function parseAttr(file: string, text: string): unknown {
  if (PLAIN_INT.test(text)) return Number(text);
  try {
    return decodeYaml(text);
  } catch (error) {
    throw new GuildStageError('RUN_STATE', `cannot parse run attr ${file}: ${messageOf(error)}`, {
      file,
      cause: error,
    });
  }
}
