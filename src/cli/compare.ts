/**
 * `guild-stage compare [RUN...]`: runs side by side, one row each, with their flags and
 * scalars, as a table that fits the terminal, as CSV or as JSON.
 */
import type { Command } from 'commander';
import { compareRuns, type RunStatus, type SummaryField } from '../engine.js';
import { GuildStageError } from '../errors.js';
import { compareColumns, compareJson, hiddenNote, renderCsv, renderTable } from './compare-format.js';
import { println, useColor, type CliIO } from './io.js';
import { addRunsDirOption, positiveInt, runsLocation } from './options.js';
import { warn } from './report.js';

interface CompareCliOptions {
  runsDir?: string;
  status?: string[];
  limit?: number;
  sort?: string;
  min?: string[];
  max?: string[];
  first?: string[];
  last?: string[];
  includeBatch?: boolean;
  csv?: boolean;
  json?: boolean;
}

export const STATUSES: readonly RunStatus[] = ['staged', 'pending', 'running', 'completed', 'error', 'terminated'];

/**
 * On a terminal, cells longer than this are cut so that more columns fit: a label (by default
 * the flags given, which have their own columns) would otherwise push out every column after it.
 */
const MAX_CELL = 24;

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerCompare(program: Command, io: CliIO): void {
  const command = program
    .command('compare')
    .description('compare runs: one row per run with its flags and scalars (default: every run, newest first)')
    .argument('[runs...]', 'run ids, unique id prefixes or run directories; a batch run stands for its trials')
    .option(
      '--status <status>',
      `only runs with this status (${STATUSES.join(', ')}); repeatable or a comma list`,
      collect,
    )
    .option('-n, --limit <N>', 'at most N rows, after filtering and sorting', positiveInt)
    .option(
      '--sort <[-]name>',
      'sort by a column (run, script, status, label, started, time, step), a scalar or a flag (=name); - for descending',
    )
    .option('--min <scalar>', 'show the lowest value of this scalar instead of its last (repeatable)', collect)
    .option('--max <scalar>', 'show the highest value of this scalar (repeatable)', collect)
    .option('--first <scalar>', 'show the value at the first step of this scalar (repeatable)', collect)
    .option('--last <scalar>', 'show the value at the last step of this scalar, the default (repeatable)', collect)
    .option('--include-batch', 'list batch runs themselves too, not only their trials')
    .option('--csv', 'print CSV: a header row, full run ids, full-precision numbers, ISO start times, times in seconds')
    .option(
      '--json',
      'print a JSON array: per run its flags and every summary (last, min, max, first, step, count) of each scalar',
    );
  addRunsDirOption(command).action(async (refs: string[], options: CompareCliOptions) => {
    if (options.csv && options.json) throw new GuildStageError('USAGE', '--csv and --json cannot be used together');
    const show = choicesOf(options);
    const result = await compareRuns(refs, {
      ...(await runsLocation(options, io)),
      status: options.status && statusesOf(options.status),
      limit: options.limit,
      sort: options.sort,
      show,
      includeBatch: options.includeBatch,
    });
    for (const warning of result.warnings) warn(io, warning);
    if (options.json) {
      println(io.stdout, compareJson(result));
      return;
    }
    if (options.csv) {
      io.stdout.write(renderCsv(compareColumns(result, show, 'csv')));
      return;
    }
    // On a terminal the table fits its width; elsewhere (a pipe, a file) every column is printed in full.
    const tty = Boolean(io.stdout.isTTY);
    const width = tty ? ((io.stdout as { columns?: number }).columns ?? 80) : undefined;
    const { lines, hidden } = renderTable(compareColumns(result, show, 'table'), {
      width,
      maxCell: tty ? MAX_CELL : undefined,
      color: useColor(io, undefined),
    });
    for (const line of lines) println(io.stdout, line);
    if (hidden.length > 0) println(io.stdout, hiddenNote(hidden));
  });
}

/** `--status` values (repeated or comma lists), each checked. */
export function statusesOf(values: readonly string[]): RunStatus[] {
  const statuses = values.flatMap((value) => value.split(',')).map((value) => value.trim());
  for (const status of statuses) {
    if (!(STATUSES as readonly string[]).includes(status)) {
      throw new GuildStageError('USAGE', `--status: unknown status '${status}' (statuses: ${STATUSES.join(', ')})`);
    }
  }
  return statuses as RunStatus[];
}

/** `--min loss --max acc` as `{loss: 'min', acc: 'max'}`; one scalar with two choices is an error. */
function choicesOf(options: CompareCliOptions): Record<string, SummaryField> {
  const show: Record<string, SummaryField> = {};
  for (const choice of ['min', 'max', 'first', 'last'] as const) {
    for (const name of options[choice] ?? []) {
      const earlier = Object.hasOwn(show, name) ? show[name] : undefined;
      if (earlier !== undefined && earlier !== choice) {
        throw new GuildStageError(
          'USAGE',
          `--${earlier} ${name} and --${choice} ${name}: choose one value to show for ${name}`,
        );
      }
      show[name] = choice;
    }
  }
  return show;
}
