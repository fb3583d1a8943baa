/**
 * The sequence functions of a batch grid: `range`, `linspace` and `logspace`. Each turns its
 * arguments (as typed) into the raw values of a grid, or explains in a few words why it
 * cannot; the caller names the flag.
 */
import { commonScale, isIntegerLiteral, parseDecimal, ratioToNumber, renderScaled, scaled } from './decimal.js';

/** The most values one sequence or one uncapped grid may hold; beyond it a typo is likelier than a plan. */
export const MAX_GRID_SIZE = 100_000;

/** The values of a sequence, or the reason the arguments make none. */
export type SequenceResult = { raws: string[] } | { problem: string };

export type SequenceName = 'range' | 'linspace' | 'logspace';

export const SEQUENCES: Record<SequenceName, (args: readonly string[]) => SequenceResult> = {
  range,
  linspace: (args) => spaced(args, 'linspace'),
  logspace: (args) => spaced(args, 'logspace'),
};

function tooMany(count: bigint | number): SequenceResult {
  return { problem: `it makes ${count} values, more than ${MAX_GRID_SIZE}` };
}

/**
 * `range[start:stop]` or `range[start:stop:step]`: start, then every step up to stop, stop
 * included when a step lands on it exactly. Computed on exact decimals.
 */
function range(args: readonly string[]): SequenceResult {
  if (args.length < 2 || args.length > 3) return { problem: 'expected range[start:stop] or range[start:stop:step]' };
  const [start, stop, step] = [args[0]!, args[1]!, args[2] ?? '1'];
  const a = parseDecimal(start);
  const b = parseDecimal(stop);
  const s = parseDecimal(step);
  if (!a) return { problem: `start '${start}' is not a number` };
  if (!b) return { problem: `stop '${stop}' is not a number` };
  if (!s) return { problem: `step '${step}' is not a number` };
  const scale = commonScale([a, b, s]);
  const [first, distance, delta] = [scaled(a, scale), scaled(b, scale) - scaled(a, scale), scaled(s, scale)];
  if (delta === 0n) return { problem: 'the step is 0' };
  if (distance !== 0n && distance > 0n !== delta > 0n) {
    return {
      problem: `a step of ${step} never goes from ${start} to ${stop}${delta > 0n ? '; use a negative step' : ''}`,
    };
  }
  const count = distance / delta + 1n;
  if (count > BigInt(MAX_GRID_SIZE)) return tooMany(count);
  const raws: string[] = [];
  for (let i = 0n; i < count; i++) raws.push(renderScaled(first + i * delta, scale));
  return { raws };
}

/**
 * `linspace[a:b:n]`: n evenly spaced points from a to b, both included (as numpy's
 * `linspace`); `logspace[a:b:n]`: 10 to the power of each of those points. Each point is
 * computed as one exact fraction, so no error accumulates along the sequence.
 */
function spaced(args: readonly string[], name: 'linspace' | 'logspace'): SequenceResult {
  if (args.length !== 3) return { problem: `expected ${name}[start:stop:count]` };
  const [start, stop, count] = args as [string, string, string];
  const a = parseDecimal(start);
  const b = parseDecimal(stop);
  if (!a) return { problem: `start '${start}' is not a number` };
  if (!b) return { problem: `stop '${stop}' is not a number` };
  if (!isIntegerLiteral(count) || BigInt(count) < 1n)
    return { problem: `the count '${count}' is not a positive integer` };
  if (BigInt(count) > BigInt(MAX_GRID_SIZE)) return tooMany(BigInt(count));
  const n = Number(count);
  const scale = commonScale([a, b]);
  const [first, last] = [scaled(a, scale), scaled(b, scale)];
  const intervals = BigInt(Math.max(n - 1, 1));
  const raws: string[] = [];
  for (let i = 0n; i < BigInt(n); i++) {
    const numerator = first * (intervals - i) + last * i;
    raws.push(
      String(
        name === 'linspace' ? ratioToNumber(numerator, intervals, scale) : powerOfTen(numerator, intervals, scale),
      ),
    );
  }
  return { raws };
}

/** 10 ** (numerator / (denominator * 10 ** scale)), exact when the exponent is an integer. */
function powerOfTen(numerator: bigint, denominator: bigint, scale: number): number {
  const whole = denominator * 10n ** BigInt(scale);
  if (numerator % whole === 0n) return Number(`1e${numerator / whole}`);
  return 10 ** ratioToNumber(numerator, denominator, scale);
}
