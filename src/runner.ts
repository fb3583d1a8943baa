/**
 * The per-run unit: what one run goes through, written once for a single run, each trial
 * of a batch, and a batch run itself. Callers only decide how many runs and when (as
 * jscodeshift's one Worker serves its in-band and forked runs).
 *
 * prepare (plan, hook commands: before any run directory exists) -> open (runs directory
 * and source selection, shared by a batch's trials) -> stage (run directory, records,
 * onRunStaged, patch) -> execute (onRunBegin -> exec -> onRunEnd).
 */
import path from 'node:path';
import { GuildStageError, toGuildStageError } from './errors.js';
import { forcedFlagNote } from './flags/env.js';
import type { EngineOptions, FlagEdit, RunOutcome, StagedRun, StageOptions } from './options.js';
import { planRun, type RunPlan, type ScriptPlan } from './plan.js';
import { checkHookCommand, commandHookPlugin, type CommandHook } from './plugins/command-hooks.js';
import { PluginDriver } from './plugins/driver.js';
import { FLAGS_PLUGIN, flagsPlugin } from './plugins/flags-plugin.js';
import { SCALARS_PLUGIN, scalarsPlugin } from './plugins/scalars-plugin.js';
import { recordPlugins } from './plugins/reload.js';
import { StagedFiles } from './plugins/staged-source.js';
import type { Plugin, RunResult } from './plugins/types.js';
import { readAttr } from './records/attrs.js';
import { writeFileAtomic } from './records/files.js';
import { runFile } from './records/layout.js';
import { markStaged, updateOwnAttr, writeInitialRecords } from './records/lifecycle.js';
import { newRunId } from './records/run-id.js';
import { resolveRunsDir } from './records/runs-home.js';
import { vcsCommit } from './records/vcs.js';
import { compileOutputScalars, type OutputScalars } from './results/patterns.js';
import { defaultLabel, Run } from './run.js';
import { endRun, execBody, failed, NOT_DONE, runLifecycle, truthfulEnding } from './run-lifecycle.js';
import { checkProtoFlags } from './proto.js';
import { checkRunnable } from './script-check.js';
import { commandFor } from './script-command.js';
import { markHooksStart } from './stage/changes.js';
import { type CopiedFile, copySource } from './stage/copy.js';
import { initGitView, markAddedFiles } from './stage/git-view.js';
import { extentWarnings } from './stage/extent.js';
import { HashCache } from './stage/hash-cache.js';
import { placeRequires, requiresRecord } from './stage/requires.js';
import { createRunDir } from './stage/run-dir.js';
import { type Selection, selectSource } from './stage/select.js';
import { describeSkip, type SkippedFile } from './stage/skipped.js';
import { type ChangedFile, stagedChanges } from './stage/staged-diff.js';
import { RunStop } from './stop.js';
import { VERSION } from './version.js';

/** What every run of one script shares: where runs go and which source files they copy. */
export interface RunSource {
  runsDir: string;
  selection: Selection;
  /** With `--link`: the runs directory's hashes of project files, shared by a batch's trials. */
  hashes?: HashCache;
}

/** A staged run and the driver that runs its remaining hooks. */
interface Staged extends StagedRun {
  driver: PluginDriver;
}

/** The plan and the hook commands checked: a bad input fails here, before any run directory exists. */
export async function prepareRun(opts: StageOptions): Promise<RunPlan> {
  const plan = await planRun({ ...opts, cwd: opts.cwd ?? process.cwd() });
  if (opts.proto) checkProtoFlags(opts.proto, plan.resolved.flags);
  checkFlagArgs(plan, opts.exec);
  const env = { ...process.env, ...opts.env };
  checkRunnable(
    plan.opspec,
    opts.exec ?? commandFor(plan.opspec, [], env).cmd,
    plan.projectDir,
    env,
    Boolean(opts.exec),
  );
  await checkHookCommands(opts.hooks, plan.projectDir);
  warnForced(plan.resolved.forced, plan, opts);
  return plan;
}

/** Says of each forced flag that the script gets it only as a variable, never as a flag. */
export function warnForced(forced: RunPlan['resolved']['forced'], plan: ScriptPlan, opts: EngineOptions): void {
  for (const name of Object.keys(forced)) {
    opts.onWarning?.(new GuildStageError('FLAG', forcedFlagNote(name, plan.flagsFile)));
  }
}

