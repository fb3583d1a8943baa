/**
 * A batch's trials, planned before anything runs: the script is located and discovered
 * once, and every trial's values are decoded and checked, so one bad value fails the whole
 * batch before its first trial starts.
 */
import path from 'node:path';
import type { FlagType } from '../../transformers/types.js';
import { GuildStageError } from '../errors.js';
import type { FlagAssignment } from '../flags/parse.js';
import { assignmentsOf, planFlags, planScript, type ScriptPlan } from '../plan.js';
import { checkProtoFlags } from '../proto.js';
import { checkFlagArgs, checkHookCommands, warnForced } from '../runner.js';
import { cellError, readTrialsFile, type TrialsFile } from './trials-file.js';
import { expandTrials } from './trials.js';
import type { BatchOptions, BatchPlan } from './types.js';

function types(script: ScriptPlan): Record<string, FlagType> {
  return Object.fromEntries((script.sites ?? []).map((site) => [site.name, site.type]));
}

/** Each value of the trials file checked on its own, so an error names its cell. */
function checkCells(script: ScriptPlan, trials: TrialsFile, force: boolean): void {
  for (const [index, row] of trials.rows.entries()) {
    for (const [name, raw] of Object.entries(row)) {
      try {
        planFlags(script, [{ name, raw }], force);
      } catch (error) {
        throw error instanceof GuildStageError ? cellError(trials, index, name, error) : error;
      }
    }
  }
}

async function trialRows(opts: BatchOptions, script: ScriptPlan, assignments: FlagAssignment[]) {
  const trials = opts.trialsFile
    ? await readTrialsFile(path.resolve(opts.cwd ?? process.cwd(), opts.trialsFile))
    : undefined;
  if (trials) checkCells(script, trials, opts.forceFlags ?? false);
  return expandTrials(assignments, {
    rows: trials?.rows,
    maxTrials: opts.maxTrials,
    seed: opts.randomSeed,
    types: types(script),
  });
}

/** Every trial of the batch, decoded and checked: one bad value fails before anything runs. */
export async function planBatch(opts: BatchOptions): Promise<BatchPlan> {
  const script = await planScript({ ...opts, cwd: opts.cwd ?? process.cwd() });
  const expansion = await trialRows(opts, script, assignmentsOf(opts.flags));
  const trials = expansion.trials.map((raw, i) => ({
    index: i + 1,
    raw,
    plan: planFlags(
      script,
      Object.entries(raw).map(([name, value]) => ({ name, raw: value })),
      opts.forceFlags ?? false,
    ),
  }));
  if (trials.length === 0) throw new GuildStageError('USAGE', 'the batch has no trials');
  for (const trial of trials) {
    if (opts.proto) checkProtoFlags(opts.proto, trial.plan.resolved.flags);
    checkFlagArgs(trial.plan, opts.exec);
  }
  await checkHookCommands(opts.hooks, script.projectDir);
  // Once for the batch: every trial forces the same names.
  warnForced(trials[0]!.plan.resolved.forced, script, opts);
  return { script, trials, total: expansion.total, random: expansion.random, seed: expansion.seed };
}
