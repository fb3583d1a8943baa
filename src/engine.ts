/**
 * The lifecycle: plan -> stage -> onRunStaged -> diff -> onRunBegin -> exec -> onRunEnd.
 *
 * The engine knows no language: transformers come from the registry by extension, the
 * exec command from `script-command`. It never prints; output and warnings go to the
 * callbacks the caller gives.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GuildStageError, messageOf } from './errors.js';
import type { Stream } from './exec.js';
import { endRun, execBody, runLifecycle } from './lifecycle.js';
import { planRun, type PlanInput, type RunPlan, type ScriptPlan } from './plan.js';
import { PluginDriver } from './plugins/driver.js';
import { checkHookCommand, commandHookPlugin, type CommandHook } from './plugins/command-hooks.js';
import { flagsPlugin } from './plugins/flags-plugin.js';
import { StagedFiles } from './plugins/staged-source.js';
import type { Plugin, RunResult } from './plugins/types.js';
import { markStaged, updateOwnAttr, writeInitialRecords } from './records/lifecycle.js';
import { newRunId } from './records/run-id.js';
import { resolveRunsDir } from './records/runs-home.js';
import { resolveRun } from './records/read-run.js';
import { GUILD_STAGE_ATTR, type GuildStageAttr } from './records/attrs.js';
import { vcsCommit } from './records/vcs.js';
import { Run, defaultLabel, type BatchRole } from './run.js';
import { markHooksStart } from './stage/changes.js';
import { initGitView } from './stage/git-view.js';
import { stagedChanges, type ChangedFile } from './stage/staged-diff.js';
import { copySource, type CopiedFile } from './stage/copy.js';
import { cleanStaleStaging, createRunDir } from './stage/run-dir.js';
import { describeSkip, selectSource, type Selection, type SkippedFile, type SourceRules } from './stage/select.js';
import { commandFor } from './script-command.js';
import { VERSION } from './version.js';
import type { Edit } from '../transformers/types.js';

/** What every engine call accepts. */
export interface EngineOptions {
  /** Default: the current directory. */
  cwd?: string;
  /** Where run directories go; default `$GUILD_HOME/runs`. */
  runsDir?: string;
  /** Plugins, in registration order (ties in priority keep it). */
  plugins?: readonly Plugin[];
  /** Command hooks; each runs as a plugin after the plugins above. */
  hooks?: readonly CommandHook[];
  /** The script's output (and command hooks' output), live, chunk by chunk. */
  onOutput?: (stream: Stream, chunk: Buffer) => void;
  /** Failures that do not stop the run: output and end hooks, skipped source files. */
  onWarning?: (warning: GuildStageError) => void;
  /** Forward SIGINT/SIGTERM received by this process to the script (for CLIs). */
  forwardSignals?: boolean;
  /** Aborting it terminates the script. */
  signal?: AbortSignal;
  /** Grace period between a termination request and SIGKILL, in ms. */
  killGraceMs?: number;
  /** A hook (plugin or command) still running after this many ms fails; a command hook is stopped. */
  hookTimeoutMs?: number;
}

export interface StageOptions extends EngineOptions, Omit<PlanInput, 'cwd'> {
  source?: SourceRules;
  /** Replaces the command that runs the script (argv). */
  exec?: readonly string[];
  /** Arguments passed to the script after its name. */
  scriptArgs?: readonly string[];
  label?: string;
  /** Variables for the script, on top of the inherited environment. */
  env?: Record<string, string>;
  batch?: BatchRole;
  /** Called once staging is done, before anything runs (e.g. to show what changed). */
  onStaged?: (staged: StagedRun) => void;
  /** Make the run directory a git repository: the copied source committed, the staged edits left as changes. */
  git?: boolean;
  /**
   * Hard-link unchanged source files into the run instead of copying them. Plugins' edits
   * (StagedSource writes, the flag transformers) replace files and never reach the project,
   * but a script or hook that writes into its own source files in place would.
   */
  link?: boolean;
}

export interface StageOnlyOptions extends StageOptions {
  /** Stage into a temporary directory that is removed again: nothing is created, the patch is returned. */
  dryRun?: boolean;
}

export type { ChangedFile };

export interface StagedRun {
  run: Run;
  /** `.guild/staged.patch`: the unified diff of every staged change; empty when nothing changed. */
  patchFile: string;
  /** The patch's text. */
  patch: string;
  changed: ChangedFile[];
  /** The flag literals the transformer replaced. */
  edits: Edit[];
  skipped: SkippedFile[];
  /** Set when a hook stopped the run while staging: then `run.status` is `error`. */
  result: RunResult | null;
}

export interface RunOutcome extends StagedRun {
  result: RunResult;
}

/** The driver of a run's plugins: `extra` (built-ins) first, then the caller's plugins, then command hooks. */
export function makeDriver(opts: EngineOptions, extra: readonly Plugin[] = []): PluginDriver {
  const hookOutput = (chunk: string) => opts.onOutput?.('stderr', Buffer.from(chunk));
  const commands = (opts.hooks ?? []).map((hook) => commandHookPlugin(hook, hookOutput, opts.hookTimeoutMs));
  return new PluginDriver(
    [...extra, ...(opts.plugins ?? []), ...commands],
    (warning) => opts.onWarning?.(warning),
    opts.hookTimeoutMs,
  );
}

