/**
 * `runs stop`: asks a run to stop where it runs. A run submitted to Slurm has its job (or
 * array task) cancelled, so Slurm's SIGTERM reaches guild-stage on the node, or the job leaves
 * the queue; a local run's guild-stage gets SIGTERM, as from a kill. Either way the run then
 * ends recorded, by whoever runs it.
 */
import { GuildStageError } from '../errors.js';
import { pidExists, pidOfLock, readMarker } from '../records/markers.js';
import type { RunRecord } from '../records/read-run.js';
import { jobName, scancel } from './slurm-commands.js';
import { asSlurmRemote } from './slurm-options.js';

/** What `stopRun` did: the Slurm job it cancelled, or the pid it sent SIGTERM to. */
export type StopAction = { slurmJob: string; pid?: undefined } | { pid: number; slurmJob?: undefined };

export async function stopRun(run: RunRecord): Promise<StopAction> {
  const short = run.id.slice(0, 8);
  const remote = asSlurmRemote(run.attrs.remote);
  if (run.attrs.stopped !== undefined || run.status === 'completed' || run.status === 'terminated') {
    throw new GuildStageError('RUN_STATE', `run ${short} has ended (${run.status}): nothing to stop`);
  }
  if (remote) {
    const name = jobName(remote.jobId, remote.arrayTaskId);
    await scancel([name]);
    return { slurmJob: name };
  }
  const pid = pidOfLock(await readMarker(run.dir, 'LOCK'));
  if (run.status !== 'running' || pid === null || !pidExists(pid)) {
    throw new GuildStageError('RUN_STATE', `run ${short} is ${run.status}: nothing runs to stop`);
  }
  process.kill(pid, 'SIGTERM');
  return { pid };
}
