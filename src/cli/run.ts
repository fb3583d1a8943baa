/**
 * `guild-stage run <script> [--flags name=value ...] [-- script args]`, the default command.
 */
import type { Command } from 'commander';
import { runScript } from '../engine.js';
import { formatEnd, formatStaged, runJson } from './format.js';
import { dryRun } from './dry-run.js';
import { println, type CliIO } from './io.js';
import { addStageOptions, stageOptions, type StageCliOptions } from './options.js';
import { exitCodeForRun, warn } from './report.js';

export function registerRun(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('run', { isDefault: true })
    .description('stage a script, apply its flags, and run it (the default command)')
    .argument('[script]', 'the script to run (default: "script" in the config file)')
    .argument('[args...]', 'arguments for the script, after --');
  addStageOptions(command).action(async (script: string | undefined, args: string[], options: StageCliOptions) => {
    const opts = await stageOptions(script, args, options, io);
    if (options.dryRun) return dryRun(io, opts, options.json, options.quiet);
    const talk = !options.quiet && !options.json;
    const outcome = await runScript({
      ...opts,
      forwardSignals: true,
      // With --json, stdout holds only the JSON object; the script's stdout goes to stderr.
      onOutput: (stream, chunk) => (options.json || stream === 'stderr' ? io.stderr : io.stdout).write(chunk),
      onWarning: (warning) => warn(io, warning, options.quiet),
      onStaged: (staged) => {
        if (talk) for (const line of formatStaged(staged)) println(io.stderr, line);
      },
    });
    if (talk) println(io.stderr, formatEnd(outcome.run, outcome.result));
    if (options.json) println(io.stdout, JSON.stringify(runJson(outcome.run, outcome)));
    setExit(exitCodeForRun(outcome.run.status, outcome.run.exitStatus));
  });
}
