/**
 * From `--flags` items (and optionally a trials file's rows) to the raw flag values of each
 * trial: the grid product, or random draws. Pure: no files, no runs.
 */
import { GuildStageError } from '../errors.js';
import type { FlagAssignment } from '../flags/parse.js';
import type { FlagType } from '../../transformers/types.js';
import { drawIndex, drawValue, flagStream, newSeed, type Draw } from './random.js';
import { MAX_GRID_SIZE } from './sequences.js';
import { isIntegerLiteral } from './decimal.js';
import { parseValueSpec, type ValueSpec } from './syntax.js';

/** Trials of a random search when `--max-trials` is not given, as in Guild AI. */
const DEFAULT_RANDOM_TRIALS = 20;

export interface ExpandOptions {
  /** `--max-trials`: caps a grid (its first N trials) or sets the number of random trials. */
  maxTrials?: number;
  /** `--random-seed`: a non-negative safe integer; a fresh one is drawn when absent. */
  seed?: number;
  /** Flag types by name (from discovery): an `int` flag draws integers. */
  types?: Record<string, FlagType>;
  /**
   * Rows of a trials file: each row is expanded with the `--flags` specs, the row's own
   * values winning over them. Random specs cannot be combined with rows.
   */
  rows?: ReadonlyArray<Record<string, string>>;
}

export interface Expansion {
  trials: Array<Record<string, string>>;
  /** total before --max-trials capped it */
  total: number;
  /** True when any flag was random: the trials are draws, not a product. */
  random: boolean;
  /** The seed of the draws, given or fresh, so the batch can record it. */
  seed: number;
}

interface NamedSpec {
  name: string;
  spec: ValueSpec;
}

/**
 * Every trial's raw flag values: the Cartesian product of grids (in the order flags were
 * given, the last flag varying fastest, as Guild AI does), each combined with the fixed
 * values. When any flag is random, every trial draws each flag independently instead
 * (grids become choices), `maxTrials` times (default 20), as Guild AI's random search does.
 * A plain run is an expansion of one trial, so callers have one code path.
 */
export function expandTrials(assignments: readonly FlagAssignment[], opts: ExpandOptions = {}): Expansion {
  const maxTrials = checkMaxTrials(opts.maxTrials);
  const seed = checkSeed(opts.seed) ?? newSeed();
  const specs = assignments.map(({ name, raw }) => ({ name, spec: parseValueSpec(name, raw) }));
  const random = specs.some(({ spec }) => spec.kind === 'random');
  if (opts.rows) {
    if (random) throw new GuildStageError('USAGE', 'random flag values cannot be combined with a trials file');
    return { ...rowTrials(specs, opts.rows, maxTrials), random, seed };
  }
  if (random) {
    const count = maxTrials ?? DEFAULT_RANDOM_TRIALS;
    return { trials: drawTrials(specs, count, seed, opts.types ?? {}), total: count, random, seed };
  }
  return { ...gridTrials(specs, maxTrials), random, seed };
}

function checkMaxTrials(maxTrials: number | undefined): number | undefined {
  if (maxTrials !== undefined && !(Number.isSafeInteger(maxTrials) && maxTrials >= 1)) {
    throw new GuildStageError('USAGE', `invalid --max-trials ${maxTrials}: expected a positive integer`);
  }
  return maxTrials;
}

function checkSeed(seed: number | undefined): number | undefined {
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new GuildStageError('USAGE', `invalid --random-seed ${seed}: expected a non-negative integer`);
  }
  return seed;
}

function choices(spec: ValueSpec): string[] {
  return spec.kind === 'grid' ? spec.raws : spec.kind === 'value' ? [spec.raw] : [];
}

function gridSize(specs: readonly NamedSpec[]): number {
  return specs.reduce((size, { spec }) => size * choices(spec).length, 1);
}

