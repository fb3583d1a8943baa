/**
 * What the library's entry points accept and give back: the options of a run and of a
 * staging, shared by the engine, the per-run unit and the batch scheduler (whose own
 * options add to these in batch/types.ts).
 */
import type { Edit } from '../transformers/types.js';
import type { GuildStageError } from './errors.js';
import type { Stream } from './exec.js';
import type { PlanInput } from './plan.js';
import type { ExecutorSpec } from './executors/slurm-options.js';
import type { CommandHook } from './plugins/command-hooks.js';
import type { Plugin, RunResult } from './plugins/types.js';
import type { ProtoRef } from './proto.js';
import type { Run } from './run.js';
import type { BatchRole } from './run-status.js';
import type { SourceRules } from './stage/select.js';
import type { SourceExtent } from './stage/extent.js';
import type { SkippedFile } from './stage/skipped.js';
import type { ChangedFile } from './stage/staged-diff.js';

/** What every engine call accepts. */
export interface EngineOptions {
  /** Default: the current directory. */
  cwd?: string;
  /** Where run directories go; default `$GUILD_HOME/runs`. */
  runsDir?: string;
  /** Plugins, in registration order (ties in priority keep it). */
  plugins?: readonly Plugin[];
  /** Command hooks; each runs as a plugin after the plugins above. */
  hooks?: readonly CommandHook[];
  /** The script's output (and command hooks' output), live, chunk by chunk. */
  onOutput?: (stream: Stream, chunk: Buffer) => void;
  /** Failures that do not stop the run: output and end hooks, skipped source files. */
  onWarning?: (warning: GuildStageError) => void;
  /**
   * Termination signals received by this process stop the run (for CLIs): the script's
   * process group, or the hook running at that moment, gets the signal.
   */
  forwardSignals?: boolean;
  /**
   * Uncaught exceptions, unhandled rejections and `process.exit` while the run is running end
   * it as `error` with the reason, instead of the process (for CLIs, which own the process).
   */
  guardProcess?: boolean;
  /** Aborting it terminates the script. */
  signal?: AbortSignal;
  /** Grace period between a termination request and SIGKILL, in ms. */
  killGraceMs?: number;
  /** A hook (plugin or command) still running after this many ms fails; a command hook is stopped. */
  hookTimeoutMs?: number;
}

export interface StageOptions extends EngineOptions, Omit<PlanInput, 'cwd'> {
  source?: SourceRules;
  /** Replaces the command that runs the script (argv). */
  exec?: readonly string[];
  /** Arguments passed to the script after its name. */
  scriptArgs?: readonly string[];
  label?: string;
  /** Variables for the script, on top of the inherited environment. */
  env?: Record<string, string>;
  batch?: BatchRole;
  /** Called once staging is done, before anything runs (e.g. to show what changed). */
  onStaged?: (staged: StagedRun) => void;
  /** The run this one was made from (`protoRunOptions`): recorded, and its flags checked to carry over. */
  proto?: ProtoRef;
  /**
   * Where the run executes once staged: here (`local`, the default), or as a Slurm job whose
   * node runs `guild-stage start` (the runs directory must be shared with the nodes).
   */
  executor?: ExecutorSpec;
  /** With the Slurm executor: return once the jobs are submitted instead of waiting for them. */
  detach?: boolean;
  /** Make the run directory a git repository: the copied source committed, the staged edits left as changes. */
  git?: boolean;
  /**
   * Hard-link unchanged source files into the run instead of copying them. Plugins' edits
   * (StagedSource writes, the flag transformers) replace files and never reach the project,
   * but a script or hook that writes into its own source files in place would.
   */
  link?: boolean;
}

export interface StageOnlyOptions extends StageOptions {
  /** Stage into a temporary directory that is removed again: nothing is created, the patch is returned. */
  dryRun?: boolean;
}

export type { ChangedFile };

/** A flag literal replaced, and the file it is in (the script, or its config file), relative to the source. */
export interface FlagEdit extends Edit {
  file: string;
}

/** A run staged: its Run object, what staging changed, and the patch. */
export interface StagedRun {
  run: Run;
  /** `.guild/staged.patch`: the unified diff of every staged change; empty when nothing changed. */
  patchFile: string;
  /** The patch's text. */
  patch: string;
  changed: ChangedFile[];
  /** The flag literals the transformer replaced. */
  edits: FlagEdit[];
  /** Flags given to the script as command-line arguments (their default is not a literal), by name. */
  flagArgs: Record<string, string[]>;
  skipped: SkippedFile[];
  /** What was copied from the project: files and bytes. */
  source: SourceExtent;
  /** Set when a hook stopped the run while staging: then `run.status` is `error`. */
  result: RunResult | null;
}

/** A run staged and run to its end. */
export interface RunOutcome extends StagedRun {
  result: RunResult;
}
