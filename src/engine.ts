/**
 * The library's façade: stage, run, start and open runs, run batches, list and read runs.
 * The CLI is its first client and reaches nothing else of the engine.
 *
 * The work of one run is the runner's (src/runner.ts); a batch schedules runner work
 * (src/batch/). The engine knows no language: transformers come from the registry by
 * extension. It never prints; output and warnings go to the callbacks the caller gives.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ApplyFlagsOptions, AppliedFlags } from './apply/apply-flags.js';
import { GuildStageError, messageOf } from './errors.js';
import type { BatchOptions, BatchOutcome, BatchPlan } from './batch/types.js';
import type { CompareOptions, CompareResult } from './compare/types.js';
import type { EngineOptions, RunOutcome, StagedRun, StageOnlyOptions, StageOptions } from './options.js';
import type { SubmittedRun } from './executors/slurm-run.js';
import type { StopAction } from './executors/stop-run.js';
import type { PlotOptions, PlotResult } from './plot-runs.js';
import { HOOK_NAMES, type HookName, type RunResult } from './plugins/types.js';
import { GUILD_STAGE_ATTR, type GuildStageAttr, readAttr } from './records/attrs.js';
import { listRuns as listRunRecords, listRunsIndexed, type RunRecord, resolveRun } from './records/read-run.js';
import { attrFile, runFile } from './records/layout.js';
import { checkRunPrivate } from './records/ownership.js';
import { changedLinkedFiles } from './records/linked.js';
import { type ListedRun, listingOrder, matchesFilter, type RunFilter } from './records/run-listing.js';
import { locateRunsDir, resolveRunsDir } from './records/runs-home.js';
import type { Objective } from './results/objective.js';
import type * as ManageRuns from './manage-runs.js';
import { Run } from './run.js';
import type { RunStatus } from './run-status.js';
import { RunStop } from './stop.js';
import { openRunsDir } from './stage/run-dir.js';

/** The runner and all it brings (transformers, staging, exec) load only for commands that make runs. */
const runner = () => import('./runner.js');

/**
 * Stages a run (like `guild run --stage`): copies the source, runs `onRunStaged`, writes
 * the patch. The run is left `staged` for `startRun`, or `error` when a hook failed.
 */
export async function stageRun(opts: StageOnlyOptions): Promise<StagedRun> {
  const { leaveStaged, openSource, prepareRun, stage, withRunStop } = await runner();
  const plan = await prepareRun(opts);
  return withRunStop(opts, async (stop) => {
    // Made under the stop's watch: a signal now still removes the dry run's copy.
    const runsDir = opts.dryRun
      ? await mkdtemp(path.join(os.tmpdir(), 'guild-stage-dry-run-'))
      : await openRunsDir(opts);
    try {
      const { driver: _, ...staged } = await stage(opts, plan, await openSource(opts, plan, runsDir), stop);
      if (opts.dryRun && stop.first) throw new GuildStageError('EXEC', `dry run stopped by ${stop.first.signal}`);
      if (!opts.dryRun) await leaveStaged(staged);
      opts.onStaged?.(staged);
      return staged;
    } finally {
      if (opts.dryRun) await rm(runsDir, { recursive: true, force: true });
    }
  });
}

/**
 * Stages and runs a script: the whole lifecycle. With the Slurm executor, the run is staged
 * here, submitted, and waited for (`submitRun` returns once it is submitted).
 */
export async function runScript(opts: StageOptions): Promise<RunOutcome> {
  if (opts.executor?.type === 'slurm') {
    // The Slurm executor loads only for Slurm runs.
    return (await (await import('./executors/slurm-run.js')).runOnSlurm({ ...opts, detach: false })) as RunOutcome;
  }
  const { openSource, prepareRun, runOne } = await runner();
  const plan = await prepareRun(opts);
  const runsDir = await openRunsDir(opts);
  return runOne(opts, plan, await openSource(opts, plan, runsDir));
}

