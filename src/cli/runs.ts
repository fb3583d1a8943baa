/**
 * `guild-stage runs`: the runs, newest first, under a header; `runs rm|restore|purge|label|tag|mark`
 * manage them (src/cli/runs-*.ts).
 */
import os from 'node:os';
import type { Command } from 'commander';
import { type ListedRun, listIndexedRuns, modifiedRuns, type RunRecord, trialObjectives } from '../engine.js';
import { STATUSES, statusesOf } from './compare.js';
import { formatRunsTable } from './format.js';
import { println, type CliIO } from './io.js';
import { addRunsDirOption, positiveInt, runsLocation } from './options.js';
import { registerRunsAttrs } from './runs-attrs.js';
import { registerRunsStop } from './runs-stop.js';
import { registerRunsTrash } from './runs-trash.js';

/** Rows `runs` shows unless `-n` or `--all` says otherwise. */
const DEFAULT_LIMIT = 20;

interface RunsCliOptions {
  runsDir?: string;
  json?: boolean;
  limit?: number;
  all?: boolean;
  script?: string;
  status?: string[];
  label?: string;
  batch?: string;
  deleted?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRuns(program: Command, io: CliIO): Command {
  const command = program
    .command('runs')
    .description('list runs, newest first; [N] is a run reference for every command')
    .option('-n, --limit <N>', `show at most N runs (default ${DEFAULT_LIMIT}; with --json, all)`, positiveInt)
    .option('-a, --all', 'show every run')
    .option('--script <text>', 'only runs whose script contains text')
    .option(
      '--status <status>',
      `only runs with this status (${STATUSES.join(', ')}); repeatable or a comma list`,
      collect,
    )
    .option('--label <text>', 'only runs whose label contains text; - for runs without a label')
    .option('--batch <run>', 'only this batch run and its trials')
    .option('--deleted', 'list the deleted runs (runs rm) instead, for runs restore and runs purge')
    .option('--json', 'print the runs as a JSON array');
  addRunsDirOption(command).action(async (options: RunsCliOptions) => {
    const matching = await listIndexedRuns({
      ...(await runsLocation(options, io)),
      deleted: options.deleted,
      filter: {
        script: options.script,
        status: options.status && statusesOf(options.status),
        label: options.label,
        batch: options.batch,
      },
    });
    const limit = options.all ? undefined : (options.limit ?? (options.json ? undefined : DEFAULT_LIMIT));
    const shown = limit === undefined ? matching : matching.slice(0, limit);
    const objectives = await trialObjectives(shown.map(({ run }) => run));
    const modified = await modifiedRuns(shown.map(({ run }) => run));
    if (options.json) {
      println(io.stdout, JSON.stringify(shown.map((listed) => runRow(listed, objectives, modified))));
      return;
    }
    // One write: thousands of rows written a line at a time cost more than formatting them.
    const table = formatRunsTable(shown, objectives, modified, os.homedir());
    if (table.length > 0) println(io.stdout, table.join('\n'));
    if (shown.length < matching.length) {
      println(io.stderr, `Showing ${shown.length} of ${matching.length} runs: use -n N or --all to show more`);
    }
  });
  registerRunsTrash(command, io);
  registerRunsAttrs(command, io);
  registerRunsStop(command, io);
  for (const sub of command.commands) sub.exitOverride().configureOutput(program.configureOutput());
  return command;
}

function runRow(
  { index, run }: ListedRun<RunRecord>,
  objectives: Map<string, { scalar: string; value: number | undefined }>,
  modified: Map<string, string[]>,
): Record<string, unknown> {
  const { id, dir, opspec, status, flags, label, started, stopped, exitStatus, batch, unreadable } = run;
  const forced = (run.attrs.guild_stage as { forced?: unknown } | undefined)?.forced;
  return {
    index,
    id,
    runDir: dir,
    opspec,
    projectDir: run.projectDir,
    status,
    ...(unreadable !== null && { unreadable }),
    flags,
    forced: forced && typeof forced === 'object' ? forced : {},
    label,
    startedAt: started,
    stoppedAt: stopped,
    exitStatus,
    batch,
    ...(objectives.has(id) && { objective: objectives.get(id) }),
    ...(modified.has(id) && { modified: modified.get(id) }),
  };
}
