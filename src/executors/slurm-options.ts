/**
 * Where a run executes: here (the default), or as a Slurm job. What the Slurm executor's
 * options are, how the config file spells them, and the `sbatch` arguments they become.
 * Pure: no process is run here.
 */
import { GuildStageError } from '../errors.js';

/** Options of the Slurm executor: each is an `sbatch` option, or a line of the job script. */
export interface SlurmOptions {
  partition?: string;
  /** Slurm's time limit syntax: `30`, `1:00:00`, `2-00:00:00`. */
  time?: string;
  cpus?: number;
  /** `--mem`, e.g. `4G`. */
  mem?: string;
  /** `--gres`, e.g. `gpu:1`. */
  gres?: string;
  account?: string;
  qos?: string;
  /** More `sbatch` arguments, each one argv item (`--constraint=a100`). */
  sbatchArgs?: string[];
  /** Shell lines run on the node before `guild-stage start` (`module load python`, `conda activate x`). */
  setup?: string[];
  /**
   * Arguments for `guild-stage start` on the node beyond the run's records, which name the
   * plugins and hooks it loads again: the time limits (`--hook-timeout`, `--kill-grace`).
   */
  startArgs?: string[];
}

/** How runs execute: `local` runs them in this process's machine, `slurm` submits them with `sbatch`. */
export type ExecutorSpec = { type: 'local' } | ({ type: 'slurm' } & SlurmOptions);

/** What a run records of where it ran: the Run's `remote` field and the `remote` attr. */
export interface SlurmRemote {
  type: 'slurm';
  /** The node the job ran on; null until the job has started there. */
  host: string | null;
  /** The job id; for a job array, the array's job id. */
  jobId: string;
  /** The task's index in a job array, or null for a single job. */
  arrayTaskId: number | null;
  /** Slurm's state for the job once it ended other than by itself (`TIMEOUT`, `CANCELLED`, `NODE_FAIL`). */
  state?: string;
  /** Slurm's reason, when it gave one. */
  reason?: string;
}

/** The `sbatch` arguments for `opts` (the job's resources), in a stable order. */
export function sbatchResourceArgs(opts: SlurmOptions): string[] {
  const pairs: Array<[string, string | number | undefined]> = [
    ['--partition', opts.partition],
    ['--time', opts.time],
    ['--cpus-per-task', opts.cpus],
    ['--mem', opts.mem],
    ['--gres', opts.gres],
    ['--account', opts.account],
    ['--qos', opts.qos],
  ];
  return [
    ...pairs.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${value}`),
    ...(opts.sbatchArgs ?? []),
  ];
}

const STRING_KEYS = ['partition', 'time', 'mem', 'gres', 'account', 'qos'] as const;
const KEYS = ['type', ...STRING_KEYS, 'cpus', 'sbatchArgs', 'setup'] as const;

function fail(where: string, message: string): never {
  throw new GuildStageError('USAGE', `${where}: ${message}`);
}

function lines(value: unknown, where: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  fail(where, 'expected a string or a list of strings');
}

/** The config file's `executor` value, checked: `"slurm"`, or `{"type": "slurm", "partition": ..., ...}`. */
export function checkExecutorConfig(value: unknown, where: string): ExecutorSpec {
  if (value === 'local' || value === 'slurm') return { type: value };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(where, 'expected "local", "slurm" or an object like {"type": "slurm", "partition": "gpu"}');
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(KEYS as readonly string[]).includes(key)) fail(where, `unknown key '${key}' (keys: ${KEYS.join(', ')})`);
  }
  if (record.type === 'local') {
    if (Object.keys(record).length > 1) fail(where, 'the local executor takes no options');
    return { type: 'local' };
  }
  if (record.type !== 'slurm') fail(`${where}.type`, "expected 'local' or 'slurm'");
  const spec: ExecutorSpec = { type: 'slurm' };
  for (const key of STRING_KEYS) {
    const text = record[key];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text === '') fail(`${where}.${key}`, 'expected a non-empty string');
    spec[key] = text;
  }
  if (record.cpus !== undefined) {
    if (!Number.isInteger(record.cpus) || (record.cpus as number) < 1)
      fail(`${where}.cpus`, 'expected a whole number of at least 1');
    spec.cpus = record.cpus as number;
  }
  if (record.sbatchArgs !== undefined) spec.sbatchArgs = lines(record.sbatchArgs, `${where}.sbatchArgs`);
  if (record.setup !== undefined) spec.setup = lines(record.setup, `${where}.setup`);
  return spec;
}

/** The options of `spec` with `over` on top (the command line's over the config's); lists add up. */
export function mergeSlurmOptions(spec: SlurmOptions, over: SlurmOptions): SlurmOptions {
  const defined = Object.fromEntries(Object.entries(over).filter(([, value]) => value !== undefined));
  return {
    ...spec,
    ...defined,
    sbatchArgs: [...(spec.sbatchArgs ?? []), ...(over.sbatchArgs ?? [])],
    setup: [...(spec.setup ?? []), ...(over.setup ?? [])],
  };
}

/** A `remote` attr value as a SlurmRemote; anything else is none. */
export function asSlurmRemote(value: unknown): SlurmRemote | null {
  if (typeof value !== 'object' || value === null) return null;
  const remote = value as Record<string, unknown>;
  if (remote.type !== 'slurm' || typeof remote.jobId !== 'string') return null;
  return {
    type: 'slurm',
    host: typeof remote.host === 'string' ? remote.host : null,
    jobId: remote.jobId,
    arrayTaskId: typeof remote.arrayTaskId === 'number' ? remote.arrayTaskId : null,
    ...(typeof remote.state === 'string' && { state: remote.state }),
    ...(typeof remote.reason === 'string' && { reason: remote.reason }),
  };
}
