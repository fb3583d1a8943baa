/**
 * `--executor slurm` and its options on `run`: where the run (or each trial) executes, and
 * the `guild-stage start` arguments the node needs beyond the run's records (time limits).
 */
import { type Command, Option } from 'commander';
import { type ExecutorSpec, mergeSlurmOptions, type ProjectConfig, type SlurmOptions } from '../engine.js';
import { GuildStageError } from '../errors.js';
import { positiveInt, type StageCliOptions } from './options.js';

/** The Slurm options under commander's names (`--sbatch-arg`, `--slurm-setup` are the two that differ). */
export interface ExecutorCliOptions
  extends Pick<SlurmOptions, 'partition' | 'time' | 'cpus' | 'mem' | 'gres' | 'account' | 'qos'> {
  executor?: 'local' | 'slurm';
  sbatchArg?: string[];
  slurmSetup?: string[];
  detach?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addExecutorOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--executor <type>', "where runs execute (default: local, or the config file's executor)").choices([
        'local',
        'slurm',
      ]),
    )
    .option('--partition <name>', 'slurm: the partition to submit to')
    .option('--time <limit>', 'slurm: the time limit (30, 1:00:00, 2-00:00:00)')
    .option('--cpus <n>', 'slurm: CPUs per run (--cpus-per-task)', positiveInt)
    .option('--mem <size>', 'slurm: memory per run (4G)')
    .option('--gres <spec>', 'slurm: generic resources per run (gpu:1)')
    .option('--account <name>', 'slurm: the account to charge')
    .option('--qos <name>', 'slurm: the quality of service')
    .option(
      '--sbatch-arg <arg>',
      'slurm: one more sbatch argument, e.g. --sbatch-arg=--constraint=a100 (repeatable)',
      collect,
    )
    .option(
      '--slurm-setup <line>',
      'slurm: a shell line the job runs before guild-stage (module load, conda activate; repeatable)',
      collect,
    )
    .option('--detach', 'slurm: return once the jobs are submitted, printing their ids');
}

/** The Slurm options the command line gives (undefined where it gives none). */
function slurmCliOptions(options: ExecutorCliOptions): SlurmOptions {
  return {
    partition: options.partition,
    time: options.time,
    cpus: options.cpus,
    mem: options.mem,
    gres: options.gres,
    account: options.account,
    qos: options.qos,
    sbatchArgs: options.sbatchArg,
    setup: options.slurmSetup,
  };
}

/**
 * The executor of a `run`: `--executor`, else the config's; Slurm options from the config with
 * the command line's on top. Slurm options without the Slurm executor are a mistake.
 */
export function executorOf(
  options: ExecutorCliOptions & StageCliOptions,
  config: ProjectConfig,
): ExecutorSpec | undefined {
  const type = options.executor ?? config.executor?.type;
  const given = Object.entries(slurmCliOptions(options)).filter(([, value]) => value !== undefined);
  if (type !== 'slurm') {
    const stray = [...given.map(([name]) => name), ...(options.detach ? ['detach'] : [])];
    if (stray.length > 0) {
      throw new GuildStageError('USAGE', `${stray.map(optionName).join(', ')} need --executor slurm`);
    }
    return type === 'local' ? { type } : undefined;
  }
  const fromConfig = config.executor?.type === 'slurm' ? config.executor : {};
  const { type: _, ...configOptions } = fromConfig as ExecutorSpec;
  const merged = mergeSlurmOptions(configOptions as SlurmOptions, slurmCliOptions(options));
  return { type: 'slurm', ...merged, startArgs: startArgs(options) };
}

function optionName(key: string): string {
  const flag = { sbatchArgs: 'sbatch-arg', setup: 'slurm-setup', cpus: 'cpus' }[key] ?? key;
  return `--${flag}`;
}

/**
 * What `guild-stage start` on the node needs beyond the run's records (which name the plugins
 * and hooks it loads again): the time limits.
 */
function startArgs(options: StageCliOptions): string[] {
  return [
    ...(options.hookTimeout !== undefined ? ['--hook-timeout', String(options.hookTimeout)] : []),
    ...(options.killGrace !== undefined ? ['--kill-grace', String(options.killGrace)] : []),
  ];
}