/** Stages a run and submits it to Slurm (`opts.executor`), without waiting: its job id, or null when staging failed. */
export async function submitRun(opts: StageOptions): Promise<SubmittedRun> {
  return (await import('./executors/slurm-run.js')).runOnSlurm({ ...opts, detach: true });
}

/**
 * Applies flag values and `onRunStaged` plugins in place to a directory another tool
 * prepared (`dir`, default `cwd`; `script` inside it), the way staging applies them to a run's
 * copy, with no run directory and no records: all changed files are written, or none. A git
 * checkout itself, or files with uncommitted changes, are refused unless `force`; `check`
 * writes nothing. Returns the changes and the patch (`git apply -R` in `dir` undoes it).
 */
export async function applyFlags(opts: ApplyFlagsOptions): Promise<AppliedFlags> {
  // Like the runner, apply loads only when used.
  return (await import('./apply/apply-flags.js')).applyFlags(opts);
}

/** What `startRun` accepts. */
export interface StartOptions extends EngineOptions {
  /** Called once the run is known to be startable and is claimed, before onRunBegin. */
  onStart?: (run: Run) => void;
}

/**
 * Runs a staged run: onRunBegin -> exec -> onRunEnd, with the plugins and command hooks it
 * was staged with, loaded again from their modules. `opts.plugins` give again the plugin
 * objects a library caller staged it with (by name); they cannot add plugins, nor `opts.hooks` hooks.
 * A run that is not staged, that another start claimed, or whose directory another user could
 * write (see `checkRunPrivate`) is refused.
 */
export async function startRun(run: Run, opts: StartOptions = {}): Promise<RunResult> {
  if (run.status !== 'staged') {
    throw new GuildStageError(
      'RUN_STATE',
      `run ${run.shortId} has status ${run.status}: only a staged run can be started`,
    );
  }
  const { claimStaged } = await import('./records/lifecycle.js');
  return executeAgain(
    run,
    opts,
    async () => {
      await claimStaged(run);
      // Started by a Slurm job: the run records its job and node before its hooks run.
      if (process.env.SLURM_JOB_ID) await (await import('./executors/slurm.js')).recordSlurmStart(run);
    },
    () => opts.onStart?.(run),
  );
}

/**
 * `start` and `restart`: a run that exists executes with the plugins and hooks it was staged
 * with, loaded again. Who may run it (`checkRunPrivate`) and what it runs with are checked
 * before `claim` makes it ours: a refused run is left as it was.
 */
async function executeAgain(
  run: Run,
  opts: EngineOptions,
  claim: (run: Run) => Promise<void>,
  onClaimed: () => void,
): Promise<RunResult> {
  const [{ driverFor, execute, startPlugins, withRunStop }, { stagedPlugins }] = await Promise.all([
    runner(),
    import('./plugins/reload.js'),
  ]);
  // Before the claim: a run another user could have swapped stays as it is for its owner to see.
  await checkRunPrivate(run.dir);
  const builtins = await startPlugins(run);
  const staged = { ...opts, ...(await stagedPlugins(run, opts)) };
  return withRunStop(staged, async (stop) => {
    // One start runs it: of several at once, the others fail here.
    await claim(run);
    onClaimed();
    return execute(run, driverFor(staged, stop, builtins), staged, stop);
  });
}

/**
 * Runs a finished run again in its own directory, as Guild's `run --restart`: the same
 * command, flags and environment, on the source already staged there (nothing is staged
 * again), with onRunBegin -> exec -> onRunEnd as `startRun`. Its output and captured scalars
 * are replaced, its `started` is the restart's, and the `guild_stage` attr's `restarts` lists
 * each earlier attempt. A running or staged run, a batch run and a run guild-stage did not
 * stage are refused.
 */
