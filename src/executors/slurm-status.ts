/**
 * What `runs` and `compare` show for runs submitted to Slurm whose records cannot tell:
 * `pending` while the job is queued, `running` while it runs (the node's LOCK pid means
 * nothing on this host), and, once Slurm says the job ended without the records saying so,
 * the end recorded (`settleRun`) and read back.
 */
import { readAttr } from '../records/attrs.js';
import { runStatus } from '../records/read-run.js';
import type { RunStatus } from '../run-status.js';
import { isLive, jobStates } from './slurm-commands.js';
import { asSlurmRemote } from './slurm-options.js';
import { settleRun } from './slurm.js';

/** Statuses the records give for a run whose job may still be queued, running, or lost. */
const OPEN: ReadonlySet<RunStatus> = new Set(['staged', 'running', 'error']);

/** For each of `runs` submitted to Slurm whose record has not ended, its status by Slurm; others are not in the map. */
export async function slurmStatuses(
  runs: ReadonlyArray<{ dir: string; status: RunStatus | 'unreadable' }>,
): Promise<Map<string, RunStatus>> {
  const statuses = new Map<string, RunStatus>();
  const candidates = await Promise.all(
    runs
      .filter((run) => run.status !== 'unreadable' && OPEN.has(run.status))
      .map(async ({ dir }) => {
        const [remote, stopped] = await Promise.all([readAttr(dir, 'remote'), readAttr(dir, 'stopped')]);
        return { dir, remote: stopped === undefined ? asSlurmRemote(remote) : null };
      }),
  );
  const open = candidates.filter((run) => run.remote !== null);
  if (open.length === 0) return statuses;
  const states = await jobStates([...new Set(open.map((run) => run.remote!.jobId))]);
  if (states === null) return statuses;
  for (const { dir, remote } of open) {
    const state = states.find((s) => s.jobId === remote!.jobId && s.arrayTaskId === remote!.arrayTaskId);
    if (state && isLive(state)) {
      statuses.set(dir, state.state === 'PENDING' ? 'pending' : 'running');
      continue;
    }
    await settleRun(dir, state);
    statuses.set(dir, await runStatus(dir));
  }
  return statuses;
}
