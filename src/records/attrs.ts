/**
 * Run attributes: `<run>/.guild/attrs/<name>`, one YAML document per file, as Guild AI
 * writes and reads them.
 */
import { closeSync, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { fsReason, GuildStageError, messageOf } from '../errors.js';
import type { BatchRole } from '../run-status.js';
import { makeRunSubdir, writeFileAtomic } from './files.js';
import { attrFile, guildDir, runFile } from './layout.js';
import { decodeYaml, encodePlain, encodeYaml, YAML_LIMITS } from './py-yaml.js';

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
  /**
   * Values given with `--force-flags` for names the script does not declare: they reached the
   * script only as `FLAG_*` variables (in `env`), so Guild's `flags` and `user_flags` leave them out.
   */
  forced?: Record<string, unknown>;
  /**
   * The plugins the run was staged with (the caller's; built-ins and command hooks apart), in
   * order, each with the module it loads from when it was loaded from one: what `start` loads again.
   */
  plugins?: RecordedPlugin[];
  /** The command hooks the run was staged with, in order: what `start` runs again. */
  hooks?: Array<{ event: string; command: string }>;
  [key: string]: unknown;
}

/**
 * A plugin as a run records it: its name, and for a plugin loaded from a module the spec as
 * given and the module's absolute path. Without `module`, a library caller gave the object itself.
 */
export interface RecordedPlugin {
  name: string;
  spec?: string;
  module?: string;
}

/** The name of the attr holding a {@link GuildStageAttr}. */
export const GUILD_STAGE_ATTR = 'guild_stage';

/**
 * Attrs holding environment values (`env`, `op`'s `cmd-env`, ours): the filter drops secret
 * names and masks URL credentials, but a value can still be one, so only the owner reads them.
 */
const PRIVATE_ATTRS = new Set(['env', 'op', GUILD_STAGE_ATTR]);

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
 * reader (`guild runs` while we run) never sees half a value. An attr larger than readers
 * accept (`YAML_LIMITS.bytes`: a script with a hundred thousand flags) is refused, so no
 * run is recorded that its own listing would call unreadable.
 */
export async function writeAttr(runDir: string, name: string, value: unknown): Promise<void> {
  checkAttrName(name);
  const file = attrFile(runDir, name);
  try {
    await makeRunSubdir(runDir, runFile(runDir, 'attrs'));
    const { text, plain } = encodeAttr(value);
    // Guild lists every file in attrs/ as an attr: the temporary file stays out of it.
    await writeFileAtomic(file, text, {
      tempDir: guildDir(runDir),
      mode: PRIVATE_ATTRS.has(name) ? 0o600 : undefined,
    });
    if (plain !== undefined) rememberWritten(plain, value);
  } catch (error) {
    throw attrWriteError(file, error);
  }
}

/**
 * Writes attrs into a run directory that is still being staged, which no reader can see
 * yet (it appears whole, by a rename): each file in place and synchronously, a few system
 * calls where `writeAttr` makes a temporary file, renames it and waits on the thread pool
 * for each step. A batch stages its trials one after the other, so this is paid per trial.
 */
export async function writeStagingAttrs(runDir: string, attrs: Record<string, unknown>): Promise<void> {
  await makeRunSubdir(runDir, runFile(runDir, 'attrs'));
  for (const [name, value] of Object.entries(attrs)) {
    checkAttrName(name);
    const file = attrFile(runDir, name);
    try {
      const { text, plain } = encodeAttr(value);
      writeFileSync(file, text, { flag: 'wx', mode: PRIVATE_ATTRS.has(name) ? 0o600 : 0o666 });
      if (plain !== undefined) rememberWritten(plain, value);
    } catch (error) {
      throw attrWriteError(file, error);
    }
  }
}

/** An attr's text, and the same when written without the yaml library; more than readers accept is an error. */
function encodeAttr(value: unknown): { text: string; plain: string | undefined } {
  const plain = encodePlain(value);
  const text = plain ?? encodeYaml(value);
  const bytes = Buffer.byteLength(text);
  if (bytes > YAML_LIMITS.bytes) throw new Error(`${bytes} bytes, over the limit of ${YAML_LIMITS.bytes} for an attr`);
  return { text, plain };
}