export async function restartRun(
  run: Run,
  opts: EngineOptions & { onRestart?: (previous: RunStatus) => void } = {},
): Promise<RunResult> {
  const refuse = (why: string, suggestion?: string) =>
    new GuildStageError('RUN_STATE', `run ${run.shortId} ${why}`, { suggestion });
  if (run.status === 'running') throw refuse('is running: it can be restarted once it has stopped');
  if (run.status === 'staged') throw refuse('is staged and has not run yet', `guild-stage start ${run.shortId}`);
  if (run.batch?.role === 'batch') {
    const first = run.batch.trials[0]?.slice(0, 8);
    throw refuse(
      'is a batch: restart its trials one by one, or run the batch again with --needed',
      first && `guild-stage restart ${first}`,
    );
  }
  const restart = await import('./records/restart.js');
  const own = await readAttr<Partial<GuildStageAttr>>(run.dir, GUILD_STAGE_ATTR);
  if (own === undefined) throw refuse('was not staged by guild-stage: it has no record of what to run again');
  // `changed` is recorded once onRunStaged is through: without it the staged source is not what a run would get.
  if (own.changed === undefined)
    throw refuse(`never finished staging (${run.error ?? 'no reason recorded'}): stage it again`);
  const previous = run.status;
  return executeAgain(
    run,
    opts,
    async () => {
      // One restart runs it: a second one, or a run that started meanwhile, fails here.
      await restart.claimRestart(run);
      await restart.recordRestart(run, new Date());
    },
    () => opts.onRestart?.(previous),
  );
}

/**
 * The options of a new run from another run (`run --proto`, Guild issue #419): its script and
 * project, its flags with `flags` (`--flags` items) over them, and the proto, which the new
 * run records (`guild_stage.proto`) and is checked against. Spread them into `runScript`,
 * `stageRun` or `runBatch` options. The proto may be a batch's trial, not a batch run.
 */
export async function protoRunOptions(
  ref: string,
  opts: Pick<EngineOptions, 'cwd' | 'runsDir'> & { flags?: readonly string[] } = {},
): Promise<Pick<StageOptions, 'script' | 'projectDir' | 'flags' | 'proto'>> {
  const run = await findRun(ref, opts);
  return (await import('./proto.js')).protoOptions(run, opts.flags);
}

/** A recorded run as a Run object, by id, unique id prefix or directory. */
export async function openRun(ref: string, opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {}): Promise<Run> {
  const record = await findRun(ref, opts);
  if (record.status === 'unreadable') {
    throw new GuildStageError('RUN_STATE', `run ${record.id.slice(0, 8)} cannot be read: ${record.unreadable}`, {
      suggestion: 'repair or delete it (guild-stage runs rm)',
    });
  }
  const own = (record.attrs[GUILD_STAGE_ATTR] ?? {}) as Partial<GuildStageAttr>;
  return Run.fromRecord({ ...record, status: record.status }, (own.env as Record<string, string> | undefined) ?? {});
}

/** Runs a batch: the batch run, and each trial as a full run, up to `parallel` at once. */
export async function runBatch(opts: BatchOptions): Promise<BatchOutcome> {
  // Batch code loads only for batches: a single run starts without it.
  return (await import('./batch/run-batch.js')).runBatch(opts);
}

/** Whether these `--flags` items (or a trials file) make a batch. */
export async function isBatch(flags: BatchOptions['flags'], trialsFile?: string): Promise<boolean> {
  return (await import('./batch/syntax.js')).isBatch(flags, trialsFile);
}

/** Every trial of a batch, decoded and checked, without running anything. */
export async function planBatch(opts: BatchOptions): Promise<BatchPlan> {
  return (await import('./batch/plan-batch.js')).planBatch(opts);
}

/**
 * Every run in the runs directory, newest first; staging that died is cleaned away first.
 * Runs submitted to Slurm whose records cannot tell get their status from Slurm.
 */
export async function listRuns(opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {}): Promise<RunRecord[]> {
  return withSlurmStatuses(await listRunRecords(await openRunsDir(opts)));
}

/**
 * `runs` with the statuses Slurm gives for those submitted to it and not yet stopped (their
 * records re-read when Slurm says they ended, as their end is then recorded). The Slurm code
 * loads only when runs were submitted.
 */
