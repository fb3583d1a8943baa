/**
 * `run` with batch flags (`lr=[0.1,0.01]`, `range[...]`, `uniform[...]`, `--trials FILE`):
 * one batch run and a full run per trial.
 */
import { type BatchOptions, planBatch, runBatch } from '../engine.js';
import { BatchProgress } from './batch-progress.js';
import { alignColumns, formatBest, formatDuration, formatValue } from './format.js';
import { println, type CliIO } from './io.js';
import type { StageCliOptions } from './options.js';
import { exitCodeForRun, warn } from './report.js';

export interface BatchCliOptions extends StageCliOptions {
  maxTrials?: number;
  randomSeed?: number;
  trials?: string;
  parallel?: number;
  failFast?: boolean;
  printTrials?: boolean;
  needed?: boolean;
}

export function batchOptions(
  options: BatchCliOptions,
): Pick<BatchOptions, 'maxTrials' | 'randomSeed' | 'trialsFile' | 'parallel' | 'failFast' | 'needed'> {
  return {
    maxTrials: options.maxTrials,
    randomSeed: options.randomSeed,
    trialsFile: options.trials,
    parallel: options.parallel,
    failFast: options.failFast,
    needed: options.needed,
  };
}

/** `--print-trials`: the trials as a table (or JSON), nothing created. */
export async function printTrials(io: CliIO, opts: BatchOptions, json: boolean | undefined): Promise<void> {
  const plan = await planBatch(opts);
  const rows = plan.trials.map((trial) => trial.plan.resolved.userFlags);
  if (json)
    return println(
      io.stdout,
      JSON.stringify({ total: plan.total, random: plan.random, seed: plan.seed, trials: rows }),
    );
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const table = [
    ['trial', ...names],
    ...rows.map((row, i) => [String(i + 1), ...names.map((name) => (name in row ? formatValue(row[name]!) : ''))]),
  ];
  for (const line of alignColumns(table)) println(io.stdout, line);
  if (plan.trials.length < plan.total)
    println(io.stderr, `(${plan.trials.length} of ${plan.total} trials, cut by --max-trials)`);
  if (plan.random) println(io.stderr, `(random seed ${plan.seed})`);
}

/** Runs the batch with progress; returns the exit code. */
export async function runBatchCommand(io: CliIO, opts: BatchOptions, options: BatchCliOptions): Promise<number> {
  let progress: BatchProgress | undefined;
  const outcome = await runBatch({
    ...opts,
    forwardSignals: true,
    guardProcess: true,
    onWarning: (warning) => warn(io, warning, options.quiet),
    onStaged: undefined,
    onTrialStart: (trial, run) => progress?.trialStarted(trial, run),
    onTrialEnd: (trial, entry) => progress?.trialEnded(trial, entry),
    onTrialOutput: (trial, stream, chunk) => progress?.output(trial, stream, chunk),
    onBatchStart: (batch, plan) => {
      progress = new BatchProgress(io, {
        total: plan.trials.length,
        parallel: opts.parallel ?? 1,
        out: options.json ? io.stderr : io.stdout,
        quiet: Boolean(options.quiet || options.json),
      });
      if (!options.quiet && !options.json) println(io.stderr, `Batch ${batch.shortId}: ${batch.label}`);
    },
  });
  const summary = progress?.finish(outcome.trials) ?? [];
  const { batch, result } = outcome;
  if (opts.detach && outcome.jobId) {
    const { printSubmittedBatch } = await import('./slurm.js');
    return printSubmittedBatch(io, outcome, options);
  }
  if (!options.quiet && !options.json) {
    for (const line of summary) println(io.stderr, line);
    for (const { trial, runId } of outcome.skipped) {
      println(
        io.stderr,
        `  trial ${trial.index} skipped (--needed): run ${runId.slice(0, 8)} completed with its flags`,
      );
    }
    if (outcome.best) for (const line of formatBest(outcome.best, outcome.trials)) println(io.stderr, line);
    const failed = outcome.trials.filter((t) => t.outcome?.run.status !== 'completed').length;
    println(
      io.stderr,
      `Batch ${batch.shortId} ${result.status}: ${outcome.trials.length} trials run, ${failed} failed${outcome.skipped.length > 0 ? `, ${outcome.skipped.length} skipped` : ''}, in ${formatDuration(result.durationMs)}`,
    );
  }
  if (options.json) {
    println(
      io.stdout,
      JSON.stringify({
        id: batch.id,
        runDir: batch.dir,
        status: batch.status,
        exitStatus: batch.exitStatus,
        flags: batch.flags,
        forced: batch.forced,
        ...(outcome.best && {
          objective: outcome.best.objective,
          best: outcome.best.best && {
            id: outcome.best.best.id,
            index: outcome.best.best.index,
            flags: outcome.best.best.flags,
            value: outcome.best.best.value,
          },
          missing: outcome.best.missing,
        }),
        trials: outcome.trials.map(({ trial, outcome: o, error }) => ({
          index: trial.index,
          id: o?.run.id ?? null,
          runDir: o?.run.dir ?? null,
          status: o?.run.status ?? 'error',
          flags: o?.run.flags ?? trial.plan.resolved.flags,
          forced: o?.run.forced ?? trial.plan.resolved.forced,
          exitStatus: o?.run.exitStatus ?? null,
          error: error?.message ?? o?.run.error ?? null,
        })),
        skipped: outcome.skipped.map(({ trial, runId }) => ({
          index: trial.index,
          run: runId,
          flags: trial.plan.resolved.flags,
        })),
      }),
    );
  }
  return exitCodeForRun(batch.status, batch.exitStatus);
}
