/**
 * A batch's objective and its best trial: the trial whose last value of the objective
 * scalar is the least (minimize) or the most (maximize). Trials that never printed the
 * scalar, or printed only NaN, are neither best nor worst: they are listed apart.
 */
import type { FlagValue } from '../../transformers/types.js';

export interface Objective {
  scalar: string;
  goal: 'minimize' | 'maximize';
}

/** A trial as the objective sees it: its run and, when it has the scalar, its last value. */
export interface ScoredTrial {
  index: number;
  id: string;
  flags: Record<string, FlagValue>;
  value: number | undefined;
}

export interface BestTrial {
  index: number;
  id: string;
  flags: Record<string, FlagValue>;
  value: number;
}

export interface ObjectiveResult {
  objective: Objective;
  /** Null when no trial has a value of the scalar. */
  best: BestTrial | null;
  /** Trial indexes without a value of the scalar. */
  missing: number[];
}

/** The best trial; ties go to the lower trial index, so the result does not depend on finishing order. */
export function bestTrial(objective: Objective, trials: readonly ScoredTrial[]): ObjectiveResult {
  const sign = objective.goal === 'minimize' ? 1 : -1;
  let best: BestTrial | null = null;
  const missing: number[] = [];
  for (const trial of [...trials].sort((a, b) => a.index - b.index)) {
    const { value } = trial;
    if (value === undefined || Number.isNaN(value)) {
      missing.push(trial.index);
      continue;
    }
    if (best === null || sign * value < sign * best.value) best = { ...trial, value };
  }
  return { objective, best, missing };
}