function attrWriteError(file: string, error: unknown): GuildStageError {
  return new GuildStageError('STAGE', `cannot write run attr ${file}: ${messageOf(error)}`, { file, cause: error });
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
  const text = readRecordText(file);
  return text === undefined ? undefined : (parseAttr(file, text) as T);
}

/** Every attr of a run by name (empty when it has none); the first that cannot be read throws. */
export async function readAttrs(runDir: string): Promise<Record<string, unknown>> {
  const attrs: Record<string, unknown> = {};
  for (const name of await attrNames(runDir)) {
    const file = attrFile(runDir, name);
    const text = readRecordText(file);
    if (text !== undefined) attrs[name] = parseAttr(file, text);
  }
  return attrs;
}

/** The names of a run's attrs, sorted (none when it has no attrs directory). */
export async function attrNames(runDir: string): Promise<string[]> {
  return (await readdir(runFile(runDir, 'attrs')).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).sort();
}

/**
 * A record file's text (an attr, the opref), or undefined when it does not exist; `RUN_STATE`
 * naming the file when it cannot be read, is not a regular file, or is larger than any attr is parsed
 * (`YAML_LIMITS.bytes`), found before it is read. Synchronous: a few thousand small files read
 * in a tight loop (`runs`, `compare`) cost less than a thread-pool round trip per file would.
 */
export function readRecordText(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GuildStageError('RUN_STATE', `cannot read ${file}: ${fsReason(error)}`, { file, cause: error });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new GuildStageError('RUN_STATE', `cannot read ${file}: not a regular file`, { file });
    if (st.size > YAML_LIMITS.bytes) {
      throw new GuildStageError(
        'RUN_STATE',
        `cannot read ${file}: ${st.size} bytes, over the limit of ${YAML_LIMITS.bytes} for an attr`,
        { file },
      );
    }
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof GuildStageError) throw error;
    throw new GuildStageError('RUN_STATE', `cannot read ${file}: ${fsReason(error)}`, { file, cause: error });
  } finally {
    closeSync(fd);
  }
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

/**
 * Values this process wrote without the yaml library, by their text: a read-modify-write of
 * `guild_stage` or `op` then needs no YAML parser (and does not load it). Keyed by text, not
 * file: the run directory is renamed after its first records, and a text decodes to one value
 * wherever it lies (the plain writer's tests read every text back). Bounded, for long batches.
 */
const written = new Map<string, unknown>();
const WRITTEN_LIMIT = 256;

function rememberWritten(text: string, value: unknown): void {
  written.delete(text);
  written.set(text, structuredClone(value));
  if (written.size > WRITTEN_LIMIT) written.delete(written.keys().next().value as string);
}

/** Plain integers (timestamps, exit codes) without a YAML parser: most attrs are one. */
const PLAIN_INT = /^-?(?:0|[1-9][0-9]{0,15})\s*$/;

/** One attr file's text as a value; RUN_STATE naming the file when it is not YAML. */
export function parseAttr(file: string, text: string): unknown {
  if (PLAIN_INT.test(text)) return Number(text);
  if (written.has(text)) return structuredClone(written.get(text));
  try {
    return decodeYaml(text);
  } catch (error) {
    throw new GuildStageError('RUN_STATE', `cannot parse run attr ${file}: ${messageOf(error)}`, {
      file,
      cause: error,
    });
  }
}

/**
 * The text of only the `keys` entries of an attr holding a mapping, when it is laid out as
 * PyYAML writes one: keys at column 0, their values on the same line or indented (or `- `
 * items) below. Reading a few keys of our own attr then skips its large ones (the environment,
 * the changed files). Undefined when a line at column 0 is not a plain `key:`: parse it whole.
 */
export function pickTopLevel(text: string, keys: ReadonlySet<string>): string | undefined {
  const picked: string[] = [];
  let keep = false;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(' ') || line.startsWith('- ') || line === '-') {
      if (keep) picked.push(line);
      continue;
    }
    const key = /^([A-Za-z_][A-Za-z0-9_-]*):(?: |$)/.exec(line)?.[1];
    if (key === undefined) return undefined;
    keep = keys.has(key);
    if (keep) picked.push(line);
  }
  return picked.join('\n');
}
