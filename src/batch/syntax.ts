/**
 * What a `--flags` value means for a batch: one value, a grid of values, or a random
 * distribution. Pure parsing: values stay raw strings, typed later per flag.
 */
import { assignmentsOf, type PlanInput } from '../plan.js';
import { GuildStageError } from '../errors.js';
import { parseDecimal } from './decimal.js';
import { SEQUENCES, type SequenceName } from './sequences.js';

/** What one `--flags` value means for a batch. `raws` are strings in the form a user would type, decoded later per flag type by the engine. */
export type ValueSpec =
  | { kind: 'value'; raw: string }
  | { kind: 'grid'; raws: string[] }
  | { kind: 'random'; dist: RandomDist; low: string; high: string };

/** How a random flag is drawn: evenly over [low, high], or evenly over its logarithm. */
export type RandomDist = 'uniform' | 'loguniform';

const FUNCTION = /^(range|linspace|logspace|uniform|loguniform)\[/;
const QUOTES = new Set(["'", '"']);

function invalid(name: string, raw: string, problem: string, suggestion?: string): GuildStageError {
  return new GuildStageError('FLAG', `invalid value '${raw}' for flag ${name}: ${problem}`, { suggestion });
}

/**
 * Reads one `--flags` value:
 * - `[a,b,c]` is a grid of a, b and c. Items split on top-level commas; brackets nest
 *   (`[[1,2],[3,4]]` is two lists) and quotes protect (`['a,b',c]` is `a,b` and `c`; one
 *   level of matching quotes is removed, as a shell would for a single run).
 * - A bracketed value holding whitespace (`'[64, 32]'`, quoted for the shell) is one value,
 *   not a grid: that is how a list-typed flag gets a list (`[[64,32]]` works too). So
 *   `['a b',c]` is one value as well: grid over values with spaces with a trials file.
 * - `[]` is one value, the empty list: a grid of nothing would run no trial.
 * - `range[start:stop:step]`, `linspace[a:b:n]`, `logspace[a:b:n]` are grids;
 *   `uniform[a:b]` and `loguniform[a:b]` are random distributions.
 * - Anything else is one value, as typed.
 * Throws a `FLAG` error naming the flag when the syntax is broken.
 */
export function parseValueSpec(name: string, raw: string): ValueSpec {
  const fn = FUNCTION.exec(raw);
  if (fn) return parseFunction(name, raw, fn[1]!);
  if (raw.startsWith('[') && raw !== '[]' && !/\s/.test(raw)) return { kind: 'grid', raws: parseGrid(name, raw) };
  return { kind: 'value', raw };
}

/** True for specs that make more than one trial or draw per trial. */
function isBatchSpec(spec: ValueSpec): boolean {
  return spec.kind !== 'value';
}

function parseFunction(name: string, raw: string, fn: string): ValueSpec {
  if (!/^[a-z]+\[[^[\]]*\]$/.test(raw)) {
    throw invalid(name, raw, 'unbalanced brackets', `write ${fn}[...] with one closing ']'`);
  }
  const args = raw
    .slice(fn.length + 1, -1)
    .split(':')
    .map((arg) => arg.trim());
  if (fn === 'uniform' || fn === 'loguniform') return parseRandom(name, raw, fn, args);
  const result = SEQUENCES[fn as SequenceName](args);
  if ('problem' in result) throw invalid(name, raw, result.problem);
  return { kind: 'grid', raws: result.raws };
}

function parseRandom(name: string, raw: string, dist: RandomDist, args: readonly string[]): ValueSpec {
  if (args.length !== 2) throw invalid(name, raw, `expected ${dist}[low:high]`);
  const [low, high] = args as [string, string];
  for (const bound of [low, high]) {
    if (!parseDecimal(bound)) throw invalid(name, raw, `'${bound}' is not a number`);
  }
  if (!(Number(low) < Number(high))) throw invalid(name, raw, `low ${low} must be below high ${high}`);
  if (dist === 'loguniform' && !(Number(low) > 0))
    throw invalid(name, raw, `low ${low} must be above 0 for a log scale`);
  return { kind: 'random', dist, low, high };
}

/**
 * Where the grid's opening bracket closes (-1 if never) and where its top-level commas are.
 * A quote opens quoted text only at the start of an item, so `[don't,x]` stays two items.
 */
function scanGrid(name: string, raw: string): { close: number; commas: number[] } {
  const commas: number[] = [];
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (QUOTES.has(ch) && (raw[i - 1] === '[' || raw[i - 1] === ',')) {
      const close = raw.indexOf(ch, i + 1);
      if (close < 0) throw invalid(name, raw, `unterminated quote at position ${i + 1}`);
      i = close;
    } else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return { close: i, commas };
    else if (ch === ',' && depth === 1) commas.push(i);
  }
  return { close: -1, commas };
}

function parseGrid(name: string, raw: string): string[] {
  const { close, commas } = scanGrid(name, raw);
  if (close !== raw.length - 1) {
    throw invalid(name, raw, 'unbalanced brackets', "close every '[' with one ']'");
  }
  const bounds = [0, ...commas, close];
  const items = bounds.slice(1).map((end, i) => raw.slice(bounds[i]! + 1, end));
  const empty = items.indexOf('');
  if (empty >= 0) throw invalid(name, raw, `item ${empty + 1} of the grid is empty`, "write '' for an empty string");
  return items.map(unquote);
}

function unquote(item: string): string {
  const quoted = item.length >= 2 && QUOTES.has(item[0]!) && item.at(-1) === item[0];
  return quoted ? item.slice(1, -1) : item;
}

/** Whether these `--flags` items (or a trials file) make a batch. */
export function isBatch(flags: PlanInput['flags'], trialsFile?: string): boolean {
  if (trialsFile) return true;
  return assignmentsOf(flags).some(({ name, raw }) => isBatchSpec(parseValueSpec(name, raw)));
}