async function withSlurmStatuses(runs: RunRecord[]): Promise<RunRecord[]> {
  const submitted = runs.filter((run) => run.attrs.remote !== undefined && run.attrs.stopped === undefined);
  if (submitted.length === 0) return runs;
  const statuses = await (await import('./executors/slurm-status.js')).slurmStatuses(submitted);
  for (const run of runs) run.status = statuses.get(run.dir) ?? run.status;
  return runs;
}

/** What `listIndexedRuns` lists: a runs directory, and which of its runs. */
export interface ListRunsOptions extends Pick<EngineOptions, 'cwd' | 'runsDir'> {
  /** Only the runs that pass every filter; `batch` is a run reference to a batch run. */
  filter?: RunFilter;
  /** The deleted runs, in the trash (`runs rm`), instead; their indexes name them for `restore` and `purge`. */
  deleted?: boolean;
}

/**
 * The runs as `runs` lists them: newest first, each batch's trials under it, each with the
 * `[N]` index that names it as a run reference. Filters hide runs but change no index.
 */
export async function listIndexedRuns(opts: ListRunsOptions = {}): Promise<ListedRun<RunRecord>[]> {
  const cwd = opts.cwd ?? process.cwd();
  // The trash is found only for --deleted: listing runs loads nothing of it.
  const trash = opts.deleted
    ? (await import('./records/trash.js')).trashDir(resolveRunsDir({ runsDir: opts.runsDir, cwd }))
    : '';
  // Only what the listing shows is read of each run, through the runs directory's index: every
  // attr of thousands of runs is seconds. The trash gets no index file.
  const listed = listingOrder(
    opts.deleted
      ? await listRunRecords(trash, 'listed')
      : await withSlurmStatuses(await listRunsIndexed(await openRunsDir(opts))),
  );
  const { batch, ...filter } = opts.filter ?? {};
  if (batch === undefined) return listed.filter(({ run }) => matchesFilter(run, filter));
  const batchRun = opts.deleted ? await resolveRun(batch, trash, cwd) : await findRun(batch, opts);
  if (batchRun.batch?.role !== 'batch') {
    throw new GuildStageError('USAGE', `--batch ${batch}: run ${batchRun.id.slice(0, 8)} is not a batch run`);
  }
  return listed.filter(({ run }) => matchesFilter(run, { ...filter, batch: batchRun.id }));
}

/**
 * Asks a run to stop where it runs: a Slurm job is cancelled (`scancel`), a local run's
 * guild-stage gets SIGTERM. The run ends recorded by whoever runs it. A run that has ended
 * or is not running is `RUN_STATE`.
 */
export async function stopRun(
  ref: string,
  opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {},
): Promise<{ run: RunRecord; action: StopAction }> {
  const run = await findRun(ref, opts);
  return { run, action: await (await import('./executors/stop-run.js')).stopRun(run) };
}

/** Run management loads only for the commands that manage runs. */
const manageRuns = () => import('./manage-runs.js');

/** Moves runs to the trash (`$GUILD_HOME/trash/runs`), where `guild runs --deleted` lists them; a running run is refused. */
export const deleteRuns: typeof ManageRuns.deleteRuns = async (...args) => (await manageRuns()).deleteRuns(...args);
/** Moves deleted runs back from the trash. */
export const restoreRuns: typeof ManageRuns.restoreRuns = async (...args) => (await manageRuns()).restoreRuns(...args);
/** Deletes runs of the trash for good, once `confirm` says yes. */
export const purgeRuns: typeof ManageRuns.purgeRuns = async (...args) => (await manageRuns()).purgeRuns(...args);
/** Sets a run's label (Guild's `label` attr), or removes it for null. */
export const labelRun: typeof ManageRuns.labelRun = async (...args) => (await manageRuns()).labelRun(...args);
/** Adds and removes a run's tags (Guild's `tags` attr, sorted); returns them. */
export const tagRun: typeof ManageRuns.tagRun = async (...args) => (await manageRuns()).tagRun(...args);
/** Marks runs (Guild's `marked` attr), or unmarks them. */
export const markRuns: typeof ManageRuns.markRuns = async (...args) => (await manageRuns()).markRuns(...args);

