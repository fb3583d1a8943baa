/**
 * Batch runs, as in Guild AI: one batch run (onRunBegin/onRunEnd only) whose body runs each
 * trial as a full run through the runner. This module only schedules trials and totals
 * their outcomes: the plan and the source selection are made once, every run's work is the
 * runner's.
 */
import { GuildStageError, toGuildStageError } from '../errors.js';
import { assignmentsOf } from '../plan.js';
import { writeAttr } from '../records/attrs.js';
import { updateOwnAttr } from '../records/lifecycle.js';
import { readScalarSummary } from '../records/scalar-summary.js';
import { bestTrial, type Objective, type ObjectiveResult } from '../results/objective.js';
import type { Run } from '../run.js';
import { type Ending, runLifecycle } from '../run-lifecycle.js';
import { createBatchRun, driverFor, openSource, type RunSource, runOne, withRunStop } from '../runner.js';
import { openRunsDir } from '../stage/run-dir.js';
import { type RunStop, signalStatus, Stopped } from '../stop.js';
import { neededTrials } from './needed.js';
import { planBatch } from './plan-batch.js';
import type { BatchOptions, BatchOutcome, BatchPlan, TrialOutcome } from './types.js';

/** Runs a batch: the batch run, and each trial as a full run, up to `parallel` at once. */
export async function runBatch(opts: BatchOptions): Promise<BatchOutcome> {
  // The Slurm executor loads only for Slurm batches, and is checked before anything is made.
  const slurm = opts.executor?.type === 'slurm' ? await import('../executors/slurm-batch.js') : null;
  const planned = await planBatch(opts);
  if (slurm) await slurm.checkSlurmRun(opts);
  const runsDir = await openRunsDir(opts);
  const { run: needed, skipped } = opts.needed
    ? await neededTrials(planned, runsDir)
    : { run: planned.trials, skipped: [] };
  const plan = { ...planned, trials: needed };
  const source = await openSource(opts, plan.script, runsDir);
  return withRunStop(opts, async (stop) => {
    const driver = driverFor(opts, stop);
    const batch = await createBatchRun(opts, plan.script, runsDir, {
      ...batchFlags(opts, plan),
      label: batchLabel(plan, plan.trials.length, skipped.length),
      plugins: driver.plugins.map((plugin) => plugin.name),
    });
    if (skipped.length > 0) {
      const record = skipped.map(({ trial, runId }) => ({ index: trial.index, run: runId }));
      await updateOwnAttr(batch, { skipped: record });
    }
    opts.onBatchStart?.(batch, plan);
    const results: BatchOutcome['trials'] = [];
    let best: ObjectiveResult | null = null;
    const submitted = { jobId: null as string | null };
    const result = await runLifecycle(batch, driver, stop, async () => {
      const ending = slurm
        ? await slurm.runTrialsOnSlurm(opts, plan, batch, source, results, stop, submitted)
        : await runTrials(opts, plan, batch, source, results, stop);
      // A batch cut short (--fail-fast, a signal) says in its label how many trials ran.
      if (results.length < plan.trials.length && !opts.detach) {
        batch.label = batchLabel(plan, results.length, skipped.length);
        await writeAttr(batch.dir, 'label', batch.label);
      }
      // Recorded before onRunEnd, so the batch's end hooks and its records both know the best trial.
      if (opts.objective) best = await scoreTrials(opts, batch, opts.objective, results);
      return ending;
    });
    results.sort((a, b) => a.trial.index - b.trial.index);
    return { batch, trials: results, result, best, skipped, ...(submitted.jobId && { jobId: submitted.jobId }) };
  });
}

/** The batch's flags as given; forced names (the same in every trial) apart, as a trial records them. */
function batchFlags(opts: BatchOptions, plan: BatchPlan): { flags: Run['flags']; forced: Run['forced'] } {
  const forcedNames = new Set(Object.keys(plan.trials[0]?.plan.resolved.forced ?? {}));
  const given = assignmentsOf(opts.flags).map(({ name, raw }) => [name, raw] as const);
  return {
    flags: Object.fromEntries(given.filter(([name]) => !forcedNames.has(name))),
    forced: Object.fromEntries(given.filter(([name]) => forcedNames.has(name))),
  };
}