/** Fails when a hook command's program does not exist. */
export async function checkHookCommands(hooks: readonly CommandHook[] = [], projectDir: string): Promise<void> {
  await Promise.all(hooks.map((hook) => checkHookCommand(hook, projectDir)));
}

/**
 * Selects the source runs of `plan` copy into `runsDir`; the script itself must be part of
 * it. The runs directory a real run would use is left out too, so a dry run shows what a
 * run would copy. A source far larger than expected, or cut by the file limit, is warned
 * about once here (not per trial).
 */
export async function openSource(opts: StageOptions, plan: ScriptPlan, runsDir: string): Promise<RunSource> {
  const ownRunsDir = resolveRunsDir({ runsDir: opts.runsDir, cwd: opts.cwd ?? process.cwd() });
  const required = plan.requires.map((requirement) => requirement.source);
  const selection = withoutRequired(
    await selectSource(plan.projectDir, { rules: opts.source, excludeDirs: [runsDir, ownRunsDir, ...required] }),
    plan,
  );
  for (const file of new Set([plan.opspec, plan.flagsFile])) {
    const skipped = selection.skipped.find((entry) => entry.path === file);
    if (skipped || !selection.files.some((entry) => entry.path === file)) {
      throw notStaged(plan, file, skipped ? describeSkip(skipped) : 'excluded by the source rules');
    }
  }
  for (const warning of extentWarnings(selection, plan.projectDir, plan.opspec)) opts.onWarning?.(warning);
  return { runsDir, selection, hashes: opts.link ? await HashCache.open(runsDir) : undefined };
}

/** A required file the walk met is data, not source: not selected, and not skipped either. */
function withoutRequired(selection: Selection, plan: ScriptPlan): Selection {
  const inside = plan.requires.flatMap(({ source }) => {
    const rel = path.relative(plan.projectDir, source).split(path.sep).join('/');
    return rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel) ? [] : [rel];
  });
  if (inside.length === 0) return selection;
  const source = (file: { path: string }) =>
    !inside.some((rel) => file.path === rel || file.path.startsWith(`${rel}/`));
  return { ...selection, files: selection.files.filter(source), skipped: selection.skipped.filter(source) };
}

function notStaged(plan: ScriptPlan, file: string, why: string): GuildStageError {
  const what = file === plan.opspec ? 'the script' : `the config file (flags-dest of ${plan.opspec})`;
  return new GuildStageError('SOURCE', `${what} ${file} is not part of the staged source (${why})`, { file });
}

/**
 * A run's plugins in the order of registration: `builtins` first, then the caller's, then
 * command hooks. A stop request reaches the hook running at that moment.
 */
export function driverFor(opts: EngineOptions, stop: RunStop, builtins: readonly Plugin[] = []): PluginDriver {
  const hookOutput = (chunk: string) => opts.onOutput?.('stderr', Buffer.from(chunk));
  const commands = (opts.hooks ?? []).map((hook) => commandHookPlugin(hook, hookOutput, opts.killGraceMs));
  return new PluginDriver(
    [...builtins, ...(opts.plugins ?? []), ...commands],
    (warning) => opts.onWarning?.(warning),
    opts.hookTimeoutMs,
    stop,
  );
}

/**
 * Runs `work` with the run's stop requests open: signals (when the options forward them),
 * the caller's abort, and the last resort (when the options guard the process).
 */
export async function withRunStop<T>(opts: EngineOptions, work: (stop: RunStop) => Promise<T>): Promise<T> {
  const stop = new RunStop(opts);
  try {
    return await work(stop);
  } finally {
    stop.close();
  }
}

/**
 * A run's built-in plugins: the flags plugin when the plan has values to write (and where
 * it reports its edits), and scalar capture unless it is off.
 */
export function builtinsFor(plan: RunPlan): { builtins: Plugin[]; edits: FlagEdit[] } {
  const edits: FlagEdit[] = [];
  const builtins: Plugin[] = [];
  if (plan.transformer && Object.keys(plan.resolved.apply).length > 0) {
    builtins.push(
      flagsPlugin({
        transformer: plan.transformer,
        file: plan.flagsFile,
        values: plan.resolved.apply,
        mode: plan.mode,
        onEdits: (list) => edits.push(...list.map((edit) => ({ ...edit, file: plan.flagsFile }))),
      }),
    );
  }
  builtins.push(...capturePlugins(plan.scalars.compiled, Object.keys(plan.resolved.flags)));
  return { builtins, edits };
}

function capturePlugins(config: OutputScalars, flagNames: readonly string[]): Plugin[] {
  return config.enabled ? [scalarsPlugin({ config, flagNames })] : [];
}

