/**
 * What a plot of runs shows, decided from the runs' scalars and flags: which scalar, a curve
 * per run, and for a batch the scalar's last value against each flag that varies. Pure: runs
 * in, the inputs of `renderCurves` and `renderScatter` out; reading runs is the caller's.
 */
import type { FlagValue } from '../../transformers/types.js';
import { GuildStageError } from '../errors.js';
import { nearestName } from '../flags/resolve.js';
import type { CurvePoint, CurveSeries, CurvesInput } from './plot-curves.js';
import type { FlagX, ScatterFlag, ScatterInput } from './plot-scatter.js';

/** A run as a plot sees it. */
export interface PlotRunData {
  id: string;
  label: string | null;
  flags: Record<string, FlagValue>;
  /** Points by scalar key (`loss`, `logs/train#loss`), in the order they were read. */
  scalars: ReadonlyMap<string, readonly CurvePoint[]>;
}

/** Why the plotted scalar is the one it is (see {@link chooseScalar}). */
export type ScalarChoice = 'given' | 'objective' | 'loss' | 'most-runs';

/** Runs plotted when none are named: the newest this many that have scalars. */
export const DEFAULT_PLOT_LIMIT = 20;

/** How many scalar names an error lists before "and N more". */
const MAX_LISTED = 12;

/**
 * The scalar to plot:
 * 1. `given` (`--scalar`), which some run must have;
 * 2. else the batch's objective (`--minimize`/`--maximize`), when some run has it;
 * 3. else `loss`, when some run has it;
 * 4. else the scalar the most runs have; a tie goes to the one met first, reading the runs in
 *    order and each run's scalars in the order it recorded them.
 *
 * Throws `NOT_FOUND` when no run has `given` (listing the scalars there are, with the nearest
 * name as suggestion) or when no run has any scalar.
 */
export function chooseScalar(
  runs: readonly PlotRunData[],
  opts: { given?: string; objective?: string } = {},
): { scalar: string; choice: ScalarChoice } {
  const counts = new Map<string, number>();
  for (const run of runs) for (const key of run.scalars.keys()) counts.set(key, (counts.get(key) ?? 0) + 1);
  if (opts.given !== undefined) {
    if (counts.has(opts.given)) return { scalar: opts.given, choice: 'given' };
    throw unknownScalar(opts.given, [...counts.keys()], runs.length);
  }
  if (counts.size === 0) throw new GuildStageError('NOT_FOUND', `${theRuns(runs.length)} no scalars`);
  if (opts.objective !== undefined && counts.has(opts.objective))
    return { scalar: opts.objective, choice: 'objective' };
  if (counts.has('loss')) return { scalar: 'loss', choice: 'loss' };
  let best = '';
  let most = 0;
  for (const [key, count] of counts) if (count > most) [best, most] = [key, count];
  return { scalar: best, choice: 'most-runs' };
}

function theRuns(n: number): string {
  return n === 1 ? 'the run has' : `the ${n} runs have`;
}

/** `NOT_FOUND` for a scalar none of `runs` runs has, listing the `known` ones and the nearest of them. */
export function unknownScalar(name: string, known: readonly string[], runs: number): GuildStageError {
  if (known.length === 0) return new GuildStageError('NOT_FOUND', `no scalar '${name}': ${theRuns(runs)} no scalars`);
  const sorted = [...known].sort();
  const shown = sorted.slice(0, MAX_LISTED).join(', ');
  const more = sorted.length > MAX_LISTED ? ` and ${sorted.length - MAX_LISTED} more` : '';
  const near = nearestName(name, sorted);
  const where = runs === 1 ? 'the run (its scalars' : `the ${runs} runs (their scalars`;
  return new GuildStageError('NOT_FOUND', `no scalar '${name}' in ${where}: ${shown}${more})`, {
    suggestion: near ? `did you mean ${near}?` : undefined,
  });
}

/**
 * The legend label of each run: its label, or its short id when it has none. Runs that would
 * share a label get their short id after it, so every line can be told apart.
 */
export function runLabels(runs: readonly Pick<PlotRunData, 'id' | 'label'>[]): string[] {
  const base = runs.map((run) => (run.label && run.label.trim() !== '' ? run.label : run.id.slice(0, 8)));
  const seen = new Map<string, number>();
  for (const label of base) seen.set(label, (seen.get(label) ?? 0) + 1);
  return base.map((label, i) => (seen.get(label)! > 1 ? `${label} (${runs[i]!.id.slice(0, 8)})` : label));
}

/** The curves of `scalar`, one series per run that has it, in the runs' order. */
export function curvesInput(runs: readonly PlotRunData[], scalar: string, title?: string): CurvesInput {
  const labels = runLabels(runs);
  const series: CurveSeries[] = [];
  for (const [i, run] of runs.entries()) {
    const points = run.scalars.get(scalar);
    if (points) series.push({ label: labels[i]!, points });
  }
  return { title, scalar, series };
}

/** The value at the largest step; among equal steps the one read last (as the scalar summary keeps it). */
export function lastValue(points: readonly CurvePoint[]): number | undefined {
  let last: CurvePoint | undefined;
  for (const point of points) if (last === undefined || point.step >= last.step) last = point;
  return last?.value;
}

/** The flags whose values are not all the same across `runs`, in the order the runs list them. */
export function varyingFlags(runs: readonly Pick<PlotRunData, 'flags'>[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const run of runs) {
    for (const name of Object.keys(run.flags)) if (!values.has(name)) values.set(name, new Set());
  }
  for (const [name, seen] of values) {
    for (const run of runs) seen.add(name in run.flags ? JSON.stringify(run.flags[name]) : '(unset)');
  }
  return [...values].filter(([, seen]) => seen.size > 1).map(([name]) => name);
}

/** A flag value on a scatter's x axis: lists, null and objects as their JSON text, a category. */
function flagX(value: FlagValue): FlagX {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/**
 * The last value of `scalar` in each run against each flag that varies across the runs (a
 * batch's trials): one panel per flag, a point per run that has the scalar and the flag.
 */
export function scatterInput(runs: readonly PlotRunData[], scalar: string, title?: string): ScatterInput {
  const labels = runLabels(runs);
  const scored = runs.flatMap((run, i) => {
    const y = lastValue(run.scalars.get(scalar) ?? []);
    return y === undefined ? [] : [{ run, y, label: labels[i]! }];
  });
  const flags: ScatterFlag[] = varyingFlags(runs).map((name) => ({
    name,
    points: scored
      .filter(({ run }) => name in run.flags)
      .map(({ run, y, label }) => ({ x: flagX(run.flags[name]), y, label })),
  }));
  return { title, objective: scalar, flags };
}
