/**
 * The Run object: the one documented value every hook receives.
 */
import type { FlagValue } from '../transformers/types.js';
import { asSlurmRemote, type SlurmRemote } from './executors/slurm-options.js';
import { checkPluginAttr, GUILD_STAGE_ATTR, writeAttr } from './records/attrs.js';
import { withoutSecrets } from './records/env.js';
import type { RunRecord } from './records/read-run.js';
import type { BatchRole, RunStatus } from './run-status.js';

export type { BatchRole, RunStatus } from './run-status.js';

/**
 * A run: what every hook receives, and what `openRun` gives back. Its fields are the run's
 * state at the hook's moment; `setAttr` is how a plugin adds to the run's records.
 */
export class Run {
  /** 32 lower-case hex characters (a UUID without dashes). */
  declare id: string;
  /** Absolute path of the run directory. */
  declare dir: string;
  /** Absolute path of the project the source was copied from. */
  declare projectDir: string;
  /** What was run, relative to the project, e.g. `train.py`. */
  declare opspec: string;
  /** Flag values as typed data, after decoding and validation. */
  declare flags: Record<string, FlagValue>;
  /**
   * Values given for names the script does not declare (`--force-flags`): not flags of the
   * script, they reach it only as `FLAG_*` variables in `env`.
   */
  declare forced: Record<string, FlagValue>;
  /** The argv that runs (or ran) the script, with the run directory as cwd. */
  declare cmd: string[];
  /**
   * Variables the run sets on top of the inherited environment: `RUN_DIR`, `RUN_ID`,
   * `FLAG_*`, and whatever a plugin adds before the script starts.
   */
  declare env: Record<string, string>;
  declare status: RunStatus;
  /** ISO 8601 in JSON. */
  declare startedAt: Date | null;
  declare stoppedAt: Date | null;
  /** The script's exit code; a negative signal number when a signal ended it (as Python's Popen). */
  declare exitStatus: number | null;
  /** Where the run executes when not here: its Slurm job and node; null for a local run. */
  declare remote: SlurmRemote | null;
  declare batch: BatchRole;
  /** A short human label, `lr=0.1 epochs=5` by default. */
  declare label: string;
  /** Why the run ended without its script's own exit: a hook failed or was stopped, the script never started, guild-stage failed. */
  declare error: string | null;

  constructor(info: RunInfo) {
    Object.assign(this, info);
  }

  /** A run about to be staged: nothing has run yet. `RUN_DIR` and `RUN_ID` join its env. */
  static staged(init: Omit<RunInfo, 'status' | 'startedAt' | 'stoppedAt' | 'exitStatus' | 'error'>): Run {
    return new Run({
      ...init,
      env: { ...init.env, RUN_DIR: init.dir, RUN_ID: init.id },
      status: 'staged',
      startedAt: null,
      stoppedAt: null,
      exitStatus: null,
      error: null,
    });
  }

  /** A recorded run as its directory tells it; `env` is what guild-stage recorded it sets. */
  static fromRecord(record: RunRecord & { status: RunStatus }, env: Record<string, string>): Run {
    const { cmd } = record.attrs;
    const forced = (record.attrs[GUILD_STAGE_ATTR] as { forced?: unknown } | undefined)?.forced;
    return new Run({
      id: record.id,
      dir: record.dir,
      projectDir: record.projectDir,
      opspec: record.opspec,
      flags: record.flags,
      forced: forced && typeof forced === 'object' ? (forced as Record<string, FlagValue>) : {},
      cmd: Array.isArray(cmd) ? cmd.map(String) : [],
      env: { ...env, RUN_DIR: record.dir, RUN_ID: record.id },
      status: record.status,
      startedAt: record.started,
      stoppedAt: record.stopped,
      exitStatus: record.exitStatus,
      remote: asSlurmRemote(record.attrs.remote),
      batch: record.batch,
      label: record.label ?? '',
      error: record.error,
    });
  }

  /**
   * Records a plugin's own attr: writes `.guild/attrs/NAME` in Guild's YAML form, where
   * `guild runs info` and `guild compare` read attrs. `value` is YAML data (null, booleans,
   * numbers, strings, arrays and plain objects of them). A name that is not a plain file name
   * or is one of Guild's own attrs (`label`, `flags`, `exit_status`, ...) is refused: the run's
   * records stay what guild-stage and Guild wrote. Setting it again replaces the value.
   */
  async setAttr(name: string, value: unknown): Promise<void> {
    checkPluginAttr(name, value);
    await writeAttr(this.dir, name, value);
  }

  get isBatchRun(): boolean {
    return this.batch?.role === 'batch';
  }

  get isBatchTrial(): boolean {
    return this.batch?.role === 'trial';
  }

  /** The first 8 characters of the id, as `guild runs` shows them. */
  get shortId(): string {
    return this.id.slice(0, 8);
  }

  /** Plain data for JSON output and command hooks; secrets never leave through it. */
  toJSON(): RunInfo & { isBatchRun: boolean; isBatchTrial: boolean } {
    return { ...this, env: withoutSecrets(this.env), isBatchRun: this.isBatchRun, isBatchTrial: this.isBatchTrial };
  }
}

type DataKeys<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? never : K }[keyof T];

/** The plain-data form of a Run: its fields, what `toJSON()` gives and command hooks read on stdin. */
export type RunInfo = Pick<Run, Exclude<DataKeys<Run>, 'isBatchRun' | 'isBatchTrial' | 'shortId'>>;

/** `lr=0.1 epochs=5`, the label Guild AI gives a run by default; forced values say so (`seed=3 (forced)`). */
export function defaultLabel(flags: Record<string, FlagValue>, forced: Record<string, FlagValue> = {}): string {
  return [
    ...Object.entries(flags).map(([name, value]) => `${name}=${formatLabelValue(value)}`),
    ...Object.entries(forced).map(([name, value]) => `${name}=${formatLabelValue(value)} (forced)`),
  ].join(' ');
}

/** Values as one types them after `--flags`: `inf` and `nan`, not JavaScript's `Infinity`. */
function formatLabelValue(value: FlagValue): string {
  if (Array.isArray(value)) return `[${value.map(formatLabelValue).join(', ')}]`;
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  return String(value);
}
