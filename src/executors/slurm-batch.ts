/**
 * A batch's trials on Slurm: every trial staged here as the runner stages any run, then all
 * of them submitted as one job array (`--array=0-N%parallel`, so Slurm does the queueing),
 * then followed until each has ended. The batch run stays here: its hooks run here and it
 * totals its trials as a local batch does.
 */
import type { BatchOptions, BatchOutcome, BatchPlan, Trial, TrialOutcome } from '../batch/types.js';
import { GuildStageError, toGuildStageError } from '../errors.js';
import type { StagedRun } from '../options.js';
import { updateOwnAttr } from '../records/lifecycle.js';
import type { Run } from '../run.js';
import type { Ending } from '../run-lifecycle.js';
import { leaveStaged, type RunSource, stage } from '../runner.js';
import { type RunStop, signalStatus } from '../stop.js';
import { scancel } from './slurm-commands.js';
import { submitRuns, waitForJob } from './slurm.js';
import { slurmOptionsOf } from './slurm-run.js';

export { checkSlurmRun } from './slurm-run.js';

/** What a detached batch submitted: the job array and its runs. */
export interface SubmittedBatch {
  jobId: string | null;
}

export async function runTrialsOnSlurm(
  opts: BatchOptions,
  plan: BatchPlan,
  batch: Run,
  source: RunSource,
  results: BatchOutcome['trials'],
  stop: RunStop,
  submitted: SubmittedBatch,
): Promise<Ending> {
  const ids = batch.batch?.role === 'batch' ? batch.batch.trials : [];
  const staged: Array<{ trial: Trial; staged: StagedRun }> = [];
  for (const trial of plan.trials) {
    if (stop.first) break;
    let entry: TrialOutcome | null = null;
    try {
      const { driver: _, ...one } = await stage(
        { ...opts, label: undefined, batch: { role: 'trial', batchId: batch.id, index: trial.index } },
        trial.plan,
        source,
        stop,
      );
      ids.push(one.run.id);
      if (one.result) entry = { outcome: { ...one, result: one.result }, error: null };
      else {
        await leaveStaged(one);
        staged.push({ trial, staged: one });
      }
    } catch (error) {
      entry = { outcome: null, error: toGuildStageError('STAGE', error) };
    }
    if (entry) {
      results.push({ trial, ...entry });
      opts.onTrialEnd?.(trial, entry);
    }
  }
  await updateOwnAttr(batch, { batch: batch.batch });
  if (staged.length > 0 && !stop.first) {
    const job = await submitRuns(
      staged.map(({ staged: one }) => one.run),
      slurmOptionsOf(opts),
      { jobDir: batch.dir, parallel: opts.parallel, name: `guild-stage-${batch.shortId}` },
    );
    submitted.jobId = job.jobId;
    await updateOwnAttr(batch, { slurm_job: job.jobId });
    // Detached, the batch run's end is the submission: its trials go on in Slurm's queue.
    if (opts.detach) return { status: 'completed', exitStatus: 0, signal: null, error: null };
    for (const { trial, staged: one } of staged) opts.onTrialStart?.(trial, one.run);
    await waitForJob(job, stop, {
      onOutput: (run, chunk) => {
        const entry = staged.find(({ staged: one }) => one.run === run);
        if (entry) opts.onTrialOutput?.(entry.trial, 'stdout', chunk);
      },
      onRunEnded: (run, result, index) => {
        const { trial, staged: one } = staged[index]!;
        const entry: TrialOutcome = { outcome: { ...one, run, result }, error: null };
        results.push({ trial, ...entry });
        opts.onTrialEnd?.(trial, entry);
        // --fail-fast: the array's tasks still queued or running are cancelled.
        if (opts.failFast && run.status !== 'completed') void scancel([job.jobId]);
      },
    });
  }
  const signal = stop.first?.signal;
  if (signal) return { status: 'terminated', exitStatus: signalStatus(signal), signal, error: null };
  const failed = results.filter(({ outcome }) => outcome?.run.status !== 'completed').length;
  if (failed === 0) return { status: 'completed', exitStatus: 0, signal: null, error: null };
  const why = `${failed} of ${plan.trials.length} trials failed`;
  return { status: 'error', exitStatus: 1, signal: null, error: new GuildStageError('EXEC', why) };
}
