/**
 * Options shared by commands, and turning them plus the config file into engine options.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  type EngineOptions,
  loadConfig,
  loadPlugins,
  type Objective,
  type ProjectConfig,
  parseHookSpec,
  runsDirFor,
  type StageOptions,
  shlexSplit,
} from '../engine.js';
import { GuildStageError } from '../errors.js';
import type { CliIO } from './io.js';
import { warn } from './report.js';

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

/**
 * {@link runsLocation} for a subcommand of `runs` (`runs rm`, `runs label`, ...): `runs` has a
 * `--runs-dir` of its own, which commander gives the option wherever it is on the line, so
 * the subcommand's own options lack it.
 */
export function runsLocationOf(command: Command, io: CliIO): Promise<{ cwd: string; runsDir?: string }> {
  return runsLocation(command.optsWithGlobals<{ runsDir?: string }>(), io);
}

/**
 * Where runs are, for a command that reads them: `--runs-dir`, else the config file's
 * `runsDir` (relative to the config file), else the engine's default. Every command that
 * takes a run asks here, so `run` and `compare` never look in two places.
 */
export async function runsLocation(
  options: { runsDir?: string },
  io: CliIO,
): Promise<{ cwd: string; runsDir?: string }> {
  if (options.runsDir !== undefined) return { cwd: io.cwd, runsDir: options.runsDir };
  const config = await loadConfig(io.cwd);
  const configDir = config.file ? path.dirname(config.file) : io.cwd;
  if (config.runsDir) return { cwd: io.cwd, runsDir: path.resolve(configDir, config.runsDir) };
  // Found here, once per command, so a .guild/ passed over is reported once.
  const { runsDir, warnings } = runsDirFor({ cwd: io.cwd });
  for (const warning of warnings) warn(io, warning);
  return { cwd: io.cwd, runsDir };
}

export function addRunsDirOption(command: Command): Command {
  return command.option('--runs-dir <dir>', 'where run directories go (default: $GUILD_HOME/runs)');
}

/** `--plugin` and `--hook`: what a run's plugins are. */
export function addPluginOptions(command: Command): Command {
  return command
    .option('--plugin <path|package>', 'load a plugin module (repeatable)', collect)
    .option(
      '--hook <event=command>',
      'run a command at on_run_staged, on_run_begin or on_run_end (repeatable)',
      collect,
    );
}

/**
 * Options of the commands that make or start runs; `--kill-grace` only where a script runs.
 * Without `plugins` (start: a run has the plugins it was staged with), `--plugin` and `--hook`
 * are hidden, there to be refused with the reason.
 */
export function addHookOptions(
  command: Command,
  { runsScript, plugins = true }: { runsScript: boolean; plugins?: boolean },
): Command {
  addRunsDirOption(command);
  if (plugins) addPluginOptions(command);
  else {
    command.addOption(new Option('--plugin <path|package>').argParser(collect).hideHelp());
    command.addOption(new Option('--hook <event=command>').argParser(collect).hideHelp());
  }
  command.option(
    '--hook-timeout <seconds>',
    'fail a plugin hook or command hook that runs longer (a command is stopped)',
    seconds,
  );
  if (runsScript) {
    command.option(
      '--kill-grace <seconds>',
      'after stopping the script with a signal, SIGKILL it when still alive after this (default 10)',
      seconds,
    );
  }
  return command
    .option('--json', 'print one JSON object describing the run on stdout')
    .option('-q, --quiet', "don't print guild-stage's progress messages (a run's failure is still told)");
}

export function addStageOptions(command: Command, { runsScript }: { runsScript: boolean }): Command {
  return addHookOptions(command, { runsScript })
    .option(
      '--flags <name=value...>',
      'flag values (several after one --flags; repeatable); a list or range makes a batch (run only): ' +
        'lr=[0.1,0.01] lr=range[0.1:0.3:0.1] lr=loguniform[1e-4:1e-1]',
    )
    .option(
      '--force-flags',
      'accept flags the script does not declare: exported as FLAG_* only, not written, recorded as forced (not as flags)',
    )
    .option(
      '--exec <command>',
      'run this command instead of the plain one for the script (split into words as a shell would, but run without a shell: no pipes, no $VARS)',
    )
    .addOption(
      new Option('--mode <mode>', "how transformers rewrite flags (default: text, or the config file's mode)").choices([
        'text',
        'ast',
      ]),
    )
    .option('--label <text>', 'a label for the run (default: the flags given)')
    .option('--dry-run', 'print the patch staging would make and the command that would run; create nothing')
    .option('--git', 'make the run directory a git repository: `git diff` there shows the staged edits')
    .option(
      '--link',
      'share unchanged source files with the project (reflink, else hard link) instead of copying them (faster for big projects)',
    )
    .option('--no-scalars', "don't capture scalars from the script's output");
}

export interface ResolvedCommon {
  config: ProjectConfig;
  engine: EngineOptions;
}

