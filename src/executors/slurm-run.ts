/**
 * A single run on Slurm: checked, planned and staged here as any run (onRunStaged runs on
 * this host), then submitted as one job whose node runs the rest of its lifecycle.
 */
import { GuildStageError } from '../errors.js';
import type { RunOutcome, StagedRun, StageOptions } from '../options.js';
import { resolveRunsDir } from '../records/runs-home.js';
import { leaveStaged, openSource, prepareRun, stage, withRunStop } from '../runner.js';
import { openRunsDir } from '../stage/run-dir.js';
import { checkSlurm } from './slurm-commands.js';
import type { SlurmOptions } from './slurm-options.js';
import { submitRuns, unsharedRunsDirWarning, waitForJob } from './slurm.js';

/** A run staged here and submitted: its job id. */
export interface SubmittedRun extends StagedRun {
  jobId: string | null;
}

/** The Slurm options of `opts`, which must name the Slurm executor. */
export function slurmOptionsOf(opts: StageOptions): SlurmOptions {
  if (opts.executor?.type !== 'slurm') throw new GuildStageError('USAGE', 'not a Slurm run');
  const { type: _, ...slurm } = opts.executor;
  return slurm;
}

/** What is checked before a Slurm run or batch stages anything: Slurm is there, the runs directory is shared. */
export async function checkSlurmRun(opts: StageOptions): Promise<void> {
  const warning = unsharedRunsDirWarning(resolveRunsDir({ runsDir: opts.runsDir, cwd: opts.cwd ?? process.cwd() }));
  if (warning) opts.onWarning?.(warning);
  await checkSlurm(slurmOptionsOf(opts));
}

/**
 * Stages a run and submits it; with `wait`, follows the job until the run has ended. A run
 * whose onRunStaged failed is not submitted: it has ended here, in `error`.
 */
export function runOnSlurm(opts: StageOptions & { detach: true }): Promise<SubmittedRun>;
export function runOnSlurm(opts: StageOptions): Promise<RunOutcome | SubmittedRun>;
export async function runOnSlurm(opts: StageOptions): Promise<RunOutcome | SubmittedRun> {
  const slurm = slurmOptionsOf(opts);
  await checkSlurmRun(opts);
  const plan = await prepareRun(opts);
  const runsDir = await openRunsDir(opts);
  const source = await openSource(opts, plan, runsDir);
  return withRunStop(opts, async (stop) => {
    const { driver: _, ...staged } = await stage(opts, plan, source, stop);
    opts.onStaged?.(staged);
    if (staged.result) return opts.detach ? { ...staged, jobId: null } : { ...staged, result: staged.result };
    await leaveStaged(staged);
    const job = await submitRuns([staged.run], slurm, {
      jobDir: staged.run.dir,
      name: `guild-stage-${staged.run.shortId}`,
    });
    if (opts.detach) return { ...staged, jobId: job.jobId };
    let result: RunOutcome['result'] | undefined;
    await waitForJob(job, stop, {
      onOutput: (_run, chunk) => opts.onOutput?.('stdout', chunk),
      onRunEnded: (_run, ended) => {
        result = ended;
      },
    });
    return { ...staged, result: result! };
  });
}
