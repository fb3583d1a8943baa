/**
 * What listing and comparing show of a run, read with as few reads as that takes: the opref,
 * the listed attrs (never the large ones: env, op, cmd), and the markers behind its status.
 * The listing's own read (`readListedRun`), so that `runs` and `compare` keep the same facts
 * in the runs directory's index.
 */
import { factsOf, inPlaceAttrs, isSettled, readListedRun } from './read-run.js';
import type { RunFacts } from './run-index.js';

export type { RunFacts } from './run-index.js';

export interface ReadFacts {
  facts: RunFacts;
  /** The files of the facts rewritten in place (label, marked), relative to the run directory with `/`. */
  inPlace: string[];
  /**
   * Whether the facts follow from the files alone: the status came from `exit_status` or a
   * `STAGED`/`PENDING` marker, not from whether the pid in `LOCK` is alive. Only settled facts
   * can be cached against the files' stamps.
   */
  settled: boolean;
}

/** Reads a run's facts. An attr or opref that cannot be read or parsed throws `RUN_STATE` naming it. */
export async function readRunFacts(runDir: string): Promise<ReadFacts> {
  const { record, problem } = await readListedRun(runDir);
  if (problem) throw problem;
  return { facts: factsOf(record), inPlace: inPlaceAttrs(record), settled: isSettled(record) };
}
