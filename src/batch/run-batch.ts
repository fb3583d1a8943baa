/**
 * Batch runs, as in Guild AI: one batch run (onRunBegin/onRunEnd only) whose body runs
 * each trial as a full run. The script is planned, discovered and its source selected once;
 * every trial's values are checked before the first trial starts.
 */
import { constants } from 'node:os';
import path from 'node:path';
import {
  checkHooks,
  makeDriver,
  openRunsDir,
  runPlanned,
  selectFor,
  type RunOutcome,
  type StageOptions,
} from '../engine.js';
import { GuildStageError, messageOf } from '../errors.js';
import type { Stream } from '../exec.js';
import { assignmentsOf, planFlags, planScript, type RunPlan, type ScriptPlan } from '../plan.js';
import type { FlagAssignment } from '../flags/parse.js';
import { runLifecycle, type Ending } from '../lifecycle.js';
import type { RunResult } from '../plugins/types.js';
import { updateOwnAttr, writeInitialRecords } from '../records/lifecycle.js';
import { newRunId } from '../records/run-id.js';
import { Run } from '../run.js';
import { createRunDir } from '../stage/run-dir.js';
import { VERSION } from '../version.js';
import { readTrialsFile } from './trials-file.js';
import { expandTrials } from './trials.js';

export { isBatch } from './syntax.js';
import type { FlagType } from '../../transformers/types.js';

export interface BatchOptions extends StageOptions {
  /** At most this many trials (a grid is cut, a random search draws this many; default 20 then). */
  maxTrials?: number;
  /** Seed for random draws; the same seed gives the same trials. */
  randomSeed?: number;
  /** A CSV or JSON file with one row of flag values per trial; `flags` then apply to every row. */
  trialsFile?: string;
  /** Trials running at once (default 1). */
  parallel?: number;
  /** Stop at the first failed trial instead of running them all. */
  failFast?: boolean;
  /** The batch run exists and its trials are planned; nothing has run yet. */
  onBatchStart?: (batch: Run, plan: BatchPlan) => void;
  onTrialStart?: (trial: Trial, run: Run) => void;
  onTrialEnd?: (trial: Trial, outcome: TrialOutcome) => void;
  /** A trial's output, live; `onOutput` is not used for trials. */
  onTrialOutput?: (trial: Trial, stream: Stream, chunk: Buffer) => void;
}

/** One trial: its 1-based index, the values as typed, and its checked plan. */
export interface Trial {
  index: number;
  raw: Record<string, string>;
  plan: RunPlan;
}

export interface BatchPlan {
  script: ScriptPlan;
  trials: Trial[];
  /** How many trials there were before `maxTrials` cut a grid. */
  total: number;
  random: boolean;
  seed: number;
}

/** A trial's run, or why it never became one (its staging failed). */
export type TrialOutcome = { outcome: RunOutcome; error: null } | { outcome: null; error: GuildStageError };

export interface BatchOutcome {
  batch: Run;
  trials: Array<{ trial: Trial } & TrialOutcome>;
  result: RunResult;
}

function types(script: ScriptPlan): Record<string, FlagType> {
  return Object.fromEntries((script.sites ?? []).map((site) => [site.name, site.type]));
}

async function trialRows(opts: BatchOptions, script: ScriptPlan, assignments: FlagAssignment[]) {
  const rows = opts.trialsFile
    ? await readTrialsFile(path.resolve(opts.cwd ?? process.cwd(), opts.trialsFile))
    : undefined;
  return expandTrials(assignments, { rows, maxTrials: opts.maxTrials, seed: opts.randomSeed, types: types(script) });
}

/** Every trial of the batch, decoded and checked: one bad value fails before anything runs. */
export async function planBatch(opts: BatchOptions): Promise<BatchPlan> {
  const script = await planScript({ ...opts, cwd: opts.cwd ?? process.cwd() });
  const expansion = await trialRows(opts, script, assignmentsOf(opts.flags));
  const trials = expansion.trials.map((raw, i) => ({
    index: i + 1,
    raw,
    plan: planFlags(
      script,
      Object.entries(raw).map(([name, value]) => ({ name, raw: value })),
      opts.forceFlags ?? false,
    ),
  }));
  if (trials.length === 0) throw new GuildStageError('USAGE', 'the batch has no trials');
  await checkHooks(opts, script.projectDir);
  return { script, trials, total: expansion.total, random: expansion.random, seed: expansion.seed };
}

