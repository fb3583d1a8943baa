/**
 * What a run's records say when it runs again in its own directory (`guild-stage restart`),
 * as Guild's `run --restart` does: the run is claimed once, the previous attempt's end is
 * taken out of the records (so a restart that dies reads `error`, never the old status), and
 * the restart itself is recorded in our attr.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError, messageOf } from '../errors.js';
import type { Run } from '../run.js';
import { deleteAttr, GUILD_STAGE_ATTR, type GuildStageAttr, readAttr, toMicros } from './attrs.js';
import { guildDir, runFile } from './layout.js';
import { updateOwnAttr } from './lifecycle.js';
import { pidExists, pidOfLock, readMarker } from './markers.js';

/** One earlier attempt of a restarted run, as its records said before the restart. */
export interface RestartEntry {
  /** When the restart began, microseconds since the epoch (Guild's unit). */
  at: number;
  previous: { status: string; started: number | null; stopped: number | null; exit_status: number | null };
}

/**
 * Makes the run ours to run again: a `LOCK` holding our pid, created only if none is there. A
 * `LOCK` whose process is gone (a guild-stage that died) is taken over; a live one means the
 * run is running, and the restart is refused.
 */
export async function claimRestart(run: Run): Promise<void> {
  const lock = runFile(run.dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new GuildStageError('STAGE', `cannot write ${lock}: ${messageOf(error)}`, { file: lock, cause: error });
      }
    }
    const pid = pidOfLock(await readMarker(run.dir, 'LOCK'));
    if (pid !== null && pidExists(pid)) break;
    // Renamed away first: of two restarts taking over the same stale LOCK, one renames it.
    const stale = `${lock}.stale-${randomBytes(4).toString('hex')}`;
    await rename(lock, stale).then(
      () => rm(stale, { force: true }),
      () => undefined,
    );
  }
  throw new GuildStageError('RUN_STATE', `run ${run.shortId} is running: it can be restarted once it has stopped`);
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