/**
 * For each trial of a batch that has an objective (`--minimize`/`--maximize`), the
 * objective scalar's last value, undefined when the trial has none: what `runs` shows.
 */
export async function trialObjectives(
  runs: readonly RunRecord[],
): Promise<Map<string, { scalar: string; value: number | undefined }>> {
  const objectives = new Map<string, string>();
  for (const run of runs) {
    const own = run.attrs[GUILD_STAGE_ATTR] as Partial<GuildStageAttr> | undefined;
    const objective = own?.objective as Partial<Objective> | undefined;
    if (run.batch?.role === 'batch' && typeof objective?.scalar === 'string') objectives.set(run.id, objective.scalar);
  }
  const trials = runs.flatMap((run) => {
    const scalar = run.batch?.role === 'trial' ? objectives.get(run.batch.batchId) : undefined;
    return scalar === undefined ? [] : [{ run, scalar }];
  });
  if (trials.length === 0) return new Map();
  // The scalar records (and the event-file reader behind them) load only when a trial needs them.
  const { readScalarSummary } = await import('./records/scalar-summary.js');
  const values = await Promise.all(
    trials.map(async ({ run, scalar }) => {
      const summary = await readScalarSummary(run.dir).catch(() => undefined);
      return [run.id, { scalar, value: summary?.scalars[scalar]?.last }] as const;
    }),
  );
  return new Map(values);
}

/**
 * For each run with `--link`ed files that changed since it was staged (the project edited in
 * place, which a hard link shares), those files: the run's copy of the source is no longer
 * what it ran with. Runs with none are left out. What `runs` and `diff` flag.
 */
export async function modifiedRuns(runs: readonly RunRecord[]): Promise<Map<string, string[]>> {
  const changed = await Promise.all(runs.map(async (run) => [run.id, await changedLinkedFiles(run.dir)] as const));
  return new Map(changed.filter(([, files]) => files.length > 0));
}

/** The warning `diff` gives for a run whose linked files changed since it was staged. */
function modifiedWarning(run: RunRecord, files: readonly string[]): GuildStageError {
  const shown = files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ');
  return new GuildStageError(
    'RUN_STATE',
    `run ${run.id.slice(0, 8)}: ${shown} changed since it was staged (hard-linked with --link, and edited in the project); the run's copy is not what it ran with`,
    { file: files[0] },
  );
}

async function modifiedWarnings(runs: readonly RunRecord[]): Promise<GuildStageError[]> {
  const modified = await modifiedRuns(runs);
  return runs.flatMap((run) => (modified.has(run.id) ? [modifiedWarning(run, modified.get(run.id)!)] : []));
}

/**
 * Runs side by side, as `guild compare` shows them: the runs `refs` name (ids, unique id
 * prefixes or run directories; a batch run stands for its trials), or every run of the runs
 * directory, newest first; their flags and scalar summaries; filtered, sorted and limited by
 * `opts`. Run facts and scalars are cached in `<runs dir>/.guild-stage-index.json`, checked
 * against each run's files on every call. A run or event file that cannot be read does not
 * stop it: it is in `warnings`.
 */
export async function compareRuns(refs: readonly string[], opts: CompareOptions = {}): Promise<CompareResult> {
  const runsDir = await openRunsDir(opts);
  // Compare code loads only for compare.
  const result = await (await import('./compare/compare-runs.js')).compareRuns(refs, runsDir, opts);
  const open = result.runs.filter(
    (row) => row.status !== 'completed' && row.status !== 'terminated' && existsSync(attrFile(row.runDir, 'remote')),
  );
  if (open.length > 0) {
    const { slurmStatuses } = await import('./executors/slurm-status.js');
    const statuses = await slurmStatuses(open.map((row) => ({ dir: row.runDir, status: row.status })));
    for (const row of result.runs) row.status = statuses.get(row.runDir) ?? row.status;
  }
  return result;
}

