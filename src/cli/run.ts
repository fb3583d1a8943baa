/**
 * `guild-stage run <script> [--flags name=value ...] [-- script args]`, the default command.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isBatch, nearestName, protoRunOptions, runScript } from '../engine.js';
import { formatEnd, formatStaged, runJson } from './format.js';
import { dryRun } from './dry-run.js';
import { passOn, println, type CliIO } from './io.js';
import type { BatchCliOptions } from './batch.js';
import { addExecutorOptions, type ExecutorCliOptions, executorOf } from './executor.js';
import {
  addStageOptions,
  positiveInt,
  runsLocation,
  splitOperands,
  stageOptions,
  wholeNumber,
  withOperandHint,
} from './options.js';
import { GuildStageError } from '../errors.js';
import { exitCodeForRun, failedByUs, warn } from './report.js';

/** `guild-stage runz`: the default command takes `runz` for a script; a missing one that is a command's typo says so. */
function checkNotACommand(script: string, program: Command, io: CliIO): void {
  if (path.extname(script) !== '' || script.includes('/') || existsSync(path.resolve(io.cwd, script))) return;
  const near = nearestName(
    script,
    program.commands.map((command) => command.name()),
  );
  if (near) {
    throw new GuildStageError('USAGE', `unknown command '${script}' (and no script of that name)`, {
      suggestion: `did you mean ${near}?`,
    });
  }
}

export function registerRun(program: Command, io: CliIO, setExit: (code: number) => void, afterDashes: number): void {
  const command = program
    .command('run', { isDefault: true })
    .description('stage a script, apply its flags, and run it (the default command)')
    .argument('[script]', 'the script to run (default: "script" in the config file)')
    .argument('[args...]', 'arguments for the script, after --');
  addStageOptions(command, { runsScript: true })
    .option('--max-trials <n>', 'batch: at most N trials (a random search draws N, default 20)', positiveInt)
    .option('--random-seed <n>', 'batch: seed for random draws, for repeatable trials', wholeNumber)
    .option('--trials <file>', 'batch: a CSV or JSON file with one row of flag values per trial')
    .option('--parallel <n>', 'batch: trials running at once (default 1)', positiveInt)
    .option('--fail-fast', 'batch: stop at the first failed trial')
    .option('--needed', 'batch: skip trials whose flags a completed run of the script already has')
    .option('--print-trials', 'batch: print the trials and run nothing')
    .option('--minimize <scalar>', 'batch: the best trial has the least last value of this scalar')
    .option('--maximize <scalar>', 'batch: the best trial has the most last value of this scalar')
    .option('--proto <run>', "a new run of another run's script and flags; --flags given here override them");
  addExecutorOptions(command);
  command.action(
    async (
      script: string | undefined,
      args: string[],
      options: BatchCliOptions & ExecutorCliOptions & { proto?: string },
    ) => {
      if (options.proto !== undefined && script !== undefined) {
        // `run --proto 1 lr=0.2`: no script is given, so the first flag took its place.
        if (!/^[^=\s-][^=]*=/.test(script)) {
          throw new GuildStageError('USAGE', `--proto takes the script from run ${options.proto}; give no script`);
        }
        args = [script, ...args];
        script = undefined;
      }
      if (script !== undefined) checkNotACommand(script, program, io);
      const operands = splitOperands(script, args, afterDashes);
      try {
        const proto =
          options.proto === undefined
            ? undefined
            : await protoRunOptions(options.proto, await runsLocation(options, io));
        const {
          stage: staging,
          objective,
          config,
        } = await stageOptions(proto?.script ?? script, operands, options, io);
        if (proto)
          Object.assign(
            staging,
            await protoRunOptions(options.proto!, { ...staging, flags: staging.flags as string[] }),
          );
        const executor = executorOf(options, config);
        const opts = { ...staging, executor, detach: options.detach };
        if (executor?.type === 'slurm' && options.dryRun)
          throw new GuildStageError(
            'USAGE',
            '--dry-run stages nothing, so there is nothing to submit: leave out --executor slurm',
          );
        if (await isBatch(opts.flags, options.trials)) {
          // Batch code loads only for batches: a single run starts without it.
          const { batchOptions, printTrials, runBatchCommand } = await import('./batch.js');
          const batch = { ...opts, ...batchOptions(options), objective };
          if (options.printTrials) return printTrials(io, batch, options.json);
          if (options.dryRun)
            throw new GuildStageError(
              'USAGE',
              '--dry-run stages one run; for a batch, --print-trials shows the trials',
            );
          return setExit(await runBatchCommand(io, batch, options));
        }
        if (options.printTrials)
          throw new GuildStageError('USAGE', '--print-trials needs batch flags, e.g. lr=[0.1,0.01]');
        if (options.minimize !== undefined || options.maximize !== undefined) {
          throw new GuildStageError(
            'USAGE',
            '--minimize and --maximize pick the best trial of a batch: give batch flags',
          );
        }
        const batchOnly = (
          [
            ['--max-trials', options.maxTrials],
            ['--random-seed', options.randomSeed],
            ['--parallel', options.parallel],
            ['--fail-fast', options.failFast],
            ['--needed', options.needed],
          ] as const
        ).filter(([, value]) => value !== undefined);
        for (const [option] of batchOnly) {
          warn(
            io,
            new GuildStageError(
              'USAGE',
              `${option} is for batches; this is a single run (no flag has a list or range)`,
            ),
            options.quiet,
          );
        }
        if (options.dryRun) return dryRun(io, opts, options.json, options.quiet);
        const talk = !options.quiet && !options.json;
        if (executor?.type === 'slurm' && options.detach) {
          const { submitDetached } = await import('./slurm.js');
          return setExit(await submitDetached(io, opts, options));
        }
        const outcome = await runScript({
          ...opts,
          forwardSignals: true,
          guardProcess: true,
          // With --json, stdout holds only the JSON object; the script's stdout goes to stderr.
          onOutput: (stream, chunk) =>
            options.json || stream === 'stderr'
              ? passOn(io.stderr, 'stderr', chunk)
              : passOn(io.stdout, 'stdout', chunk),
          onWarning: (warning) => warn(io, warning, options.quiet),
          onStaged: (staged) => {
            if (talk) for (const line of formatStaged(staged)) println(io.stderr, line);
          },
        });
        if (talk || failedByUs(outcome.run, options)) println(io.stderr, formatEnd(outcome.run, outcome.result));
        if (options.json) println(io.stdout, JSON.stringify(runJson(outcome.run, outcome)));
        setExit(exitCodeForRun(outcome.run.status, outcome.run.exitStatus));
      } catch (error) {
        throw withOperandHint(error, operands);
      }
    },
  );
}
