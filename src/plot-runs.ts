/**
 * `plot`: the runs' scalars as self-contained SVG or HTML files. Chooses the runs (the given
 * ones, a batch's trials, or the newest runs with scalars), reads their event files, decides
 * what to show (src/results/plot-data.ts), renders it (src/results/plot.ts) and writes the
 * files, each whole or not at all. Every check happens before the first file is written.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fsReason, GuildStageError, messageOf } from './errors.js';
import type { EngineOptions } from './options.js';
import { GUILD_STAGE_ATTR } from './records/attrs.js';
import { writeFileAtomic } from './records/files.js';
import { listRuns, type RunRecord, readRun, resolveRun } from './records/read-run.js';
import { resolveRunsDir } from './records/runs-home.js';
import { readRunScalars, scalarKey } from './records/tfevents.js';
import type { Objective } from './results/objective.js';
import type { CurvePoint } from './results/plot-curves.js';
import {
  chooseScalar,
  curvesInput,
  DEFAULT_PLOT_LIMIT,
  type PlotRunData,
  runLabels,
  type ScalarChoice,
  scatterInput,
  unknownScalar,
} from './results/plot-data.js';
import { renderCurves, renderHtml, renderScatter } from './results/plot.js';

export interface PlotOptions extends Pick<EngineOptions, 'cwd' | 'runsDir' | 'onWarning'> {
  /** `FILE.svg` or `FILE.html`, relative to `cwd`; its directory must exist. */
  output: string;
  /** The scalar to plot; default by the rule of `chooseScalar` (src/results/plot-data.ts). */
  scalar?: string;
  /** When no runs are named, plot at most this many (default {@link DEFAULT_PLOT_LIMIT}). */
  limit?: number;
}

export interface PlotResult {
  /** Absolute paths written: the curves (or the page), then the batch's flags plot when there is one. */
  files: string[];
  scalar: string;
  /** Why this scalar: `given` (the option), the batch's `objective`, `loss`, or the one `most-runs` have. */
  scalarChoice: ScalarChoice;
  /** The runs drawn, in legend order, with their legend labels. */
  runs: Array<{ id: string; label: string }>;
  /** Set when the runs are the trials of one batch: its id and the flags that vary (one scatter panel each). */
  batch: { id: string; objective: Objective | null; flags: string[] } | null;
}

type Format = 'svg' | 'html';

interface Target {
  format: Format;
  file: string;
  /** The batch's flag plot beside an SVG: `FILE-flags.svg`. */
  flagsFile: string;
}

/** Checks `-o`: a known extension, in a directory that exists. */
async function outputTarget(output: string, cwd: string): Promise<Target> {
  const ext = path.extname(output);
  const format = ext.toLowerCase() === '.svg' ? 'svg' : ext.toLowerCase() === '.html' ? 'html' : null;
  if (format === null) {
    const what = ext === '' ? 'no extension' : `unknown extension '${ext}'`;
    throw new GuildStageError('USAGE', `-o ${output}: ${what}`, { suggestion: 'write FILE.svg or FILE.html' });
  }
  const file = path.resolve(cwd, output);
  const dir = path.dirname(file);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new GuildStageError('NOT_FOUND', `-o ${output}: no such directory ${dir}`);
  }
  return { format, file, flagsFile: `${file.slice(0, -ext.length)}-flags${ext}` };
}

/** A run with its scalars by key, or null (and a warning) when an event file of it is unreadable. */
async function readPlotRun(record: RunRecord, warn: Warn): Promise<PlotRunData | null> {
  const scalars = new Map<string, CurvePoint[]>();
  for (const file of await readRunScalars(record.dir)) {
    if (file.error) {
      warn(
        new GuildStageError('SOURCE', `run ${record.id.slice(0, 8)} left out: ${messageOf(file.error)}`, {
          file: file.file,
          cause: file.error,
        }),
      );
      return null;
    }
    for (const { tag, step, value } of file.scalars) {
      const key = scalarKey(file.prefix, tag);
      let points = scalars.get(key);
      if (!points) scalars.set(key, (points = []));
      points.push({ step, value });
    }
  }
  return { id: record.id, label: record.label, flags: record.flags, scalars };
}

