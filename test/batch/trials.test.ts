import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAs } from '../../src/flags/decode.js';
import { parseFlagItems } from '../../src/flags/parse.js';
import { MAX_GRID_SIZE } from '../../src/batch/sequences.js';
import { expandTrials, type ExpandOptions } from '../../src/batch/trials.js';

/** How many trials a random search draws without --max-trials, as Guild AI does. */
const DEFAULT_RANDOM = 20;
import { guildError } from '../helpers/errors.js';

function expand(items: string[], opts?: ExpandOptions) {
  return expandTrials(parseFlagItems(items), opts);
}

describe('grid product', () => {
  it('varies the last flag fastest and keeps fixed values in every trial', () => {
    const { trials, total, random } = expand(['lr=[0.1,0.01]', 'opt=adam', 'epochs=[5,10,20]']);
    expect(random).toBe(false);
    expect(total).toBe(6);
    expect(trials).toEqual([
      { lr: '0.1', opt: 'adam', epochs: '5' },
      { lr: '0.1', opt: 'adam', epochs: '10' },
      { lr: '0.1', opt: 'adam', epochs: '20' },
      { lr: '0.01', opt: 'adam', epochs: '5' },
      { lr: '0.01', opt: 'adam', epochs: '10' },
      { lr: '0.01', opt: 'adam', epochs: '20' },
    ]);
    expect(Object.keys(trials[0]!)).toEqual(['lr', 'opt', 'epochs']);
  });

  it('has the product of the grid sizes, every combination once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), (sizes) => {
        const items = sizes.map((n, k) => `f${k}=[${Array.from({ length: n }, (_, i) => `v${i}`).join(',')}]`);
        const { trials, total } = expand(items);
        const product = sizes.reduce((a, b) => a * b, 1);
        expect(total).toBe(product);
        expect(new Set(trials.map((t) => JSON.stringify(t))).size).toBe(product);
      }),
    );
  });

  it('combines sequences like lists', () => {
    const { trials } = expand(['a=range[1:2]', 'b=linspace[0:1:3]']);
    expect(trials.map((t) => `${t.a}/${t.b}`)).toEqual(['1/0', '1/0.5', '1/1', '2/0', '2/0.5', '2/1']);
  });

  it('is one trial for a plain run, and for no flags at all', () => {
    expect(expand(['lr=0.1', 'sizes=[64, 32]'])).toMatchObject({
      trials: [{ lr: '0.1', sizes: '[64, 32]' }],
      total: 1,
      random: false,
    });
    expect(expand([])).toMatchObject({ trials: [{}], total: 1 });
  });

  it('keeps the first maxTrials trials and reports the uncapped total', () => {
    const { trials, total } = expand(['a=[1,2,3]', 'b=[x,y]'], { maxTrials: 4 });
    expect(total).toBe(6);
    expect(trials).toEqual([
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
    ]);
    expect(expand(['a=[1,2]'], { maxTrials: 10 }).trials).toHaveLength(2);
  });

  it('refuses an uncapped grid too large to run, and allows it capped', () => {
    const huge = ['a=range[1:1000]', 'b=range[1:1000]'];
    const e = guildError(() => expand(huge));
    expect(e.message).toBe(`the batch has 1000000 trials, more than ${MAX_GRID_SIZE}`);
    expect(e.suggestion).toContain('--max-trials');
    expect(expand(huge, { maxTrials: 3 })).toMatchObject({
      total: 1_000_000,
      trials: [{ b: '1' }, { b: '2' }, { b: '3' }],
    });
  });
});

