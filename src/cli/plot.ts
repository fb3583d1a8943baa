/**
 * `guild-stage plot [run...] -o FILE.svg|FILE.html`: the runs' scalar curves and, for a batch,
 * the scalar against each flag that varies, as self-contained files.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PLOT_LIMIT, plotRuns, type PlotResult } from '../engine.js';
import { println, type CliIO } from './io.js';
import { addRunsDirOption, runsLocation } from './options.js';
import { warn } from './report.js';

interface PlotCliOptions {
  output: string;
  scalar?: string;
  runsDir?: string;
}

const WHY: Record<PlotResult['scalarChoice'], string> = {
  given: '',
  objective: " (the batch's objective)",
  loss: '',
  'most-runs': ' (the scalar most runs have)',
};

export function registerPlot(program: Command, io: CliIO): void {
  const command = program
    .command('plot')
    .description(
      "plot runs' scalars: a curve per run and, for a batch, the scalar's last value against each flag that varies",
    )
    .argument(
      '[run...]',
      `run ids, prefixes or directories; a batch means its trials (default: the newest ${DEFAULT_PLOT_LIMIT} runs with scalars)`,
    )
    .requiredOption('-o, --output <file>', 'FILE.svg (and FILE-flags.svg for a batch) or FILE.html (one page)')
    .option('--scalar <name>', "the scalar (default: the batch's objective, else loss, else the one most runs have)");
  addRunsDirOption(command).action(async (refs: string[], options: PlotCliOptions) => {
    const result = await plotRuns(refs, {
      ...(await runsLocation(options, io)),
      scalar: options.scalar,
      output: options.output,
      onWarning: (warning) => warn(io, warning),
    });
    for (const line of describe(result, io.cwd)) println(io.stdout, line);
  });
}

/** One line per file written: where, and what it shows. */
function describe(result: PlotResult, cwd: string): string[] {
  const { scalar, batch, runs } = result;
  const noun = batch ? 'trial' : 'run';
  const count = `${runs.length} ${noun}${runs.length === 1 ? '' : 's'}`;
  const curves = `${scalar}${WHY[result.scalarChoice]} by step, ${count}${batch ? ` of batch ${batch.id.slice(0, 8)}` : ''}`;
  const flags = batch && batch.flags.length > 0 ? `last ${scalar} against ${batch.flags.join(', ')}` : null;
  const [first, second] = result.files.map((file) => shown(file, cwd));
  if (second !== undefined) return [`Wrote ${first}: ${curves}`, `Wrote ${second}: ${flags}`];
  return [`Wrote ${first}: ${flags ? `${curves}; ${flags}` : curves}`];
}

/** A path under `cwd` relative to it, any other absolute. */
function shown(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