/**
 * The built-in plugins of a staged run that starts now (`guild-stage start`): scalar capture
 * with the output-scalars config its records hold, as it was planned.
 */
export async function startPlugins(run: Run): Promise<Plugin[]> {
  const op = await readAttr<Record<string, unknown>>(run.dir, 'op');
  return capturePlugins(compileOutputScalars(op?.['output-scalars']), Object.keys(run.flags));
}

/**
 * Stages one run: a new run directory holding the source and the initial records, then
 * onRunStaged and the patch of what it changed. A failing onRunStaged ends the run in `error`
 * (onRunEnd still runs); the result then says so.
 */
export async function stage(opts: StageOptions, plan: RunPlan, source: RunSource, stop: RunStop): Promise<Staged> {
  const { builtins, edits } = builtinsFor(plan);
  const driver = driverFor(opts, stop, builtins);
  const id = newRunId();
  const dir = path.join(source.runsDir, id);
  const flagArgs = Object.values(plan.resolved.args).flat();
  // After the user's own script arguments, so that a flag given with --flags wins over them.
  const script = commandFor(plan.opspec, [...(opts.scriptArgs ?? []), ...flagArgs]);
  const run = Run.staged({
    id,
    dir,
    projectDir: plan.projectDir,
    opspec: plan.opspec,
    flags: plan.resolved.flags,
    forced: plan.resolved.forced,
    cmd: opts.exec ? [...opts.exec] : script.cmd,
    env: { ...script.env, ...opts.env, ...plan.flagEnv },
    remote: null,
    batch: opts.batch ?? null,
    label: opts.label ?? defaultLabel(plan.resolved.userFlags, plan.resolved.forced),
  });
  const commit = source.selection.git ? await vcsCommit(plan.projectDir) : null;
  let skipped: SkippedFile[] = source.selection.skipped;
  let copied: CopiedFile[] = [];
  await createRunDir(source.runsDir, id, async (tmp) => {
    const copy = await copySource(plan.projectDir, tmp, source.selection, { link: opts.link, hashes: source.hashes });
    copied = copy.copied;
    skipped = [...source.selection.skipped, ...copy.skipped];
    const needed = copy.skipped.find((file) => file.path === plan.opspec || file.path === plan.flagsFile);
    if (needed) throw notStaged(plan, needed.path, describeSkip(needed));
    await placeRequires(plan.requires, tmp);
    await writeInitialRecords(tmp, {
      run,
      userFlags: plan.resolved.userFlags,
      env: { ...process.env, ...run.env },
      copied: copy.copied,
      plugins: driver.plugins.map((plugin) => plugin.name),
      vcsCommit: commit,
      version: VERSION,
      initialized: new Date(),
      outputScalars: plan.scalars.config,
      flagsDest: plan.config?.dest,
      flagArgs: plan.resolved.args,
      forced: plan.resolved.forced,
      staged: {
        plugins: recordPlugins(opts.plugins ?? []),
        hooks: (opts.hooks ?? []).map(({ event, command }) => ({ event, command })),
      },
      requires: requiresRecord(plan.requires),
      proto: opts.proto?.id,
    });
    return copy.copied;
  });
  // Files past the file limit were counted in one warning by openSource.
  for (const file of skipped.filter((entry) => entry.reason !== 'count')) {
    opts.onWarning?.(new GuildStageError('SOURCE', `skipped ${file.path}: ${describeSkip(file)}`, { file: file.path }));
  }
  const required = plan.requires.map((requirement) => requirement.target);
  if (opts.git) await initGitView(run.dir, plan.projectDir, commit, required);
  const staged = await runStagedHooks(run, driver, stop, builtins, copied, required);
  if (opts.git) await markAddedFiles(run.dir);
  const extent = { files: copied.length, bytes: copied.reduce((sum, file) => sum + file.size, 0) };
  return { ...staged, edits, flagArgs: plan.resolved.args, skipped, source: extent, driver };
}

/** Refuses flags that must be command-line arguments when `--exec` replaces the command they would join. */
export function checkFlagArgs(plan: RunPlan, exec: StageOptions['exec']): void {
  const names = Object.keys(plan.resolved.args).join(', ');
  if (!exec || names === '') return;
  throw new GuildStageError('USAGE', `--exec runs its own command, so ${names} cannot reach ${plan.opspec}`, {
    suggestion: `${names} can only be given as command-line arguments (the default is not a literal); put them in the --exec command`,
  });
}