/** The source to copy for `plan`; the script itself must be part of it. */
export async function selectFor(plan: ScriptPlan, opts: StageOptions, runsDir: string): Promise<Selection> {
  const selection = await selectSource(plan.projectDir, { rules: opts.source, excludeDirs: [runsDir] });
  const scriptSkipped = selection.skipped.find((file) => file.path === plan.opspec);
  if (scriptSkipped || !selection.files.some((file) => file.path === plan.opspec)) {
    const why = scriptSkipped ? describeSkip(scriptSkipped) : 'excluded by the source rules';
    throw new GuildStageError('SOURCE', `the script ${plan.opspec} is not part of the staged source (${why})`, {
      file: plan.opspec,
    });
  }
  return selection;
}

async function stageInto(
  opts: StageOptions,
  runsDir: string,
  plan: RunPlan,
  plugins: RunPlugins,
  selection: Selection,
): Promise<StagedRun> {
  const { driver, edits, builtins } = plugins;
  const id = newRunId();
  const scriptCommand = commandFor(plan.opspec, opts.scriptArgs ?? []);
  const cmd = opts.exec ? [...opts.exec] : scriptCommand.cmd;
  const run = new Run({
    id,
    dir: path.join(runsDir, id),
    projectDir: plan.projectDir,
    opspec: plan.opspec,
    flags: plan.resolved.flags,
    cmd,
    env: { ...scriptCommand.env, ...opts.env, ...plan.flagEnv, RUN_DIR: path.join(runsDir, id), RUN_ID: id },
    status: 'staged',
    startedAt: null,
    stoppedAt: null,
    exitStatus: null,
    remote: null,
    batch: opts.batch ?? null,
    label: opts.label ?? defaultLabel(plan.resolved.userFlags),
    error: null,
  });
  const commit = selection.git ? await vcsCommit(plan.projectDir) : null;
  let skipped: SkippedFile[] = selection.skipped;
  let copied: CopiedFile[] = [];
  await createRunDir(runsDir, id, async (tmp) => {
    const copy = await copySource(plan.projectDir, tmp, selection, { link: opts.link });
    copied = copy.copied;
    skipped = [...selection.skipped, ...copy.skipped];
    const scriptNotCopied = copy.skipped.find((file) => file.path === plan.opspec);
    if (scriptNotCopied) {
      throw new GuildStageError(
        'SOURCE',
        `the script ${plan.opspec} is not part of the staged source (${describeSkip(scriptNotCopied)})`,
        { file: plan.opspec },
      );
    }
    await writeInitialRecords(tmp, {
      run,
      userFlags: plan.resolved.userFlags,
      env: { ...process.env, ...run.env },
      copied: copy.copied,
      plugins: driver.plugins.map((plugin) => plugin.name),
      vcsCommit: commit,
      version: VERSION,
      initialized: new Date(),
    });
  });
  for (const file of skipped) {
    opts.onWarning?.(new GuildStageError('SOURCE', `skipped ${file.path}: ${describeSkip(file)}`, { file: file.path }));
  }

  if (opts.git) await initGitView(run.dir, plan.projectDir, commit);
  const began = Date.now();
  const copiedFiles = new Set(copied.map((file) => file.path));
  const staged = new StagedFiles(run.dir, [...copiedFiles]);
  // Only hooks other than the built-ins can write past StagedSource; without them, its
  // record of writes is the whole story and no file needs a stat.
  const untracked = driver.order('onRunStaged').some(({ plugin }) => !builtins.includes(plugin));
  const mark = untracked ? await markHooksStart(run.dir) : null;
  const patchFile = path.join(run.dir, '.guild', 'staged.patch');
  try {
    await driver.run('onRunStaged', (plugin) => [run, staged.view(plugin.name)]);
    await staged.flushTrees();
  } catch (error) {
    const failure =
      error instanceof GuildStageError ? error : new GuildStageError('PLUGIN', messageOf(error), { cause: error });
    const { changed, patch } = await stagedChanges(run.dir, run.projectDir, copiedFiles, mark, staged.writers);
    await writeFileAtomic(patchFile, patch);
    const result = await endRun(
      run,
      driver,
      { status: 'error', exitStatus: null, signal: null, error: failure },
      began,
    );
    return { run, patchFile, patch, changed, edits, skipped, result };
  }
  const { changed, patch } = await stagedChanges(run.dir, run.projectDir, copiedFiles, mark, staged.writers);
  await writeFileAtomic(patchFile, patch);
  await updateOwnAttr(run, { changed: Object.fromEntries(changed.map((file) => [file.path, file.plugins])) });
  return { run, patchFile, patch, changed, edits, skipped, result: null };
}

async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
}

