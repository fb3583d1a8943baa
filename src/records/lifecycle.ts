/**
 * What a run's records say at each step of its life, so that at any moment (even after
 * guild-stage is killed) Guild's status rule reads the truth from them.
 */
import { makeRunSubdir, readTextIfExists, writeStagingFile } from './files.js';
import type { Run } from '../run.js';
import { GUILD_STAGE_ATTR, readAttr, toMicros, writeAttr, writeStagingAttrs, type GuildStageAttr } from './attrs.js';
import { withoutSecrets } from './env.js';
import { guildDir, runFile } from './layout.js';
import { type LinkedStamp, writeLinked } from './linked.js';
import { sourcecodeDigest, writeManifest } from './manifest.js';
import { GuildStageError } from '../errors.js';
import { claimMarker, clearMarker, setMarker } from './markers.js';
import { formatOpref } from './opref.js';
import { systemAttrs } from './system.js';

export interface InitialRecords {
  run: Run;
  userFlags: Run['flags'];
  /** The full environment the script will see (secrets are dropped here). */
  env: NodeJS.ProcessEnv;
  /** With `linked` for a file `--link` shares with the project. */
  copied: ReadonlyArray<{ path: string; sha1: string; linked?: LinkedStamp }>;
  plugins: readonly string[];
  vcsCommit: string | null;
  version: string;
  initialized: Date;
  /** The run's `output-scalars` config, recorded as Guild records its op's; undefined for Guild's defaults. */
  outputScalars?: unknown;
  /** Guild's `flags-dest` when the flags live in a config file (`config:config.yml`); default `globals`. */
  flagsDest?: string;
  /** Flags given to the script as command-line arguments (in `cmd`), not written into its source. */
  flagArgs?: Record<string, string[]>;
  /** Values for names the script does not declare (`--force-flags`): only in its environment, never in `flags`. */
  forced?: Run['forced'];
  /** What `start` needs to run the same plugins and command hooks again. */
  staged?: Pick<GuildStageAttr, 'plugins' | 'hooks'>;
  /** The data files (`requires:`) linked or copied into the run: what was placed where. */
  requires?: ReadonlyArray<Record<string, string>>;
  /** The run this one was made from (`run --proto`). */
  proto?: string;
}

/**
 * Writes everything known when the source has been copied, in the (still temporary) run
 * directory `dir`, plus a LOCK with our pid: until staging ends, the run reads `running`
 * while we live and `error` if we die.
 */
export async function writeInitialRecords(dir: string, r: InitialRecords): Promise<void> {
  const { run } = r;
  const attrs: Record<string, unknown> = {
    id: run.id,
    initialized: toMicros(r.initialized),
    flags: run.flags,
    user_flags: r.userFlags,
    cmd: run.cmd,
    env: withoutSecrets(r.env),
    label: run.label,
    ...systemAttrs(r.env),
    plugins: [...r.plugins],
    sourcecode_digest: sourcecodeDigest(r.copied),
    op: {
      'op-cmd': { 'cmd-args': run.cmd, 'cmd-env': withoutSecrets(run.env) },
      'flags-dest': r.flagsDest ?? 'globals',
      ...(r.outputScalars !== undefined && { 'output-scalars': r.outputScalars }),
    },
    [GUILD_STAGE_ATTR]: {
      version: r.version,
      batch: run.batch,
      error: null,
      env: withoutSecrets(run.env),
      ...(r.flagArgs && Object.keys(r.flagArgs).length > 0 && { flag_args: r.flagArgs }),
      ...(r.forced && Object.keys(r.forced).length > 0 && { forced: r.forced }),
      ...r.staged,
      ...(r.requires && r.requires.length > 0 && { requires: [...r.requires] }),
      ...(r.proto && { proto: r.proto }),
    } satisfies GuildStageAttr,
  };
  if (r.vcsCommit) attrs.vcs_commit = r.vcsCommit;
  await makeRunSubdir(dir, guildDir(dir));
  await Promise.all([
    writeStagingAttrs(dir, attrs),
    writeStagingFile(runFile(dir, 'opref'), formatOpref(run.projectDir, run.opspec)),
    writeManifest(
      dir,
      r.copied.map((file) => ({ path: file.path, sha1: file.sha1, sourcePath: file.path })),
    ),
    writeLinked(dir, r.copied),
  ]);
  await setMarker(dir, 'LOCK', String(process.pid));
}

/** Staging is done and nothing runs yet. */
export async function markStaged(run: Run): Promise<void> {
  await setMarker(run.dir, 'STAGED');
  await clearMarker(run.dir, 'LOCK');
}

/**
 * Makes a staged run ours to start, once: `STAGED` becomes our `LOCK` (holding our pid from
 * its first moment, see `claimMarker`), so of any number of `start`s at once, one goes on and
 * the others fail here.
 */
export async function claimStaged(run: Run): Promise<void> {
  if (!(await claimMarker(run.dir, 'STAGED', process.pid))) {
    throw new GuildStageError('RUN_STATE', `run ${run.shortId} was already started`);
  }
}

/** The script is about to start; LOCK holds our pid while we record its output. */
export async function markStarted(run: Run): Promise<void> {
  // Staging (or the claim of a staged run) left a LOCK with our pid: nothing to write then.
  const pid = String(process.pid);
  if ((await readTextIfExists(runFile(run.dir, 'LOCK'))) !== pid) await setMarker(run.dir, 'LOCK', pid);
  await clearMarker(run.dir, 'STAGED');
  await writeAttr(run.dir, 'started', toMicros(run.startedAt ?? new Date()));
}

/**
 * The run is over. An `exit_status` is written only when the script ran: without one,
 * Guild reads a run with no live LOCK as `error`, which is what a run stopped by a hook is.
 */
export async function markStopped(run: Run): Promise<void> {
  const writes = [writeAttr(run.dir, 'stopped', toMicros(run.stoppedAt ?? new Date()))];
  if (run.exitStatus !== null) writes.push(writeAttr(run.dir, 'exit_status', run.exitStatus));
  if (run.error) writes.push(updateOwnAttr(run, { error: run.error }));
  try {
    const failed = (await Promise.allSettled(writes)).find((write) => write.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    // Even when the attrs could not be written (a full disk): a LOCK left behind would make a
    // run whose pid is reused read `running`.
    await clearMarker(run.dir, 'STAGED');
    await clearMarker(run.dir, 'LOCK');
  }
}

/**
 * The environment after `onRunBegin`, where plugins may have set variables for the script:
 * what the script gets is what `env`, `op`'s `cmd-env` and ours record (secrets dropped).
 */
export async function recordRunEnv(run: Run): Promise<void> {
  const op = (await readAttr<Record<string, unknown>>(run.dir, 'op')) ?? {};
  const opCmd = (op['op-cmd'] ?? {}) as Record<string, unknown>;
  await Promise.all([
    writeAttr(run.dir, 'env', withoutSecrets({ ...process.env, ...run.env })),
    writeAttr(run.dir, 'op', { ...op, 'op-cmd': { ...opCmd, 'cmd-env': withoutSecrets(run.env) } }),
    updateOwnAttr(run, { env: withoutSecrets(run.env) }),
  ]);
}

/** Merges `extra` into the run's `guild_stage` attr. */
export async function updateOwnAttr(run: Run, extra: Partial<GuildStageAttr>): Promise<void> {
  const current = (await readAttr<GuildStageAttr>(run.dir, GUILD_STAGE_ATTR)) ?? {
    version: '',
    batch: run.batch,
    error: null,
  };
  await writeAttr(run.dir, GUILD_STAGE_ATTR, { ...current, ...extra });
}