/**
 * The runs directory commands use: `runsDir` resolved against `cwd`, else `$GUILD_HOME/runs`,
 * else the nearest `.guild/runs` up from `cwd` that only the user can write, else
 * `~/.guild/runs`; `warnings` name the `.guild/` directories passed over and why.
 */
export function runsDirFor(opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {}): {
  runsDir: string;
  warnings: GuildStageError[];
} {
  return locateRunsDir({ runsDir: opts.runsDir, cwd: opts.cwd ?? process.cwd() });
}

/** A run's record, by id, unique id prefix or directory. */
export async function findRun(ref: string, opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {}): Promise<RunRecord> {
  const cwd = opts.cwd ?? process.cwd();
  return resolveRun(ref, resolveRunsDir({ runsDir: opts.runsDir, cwd }), cwd);
}

/** A run's staged patch: every change plugins made to its copy of the source. */
export async function readRunPatch(
  ref: string,
  opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {},
): Promise<{ run: RunRecord; patch: string; warnings: GuildStageError[] }> {
  const run = await findRun(ref, opts);
  const short = run.id.slice(0, 8);
  if (run.batch?.role === 'batch') {
    const trials = run.batch.trials.map((id) => id.slice(0, 8));
    throw new GuildStageError(
      'USAGE',
      `run ${short} is a batch: each of its trials has a patch (trials: ${trials.join(', ') || 'none'})`,
      { suggestion: trials.length ? `guild-stage diff ${trials[0]}` : undefined },
    );
  }
  const patch = await readFile(runFile(run.dir, 'stagedPatch'), 'utf8').catch((error: unknown) => {
    if (run.attrs[GUILD_STAGE_ATTR] === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GuildStageError('NOT_FOUND', `run ${short} was not staged by guild-stage: it has no staged patch`);
    }
    throw new GuildStageError('NOT_FOUND', `run ${short} has no staged patch (${messageOf(error)})`);
  });
  return { run, patch, warnings: await modifiedWarnings([run]) };
}

/**
 * The source difference between two runs, as `git diff` prints it: the patch that turns
 * `ref`'s copy of the source into `other`'s (manifest files, `.guild/` never).
 */
export async function diffRuns(
  ref: string,
  other: string,
  opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {},
): Promise<{ from: RunRecord; to: RunRecord; patch: string; warnings: GuildStageError[] }> {
  const [from, to] = await Promise.all([findRun(ref, opts), findRun(other, opts)]);
  // The diff library loads only for a diff.
  const patch = await (await import('./run-diff.js')).diffRunSources(from, to);
  return { from, to, patch, warnings: await modifiedWarnings(from.id === to.id ? [from] : [from, to]) };
}

/**
 * A run's files and directories (`/` at the end), relative to its directory, as `guild ls`
 * lists them: hidden ones, `.guild` among them, only with `all`.
 */
export async function listRunFiles(
  ref: string,
  opts: Pick<EngineOptions, 'cwd' | 'runsDir'> & { all?: boolean } = {},
): Promise<{ run: RunRecord; files: string[] }> {
  const run = await findRun(ref, opts);
  const { listRunDirFiles } = await import('./records/run-files.js');
  return { run, files: await listRunDirFiles(run.dir, opts.all ?? false) };
}

/** The path of a run's output (`.guild/output`), or of `file` in the run, checked to be a regular file there. */
export async function runFileOf(
  ref: string,
  file: string | undefined,
  opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {},
): Promise<{ run: RunRecord; path: string }> {
  const run = await findRun(ref, opts);
  const { runFilePath } = await import('./records/run-files.js');
  return { run, path: await runFilePath(run.dir, run.id.slice(0, 8), file) };
}

/**
 * A run's output (`.guild/output`) as it grows: `onChunk` gets what is there, then what is
 * appended, until the run has ended (a run submitted to Slurm: once its job has ended).
 */
export async function followRunOutput(
  ref: string,
  onChunk: (chunk: Buffer) => void,
  opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {},
): Promise<RunRecord> {
  const run = await findRun(ref, opts);
  await (await import('./records/output-follow.js')).followOutput(run.dir, onChunk);
  return run;
}

