/**
 * `run --executor slurm --detach`: stage, submit, and say which job runs it. Waiting runs go
 * through `run`'s usual path, as the engine waits for the job there.
 */
import { type BatchOutcome, type StageOptions, submitRun } from '../engine.js';
import { formatStaged, runJson } from './format.js';
import { println, type CliIO } from './io.js';
import type { StageCliOptions } from './options.js';
import { exitCodeForRun, warn } from './report.js';

/** Submits one run; prints its job id (the run id alone on stdout with -q, as `stage` does). */
export async function submitDetached(io: CliIO, opts: StageOptions, options: StageCliOptions): Promise<number> {
  const talk = !options.quiet && !options.json;
  const submitted = await submitRun({
    ...opts,
    forwardSignals: true,
    guardProcess: true,
    onWarning: (warning) => warn(io, warning, options.quiet),
    onStaged: (staged) => {
      if (talk) for (const line of formatStaged(staged)) println(io.stderr, line);
    },
  });
  const { run, jobId } = submitted;
  if (options.json) println(io.stdout, JSON.stringify({ ...runJson(run, submitted), jobId }));
  else if (jobId === null) println(io.stderr, `Run ${run.shortId} ended in ${run.status} while staging: not submitted`);
  else {
    if (talk) println(io.stderr, `Submitted run ${run.shortId} as Slurm job ${jobId}`);
    println(io.stdout, jobId);
  }
  return jobId === null ? exitCodeForRun(run.status, run.exitStatus) : 0;
}

/** A detached batch: its job array's id on stdout, its trials' runs on stderr. */
export function printSubmittedBatch(io: CliIO, outcome: BatchOutcome, options: StageCliOptions): number {
  const { batch, jobId } = outcome;
  const trials = batch.batch?.role === 'batch' ? batch.batch.trials : [];
  if (options.json) {
    println(io.stdout, JSON.stringify({ id: batch.id, runDir: batch.dir, status: batch.status, jobId, trials }));
    return 0;
  }
  if (!options.quiet) {
    println(io.stderr, `Batch ${batch.shortId}: ${trials.length} trials submitted as Slurm job array ${jobId}`);
    println(
      io.stderr,
      `  trials: ${trials.map((id) => id.slice(0, 8)).join(' ')}; guild-stage runs --batch ${batch.shortId} follows them`,
    );
  }
  println(io.stdout, jobId ?? '');
  return 0;
}
