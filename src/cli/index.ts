/**
 * The CLI: commander wiring. Each command lives in its own file; this one only registers
 * them and turns every failure into one line on stderr and an exit code.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { GuildStageError } from '../errors.js';
import { VERSION } from '../version.js';
import { processIO, println, type CliIO } from './io.js';
import { errorJson, exitCodeFor, formatError } from './report.js';
import { registerApply } from './apply.js';
import { registerCat } from './cat.js';
import { registerCompare } from './compare.js';
import { registerDiff } from './diff.js';
import { registerFlags } from './flags.js';
import { registerPlot } from './plot.js';
import { registerLs } from './ls.js';
import { registerPlugins } from './plugins.js';
import { registerRun } from './run.js';
import { registerRuns } from './runs.js';
import { registerStage } from './stage.js';
import { registerRestart } from './restart.js';
import { registerStart } from './start.js';

function createProgram(io: CliIO, setExit: (code: number) => void, afterDashes: number): Command {
  const program = new Command('guild-stage')
    .description(
      'Stage a script into a Guild AI run, rewrite its flags in the staged copy, and run it plainly with plugin hooks.',
    )
    .version(VERSION)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`guild-stage: ${text.replace(/^error: /, '')}`),
    })
    .option('-C, --cwd <dir>', 'run as if guild-stage was started in <dir> (the project directory)')
    .addHelpText(
      'after',
      `
Examples:
  guild-stage train.py --flags lr=0.1 epochs=5    run with two flags changed (run is the default command)
  guild-stage train.py --flags lr=[0.1,0.01]      a batch: one trial per value
  guild-stage diff <run>                          what the run changed in its copy of the source
  guild-stage compare --sort loss                 runs side by side with their flags and scalars

Options of a run: guild-stage run --help`,
    )
    .exitOverride()
    .showSuggestionAfterError()
    .hook('preAction', (root) => {
      const dir = root.opts<{ cwd?: string }>().cwd;
      if (!dir) return;
      const resolved = path.resolve(io.cwd, dir);
      if (!statSync(resolved, { throwIfNoEntry: false })?.isDirectory()) {
        throw new GuildStageError('NOT_FOUND', `-C ${dir}: no such directory`);
      }
      io.cwd = resolved;
      io.projectDir = resolved;
    });
  registerRun(program, io, setExit, afterDashes);
  registerStage(program, io, setExit, afterDashes);
  registerStart(program, io, setExit);
  registerRestart(program, io, setExit);
  registerRuns(program, io);
  registerCompare(program, io);
  registerFlags(program, io);
  registerDiff(program, io);
  registerCat(program, io);
  registerLs(program, io);
  registerPlugins(program, io);
  registerPlot(program, io);
  registerApply(program, io);
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  // What follows `--` belongs to the script.
  const end = argv.indexOf('--');
  const program = createProgram(io, (code) => (exitCode = code), end === -1 ? 0 : argv.length - end - 1);
  const json = (end === -1 ? argv : argv.slice(0, end)).includes('--json');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    // Commander has printed its own message on stderr already.
    if (!(error instanceof CommanderError)) println(io.stderr, `guild-stage: ${formatError(error)}`);
    if (json) println(io.stdout, errorJson(error));
    return exitCodeFor(error);
  }
}