/**
 * Plots runs' scalars into `opts.output` (`FILE.svg`, plus `FILE-flags.svg` for a batch, or
 * one `FILE.html`): a curve per run of the scalar, and for a batch its last value against
 * each flag that varies. `refs` are runs (a batch means its trials); none means the newest
 * runs with scalars. Runs with an unreadable event file are left out through `onWarning`.
 */
export async function plotRuns(refs: readonly string[], opts: PlotOptions): Promise<PlotResult> {
  // Plot code loads only for plots.
  return (await import('./plot-runs.js')).plotRuns(refs, opts);
}

/** One hook's handlers in the order a run calls them. */
export type HookOrder = Record<HookName, Array<{ plugin: string; priority: number }>>;

/**
 * The plugins a run with these options loads, and the order of each hook, from the same
 * driver a run uses. The built-ins are listed with the hooks they have in a run that
 * writes flag values and captures scalars.
 */
export async function pluginOrder(opts: EngineOptions): Promise<{ plugins: string[]; order: HookOrder }> {
  const { driverFor, FLAGS_PLUGIN, SCALARS_PLUGIN } = await runner();
  const builtins = [
    { name: FLAGS_PLUGIN, onRunStaged: () => {} },
    { name: SCALARS_PLUGIN, onRunOutput: () => {}, onRunEnd: () => {} },
  ];
  const driver = driverFor(opts, new RunStop(), builtins);
  const order = Object.fromEntries(
    HOOK_NAMES.map((hook) => [
      hook,
      driver.order(hook).map(({ plugin, priority }) => ({ plugin: plugin.name, priority })),
    ]),
  ) as HookOrder;
  return { plugins: driver.plugins.map((plugin) => plugin.name), order };
}

export type { ApplyFlagsOptions, AppliedFlags } from './apply/apply-flags.js';
export type { BatchOptions, BatchOutcome, BatchPlan, SkippedTrial, Trial, TrialOutcome } from './batch/types.js';
export type { CompareOptions, CompareResult, CompareRow, SummaryField } from './compare/types.js';
export type { TagSummary } from './records/scalar-summary.js';
export { loadConfig, type ProjectConfig } from './config.js';
export type { RunsDirOptions, TagChange } from './manage-runs.js';
export type { Objective, ObjectiveResult } from './results/objective.js';
export { type FileStat, patchStats } from './patch-stats.js';
export { describeExtent, type SourceExtent } from './stage/extent.js';
export type { PlotOptions, PlotResult } from './plot-runs.js';
export { DEFAULT_PLOT_LIMIT, type ScalarChoice } from './results/plot-data.js';
export type { Stream } from './exec.js';
export { type Discovered, discoverFlags } from './flags/discover.js';
export { nearestName } from './flags/resolve.js';
export type {
  ChangedFile,
  EngineOptions,
  FlagEdit,
  RunOutcome,
  StagedRun,
  StageOnlyOptions,
  StageOptions,
} from './options.js';
export { LineSplitter } from './output-lines.js';
export { type CommandHook, parseHookSpec } from './plugins/command-hooks.js';
export { loadPlugins } from './plugins/load.js';
export type { SubmittedRun } from './executors/slurm-run.js';
export type { StopAction } from './executors/stop-run.js';
export {
  checkExecutorConfig,
  type ExecutorSpec,
  mergeSlurmOptions,
  type SlurmOptions,
  type SlurmRemote,
} from './executors/slurm-options.js';
export { HOOK_NAMES, type HookName, type Plugin, type RunResult } from './plugins/types.js';
export type { RunRecord } from './records/read-run.js';
export type { ListedRun, RunFilter } from './records/run-listing.js';
export type { RunStatus } from './run-status.js';
export { Run } from './run.js';
export { shlexSplit } from './shlex.js';
export { supportedExtensions } from '../transformers/index.js';
export type { FlagSite, FlagValue } from '../transformers/types.js';
