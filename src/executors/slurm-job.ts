/**
 * The job script a Slurm job runs: it picks its run (by array task for a batch), runs the
 * setup lines, then becomes `guild-stage start <run>` with the same node and guild-stage that
 * submitted it. Pure: the text only.
 */
import { shlexQuote } from '../shlex.js';

export interface JobScript {
  /** Run directories; an array job's task N starts the Nth. */
  runDirs: readonly string[];
  /** Shell lines run first (`module load ...`, `conda activate ...`). */
  setup: readonly string[];
  /** The argv that is `guild-stage` on the node: the absolute node and CLI paths. */
  guildStage: readonly string[];
  /** More `start` arguments (`--plugin`, `--hook`, `--kill-grace`). */
  startArgs: readonly string[];
}

export function jobScript(job: JobScript): string {
  const runs = job.runDirs.map(shlexQuote).join(' ');
  return [
    '#!/bin/bash',
    '# Written by guild-stage: starts a staged run on the node, where its hooks, output and records happen.',
    `runs=(${runs})`,
    'run_dir=${runs[${SLURM_ARRAY_TASK_ID:-0}]}',
    ...job.setup,
    // exec: Slurm's SIGTERM (scancel, the time limit) reaches guild-stage itself, which stops the
    // script and records the run terminated before Slurm's SIGKILL.
    `exec ${[...job.guildStage.map(shlexQuote), 'start', '"$run_dir"', ...job.startArgs.map(shlexQuote)].join(' ')} --quiet`,
    '',
  ].join('\n');
}
