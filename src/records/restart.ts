/**
 * What a run's records say when it runs again in its own directory (`guild-stage restart`),
 * as Guild's `run --restart` does: the run is claimed once, the previous attempt's end is
 * taken out of the records (so a restart that dies reads `error`, never the old status), and
 * the restart itself is recorded in our attr.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError } from '../errors.js';
import type { Run } from '../run.js';
import { deleteAttr, GUILD_STAGE_ATTR, type GuildStageAttr, readAttr, toMicros } from './attrs.js';
import { guildDir, runFile } from './layout.js';
import { updateOwnAttr } from './lifecycle.js';
import { createLock } from './markers.js';

/** One earlier attempt of a restarted run, as its records said before the restart. */
export interface RestartEntry {
  /** When the restart began, microseconds since the epoch (Guild's unit). */
  at: number;
  previous: { status: string; started: number | null; stopped: number | null; exit_status: number | null };
}

/**
 * Makes the run ours to run again: a `LOCK` holding our pid, created only if none is there
 * (see `createLock`). A `LOCK` whose process is gone (a guild-stage that died) is taken over;
 * a live one means the run is running, and the restart is refused.
 */
export async function claimRestart(run: Run): Promise<void> {
  if (!(await createLock(run.dir, process.pid))) {
    throw new GuildStageError('RUN_STATE', `run ${run.shortId} is running: it can be restarted once it has stopped`);
  }
}

/**
 * Takes the previous attempt's end out of the records (its `exit_status`, `stopped`, output
 * and captured scalars, which the new attempt writes again, as Guild replaces the output) and
 * adds the restart to the `guild_stage` attr's `restarts`.
 */
export async function recordRestart(run: Run, at: Date): Promise<RestartEntry[]> {
  const own = (await readAttr<GuildStageAttr>(run.dir, GUILD_STAGE_ATTR)) ?? { version: '' };
  const entry: RestartEntry = {
    at: toMicros(at),
    previous: {
      status: run.status,
      started: run.startedAt ? toMicros(run.startedAt) : null,
      stopped: run.stoppedAt ? toMicros(run.stoppedAt) : null,
      exit_status: run.exitStatus,
    },
  };
  const restarts = [...((own.restarts as RestartEntry[] | undefined) ?? []), entry];
  await Promise.all([deleteAttr(run.dir, 'exit_status'), deleteAttr(run.dir, 'stopped')]);
  await updateOwnAttr(run, { restarts, error: null });
  const captured = (await readdir(guildDir(run.dir)).catch(() => [] as string[])).filter((name) =>
    name.startsWith('events.out.tfevents.'),
  );
  await Promise.all(
    [runFile(run.dir, 'scalarSummary'), ...captured.map((name) => path.join(guildDir(run.dir), name))].map((file) =>
      rm(file, { force: true }),
    ),
  );
  return restarts;
}