/**
 * Engine options from the config file and the command line (the command line adds to, or
 * overrides, the config). Without `plugins`, neither's plugins and hooks load (start).
 */
export async function engineOptions(
  options: HookCliOptions,
  io: CliIO,
  { plugins: withPlugins = true }: { plugins?: boolean } = {},
): Promise<ResolvedCommon> {
  const config = await loadConfig(io.cwd);
  const configDir = config.file ? path.dirname(config.file) : io.cwd;
  const plugins = withPlugins
    ? [...(await loadPlugins(config.plugins, configDir)), ...(await loadPlugins(options.plugin ?? [], io.cwd))]
    : [];
  const hooks = withPlugins ? [...config.hooks, ...(options.hook ?? []).map(parseHookSpec)] : [];
  const { runsDir } = await runsLocation(options, io);
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

/** The operands after the script: `NAME=VALUE` flags before `--`, the script's arguments after it. */
export interface Operands {
  flags: string[];
  scriptArgs: string[];
}

/**
 * `guild-stage train.py lr=0.1 -- --data x`: as `guild run` does, a `NAME=VALUE` after the
 * script is a flag; whatever follows `--` (the last `afterDashes` operands) is the script's.
 * Anything else before `--` is a mistake that would otherwise reach the script unnoticed.
 */
export function splitOperands(script: string | undefined, args: readonly string[], afterDashes: number): Operands {
  const cut = Math.max(0, args.length - afterDashes);
  const flags = args.slice(0, cut);
  for (const item of flags) {
    if (!/^[^=\s-][^=]*=/.test(item)) {
      throw new GuildStageError('USAGE', `unexpected argument '${item}': flags are NAME=VALUE`, {
        suggestion: `arguments for the script go after --: guild-stage ${script ?? 'SCRIPT'} -- ${item}`,
      });
    }
  }
  return { flags, scriptArgs: args.slice(cut) };
}

/**
 * `guild-stage train.py epochs=5 data=x.csv` where `data` is no flag: maybe the script was
 * meant to get it. The unknown-flag error then also says how to pass it on.
 */
export function withOperandHint(error: unknown, operands: Operands): unknown {
  if (!(error instanceof GuildStageError) || error.code !== 'FLAG') return error;
  const item = operands.flags.find((flag) =>
    error.message.startsWith(`unknown flag '${flag.slice(0, flag.indexOf('='))}'`),
  );
  if (!item) return error;
  const hint = `to pass ${item} to the script, put it after --`;
  return new GuildStageError('FLAG', error.message, {
    file: error.file,
    line: error.line,
    suggestion: error.suggestion ? `${error.suggestion} (${hint})` : hint,
    cause: error,
  });
}

/** Everything `run` and `stage` pass to the engine. */
export async function stageOptions(
  script: string | undefined,
  operands: Operands,
  options: StageCliOptions,
  io: CliIO,
): Promise<{ stage: StageOptions; objective: Objective | undefined; config: ProjectConfig }> {
  const { config, engine } = await engineOptions(options, io);
  const [swallowed, flagItems] = swallowedScript(script, options.flags ?? [], io);
  const chosen = script ?? swallowed ?? config.script;
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
    flags: [...flagItems, ...operands.flags],
    forceFlags: options.forceFlags,
    mode: options.mode ?? config.mode,
    source: config.source,
    exec,
    scriptArgs: operands.scriptArgs,
    label: options.label,
    git: options.git ?? config.git,
    link: options.link ?? config.link,
    outputScalars: config.outputScalars,
    flagsDest: config.flagsDest,
    requires: config.requires,
    captureScalars: options.scalars,
    projectDir: io.projectDir,
    configDir: config.file ? path.dirname(config.file) : undefined,
  };
  return { stage, objective: objectiveOf(options, config), config };
}

/**
 * `guild-stage --flags lr=0.1 train.py`: the variadic `--flags` took the script too. When no
 * script was given and an item without `=` is a file there, that item is the script, as meant.
 */
function swallowedScript(
  script: string | undefined,
  flags: readonly string[],
  io: CliIO,
): [string | undefined, readonly string[]] {
  if (script !== undefined) return [undefined, flags];
  const index = flags.findIndex(
    (item) => !item.includes('=') && statSync(path.resolve(io.cwd, item), { throwIfNoEntry: false })?.isFile(),
  );
  if (index === -1) return [undefined, flags];
  return [flags[index], flags.filter((_, i) => i !== index)];
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

/** `start` and `restart` run the plugins and hooks a run was staged with: options cannot add to them. */
export function refuseAddedPlugins(command: 'start' | 'restart', options: HookCliOptions): void {
  const adding = options.plugin?.length ? '--plugin' : options.hook?.length ? '--hook' : undefined;
  if (adding) {
    throw new GuildStageError(
      'USAGE',
      `${command} runs the plugins and hooks a run was staged with: ${adding} cannot add to them`,
      { suggestion: `stage a new run with ${adding}` },
    );
  }
}