/** Trial `index` of the product, decomposed with the last flag as the fastest digit. */
function gridTrial(specs: readonly NamedSpec[], index: number): Record<string, string> {
  const values: string[] = [];
  let rest = index;
  for (let k = specs.length - 1; k >= 0; k--) {
    const options = choices(specs[k]!.spec);
    values[k] = options[rest % options.length]!;
    rest = Math.floor(rest / options.length);
  }
  return Object.fromEntries(specs.map(({ name }, k) => [name, values[k]!]));
}

function tooLarge(total: number): GuildStageError {
  return new GuildStageError('USAGE', `the batch has ${total} trials, more than ${MAX_GRID_SIZE}`, {
    suggestion: 'pass --max-trials N to run the first N',
  });
}

function gridTrials(specs: readonly NamedSpec[], maxTrials: number | undefined): Pick<Expansion, 'trials' | 'total'> {
  const total = gridSize(specs);
  if (maxTrials === undefined && total > MAX_GRID_SIZE) throw tooLarge(total);
  const count = Math.min(total, maxTrials ?? total);
  return { trials: Array.from({ length: count }, (_, i) => gridTrial(specs, i)), total };
}

/** Each row expanded with the specs it does not set; the row's own values win. */
function rowTrials(
  specs: readonly NamedSpec[],
  rows: ReadonlyArray<Record<string, string>>,
  maxTrials: number | undefined,
): Pick<Expansion, 'trials' | 'total'> {
  const perRow = rows.map((row) => specs.filter(({ name }) => !Object.hasOwn(row, name)));
  const total = perRow.reduce((sum, open) => sum + gridSize(open), 0);
  if (maxTrials === undefined && total > MAX_GRID_SIZE) throw tooLarge(total);
  const limit = Math.min(total, maxTrials ?? total);
  const trials: Array<Record<string, string>> = [];
  for (const [r, row] of rows.entries()) {
    const open = perRow[r]!;
    const size = gridSize(open);
    for (let i = 0; i < size && trials.length < limit; i++) {
      const drawn = gridTrial(open, i);
      trials.push({ ...Object.fromEntries(specs.map(({ name }) => [name, row[name] ?? drawn[name]!])), ...row });
    }
  }
  return { trials, total };
}

function drawTrials(
  specs: readonly NamedSpec[],
  count: number,
  seed: number,
  types: Record<string, FlagType>,
): Array<Record<string, string>> {
  const columns = specs.map(({ name, spec }) => drawColumn(name, spec, count, seed, types[name]));
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(specs.map(({ name }, k) => [name, columns[k]![i]!])),
  );
}

/** The values of one flag across all trials, from that flag's own stream. */
function drawColumn(name: string, spec: ValueSpec, count: number, seed: number, type: FlagType | undefined): string[] {
  if (spec.kind === 'value') return Array<string>(count).fill(spec.raw);
  const rng = flagStream(seed, name);
  if (spec.kind === 'grid') return Array.from({ length: count }, () => spec.raws[drawIndex(rng, spec.raws.length)]!);
  const draw = toDraw(name, spec, type);
  return Array.from({ length: count }, () => String(drawValue(rng, draw)));
}

/** Ints stay ints: an `int` flag, or a flag of unknown type with integer bounds, draws integers. */
function toDraw(name: string, spec: Extract<ValueSpec, { kind: 'random' }>, type: FlagType | undefined): Draw {
  const integer = type === 'int' || (type !== 'float' && isIntegerLiteral(spec.low) && isIntegerLiteral(spec.high));
  const draw = { dist: spec.dist, low: Number(spec.low), high: Number(spec.high), integer };
  if (!integer) return draw;
  const [low, high] = [Math.ceil(draw.low), Math.floor(draw.high)];
  const where = `${spec.dist}[${spec.low}:${spec.high}] for flag ${name}`;
  if (low > high) throw new GuildStageError('FLAG', `no integer lies within ${where}, an int flag`);
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
    throw new GuildStageError('FLAG', `the integer bounds of ${where} are beyond ±${Number.MAX_SAFE_INTEGER}`);
  }
  return draw;
}
