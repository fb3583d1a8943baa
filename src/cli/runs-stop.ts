/**
 * `guild-stage runs stop RUN...`: stop runs where they run (a Slurm job is cancelled, a local
 * run's guild-stage gets SIGTERM); each run then ends recorded `terminated` (or `error` when
 * its job was still queued).
 */
import type { Command } from 'commander';
import { stopRun } from '../engine.js';
import { println, type CliIO } from './io.js';
import { addRunsDirOption, runsLocationOf } from './options.js';

export function registerRunsStop(runs: Command, io: CliIO): void {
  addRunsDirOption(
    runs
      .command('stop')
      .description('stop runs where they run: cancel their Slurm job, or signal their guild-stage')
      .argument('<runs...>', 'run indexes, ids, unique id prefixes or run directories'),
  ).action(async (refs: string[], _options: unknown, command: Command) => {
    const where = await runsLocationOf(command, io);
    for (const ref of refs) {
      const { run, action } = await stopRun(ref, where);
      const what = action.slurmJob ? `cancelled Slurm job ${action.slurmJob}` : `sent SIGTERM to pid ${action.pid}`;
      println(io.stderr, `Stopping run ${run.id.slice(0, 8)}: ${what}`);
    }
  });
}