/** The runs directory, rid of what staging processes that died left under temporary names. */
export async function openRunsDir(opts: EngineOptions): Promise<string> {
  const runsDir = resolveRunsDir({ runsDir: opts.runsDir, cwd: opts.cwd ?? process.cwd() });
  await cleanStaleStaging(runsDir);
  return runsDir;
}

/** The plugins of one run: the built-in flags plugin when there are values to write, then the caller's. */
/** A run's plugin driver, its built-in plugins, and where the flags plugin reports its edits. */
interface RunPlugins {
  driver: PluginDriver;
  builtins: readonly Plugin[];
  edits: Edit[];
}

function driverFor(opts: StageOptions, plan: RunPlan): RunPlugins {
  const edits: Edit[] = [];
  const builtins =
    plan.transformer && Object.keys(plan.resolved.apply).length > 0
      ? [
          flagsPlugin({
            transformer: plan.transformer,
            script: plan.opspec,
            values: plan.resolved.apply,
            mode: plan.mode,
            onEdits: (list) => edits.push(...list),
          }),
        ]
      : [];
  return { driver: makeDriver(opts, builtins), builtins, edits };
}

/** Everything checked before a run directory exists: the plan and the hook commands. */
async function prepare(opts: StageOptions): Promise<RunPlan> {
  const plan = await planRun({ ...opts, cwd: opts.cwd ?? process.cwd() });
  await checkHooks(opts, plan.projectDir);
  return plan;
}

/** Fails before anything is staged when a hook command does not exist. */
export async function checkHooks(opts: EngineOptions, projectDir: string): Promise<void> {
  await Promise.all((opts.hooks ?? []).map((hook) => checkHookCommand(hook, projectDir)));
}

/**
 * Stages and runs one run from a checked plan and a selection: a single run, or one trial
 * of a batch (which plans and selects once for all its trials).
 */
export async function runPlanned(
  opts: StageOptions,
  plan: RunPlan,
  runsDir: string,
  selection: Selection,
): Promise<RunOutcome> {
  const plugins = driverFor(opts, plan);
  const staged = await stageInto(opts, runsDir, plan, plugins, selection);
  opts.onStaged?.(staged);
  if (staged.result) return { ...staged, result: staged.result };
  return { ...staged, result: await execute(staged.run, plugins.driver, opts) };
}

/**
 * Stages a run (like `guild run --stage`): copies the source, runs `onRunStaged`, writes
 * the patch. The run is left `staged` for `startRun`, or `error` when a hook failed.
 */
export async function stageRun(opts: StageOnlyOptions): Promise<StagedRun> {
  const plan = await prepare(opts);
  const plugins = driverFor(opts, plan);
  if (!opts.dryRun) {
    const runsDir = await openRunsDir(opts);
    const staged = await stageInto(opts, runsDir, plan, plugins, await selectFor(plan, opts, runsDir));
    if (!staged.result) await markStaged(staged.run);
    opts.onStaged?.(staged);
    return staged;
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'guild-stage-dry-run-'));
  try {
    const staged = await stageInto(opts, scratch, plan, plugins, await selectFor(plan, opts, scratch));
    opts.onStaged?.(staged);
    return staged;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Stages and runs a script: the whole lifecycle. */
export async function runScript(opts: StageOptions): Promise<RunOutcome> {
  const plan = await prepare(opts);
  const runsDir = await openRunsDir(opts);
  return runPlanned(opts, plan, runsDir, await selectFor(plan, opts, runsDir));
}

/** Runs a staged run: onRunBegin -> exec -> onRunEnd. */
export async function startRun(run: Run, opts: EngineOptions = {}): Promise<RunResult> {
  if (run.status !== 'staged') {
    throw new GuildStageError(
      'RUN_STATE',
      `run ${run.id.slice(0, 8)} has status ${run.status}: only a staged run can be started`,
    );
  }
  return execute(run, makeDriver(opts), opts);
}

function execute(run: Run, driver: PluginDriver, opts: EngineOptions): Promise<RunResult> {
  return runLifecycle(run, driver, () => execBody(run, driver, opts));
}

/** A recorded run as a Run object, by id, unique id prefix or directory. */
export async function openRun(ref: string, opts: Pick<EngineOptions, 'cwd' | 'runsDir'> = {}): Promise<Run> {
  const cwd = opts.cwd ?? process.cwd();
  const record = await resolveRun(ref, resolveRunsDir({ runsDir: opts.runsDir, cwd }), cwd);
  const own = (record.attrs[GUILD_STAGE_ATTR] ?? {}) as Partial<GuildStageAttr>;
  const cmd = record.attrs.cmd;
  return new Run({
    id: record.id,
    dir: record.dir,
    projectDir: record.projectDir,
    opspec: record.opspec,
    flags: record.flags,
    cmd: Array.isArray(cmd) ? cmd.map(String) : [],
    env: { ...((own.env as Record<string, string> | undefined) ?? {}), RUN_DIR: record.dir, RUN_ID: record.id },
    status: record.status,
    startedAt: record.started,
    stoppedAt: record.stopped,
    exitStatus: record.exitStatus,
    remote: null,
    batch: record.batch,
    label: record.label ?? '',
    error: record.error,
  });
}