/** `9 trials (seed 7)`, `2 of 9 trials ran` for a batch cut short, `, 3 skipped (--needed)` after either. */
function batchLabel(plan: BatchPlan, ran: number, skipped: number): string {
  const seed = plan.random ? ` (seed ${plan.seed})` : '';
  const left = skipped > 0 ? `, ${skipped} skipped (--needed)` : '';
  return ran < plan.trials.length
    ? `${ran} of ${plan.trials.length} trials ran${seed}${left}`
    : `${plan.trials.length} trials${seed}${left}`;
}

/** The best trial by the objective, from each trial's scalar summary; recorded in the batch run. */
async function scoreTrials(
  opts: BatchOptions,
  batch: Run,
  objective: Objective,
  results: BatchOutcome['trials'],
): Promise<ObjectiveResult> {
  const scored = await Promise.all(
    results.flatMap(({ trial, outcome }) => {
      if (!outcome) return [];
      const { run } = outcome;
      return [
        readScalarSummary(run.dir)
          .catch((error: unknown) => {
            opts.onWarning?.(toGuildStageError('SOURCE', error));
            return undefined;
          })
          .then((summary) => ({
            index: trial.index,
            id: run.id,
            flags: run.flags,
            value: summary?.scalars[objective.scalar]?.last,
          })),
      ];
    }),
  );
  const unstaged = results.filter(({ outcome }) => !outcome).map(({ trial }) => trial.index);
  const scoredResult = bestTrial(objective, scored);
  const outcome = { ...scoredResult, missing: [...scoredResult.missing, ...unstaged].sort((a, b) => a - b) };
  await updateOwnAttr(batch, { objective, best: outcome.best });
  return outcome;
}

async function runTrials(
  opts: BatchOptions,
  plan: BatchPlan,
  batch: Run,
  source: RunSource,
  results: BatchOutcome['trials'],
  runStop: RunStop,
): Promise<Ending> {
  const queue = [...plan.trials];
  const running = new Set<AbortController>();
  let failed = 0;
  // Each trial is its own run with its own RunStop, which hears the batch's stop through its abort.
  const stop = (reason?: Stopped) => {
    queue.length = 0;
    for (const controller of running) controller.abort(reason);
  };
  const unlisten = runStop.on((request) => stop(new Stopped(request)));
  const ids = batch.batch?.role === 'batch' ? batch.batch.trials : [];
  // The batch's record lists each trial once it is staged, so a batch cut short by anything
  // still names every trial it made. The writes are chained in order, and off the path from
  // one trial to the next.
  let recorded: Promise<void> = Promise.resolve();
  let recordError: unknown;
  const recordTrials = () => {
    recorded = recorded
      .then(() => updateOwnAttr(batch, { batch: batch.batch }))
      .catch((error: unknown) => {
        recordError ??= error;
      });
  };

  const worker = async () => {
    for (let trial = queue.shift(); trial; trial = queue.shift()) {
      const current = trial;
      const controller = new AbortController();
      running.add(controller);
      let entry: TrialOutcome;
      try {
        const outcome = await runOne(
          {
            ...opts,
            label: undefined,
            batch: { role: 'trial', batchId: batch.id, index: current.index },
            forwardSignals: false,
            guardProcess: false,
            signal: controller.signal,
            onOutput: (stream, chunk) => opts.onTrialOutput?.(current, stream, chunk),
            onStaged: (staged) => {
              ids.push(staged.run.id);
              recordTrials();
              opts.onTrialStart?.(current, staged.run);
            },
          },
          current.plan,
          source,
        );
        entry = { outcome, error: null };
      } catch (error) {
        entry = { outcome: null, error: toGuildStageError('STAGE', error) };
      } finally {
        running.delete(controller);
      }
      results.push({ trial: current, ...entry });
      opts.onTrialEnd?.(current, entry);
      if (entry.outcome?.run.status !== 'completed') {
        failed++;
        if (opts.failFast) stop();
      }
    }
  };
  try {
    const workers = Math.max(1, Math.min(opts.parallel ?? 1, plan.trials.length));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    unlisten();
    await recorded;
  }
  if (recordError) throw recordError;
  const signal = runStop.first?.signal;
  if (signal) return { status: 'terminated', exitStatus: signalStatus(signal), signal, error: null };
  const notRun = plan.trials.length - results.length;
  if (failed === 0 && notRun === 0) return { status: 'completed', exitStatus: 0, signal: null, error: null };
  const why = `${failed} of ${plan.trials.length} trials failed${notRun ? `, ${notRun} not run (--fail-fast)` : ''}`;
  return { status: 'error', exitStatus: 1, signal: null, error: new GuildStageError('EXEC', why) };
}
