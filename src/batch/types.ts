/**
 * What a batch takes and gives back: its options on top of a single run's, its trials, and
 * the outcome of each.
 */
import type { GuildStageError } from '../errors.js';
import type { Stream } from '../exec.js';
import type { RunOutcome, StageOptions } from '../options.js';
import type { RunPlan, ScriptPlan } from '../plan.js';
import type { RunResult } from '../plugins/types.js';
import type { Objective, ObjectiveResult } from '../results/objective.js';
import type { Run } from '../run.js';

export interface BatchOptions extends StageOptions {
  /** At most this many trials (a grid is cut, a random search draws this many; default 20 then). */
  maxTrials?: number;
  /** Seed for random draws; the same seed gives the same trials. */
  randomSeed?: number;
  /** A CSV or JSON file with one row of flag values per trial; `flags` then apply to every row. */
  trialsFile?: string;
  /** Trials running at once (default 1). */
  parallel?: number;
  /** Stop at the first failed trial instead of running them all. */
  failFast?: boolean;
  /** Skip trials whose flags a completed run of the same script already has (Guild's `--needed`). */
  needed?: boolean;
  /** The scalar whose last value picks the best trial, and whether less or more is better. */
  objective?: Objective;
  /** The batch run exists and its trials are planned; nothing has run yet. */
  onBatchStart?: (batch: Run, plan: BatchPlan) => void;
  onTrialStart?: (trial: Trial, run: Run) => void;
  onTrialEnd?: (trial: Trial, outcome: TrialOutcome) => void;
  /** A trial's output, live; `onOutput` is not used for trials. */
  onTrialOutput?: (trial: Trial, stream: Stream, chunk: Buffer) => void;
}

/** One trial: its 1-based index, the values as typed, and its checked plan. */
export interface Trial {
  index: number;
  raw: Record<string, string>;
  plan: RunPlan;
}

export interface BatchPlan {
  script: ScriptPlan;
  trials: Trial[];
  /** How many trials there were before `maxTrials` cut a grid. */
  total: number;
  random: boolean;
  seed: number;
}

/** A trial left out by `needed`, and the completed run that already has its flags. */
export interface SkippedTrial {
  trial: Trial;
  runId: string;
}

/** A trial's run, or why it never became one (its staging failed). */
export type TrialOutcome = { outcome: RunOutcome; error: null } | { outcome: null; error: GuildStageError };

export interface BatchOutcome {
  batch: Run;
  trials: Array<{ trial: Trial } & TrialOutcome>;
  result: RunResult;
  /** The best trial by `objective`, when one was given. */
  best: ObjectiveResult | null;
  /** With `needed`: the trials left out, each with the completed run that has its flags. */
  skipped: SkippedTrial[];
  /** With the Slurm executor: the job array that ran (or, detached, runs) the trials. */
  jobId?: string;
}
