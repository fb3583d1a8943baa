/**
 * What `compareRuns` takes and gives: one row per run with its flags and scalar summaries.
 */
import type { FlagValue } from '../../transformers/types.js';
import type { GuildStageError } from '../errors.js';
import type { TagSummary } from '../records/scalar-summary.js';
import type { BatchRole, RunStatus } from '../run-status.js';

/** Which value of a scalar's summary a column shows and sorts by. */
export type SummaryField = 'last' | 'min' | 'max' | 'first';

export interface CompareOptions {
  /** Default: the current directory (run references and directories resolve from it). */
  cwd?: string;
  /** Default `$GUILD_HOME/runs`. */
  runsDir?: string;
  /** Only runs with one of these statuses. */
  status?: readonly RunStatus[];
  /**
   * `[-]NAME`: a column (`run`, `script`, `status`, `label`, `started`, `time`, `step`), a
   * scalar or a flag (`=NAME`: the flag, when a scalar has the same name); `-` for descending.
   * Runs without the value come last either way. Default: newest first.
   */
  sort?: string;
  /** At most this many rows, after filtering and sorting. */
  limit?: number;
  /** The summary value each named scalar shows and sorts by; `last` for the others. */
  show?: Readonly<Record<string, SummaryField>>;
  /** Include batch runs themselves (default: only their trials, as `guild compare`). */
  includeBatch?: boolean;
}

/** One run as `compare` shows it. */
export interface CompareRow {
  id: string;
  runDir: string;
  opspec: string;
  status: RunStatus;
  label: string | null;
  flags: Record<string, FlagValue>;
  /** Values forced for names the script does not declare (`--force-flags`): they reached it only as `FLAG_*` variables. */
  forced: Record<string, FlagValue>;
  /** By Guild's scalar key; empty when the run has none or an event file of it is bad (see `warnings`). */
  scalars: Record<string, TagSummary>;
  startedAt: Date | null;
  stoppedAt: Date | null;
  /** From start to stop, or to now while running; null when it never started. */
  durationMs: number | null;
  /** The step of `loss`, else of the first scalar the run has (Guild's `step` column). */
  step: number | null;
  exitStatus: number | null;
  batch: BatchRole;
}

export interface CompareResult {
  runs: CompareRow[];
  /** Every flag name of the rows, forced ones included, in natural order. */
  flags: string[];
  /** Every scalar key of the rows, in natural order. */
  scalars: string[];
  /** What did not stop the comparison: runs that could not be read, bad event files. */
  warnings: GuildStageError[];
}
