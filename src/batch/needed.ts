/**
 * `--needed`, as Guild's: a trial is not needed when a completed run of the same script (the
 * same project and opspec, Guild's opref) already has exactly its flags. Unlike Guild, which
 * also counts `terminated` runs as done, only `completed` ones do here: a batch cut short by
 * Ctrl-C runs its stopped trials again.
 */
import type { FlagValue } from '../../transformers/types.js';
import { listRuns } from '../records/read-run.js';
import type { BatchPlan, SkippedTrial, Trial } from './types.js';

/** The plan's trials split into those to run and those a completed run in `runsDir` already has. */
export async function neededTrials(
  plan: BatchPlan,
  runsDir: string,
): Promise<{ run: Trial[]; skipped: SkippedTrial[] }> {
  const done = new Map<string, string>();
  // Newest first: a trial names the latest run that has its flags.
  for (const record of await listRuns(runsDir)) {
    if (record.status !== 'completed' || record.batch?.role === 'batch') continue;
    if (record.projectDir !== plan.script.projectDir || record.opspec !== plan.script.opspec) continue;
    const key = flagsKey(record.flags);
    if (!done.has(key)) done.set(key, record.id);
  }
  const run: Trial[] = [];
  const skipped: SkippedTrial[] = [];
  for (const trial of plan.trials) {
    const runId = done.get(flagsKey(trial.plan.resolved.flags));
    if (runId === undefined) run.push(trial);
    else skipped.push({ trial, runId });
  }
  return { run, skipped };
}

/** The same text for the same flags in any order; NaN and infinities kept apart from null. */
function flagsKey(flags: Record<string, FlagValue>): string {
  const sorted = Object.keys(flags)
    .sort()
    .map((name) => [name, flags[name]]);
  return JSON.stringify(sorted, (_, value) =>
    typeof value === 'number' && !Number.isFinite(value) ? `number:${value}` : value,
  );
}
