/**
 * `guild-stage runs rm|restore|purge`: deleted runs go to Guild's trash
 * (`$GUILD_HOME/trash/runs`), where `runs --deleted` and `guild runs --deleted` list them.
 */
import type { Command } from 'commander';
import { deleteRuns, purgeRuns, type RunRecord, restoreRuns } from '../engine.js';
import { println, type CliIO } from './io.js';
import { addRunsDirOption, runsLocationOf } from './options.js';

const RUNS_ARG = 'run indexes, ids, unique id prefixes or run directories';

interface TrashCliOptions {
  yes?: boolean;
}

export function registerRunsTrash(runs: Command, io: CliIO): void {
  addRunsDirOption(
    runs
      .command('rm')
      .description('delete runs: move them to the trash, from where `runs restore` brings them back')
      .argument('<runs...>', RUNS_ARG),
  ).action(async (refs: string[], _options: TrashCliOptions, command: Command) => {
    const deleted = await deleteRuns(refs, await runsLocationOf(command, io));
    println(io.stderr, `Deleted ${count(deleted)}: ${ids(deleted)} (guild-stage runs --deleted lists them)`);
  });

  addRunsDirOption(
    runs
      .command('restore')
      .description('move deleted runs back from the trash')
      .argument('<runs...>', `${RUNS_ARG}, as runs --deleted lists them`),
  ).action(async (refs: string[], _options: TrashCliOptions, command: Command) => {
    const restored = await restoreRuns(refs, await runsLocationOf(command, io));
    println(io.stderr, `Restored ${count(restored)}: ${ids(restored)}`);
  });

  addRunsDirOption(
    runs
      .command('purge')
      .description('delete runs of the trash for good; asks first unless -y')
      .argument('<runs...>', `${RUNS_ARG}, as runs --deleted lists them`)
      .option('-y, --yes', "don't ask (needed when stdin is not a terminal)"),
  ).action(async (refs: string[], options: TrashCliOptions, command: Command) => {
    const purged = await purgeRuns(refs, {
      ...(await runsLocationOf(command, io)),
      confirm: async (runs) => {
        if (options.yes) return true;
        const lines = runs.map((run) => `  ${run.id.slice(0, 8)}  ${run.opspec}  ${run.label ?? ''}`.trimEnd());
        // readline loads only when someone is asked.
        const { confirm } = await import('./confirm.js');
        return confirm(io, lines, `Permanently delete ${count(runs)}?`, '-y');
      },
    });
    println(io.stderr, purged.length ? `Permanently deleted ${count(purged)}: ${ids(purged)}` : 'Nothing deleted');
  });
}

function count(runs: readonly RunRecord[]): string {
  return `${runs.length} run${runs.length === 1 ? '' : 's'}`;
}

function ids(runs: readonly RunRecord[]): string {
  return runs.map((run) => run.id.slice(0, 8)).join(', ');
}
