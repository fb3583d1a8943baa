/**
 * Options shared by commands, and turning them plus the config file into engine options.
 */
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  type EngineOptions,
  loadConfig,
  loadPlugins,
  type Objective,
  type ProjectConfig,
  parseHookSpec,
  type StageOptions,
  shlexSplit,
} from '../engine.js';
import { GuildStageError } from '../errors.js';
import type { CliIO } from './io.js';

/** Options every command that runs hooks takes. */
export interface HookCliOptions {
  runsDir?: string;
  hookTimeout?: number;
  killGrace?: number;
  plugin?: string[];
  hook?: string[];
  json?: boolean;
  quiet?: boolean;
}

/** Options of `run` and `stage`. */
export interface StageCliOptions extends HookCliOptions {
  flags?: string[];
  forceFlags?: boolean;
  exec?: string;
  mode?: 'text' | 'ast';
  label?: string;
  dryRun?: boolean;
  git?: boolean;
  link?: boolean;
  /** False with `--no-scalars`. */
  scalars?: boolean;
  minimize?: string;
  maximize?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Commander parsers for numeric options, with the option's value in the message. */
export function positiveInt(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value))
    throw new InvalidArgumentError(`expected a whole number of at least 1, got '${value}'`);
  return Number(value);
}

export function seconds(value: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value) || Number(value) === 0)
    throw new InvalidArgumentError(`expected a number of seconds above 0, got '${value}'`);
  return Number(value);
}

export function wholeNumber(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  return Number(value);
}

export function addRunsDirOption(command: Command): Command {
  return command.option('--runs-dir <dir>', 'where run directories go (default: $GUILD_HOME/runs)');
}

export function addHookOptions(command: Command): Command {
  return addRunsDirOption(command)
    .option('--plugin <path|package>', 'load a plugin module (repeatable)', collect)
    .option(
      '--hook <event=command>',
      'run a command at on_run_staged, on_run_begin or on_run_end (repeatable)',
      collect,
    )
    .option(
      '--hook-timeout <seconds>',
      'fail a plugin hook or command hook that runs longer (a command is stopped)',
      seconds,
    )
    .option(
      '--kill-grace <seconds>',
      'after stopping the script with a signal, SIGKILL it when still alive after this (default 10)',
      seconds,
    )
    .option('--json', 'print one JSON object describing the run on stdout')
    .option('-q, --quiet', "don't print guild-stage's own messages");
}

export function addStageOptions(command: Command): Command {
  return addHookOptions(command)
    .option('--flags <name=value...>', 'flag values (several after one --flags; repeatable)')
    .option('--force-flags', 'accept flags the script does not declare (recorded and exported as FLAG_*, not written)')
    .option('--exec <command>', 'run this command instead of the plain one for the script')
    .addOption(new Option('--mode <mode>', 'how transformers rewrite flags').choices(['text', 'ast']))
    .option('--label <text>', 'a label for the run (default: the flags given)')
    .option('--dry-run', 'print the patch staging would make and the command that would run; create nothing')
    .option('--git', 'make the run directory a git repository: `git diff` there shows the staged edits')
    .option('--link', 'hard-link unchanged source files into the run instead of copying them (faster for big projects)')
    .option('--no-scalars', "don't capture scalars from the script's output");
}

export interface ResolvedCommon {
  config: ProjectConfig;
  engine: EngineOptions;
}

/** Engine options from the config file and the command line (the command line adds to, or overrides, the config). */
export async function engineOptions(options: HookCliOptions, io: CliIO): Promise<ResolvedCommon> {
  const config = await loadConfig(io.cwd);
  const configDir = config.file ? path.dirname(config.file) : io.cwd;
  const plugins = [
    ...(await loadPlugins(config.plugins, configDir)),
    ...(await loadPlugins(options.plugin ?? [], io.cwd)),
  ];
  const hooks = [...config.hooks, ...(options.hook ?? []).map(parseHookSpec)];
  const runsDir = options.runsDir ?? (config.runsDir ? path.resolve(configDir, config.runsDir) : undefined);
  const ms = (secs: number | undefined) => (secs === undefined ? undefined : Math.round(secs * 1000));
  return {
    config,
    engine: {
      cwd: io.cwd,
      runsDir,
      plugins,
      hooks,
      hookTimeoutMs: ms(options.hookTimeout),
      killGraceMs: ms(options.killGrace),
    },
  };
}

/** Everything `run` and `stage` pass to the engine. */
export async function stageOptions(
  script: string | undefined,
  args: readonly string[],
  options: StageCliOptions,
  io: CliIO,
): Promise<{ stage: StageOptions; objective: Objective | undefined }> {
  const { config, engine } = await engineOptions(options, io);
  const chosen = script ?? config.script;
  if (!chosen) {
    throw new GuildStageError('USAGE', 'no script given', {
      suggestion: 'name one (guild-stage run train.py) or set "script" in guild-stage.config.json',
    });
  }
  const execLine = options.exec ?? config.exec;
  let exec: string[] | undefined;
  if (execLine !== undefined) {
    try {
      exec = shlexSplit(execLine);
    } catch (error) {
      throw new GuildStageError('USAGE', `--exec: ${(error as Error).message}`);
    }
    if (exec.length === 0) throw new GuildStageError('USAGE', '--exec: the command is empty');
  }
  const stage: StageOptions = {
    ...engine,
    script: chosen,
    flags: options.flags ?? [],
    forceFlags: options.forceFlags,
    mode: options.mode ?? config.mode,
    source: config.source,
    exec,
    scriptArgs: args,
    label: options.label,
    git: options.git ?? config.git,
    link: options.link ?? config.link,
    outputScalars: config.outputScalars,
    flagsDest: config.flagsDest,
    captureScalars: options.scalars,
  };
  return { stage, objective: objectiveOf(options, config) };
}

/** `--minimize`/`--maximize`, else the config's. */
function objectiveOf(options: StageCliOptions, config: ProjectConfig): Objective | undefined {
  if (options.minimize !== undefined && options.maximize !== undefined) {
    throw new GuildStageError('USAGE', '--minimize and --maximize name two objectives; give one');
  }
  if (options.minimize !== undefined) return { scalar: options.minimize, goal: 'minimize' };
  if (options.maximize !== undefined) return { scalar: options.maximize, goal: 'maximize' };
  if (config.minimize !== undefined) return { scalar: config.minimize, goal: 'minimize' };
  if (config.maximize !== undefined) return { scalar: config.maximize, goal: 'maximize' };
  return undefined;
}
