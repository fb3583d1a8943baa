/**
 * The Slurm commands guild-stage runs (`sbatch`, `squeue`, `scancel`, `sinfo`), their
 * arguments and what their output means. The one place that spawns them.
 */
import { execa } from 'execa';
import { GuildStageError } from '../errors.js';
import type { SlurmOptions } from './slurm-options.js';

/** A job (or one task of a job array) as `squeue` reports it. */
export interface JobState {
  jobId: string;
  arrayTaskId: number | null;
  /** `PENDING`, `RUNNING`, `COMPLETING`, `COMPLETED`, `FAILED`, `CANCELLED`, `TIMEOUT`, `NODE_FAIL`, ... */
  state: string;
  /** Slurm's reason; null for `None`. */
  reason: string | null;
  node: string | null;
}

/** The states a job is still in before it has ended. */
const LIVE_STATES = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING']);

export function isLive(state: JobState): boolean {
  return LIVE_STATES.has(state.state);
}

/** `5` or `5_3`, as Slurm names a job or an array task. */
export function jobName(jobId: string, arrayTaskId: number | null): string {
  return arrayTaskId === null ? jobId : `${jobId}_${arrayTaskId}`;
}

async function which(program: string): Promise<boolean> {
  const result = await execa('sh', ['-c', 'command -v "$1"', 'sh', program], { reject: false });
  return result.exitCode === 0;
}

/**
 * Checks, before anything is staged, that this host can submit these jobs: `sbatch` on
 * PATH, and the partition (when one is named) known to `sinfo`.
 */
export async function checkSlurm(opts: SlurmOptions): Promise<void> {
  if (!(await which('sbatch'))) {
    throw new GuildStageError('USAGE', '--executor slurm: sbatch is not on PATH', {
      suggestion: 'run on a host that submits Slurm jobs (a login node), or load the Slurm module first',
    });
  }
  if (opts.partition === undefined) return;
  const result = await execa('sinfo', ['-h', '-p', opts.partition, '-o', '%P'], { reject: false });
  if (result.exitCode !== 0 || result.stdout.trim() === '') {
    const known = await execa('sinfo', ['-h', '-o', '%P'], { reject: false });
    const names = known.stdout
      .split('\n')
      .map((name) => name.replace(/\*$/, '').trim())
      .filter(Boolean);
    throw new GuildStageError('USAGE', `--partition ${opts.partition}: no such Slurm partition`, {
      suggestion: names.length ? `partitions: ${names.join(', ')}` : undefined,
    });
  }
}

/** Submits `script` with `args` before it; the job id. */
export async function sbatch(script: string, args: readonly string[], cwd: string): Promise<string> {
  const result = await execa('sbatch', ['--parsable', ...args, script], { cwd, reject: false });
  if (result.exitCode !== 0) {
    const why = result.stderr.trim().split('\n').pop() ?? `exit ${result.exitCode}`;
    throw new GuildStageError('EXEC', `sbatch failed: ${why}`);
  }
  // `--parsable` prints `jobid` or `jobid;cluster`.
  return result.stdout.trim().split(';')[0]!;
}

/**
 * What `squeue` knows of these jobs, every array task on its own line. A job Slurm has
 * forgotten (ended longer ago than its MinJobAge) is not in the result. Null when Slurm could
 * not be asked (no `squeue` here, the controller down): nothing can be concluded then.
 */
export async function jobStates(jobIds: readonly string[]): Promise<JobState[] | null> {
  if (jobIds.length === 0) return [];
  const result = await execa('squeue', ['-h', '-r', '-t', 'all', '-j', jobIds.join(','), '-o', '%F|%K|%T|%r|%N'], {
    reject: false,
  });
  if (result.exitCode === 0) return parseJobStates(result.stdout);
  // Every job named is one Slurm has forgotten.
  if (result.exitCode === 1 && /Invalid job id/i.test(result.stderr)) return [];
  return null;
}

/** `squeue -o '%F|%K|%T|%r|%N'` lines as JobStates. */
export function parseJobStates(text: string): JobState[] {
  return text
    .split('\n')
    .filter((line) => line.includes('|'))
    .map((line) => {
      const [jobId = '', task = '', state = '', reason = '', node = ''] = line.trim().split('|');
      return {
        jobId,
        arrayTaskId: /^\d+$/.test(task) ? Number(task) : null,
        state: state.replace(/\+$/, ''),
        reason: reason === '' || reason === 'None' ? null : reason,
        node: node === '' ? null : node,
      };
    });
}

/** Cancels jobs or array tasks (`5`, `5_3`); a job that has already ended is no error. */
export async function scancel(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await execa('scancel', [...names], { reject: false });
}
