/**
 * The Slurm executor: runs staged on this host are submitted with `sbatch` (one job, or one
 * job array for a batch's trials) whose job script runs `guild-stage start <run>` on the node.
 * The node's guild-stage runs onRunBegin, the script, output capture and onRunEnd and writes
 * the records, so a run's directory must be on a file system the node shares. This module
 * submits, follows the jobs until they end, and records what the node could not: a job that
 * ended before `start` ran, a node lost, Slurm's reason for a stop.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { constants, hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GuildStageError } from '../errors.js';
import type { RunResult } from '../plugins/types.js';
import { readAttr, writeAttr } from '../records/attrs.js';
import { guildDir } from '../records/layout.js';
import { markStopped, updateOwnAttr } from '../records/lifecycle.js';
import { OutputFollower } from '../records/output-follow.js';
import { readRun } from '../records/read-run.js';
import { Run } from '../run.js';
import type { RunStop } from '../stop.js';
import { isLive, type JobState, jobName, jobStates, sbatch, scancel } from './slurm-commands.js';
import { jobScript } from './slurm-job.js';
import { asSlurmRemote, type SlurmOptions, type SlurmRemote, sbatchResourceArgs } from './slurm-options.js';

/** How often the records of waited-for runs are read (cheap: a few files). */
const RECORDS_POLL_MS = 200;
/** How often Slurm is asked about runs whose records have not ended (spares the controller). */
const SQUEUE_POLL_MS = 2000;

/** Slurm states in which the job ended by Slurm's hand, not its script's: recorded as the reason. */
const SLURM_ENDED = new Set([
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'OUT_OF_MEMORY',
  'DEADLINE',
  'BOOT_FAIL',
]);

/**
 * `node /abs/dist/bin/guild-stage.cjs`: the node runs the guild-stage that submitted, the file
 * its package.json names as `bin`. That package.json is the first one above this module, which
 * is dist/src/executors/slurm.js in the library and dist/bin/cli.cjs in the CLI's bundle.
 */
export function guildStageArgv(): string[] {
  let root = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(root, 'package.json'))) {
    if (path.dirname(root) === root) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    root = path.dirname(root);
  }
  const { bin } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return [process.execPath, path.join(root, bin['guild-stage']!)];
}

/** A runs directory the nodes cannot see: warned about before anything is staged. */
export function unsharedRunsDirWarning(runsDir: string): GuildStageError | null {
  const tmp = [tmpdir(), '/tmp', '/var/tmp', '/dev/shm'];
  const under = tmp.find((dir) => runsDir === dir || runsDir.startsWith(`${dir}${path.sep}`));
  if (!under) return null;
  return new GuildStageError(
    'USAGE',
    `runs directory ${runsDir} is under ${under}, which Slurm nodes usually do not share`,
    {
      suggestion: 'give --runs-dir (or $GUILD_HOME) on a shared file system',
    },
  );
}

/** A submitted job: its id and the runs it starts, by array task index. */
export interface SubmittedJob {
  jobId: string;
  runs: Run[];
  array: boolean;
}

/**
 * Submits staged `runs` as one job (one run) or one job array (`--array=0-N%parallel`), the
 * job script and Slurm's own output in `jobDir/.guild/`. Each run records its job in the
 * `remote` attr and on `run.remote`.
 */
export async function submitRuns(
  runs: Run[],
  opts: SlurmOptions & { startArgs?: readonly string[] },
  job: { jobDir: string; parallel?: number; name: string },
): Promise<SubmittedJob> {
  const array = runs.length > 1 || runs[0]?.isBatchTrial === true;
  const script = path.join(guildDir(job.jobDir), 'slurm-job.sh');
  await writeFile(
    script,
    jobScript({
      runDirs: runs.map((run) => run.dir),
      setup: opts.setup ?? [],
      guildStage: guildStageArgv(),
      startArgs: opts.startArgs ?? [],
    }),
    { mode: 0o755 },
  );
  const limit = job.parallel ? `%${job.parallel}` : '';
  const out = path.join(path.dirname(script), array ? 'slurm-%A_%a.out' : 'slurm-%j.out');
  const args = [
    `--job-name=${job.name}`,
    `--output=${out}`,
    `--chdir=${path.dirname(job.jobDir)}`,
    ...(array ? [`--array=0-${runs.length - 1}${limit}`] : []),
    ...sbatchResourceArgs(opts),
  ];
  const jobId = await sbatch(script, args, path.dirname(job.jobDir));
  await Promise.all(
    runs.map(async (run, index) => {
      run.remote = { type: 'slurm', host: null, jobId, arrayTaskId: array ? index : null };
      await recordRemote(run.dir, run.remote);
    }),
  );
  return { jobId, runs, array };
}

/**
 * Writes what is known of a run's job, keeping what the node may already have written (its
 * host): the node's `start` and this host write the same attr.
 */
async function recordRemote(dir: string, remote: SlurmRemote): Promise<void> {
  const current = asSlurmRemote(await readAttr(dir, 'remote'));
  await writeAttr(dir, 'remote', { ...remote, ...(current?.host && { host: current.host }) });
}

/**
 * In a Slurm job (`guild-stage start` run by a job script, ours or the user's): records the
 * job and the node on the run before it begins, so hooks and records know where it ran.
 */
export async function recordSlurmStart(run: Run, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const jobId = env.SLURM_ARRAY_JOB_ID ?? env.SLURM_JOB_ID;
  if (!jobId) return;
  const task = env.SLURM_ARRAY_TASK_ID;
  run.remote = {
    type: 'slurm',
    host: env.SLURMD_NODENAME ?? hostname(),
    jobId,
    arrayTaskId: task !== undefined && /^\d+$/.test(task) ? Number(task) : null,
  };
  await writeAttr(run.dir, 'remote', run.remote);
}

