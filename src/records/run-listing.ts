/**
 * The order `runs` lists runs in, and the `[N]` index each run gets there: newest first, each
 * batch's trials right under their batch by trial number. A run reference that is a number
 * is that index (see `resolveRun`), so what `runs` prints can be typed back, as with
 * `guild runs`. Filters only hide rows: a run keeps its index whatever is shown.
 */
import type { BatchRole, RunStatus } from '../run-status.js';

/** What ordering and filtering read of a run. */
export interface Listable {
  id: string;
  opspec: string;
  status: RunStatus | 'unreadable';
  label: string | null;
  batch: BatchRole;
}

/** A run at its place in the listing. */
export interface ListedRun<R extends Listable = Listable> {
  /** The `[N]` of `runs`, from 1. */
  index: number;
  run: R;
  /** Listed under its batch. */
  trial: boolean;
}

/** Which runs `runs` shows; every given filter must match. */
export interface RunFilter {
  /** Runs whose script (opspec) contains this text. */
  script?: string;
  /** Runs with one of these statuses. */
  status?: readonly RunStatus[];
  /** Runs whose label contains this text; `-` for runs without a label, as `guild runs --label -`. */
  label?: string;
  /** The batch run with this id and its trials. */
  batch?: string;
}

/** `runs` newest first (as `listRuns` gives them), in listing order with their indexes. */
export function listingOrder<R extends Listable>(runs: readonly R[]): ListedRun<R>[] {
  const batches = new Set(runs.filter((run) => run.batch?.role === 'batch').map((run) => run.id));
  const trialsOf = new Map<string, R[]>();
  for (const run of runs) {
    if (run.batch?.role !== 'trial' || !batches.has(run.batch.batchId)) continue;
    trialsOf.set(run.batch.batchId, [...(trialsOf.get(run.batch.batchId) ?? []), run]);
  }
  const trialIndex = (run: R) => (run.batch?.role === 'trial' ? run.batch.index : 0);
  const ordered: Array<{ run: R; trial: boolean }> = [];
  for (const run of runs) {
    if (run.batch?.role === 'trial' && batches.has(run.batch.batchId)) continue;
    ordered.push({ run, trial: false });
    for (const trial of (trialsOf.get(run.id) ?? []).sort((a, b) => trialIndex(a) - trialIndex(b)))
      ordered.push({ run: trial, trial: true });
  }
  return ordered.map((entry, i) => ({ ...entry, index: i + 1 }));
}

/** Whether a run passes every filter given. */
export function matchesFilter(run: Listable, filter: RunFilter): boolean {
  if (filter.script !== undefined && !run.opspec.includes(filter.script)) return false;
  if (filter.status?.length && !(filter.status as readonly string[]).includes(run.status)) return false;
  if (filter.label !== undefined) {
    const label = (run.label ?? '').trim();
    if (filter.label === '-' ? label !== '' : !label.includes(filter.label)) return false;
  }
  if (filter.batch !== undefined) {
    const inBatch = run.id === filter.batch || (run.batch?.role === 'trial' && run.batch.batchId === filter.batch);
    if (!inBatch) return false;
  }
  return true;
}

/** The listed run an index names, when the reference is a number within the listing. */
export function byIndex<R extends Listable>(ref: string, listed: readonly ListedRun<R>[]): R | undefined {
  return mayBeIndex(ref) ? listed[Number(ref) - 1]?.run : undefined;
}

/** Whether a run reference could be an index (then the runs must be listed to resolve it). */
export function mayBeIndex(ref: string): boolean {
  return /^[1-9][0-9]*$/.test(ref);
}
