/**
 * `guild-stage stage <script> ...`: stage only, like `guild run --stage`.
 */
import type { Command } from 'commander';
import { isBatch, stageRun } from '../engine.js';
import { GuildStageError } from '../errors.js';
import { formatEnd, formatStaged, runJson } from './format.js';
import { dryRun } from './dry-run.js';
import { println, type CliIO } from './io.js';
import {
  addStageOptions,
  type Operands,
  splitOperands,
  stageOptions,
  type StageCliOptions,
  withOperandHint,
} from './options.js';
import { warn } from './report.js';

export function registerStage(program: Command, io: CliIO, setExit: (code: number) => void, afterDashes: number): void {
  const command = program
    .command('stage')
    .description('stage a script and apply its flags without running it; start it later with `start`')
    .argument('[script]', 'the script to stage (default: "script" in the config file)')
    .argument('[args...]', 'arguments for the script, after --');
  addStageOptions(command, { runsScript: false }).action(
    async (script: string | undefined, args: string[], options: StageCliOptions) => {
      const operands = splitOperands(script, args, afterDashes);
      await stageCommand(script, operands, options).catch((error: unknown) => {
        throw withOperandHint(error, operands);
      });
    },
  );

  async function stageCommand(script: string | undefined, operands: Operands, options: StageCliOptions): Promise<void> {
    const { stage: opts } = await stageOptions(script, operands, options, io);
    if (await isBatch(opts.flags)) {
      throw new GuildStageError('USAGE', 'a list or range of values makes a batch, and batches are for run', {
        suggestion: `guild-stage run ${opts.script} --flags ${[...(options.flags ?? []), ...operands.flags].join(' ')}`,
      });
    }
    if (options.dryRun) return dryRun(io, opts, options.json, options.quiet);
    const staged = await stageRun({
      ...opts,
      onOutput: (_stream, chunk) => io.stderr.write(chunk),
      onWarning: (warning) => warn(io, warning, options.quiet),
    });
    if (options.json) println(io.stdout, JSON.stringify(runJson(staged.run, staged)));
    else {
      // The run id alone on stdout, so that `ID=$(guild-stage stage train.py -q)` works.
      println(io.stdout, staged.run.id);
      if (staged.result) println(io.stderr, formatEnd(staged.run, staged.result));
      else if (!options.quiet) {
        for (const line of formatStaged(staged)) println(io.stderr, line);
        println(io.stderr, `Start it with: guild-stage start ${staged.run.shortId}`);
      }
    }
    setExit(staged.result ? 1 : 0);
  }
}
