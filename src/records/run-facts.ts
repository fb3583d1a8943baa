/**
 * What listing and comparing show of a run, read with as few reads as that takes: the opref,
 * eight attrs (never the large ones: env, op, cmd), and the markers behind its status. Attr
 * files are read synchronously: a few thousand runs read in a tight loop cost less than one
 * thread-pool round trip per small file would.
 */
import path from 'node:path';
import type { FlagValue } from '../../transformers/types.js';
import type { BatchRole, RunStatus } from '../run-status.js';
import { GUILD_STAGE_ATTR, parseAttr, pickTopLevel, readRecordText } from './attrs.js';
import { attrFile, runFile } from './layout.js';
import { parseOprefFile } from './opref.js';
import { asBatchRole, runStatus } from './read-run.js';

/** A run as `compare` shows it. Times are Guild's: microseconds since the epoch. */
export interface RunFacts {
  id: string;
  /** What ran, e.g. `train.py`; empty when the run has no opref. */
  opspec: string;
  status: RunStatus;
  label: string | null;
  flags: Record<string, FlagValue>;
  /** Values forced for names the script does not declare (`--force-flags`), from our attr. */
  forced?: Record<string, FlagValue>;
  initialized: number | null;
  started: number | null;
  stopped: number | null;
  exitStatus: number | null;
  batch: BatchRole;
}

/** The attrs the facts come from. */
const FACT_ATTRS = ['id', 'flags', 'label', 'initialized', 'started', 'stopped', 'exit_status', GUILD_STAGE_ATTR];

export interface ReadFacts {
  facts: RunFacts;
  /** The files the facts were read from that exist, relative to the run directory with `/`. */
  files: string[];
  /**
   * Whether the facts follow from the files alone: the status came from `exit_status` or a
   * `STAGED`/`PENDING` marker, not from whether the pid in `LOCK` is alive. Only settled facts
   * can be cached against the files' stamps.
   */
  settled: boolean;
}

/** Reads a run's facts. An attr or opref that cannot be read or parsed throws `RUN_STATE` naming it. */
export async function readRunFacts(runDir: string): Promise<ReadFacts> {
  const files: string[] = [];
  const read = (file: string): string | undefined => {
    const text = readRecordText(file);
    if (text !== undefined) files.push(relativePath(runDir, file));
    return text;
  };
  const oprefFile = runFile(runDir, 'opref');
  const oprefText = read(oprefFile);
  const attrs: Record<string, unknown> = {};
  for (const name of FACT_ATTRS) {
    const file = attrFile(runDir, name);
    const text = read(file);
    if (text !== undefined) attrs[name] = name === GUILD_STAGE_ATTR ? parseOurs(file, text) : parseAttr(file, text);
  }
  const status = await runStatus(runDir);
  const exitStatus = typeof attrs.exit_status === 'number' ? attrs.exit_status : null;
  const ours = attrs[GUILD_STAGE_ATTR];
  const facts: RunFacts = {
    id: typeof attrs.id === 'string' ? attrs.id : path.basename(runDir),
    opspec: oprefText === undefined ? '' : parseOprefFile(oprefFile, oprefText).opspec,
    status,
    label: typeof attrs.label === 'string' ? attrs.label : null,
    flags: isMap(attrs.flags) ? (attrs.flags as Record<string, FlagValue>) : {},
    initialized: micros(attrs.initialized),
    started: micros(attrs.started),
    stopped: micros(attrs.stopped),
    exitStatus,
    batch: asBatchRole(isMap(ours) ? ours.batch : undefined),
    ...(isMap(ours) && isMap(ours.forced) && { forced: ours.forced as Record<string, FlagValue> }),
  };
  const settled = status === 'staged' || (status !== 'running' && attrs.exit_status != null);
  return { facts, files, settled };
}

const OURS_IN_FACTS: ReadonlySet<string> = new Set(['batch', 'forced']);

/** Of our own attr only `batch` and `forced` are needed, and the rest (the environment, the changed files) is most of its text. */
function parseOurs(file: string, text: string): unknown {
  const batch = pickTopLevel(text, OURS_IN_FACTS);
  if (batch === undefined) return parseAttr(file, text);
  return /^batch: null\s*$/.test(batch) ? { batch: null } : parseAttr(file, batch);
}

/** `file` relative to the run directory, with `/` as the event-file walk gives its paths. */
export function relativePath(runDir: string, file: string): string {
  return path.relative(runDir, file).split(path.sep).join('/');
}

function micros(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