/** A run read for plotting. */
interface Entry {
  record: RunRecord;
  data: PlotRunData;
}

type Warn = (warning: GuildStageError) => void;

/** The named runs, a batch standing for its trials (in trial order), each run once; and the batches named. */
async function namedRuns(refs: readonly string[], runsDir: string, cwd: string, warn: Warn) {
  const records: RunRecord[] = [];
  const batches: RunRecord[] = [];
  for (const ref of refs) {
    const record = await resolveRun(ref, runsDir, cwd);
    if (record.batch?.role !== 'batch') {
      records.push(record);
      continue;
    }
    batches.push(record);
    if (record.batch.trials.length === 0) {
      throw new GuildStageError('NOT_FOUND', `batch ${record.id.slice(0, 8)} has no trials`);
    }
    for (const id of record.batch.trials) {
      try {
        records.push(await readRun(path.join(path.dirname(record.dir), id)));
      } catch (error) {
        const where = `trial ${id.slice(0, 8)} of batch ${record.id.slice(0, 8)}`;
        warn(new GuildStageError('NOT_FOUND', `${where} left out: ${messageOf(error)}`, { cause: error }));
      }
    }
  }
  const seen = new Set<string>();
  return { records: records.filter((record) => !seen.has(record.id) && seen.add(record.id)), batches };
}

/** Each record read, those with an unreadable event file left out (with a warning). */
async function readEntries(records: readonly RunRecord[], warn: Warn): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const record of records) {
    const data = await readPlotRun(record, warn);
    if (data) entries.push({ record, data });
  }
  return entries;
}

/**
 * The newest runs (batch runs aside) that have scalars, `scalar` among them when given, at
 * most `limit`. Without a run that has `scalar`, the error lists the scalars the runs have.
 */
async function newestWithScalars(
  runsDir: string,
  opts: { scalar?: string; limit: number },
  warn: Warn,
): Promise<Entry[]> {
  const candidates = (await listRuns(runsDir)).filter((r) => r.batch?.role !== 'batch');
  const out: Entry[] = [];
  const seen = new Set<string>();
  let withScalars = 0;
  // A few at a time, newest first; reading stops at the limit.
  for (let i = 0; i < candidates.length && out.length < opts.limit; i += READ_AHEAD) {
    const chunk = candidates.slice(i, i + READ_AHEAD);
    const read = await Promise.all(chunk.map((record) => readPlotRun(record, warn)));
    for (const [j, data] of read.entries()) {
      if (!data || data.scalars.size === 0) continue;
      withScalars += 1;
      for (const key of data.scalars.keys()) seen.add(key);
      if (out.length < opts.limit && (opts.scalar === undefined || data.scalars.has(opts.scalar))) {
        out.push({ record: chunk[j]!, data });
      }
    }
  }
  if (withScalars === 0) {
    throw new GuildStageError('NOT_FOUND', `no run in ${runsDir} has scalars`, {
      suggestion: "a script's output lines like `loss: 0.5 (step 1)` are recorded as scalars",
    });
  }
  if (out.length === 0 && opts.scalar !== undefined) throw unknownScalar(opts.scalar, [...seen], withScalars);
  return out;
}

/** Runs read concurrently while looking for the newest with scalars. */
const READ_AHEAD = 8;

function trialIndex(record: RunRecord): number {
  return record.batch?.role === 'trial' ? record.batch.index : 0;
}

/** The batch every run is a trial of, or null. */
function commonBatchId(records: readonly RunRecord[]): string | null {
  const ids = new Set(records.map((r) => (r.batch?.role === 'trial' ? r.batch.batchId : null)));
  const [only] = ids;
  return ids.size === 1 && only ? only : null;
}

