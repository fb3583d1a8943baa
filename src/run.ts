/**
 * The Run object: the one documented value every hook receives.
 */
import type { FlagValue } from '../transformers/types.js';
import { withoutSecrets } from './records/env.js';

/**
 * `staged`: copied and ready, not started. `running`: the script is executing.
 * `completed`: it exited 0. `error`: it exited non-zero, could not start, or a hook stopped it.
 * `terminated`: it was stopped by a signal (Ctrl-C, SIGTERM, a kill).
 */
export type RunStatus = 'staged' | 'running' | 'completed' | 'error' | 'terminated';

/** How a run relates to a batch: a batch run lists its trials, a trial names its batch. */
export type BatchRole = null | { role: 'batch'; trials: string[] } | { role: 'trial'; batchId: string; index: number };

/** The plain-data form of a Run: what `toJSON()` gives and command hooks read on stdin. */
export interface RunInfo {
  /** 32 lower-case hex characters (a UUID without dashes). */
  id: string;
  /** Absolute path of the run directory. */
  dir: string;
  /** Absolute path of the project the source was copied from. */
  projectDir: string;
  /** What was run, relative to the project, e.g. `train.py`. */
  opspec: string;
  /** Flag values as typed data, after decoding and validation. */
  flags: Record<string, FlagValue>;
  /** The argv that runs (or ran) the script, with the run directory as cwd. */
  cmd: string[];
  /**
   * Variables the run sets on top of the inherited environment: `RUN_DIR`, `RUN_ID`,
   * `FLAG_*`, and whatever a plugin adds before the script starts.
   */
  env: Record<string, string>;
  status: RunStatus;
  /** ISO 8601 in JSON. */
  startedAt: Date | null;
  stoppedAt: Date | null;
  /** The script's exit code; a negative signal number when a signal ended it (as Python's Popen). */
  exitStatus: number | null;
  remote: { host: string } | null;
  batch: BatchRole;
  /** A short human label, `lr=0.1 epochs=5` by default. */
  label: string;
  /** Why the run is in `error` when the script never started or a hook failed. */
  error: string | null;
}

export class Run implements RunInfo {
  id: string;
  dir: string;
  projectDir: string;
  opspec: string;
  flags: Record<string, FlagValue>;
  cmd: string[];
  env: Record<string, string>;
  status: RunStatus;
  startedAt: Date | null;
  stoppedAt: Date | null;
  exitStatus: number | null;
  remote: { host: string } | null;
  batch: BatchRole;
  label: string;
  error: string | null;

  constructor(info: RunInfo) {
    this.id = info.id;
    this.dir = info.dir;
    this.projectDir = info.projectDir;
    this.opspec = info.opspec;
    this.flags = info.flags;
    this.cmd = info.cmd;
    this.env = info.env;
    this.status = info.status;
    this.startedAt = info.startedAt;
    this.stoppedAt = info.stoppedAt;
    this.exitStatus = info.exitStatus;
    this.remote = info.remote;
    this.batch = info.batch;
    this.label = info.label;
    this.error = info.error;
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
    return {
      id: this.id,
      dir: this.dir,
      projectDir: this.projectDir,
      opspec: this.opspec,
      flags: this.flags,
      cmd: this.cmd,
      env: withoutSecrets(this.env),
      status: this.status,
      startedAt: this.startedAt,
      stoppedAt: this.stoppedAt,
      exitStatus: this.exitStatus,
      remote: this.remote,
      batch: this.batch,
      label: this.label,
      error: this.error,
      isBatchRun: this.isBatchRun,
      isBatchTrial: this.isBatchTrial,
    };
  }
}

/** `lr=0.1 epochs=5`, the label Guild AI gives a run by default. */
export function defaultLabel(flags: Record<string, FlagValue>): string {
  return Object.entries(flags)
    .map(([name, value]) => `${name}=${formatLabelValue(value)}`)
    .join(' ');
}

function formatLabelValue(value: FlagValue): string {
  if (Array.isArray(value)) return `[${value.map(formatLabelValue).join(', ')}]`;
  if (value === null) return 'null';
  return String(value);
}