describe('random search', () => {
  const items = ['lr=loguniform[1e-5:1e-1]', 'dropout=uniform[0.1:0.5]', 'opt=[adam,sgd,rmsprop]', 'epochs=7'];

  it('draws the same trials for the same seed and different ones for another seed', () => {
    const first = expand(items, { seed: 42 });
    expect(first.random).toBe(true);
    expect(first.seed).toBe(42);
    expect(first.trials).toHaveLength(DEFAULT_RANDOM);
    expect(first.total).toBe(DEFAULT_RANDOM);
    expect(expand(items, { seed: 42 }).trials).toEqual(first.trials);
    const other = expand(items, { seed: 43 }).trials;
    expect(other.map((t) => t.lr)).not.toEqual(first.trials.map((t) => t.lr));
    expect(new Set(first.trials.map((t) => t.lr)).size).toBe(DEFAULT_RANDOM);
  });

  it('gives each flag its own stream: other flags do not change its draws', () => {
    const alone = expand(['lr=loguniform[1e-5:1e-1]'], { seed: 9 }).trials.map((t) => t.lr);
    const withOthers = expand(['n=uniform[1:5]', 'lr=loguniform[1e-5:1e-1]', 'm=[a,b]'], { seed: 9 }).trials.map(
      (t) => t.lr,
    );
    expect(withOthers).toEqual(alone);
    const otherFlag = expand(['lr2=loguniform[1e-5:1e-1]'], { seed: 9 }).trials.map((t) => t.lr2);
    expect(otherFlag).not.toEqual(alone);
  });

  it('records a fresh seed when none is given, which repeats the draws', () => {
    const first = expand(items);
    expect(Number.isSafeInteger(first.seed)).toBe(true);
    expect(expand(items, { seed: first.seed }).trials).toEqual(first.trials);
  });

  it('runs maxTrials trials, drawing grids as choices and keeping fixed values', () => {
    const { trials, total } = expand(items, { seed: 1, maxTrials: 200 });
    expect(trials).toHaveLength(200);
    expect(total).toBe(200);
    expect(new Set(trials.map((t) => t.opt))).toEqual(new Set(['adam', 'sgd', 'rmsprop']));
    expect(trials.every((t) => t.epochs === '7')).toBe(true);
  });

  it('keeps floats within bounds, log-uniform spread over the decades', () => {
    const { trials } = expand(items, { seed: 5, maxTrials: 500 });
    const lrs = trials.map((t) => Number(t.lr));
    expect(lrs.every((lr) => lr >= 1e-5 && lr <= 1e-1)).toBe(true);
    for (const decade of [1e-5, 1e-4, 1e-3, 1e-2]) {
      expect(lrs.filter((lr) => lr >= decade && lr < decade * 10).length).toBeGreaterThan(50);
    }
    expect(trials.every((t) => Number(t.dropout) >= 0.1 && Number(t.dropout) <= 0.5)).toBe(true);
    expect(trials.some((t) => !Number.isInteger(Number(t.dropout)))).toBe(true);
  });

  it('draws integers within inclusive bounds for int flags or integer bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.nat(),
        fc.constantFrom(undefined, 'int' as const),
        (low, width, seed, type) => {
          const high = low + width;
          const { trials } = expand([`n=uniform[${low}:${high}]`], {
            seed,
            maxTrials: 30,
            types: type ? { n: type } : {},
          });
          for (const { n } of trials) {
            expect(decodeAs('n', 'int', n!)).toBeGreaterThanOrEqual(low);
            expect(Number(n)).toBeLessThanOrEqual(high);
          }
        },
      ),
    );
  });

  it('reaches both integer bounds', () => {
    const values = new Set(expand(['n=uniform[1:3]'], { seed: 3, maxTrials: 100 }).trials.map((t) => t.n));
    expect(values).toEqual(new Set(['1', '2', '3']));
  });

  it('draws log-uniform integers within bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.nat(),
        (low, width, seed) => {
          const high = low + width;
          for (const { n } of expand([`n=loguniform[${low}:${high}]`], { seed, maxTrials: 20 }).trials) {
            expect(n).toMatch(/^[0-9]+$/);
            expect(Number(n)).toBeGreaterThanOrEqual(low);
            expect(Number(n)).toBeLessThanOrEqual(high);
          }
        },
      ),
    );
  });

  it('lets the flag type decide: an int flag with float bounds draws integers, a float flag floats', () => {
    const ints = expand(['n=uniform[0.5:4.5]'], { seed: 2, types: { n: 'int' } }).trials.map((t) => t.n!);
    expect(ints.every((n) => ['1', '2', '3', '4'].includes(n))).toBe(true);
    const floats = expand(['x=uniform[1:10]'], { seed: 2, types: { x: 'float' } }).trials.map((t) => Number(t.x));
    expect(floats.some((x) => !Number.isInteger(x))).toBe(true);
    const e = guildError(() => expand(['n=uniform[0.2:0.8]'], { types: { n: 'int' } }));
    expect(e.message).toBe('no integer lies within uniform[0.2:0.8] for flag n, an int flag');
  });
});

describe('options', () => {
  it.each([0, -1, 1.5, NaN])('rejects maxTrials %s', (maxTrials) => {
    const e = guildError(() => expand(['a=[1,2]'], { maxTrials }));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe(`invalid --max-trials ${maxTrials}: expected a positive integer`);
  });

  it.each([-1, 0.5, 2 ** 53])('rejects seed %s', (seed) => {
    expect(guildError(() => expand(['a=uniform[1:2]'], { seed })).message).toBe(
      `invalid --random-seed ${seed}: expected a non-negative integer`,
    );
  });

  it('accepts seeds beyond 32 bits and tells them apart', () => {
    const draws = (seed: number) => expand(['x=uniform[0:1]'], { seed }).trials.map((t) => t.x);
    expect(draws(2 ** 40)).not.toEqual(draws(0));
    expect(draws(2 ** 40 + 1)).not.toEqual(draws(2 ** 40));
  });

  it('names the flag when a value fails to parse', () => {
    expect(guildError(() => expand(['a=[1,2]', 'b=range[1:5:0]'])).message).toBe(
      "invalid value 'range[1:5:0]' for flag b: the step is 0",
    );
  });
});

describe('trials file rows', () => {
  it('applies --flags values to every row, the row winning, and expands grids per row', () => {
    const rows: Array<Record<string, string>> = [{ lr: '0.1', epochs: '3' }, { lr: '0.2' }, { extra: 'x' }];
    const { trials, total } = expand(['epochs=[1,2]', 'opt=adam'], { rows });
    expect(total).toBe(5);
    expect(trials).toEqual([
      { epochs: '3', opt: 'adam', lr: '0.1' },
      { epochs: '1', opt: 'adam', lr: '0.2' },
      { epochs: '2', opt: 'adam', lr: '0.2' },
      { epochs: '1', opt: 'adam', extra: 'x' },
      { epochs: '2', opt: 'adam', extra: 'x' },
    ]);
  });

  it('caps rows with maxTrials and refuses random values', () => {
    const rows = [{ a: '1' }, { a: '2' }, { a: '3' }];
    expect(expand([], { rows, maxTrials: 2 })).toMatchObject({ trials: [{ a: '1' }, { a: '2' }], total: 3 });
    const e = guildError(() => expand(['b=uniform[0:1]'], { rows }));
    expect(e.message).toBe('random flag values cannot be combined with a trials file');
  });
});