async function findBatch(batchId: string, trial: RunRecord, named: readonly RunRecord[]): Promise<RunRecord | null> {
  const given = named.find((b) => b.id === batchId);
  return given ?? (await readRun(path.join(path.dirname(trial.dir), batchId)).catch(() => null));
}

function objectiveOf(batch: RunRecord | null): Objective | null {
  const own = batch?.attrs[GUILD_STAGE_ATTR] as { objective?: Partial<Objective> } | undefined;
  const objective = own?.objective;
  return typeof objective?.scalar === 'string' && (objective.goal === 'minimize' || objective.goal === 'maximize')
    ? { scalar: objective.scalar, goal: objective.goal }
    : null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Plots the runs named by `refs` (default: the newest runs with scalars) into `opts.output`. */
export async function plotRuns(refs: readonly string[], opts: PlotOptions): Promise<PlotResult> {
  const cwd = opts.cwd ?? process.cwd();
  const warn: Warn = opts.onWarning ?? (() => {});
  const target = await outputTarget(opts.output, cwd);
  const runsDir = resolveRunsDir({ runsDir: opts.runsDir, cwd });

  let entries: Entry[];
  let namedBatches: RunRecord[] = [];
  let batchId: string | null;
  if (refs.length > 0) {
    const named = await namedRuns(refs, runsDir, cwd, warn);
    namedBatches = named.batches;
    batchId = commonBatchId(named.records);
    entries = await readEntries(named.records, warn);
    if (entries.length === 0) throw new GuildStageError('NOT_FOUND', 'none of the runs given could be read');
  } else {
    entries = await newestWithScalars(runsDir, { scalar: opts.scalar, limit: opts.limit ?? DEFAULT_PLOT_LIMIT }, warn);
    batchId = commonBatchId(entries.map((e) => e.record));
    // One batch's trials read best in trial order, as naming the batch gives them.
    if (batchId) entries.sort((a, b) => trialIndex(a.record) - trialIndex(b.record));
  }
  const batch = batchId ? await findBatch(batchId, entries[0]!.record, namedBatches) : null;
  const objective = objectiveOf(batch);

  const all = entries.map((e) => e.data);
  const { scalar, choice } = chooseScalar(all, { given: opts.scalar, objective: objective?.scalar });
  const runs = all.filter((run) => run.scalars.has(scalar));
  const without = all.filter((run) => !run.scalars.has(scalar));
  if (without.length > 0) {
    const ids = without.map((run) => run.id.slice(0, 8)).join(', ');
    warn(
      new GuildStageError('NOT_FOUND', `${plural(without.length, 'run')} without scalar '${scalar}' left out: ${ids}`),
    );
  }

  const short = batchId?.slice(0, 8);
  const what = short ? `${plural(runs.length, 'trial')} of batch ${short}` : plural(runs.length, 'run');
  const curves = renderCurves(curvesInput(runs, scalar, `${scalar} by step: ${what}`));
  const scatter = batchId ? scatterInput(runs, scalar, `last ${scalar} of each trial`) : null;
  const flagsSvg = scatter && scatter.flags.length > 0 ? renderScatter(scatter) : null;

  const writes: Array<[string, string]> =
    target.format === 'html'
      ? [[target.file, renderHtml(flagsSvg ? [curves, flagsSvg] : [curves], `${scalar}: ${what}`)]]
      : [[target.file, curves], ...(flagsSvg ? [[target.flagsFile, flagsSvg] as [string, string]] : [])];
  for (const [file, text] of writes) {
    try {
      await writeFileAtomic(file, text);
    } catch (error) {
      throw new GuildStageError('STAGE', `cannot write ${file}: ${fsReason(error)}`, { file, cause: error });
    }
  }
  const labels = runLabels(runs);
  return {
    files: writes.map(([file]) => file),
    scalar,
    scalarChoice: choice,
    runs: runs.map((run, i) => ({ id: run.id, label: labels[i]! })),
    batch: batchId ? { id: batchId, objective, flags: scatter?.flags.map((f) => f.name) ?? [] } : null,
  };
}
