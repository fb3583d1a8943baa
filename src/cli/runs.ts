/**
 * `guild-stage runs`: the runs, newest first.
 */
import type { Command } from 'commander';
import { listRuns, trialObjectives } from '../engine.js';
import { formatRunsTable } from './format.js';
import { println, type CliIO } from './io.js';
import { addRunsDirOption, runsLocation } from './options.js';

export function registerRuns(program: Command, io: CliIO): void {
  const command = program
    .command('runs')
    .description('list runs, newest first')
    .option('--json', 'print the runs as a JSON array');
  addRunsDirOption(command).action(async (options: { runsDir?: string; json?: boolean }) => {
    const runs = await listRuns(await runsLocation(options, io));
    const objectives = await trialObjectives(runs);
    if (options.json) {
      const rows = runs.map(({ id, dir, opspec, status, flags, label, started, stopped, exitStatus, batch }) => ({
        id,
        runDir: dir,
        opspec,
        status,
        flags,
        label,
        startedAt: started,
        stoppedAt: stopped,
        exitStatus,
        batch,
        ...(objectives.has(id) && { objective: objectives.get(id) }),
      }));
      println(io.stdout, JSON.stringify(rows));
      return;
    }
    for (const line of formatRunsTable(runs, objectives)) println(io.stdout, line);
  });
}