/** The batch run's own directory: records only, no source. */
async function createBatchRun(opts: BatchOptions, plan: BatchPlan, runsDir: string, plugins: string[]): Promise<Run> {
  const id = newRunId();
  const dir = path.join(runsDir, id);
  const flags = Object.fromEntries(assignmentsOf(opts.flags).map(({ name, raw }) => [name, raw]));
  const run = new Run({
    id,
    dir,
    projectDir: plan.script.projectDir,
    opspec: `${plan.script.opspec}+`,
    flags,
    cmd: [],
    env: { RUN_DIR: dir, RUN_ID: id },
    status: 'staged',
    startedAt: null,
    stoppedAt: null,
    exitStatus: null,
    remote: null,
    batch: { role: 'batch', trials: [] },
    label: opts.label ?? `${plan.trials.length} trials${plan.random ? ` (seed ${plan.seed})` : ''}`,
    error: null,
  });
  await createRunDir(runsDir, id, (tmp) =>
    writeInitialRecords(tmp, {
      run,
      userFlags: flags,
      env: { ...process.env, ...run.env },
      copied: [],
      plugins,
      vcsCommit: null,
      version: VERSION,
      initialized: new Date(),
    }),
  );
  return run;
}

/** Runs a batch: the batch run, and each trial as a full run, up to `parallel` at once. */
export async function runBatch(opts: BatchOptions): Promise<BatchOutcome> {
  const plan = await planBatch(opts);
  const runsDir = await openRunsDir(opts);
  const selection = await selectFor(plan.script, opts, runsDir);
  const driver = makeDriver(opts);
  const batch = await createBatchRun(
    opts,
    plan,
    runsDir,
    driver.plugins.map((plugin) => plugin.name),
  );
  opts.onBatchStart?.(batch, plan);
  const results: BatchOutcome['trials'] = [];
  const result = await runLifecycle(batch, driver, () => runTrials(opts, plan, batch, runsDir, selection, results));
  results.sort((a, b) => a.trial.index - b.trial.index);
  return { batch, trials: results, result };
}

async function runTrials(
  opts: BatchOptions,
  plan: BatchPlan,
  batch: Run,
  runsDir: string,
  selection: Awaited<ReturnType<typeof selectFor>>,
  results: BatchOutcome['trials'],
): Promise<Ending> {
  const queue = [...plan.trials];
  const running = new Set<AbortController>();
  let stopSignal: NodeJS.Signals | null = null;
  let failed = 0;
  const stop = (signal: NodeJS.Signals | null) => {
    stopSignal ??= signal;
    queue.length = 0;
    for (const controller of running) controller.abort();
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  const onAbort = () => stop('SIGTERM');
  if (opts.forwardSignals) for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, onSignal);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const ids = batch.batch?.role === 'batch' ? batch.batch.trials : [];

  const worker = async () => {
    for (let trial = queue.shift(); trial; trial = queue.shift()) {
      const controller = new AbortController();
      running.add(controller);
      const trialOpts: StageOptions = {
        ...opts,
        label: undefined,
        batch: { role: 'trial', batchId: batch.id, index: trial.index },
        forwardSignals: false,
        signal: controller.signal,
        onOutput: (stream, chunk) => opts.onTrialOutput?.(trial!, stream, chunk),
        onStaged: (staged) => {
          ids.push(staged.run.id);
          opts.onTrialStart?.(trial!, staged.run);
        },
      };
      let entry: TrialOutcome;
      try {
        entry = { outcome: await runPlanned(trialOpts, trial.plan, runsDir, selection), error: null };
        await updateOwnAttr(batch, { batch: batch.batch });
      } catch (error) {
        entry = {
          outcome: null,
          error:
            error instanceof GuildStageError ? error : new GuildStageError('STAGE', messageOf(error), { cause: error }),
        };
      } finally {
        running.delete(controller);
      }
      results.push({ trial, ...entry });
      opts.onTrialEnd?.(trial, entry);
      if (entry.outcome?.run.status !== 'completed') {
        failed++;
        if (opts.failFast) stop(null);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel ?? 1, plan.trials.length)) }, worker));
  } finally {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onSignal);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const signal = stopSignal as NodeJS.Signals | null;
  if (signal) return { status: 'terminated', exitStatus: -(constants.signals[signal] ?? 15), signal, error: null };
  const notRun = plan.trials.length - results.length;
  if (failed === 0 && notRun === 0) return { status: 'completed', exitStatus: 0, signal: null, error: null };
  const why = `${failed} of ${plan.trials.length} trials failed${notRun ? `, ${notRun} not run (--fail-fast)` : ''}`;
  return { status: 'error', exitStatus: 1, signal: null, error: new GuildStageError('EXEC', why) };
}
