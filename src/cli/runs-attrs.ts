/**
 * `guild-stage runs label|tag|mark`: the attrs Guild's `label`, `tag` and `mark` write, so
 * `guild runs` and `guild runs info` show them.
 */
import type { Command } from 'commander';
import { labelRun, markRuns, tagRun } from '../engine.js';
import { GuildStageError } from '../errors.js';
import { println, type CliIO } from './io.js';
import { addRunsDirOption, runsLocationOf } from './options.js';
import { terminalSafe } from './terminal-text.js';

const RUN_ARG = 'run index, id, unique id prefix or run directory';
const RUNS_ARG = 'run indexes, ids, unique id prefixes or run directories';
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRunsAttrs(runs: Command, io: CliIO): void {
  addRunsDirOption(
    runs
      .command('label')
      .description("set a run's label (what runs shows in its label column)")
      .argument('<run>', RUN_ARG)
      .argument('[text]', 'the label')
      .option('--clear', 'remove the label'),
  ).action(async (ref: string, text: string | undefined, options: { clear?: boolean }, command: Command) => {
    if (Boolean(options.clear) === (text !== undefined)) {
      throw new GuildStageError('USAGE', options.clear ? '--clear takes no label text' : 'give a label, or --clear');
    }
    const run = await labelRun(ref, options.clear ? null : text!, await runsLocationOf(command, io));
    println(
      io.stderr,
      run.label === null
        ? `Cleared the label of run ${short(run.id)}`
        : terminalSafe(`Labeled run ${short(run.id)}: ${run.label}`),
    );
  });

  addRunsDirOption(
    runs
      .command('tag')
      .description("add tags to a run (Guild's tags attr, shown by guild runs info)")
      .argument('<run>', RUN_ARG)
      .argument('[tags...]', 'tags to add')
      .option('--delete <tag>', 'remove this tag (repeatable)', collect)
      .option('--clear', 'remove every tag first'),
  ).action(async (ref: string, add: string[], options: { delete?: string[]; clear?: boolean }, command: Command) => {
    if (add.length === 0 && !options.delete && !options.clear) {
      throw new GuildStageError('USAGE', 'give tags to add, --delete TAG or --clear');
    }
    const tags = await tagRun(
      ref,
      { add, remove: options.delete, clear: options.clear },
      await runsLocationOf(command, io),
    );
    println(io.stderr, terminalSafe(`Tags: ${tags.length ? tags.join(' ') : '(none)'}`));
  });

  addRunsDirOption(
    runs
      .command('mark')
      .description('mark runs (runs and guild runs show them as [marked])')
      .argument('<runs...>', RUNS_ARG)
      .option('--clear', 'unmark them'),
  ).action(async (refs: string[], options: { clear?: boolean }, command: Command) => {
    const marked = await markRuns(refs, !options.clear, await runsLocationOf(command, io));
    const which = marked.map((run) => short(run.id)).join(', ');
    println(io.stderr, `${options.clear ? 'Unmarked' : 'Marked'} ${which}`);
  });
}

function short(id: string): string {
  return id.slice(0, 8);
}