/**
 * Records what the node could not, once the job of `dir`'s run has ended (`state` is what
 * Slurm last said, undefined when it has forgotten the job): a run that never started or
 * whose guild-stage was lost ends `error` with Slurm's state; a run stopped by Slurm
 * (`TIMEOUT`, `CANCELLED`) keeps its `terminated` and gets Slurm's reason.
 */
export async function settleRun(dir: string, state: JobState | undefined): Promise<void> {
  const record = await readRun(dir);
  const remote = asSlurmRemote(record.attrs.remote);
  // A run whose records cannot be read is listed as such; nothing true could be added to them.
  if (!remote || record.status === 'unreadable') return;
  const name = jobName(remote.jobId, remote.arrayTaskId);
  const slurmSays = state ? `${state.state}${state.reason ? `, ${state.reason}` : ''}` : 'no longer known to Slurm';
  const stoppedBySlurm = state !== undefined && SLURM_ENDED.has(state.state);
  if (stoppedBySlurm && remote.state === undefined) {
    await writeAttr(dir, 'remote', { ...remote, state: state.state, ...(state.reason && { reason: state.reason }) });
  }
  const ended = record.attrs.exit_status !== undefined && record.attrs.exit_status !== null;
  const run = Run.fromRecord({ ...record, status: record.status }, {});
  if (ended || record.attrs.stopped !== undefined) {
    // The node recorded the stop (terminated by Slurm's SIGTERM); Slurm knows why.
    if (stoppedBySlurm && !record.error) await updateOwnAttr(run, { error: `Slurm job ${name} ${slurmSays}` });
    return;
  }
  const started = record.status !== 'staged';
  run.error = started
    ? `Slurm job ${name} ended (${slurmSays}) before guild-stage on ${remote.host ?? 'the node'} recorded the run's end`
    : `Slurm job ${name} ended (${slurmSays}) before guild-stage start ran; see the job's output slurm-*.out`;
  run.stoppedAt = new Date();
  await markStopped(run);
}

/** A run's end as its records tell it, for a caller that waited. */
export async function recordedResult(dir: string): Promise<{ run: Run; result: RunResult }> {
  const record = await readRun(dir);
  if (record.status === 'unreadable')
    throw new GuildStageError('RUN_STATE', `run ${record.id.slice(0, 8)} cannot be read: ${record.unreadable}`);
  const run = Run.fromRecord({ ...record, status: record.status }, {});
  const status = run.status === 'completed' || run.status === 'terminated' ? run.status : 'error';
  const durationMs = record.started && record.stopped ? record.stopped.getTime() - record.started.getTime() : 0;
  const signal = status === 'terminated' && run.exitStatus !== null ? signalName(-run.exitStatus) : null;
  return {
    run,
    result: {
      status,
      exitStatus: run.exitStatus,
      signal,
      durationMs,
      error: run.error ? new GuildStageError('EXEC', run.error) : null,
    },
  };
}

function signalName(signo: number): string | null {
  return Object.entries(constants.signals).find(([, n]) => n === signo)?.[0] ?? null;
}

export interface WaitOptions {
  /** Each run once it has ended and its records are settled. */
  onRunEnded?: (run: Run, result: RunResult, index: number) => void;
  /** New bytes of a run's `.guild/output`, as the node writes them. */
  onOutput?: (run: Run, chunk: Buffer) => void;
}

/**
 * Waits until every run of `job` has ended: reads their records, asks Slurm about those whose
 * records have not ended, and settles each as it ends. A stop request (Ctrl-C) cancels the
 * job's remaining tasks; their runs then end as Slurm and the node leave them.
 */
export async function waitForJob(job: SubmittedJob, stop: RunStop, opts: WaitOptions = {}): Promise<void> {
  const open = new Map(job.runs.map((run, index) => [index, run]));
  const followers = new Map(job.runs.map((run) => [run.id, new OutputFollower(run.dir)]));
  const names = () => [...open.values()].map((run) => jobName(job.jobId, run.remote?.arrayTaskId ?? null));
  const unlisten = stop.on(() => void scancel(job.array ? names() : [job.jobId]));
  let asked = 0;
  try {
    while (open.size > 0) {
      const askSlurm = Date.now() - asked >= SQUEUE_POLL_MS;
      const states = askSlurm ? ((await jobStates([job.jobId])) ?? undefined) : undefined;
      if (askSlurm) asked = Date.now();
      for (const [index, run] of open) {
        const chunk = await followers.get(run.id)!.read();
        if (chunk) opts.onOutput?.(run, chunk);
        const [exit, stopped] = await Promise.all([readAttr(run.dir, 'exit_status'), readAttr(run.dir, 'stopped')]);
        const ended = (exit !== undefined && exit !== null) || stopped !== undefined;
        // A run stopped by a signal may have been stopped by Slurm: its reason is asked for too.
        if (!ended || (typeof exit === 'number' && exit < 0)) {
          if (!states) continue;
          const state = states.find((s) => s.arrayTaskId === (job.array ? index : null));
          if (state && isLive(state)) continue;
          await settleRun(run.dir, state);
        }
        const tail = await followers.get(run.id)!.read();
        if (tail) opts.onOutput?.(run, tail);
        const { run: final, result } = await recordedResult(run.dir);
        Object.assign(run, final);
        open.delete(index);
        opts.onRunEnded?.(run, result, index);
      }
      if (open.size > 0) await new Promise((resolve) => setTimeout(resolve, RECORDS_POLL_MS));
    }
  } finally {
    unlisten();
  }
}