/** onRunStaged, then the patch of everything it changed. */
async function runStagedHooks(
  run: Run,
  driver: PluginDriver,
  stop: RunStop,
  builtins: readonly Plugin[],
  copied: CopiedFile[],
  required: readonly string[],
) {
  const began = Date.now();
  const { changed, patch, failure } = await editStagedCopy(run, driver, stop, builtins, copied, required);
  const patchFile = runFile(run.dir, 'stagedPatch');
  await writeFileAtomic(patchFile, patch);
  if (failure || stop.first) {
    const ending = truthfulEnding(failure ? failed(failure) : NOT_DONE, stop);
    return { run, patchFile, patch, changed, result: await endRun(run, driver, ending, began) };
  }
  await updateOwnAttr(run, { changed: Object.fromEntries(changed.map((file) => [file.path, file.plugins])) });
  return { run, patchFile, patch, changed, result: null };
}

/**
 * onRunStaged over the copy of the source in `run.dir`, then what it changed against the
 * project: the one path by which `stage` and `apply` edit a copy. A failing hook is returned,
 * with whatever it changed before failing.
 */
export async function editStagedCopy(
  run: Run,
  driver: PluginDriver,
  stop: RunStop,
  builtins: readonly Plugin[],
  copied: readonly CopiedFile[],
  required: readonly string[] = [],
): Promise<{ changed: ChangedFile[]; patch: string; failure: GuildStageError | null }> {
  const copiedFiles = new Set(copied.map((file) => file.path));
  const staged = new StagedFiles(run.dir, [...copiedFiles]);
  // Only hooks other than the built-ins can write past StagedSource; without them, its
  // record of writes is the whole story and no file needs a stat.
  const untracked = driver.order('onRunStaged').some(({ plugin }) => !builtins.includes(plugin));
  const mark = untracked ? await markHooksStart(run.dir) : null;
  let failure: GuildStageError | null = null;
  try {
    if (!stop.first) await driver.run('onRunStaged', (plugin) => [run, staged.view(plugin.name)]);
    await staged.flushTrees();
  } catch (error) {
    failure = toGuildStageError('PLUGIN', error);
  }
  const { changed, patch } = await stagedChanges(run.dir, run.projectDir, copiedFiles, mark, staged.writers, required);
  return { changed, patch, failure };
}

/** Leaves a run staged for a later `execute` (`guild-stage start`). */
export async function leaveStaged(staged: StagedRun): Promise<void> {
  if (!staged.result) await markStaged(staged.run);
}

/** onRunBegin -> the script -> onRunEnd, for a staged run. */
export function execute(run: Run, driver: PluginDriver, opts: EngineOptions, stop: RunStop): Promise<RunResult> {
  return runLifecycle(run, driver, stop, () => execBody(run, driver, opts, stop));
}

/** Stages and runs one run: a single run, or one trial of a batch. */
export function runOne(opts: StageOptions, plan: RunPlan, source: RunSource): Promise<RunOutcome> {
  return withRunStop(opts, async (stop) => {
    const { driver, ...staged } = await stage(opts, plan, source, stop);
    opts.onStaged?.(staged);
    if (staged.result) return { ...staged, result: staged.result };
    return { ...staged, result: await execute(staged.run, driver, opts, stop) };
  });
}

/** A batch run: a run directory of records only (no source, no onRunStaged) for its trials to point at. */
export async function createBatchRun(
  opts: StageOptions,
  plan: ScriptPlan,
  runsDir: string,
  init: { flags: Run['flags']; forced: Run['forced']; label: string; plugins: readonly string[] },
): Promise<Run> {
  const id = newRunId();
  const run = Run.staged({
    id,
    dir: path.join(runsDir, id),
    projectDir: plan.projectDir,
    opspec: `${plan.opspec}+`,
    flags: init.flags,
    forced: init.forced,
    cmd: [],
    env: {},
    remote: null,
    batch: { role: 'batch', trials: [] },
    label: opts.label ?? init.label,
  });
  await createRunDir(runsDir, id, async (tmp) => {
    await writeInitialRecords(tmp, {
      run,
      userFlags: init.flags,
      env: { ...process.env, ...run.env },
      copied: [],
      plugins: init.plugins,
      vcsCommit: null,
      version: VERSION,
      initialized: new Date(),
      forced: init.forced,
      proto: opts.proto?.id,
    });
    return [];
  });
  return run;
}
export { FLAGS_PLUGIN, SCALARS_PLUGIN };
