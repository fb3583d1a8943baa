import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseValueSpec } from '../../src/batch/syntax.js';
import { MAX_GRID_SIZE } from '../../src/batch/sequences.js';
import { pythonHas, runPython } from '../helpers/python.js';
import { guildError } from '../helpers/errors.js';

function raws(raw: string): string[] {
  const spec = parseValueSpec('x', raw);
  if (spec.kind !== 'grid') throw new Error(`${raw} is not a grid`);
  return spec.raws;
}

function problem(raw: string): string {
  const error = guildError(() => parseValueSpec('lr', raw));
  expect(error.code).toBe('FLAG');
  return error.message;
}

describe('range', () => {
  it('includes stop, defaults the step to 1 and keeps integers integers', () => {
    expect(raws('range[1:5]')).toEqual(['1', '2', '3', '4', '5']);
    expect(raws('range[1:10:3]')).toEqual(['1', '4', '7', '10']);
    expect(raws('range[1:9:3]')).toEqual(['1', '4', '7']);
    expect(raws('range[3:3]')).toEqual(['3']);
    expect(raws('range[123456789012345678901:123456789012345678903]')).toEqual([
      '123456789012345678901',
      '123456789012345678902',
      '123456789012345678903',
    ]);
  });

  it('steps by exact decimals, without float drift', () => {
    expect(raws('range[0.1:0.3:0.1]')).toEqual(['0.1', '0.2', '0.3']);
    const tenths = raws('range[0:1:0.1]');
    expect(tenths).toHaveLength(11);
    expect(tenths.at(-1)).toBe('1');
    expect(tenths).toEqual(['0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1']);
    expect(raws('range[1e-7:3e-7:1e-7]')).toEqual(['1e-7', '2e-7', '3e-7']);
    expect(raws('range[0.7:1:0.15]')).toEqual(['0.7', '0.85', '1']);
  });

  it('counts down with a negative step', () => {
    expect(raws('range[5:1:-1]')).toEqual(['5', '4', '3', '2', '1']);
    expect(raws('range[0.3:0:-0.1]')).toEqual(['0.3', '0.2', '0.1', '0']);
    expect(raws('range[1:-1:-0.5]')).toEqual(['1', '0.5', '0', '-0.5', '-1']);
  });

  it('stops before a stop that no step lands on', () => {
    expect(raws('range[1:2:0.3]')).toEqual(['1', '1.3', '1.6', '1.9']);
    expect(raws('range[1:1.5]')).toEqual(['1']);
  });

  it('matches Python Decimal arithmetic on random decimal ranges', async () => {
    const cases = fc
      .sample(
        fc.record({
          start: fc.integer({ min: -5000, max: 5000 }),
          step: fc.integer({ min: 1, max: 900 }).chain((s) => fc.constantFrom(s, -s)),
          count: fc.integer({ min: 0, max: 30 }),
          places: fc.integer({ min: 0, max: 4 }),
        }),
        { numRuns: 150, seed: 7 },
      )
      .map(({ start, step, count, places }) => {
        const text = (n: number): string => (n / 10 ** places).toFixed(places);
        return { start: text(start), stop: text(start + step * count), step: text(step) };
      });
    const expected = await runPython<number[][]>(
      [
        'import json, sys',
        'from decimal import Decimal as D',
        'out = []',
        'for c in json.load(sys.stdin):',
        '    a, b, s = D(c["start"]), D(c["stop"]), D(c["step"])',
        '    n = int((b - a) / s)',
        '    out.append([float(a + i * s) for i in range(n + 1)])',
        'print(json.dumps(out))',
      ].join('\n'),
      cases,
    );
    cases.forEach(({ start, stop, step }, i) => {
      expect(raws(`range[${start}:${stop}:${step}]`).map(Number)).toEqual(expected[i]);
    });
  });

  it.each([
    ['range[1:5:0]', 'the step is 0'],
    ['range[5:1]', 'a step of 1 never goes from 5 to 1; use a negative step'],
    ['range[1:5:-1]', 'a step of -1 never goes from 1 to 5'],
    ['range[1]', 'expected range[start:stop] or range[start:stop:step]'],
    ['range[1:2:3:4]', 'expected range[start:stop] or range[start:stop:step]'],
    ['range[a:5]', "start 'a' is not a number"],
    ['range[1:inf]', "stop 'inf' is not a number"],
    ['range[1:5:0x1]', "step '0x1' is not a number"],
    ['range[1:5', 'unbalanced brackets'],
    ['range[0:1000000]', `it makes 1000001 values, more than ${MAX_GRID_SIZE}`],
  ])('rejects %s naming the flag', (raw, why) => {
    expect(problem(raw)).toBe(`invalid value '${raw}' for flag lr: ${why}`);
  });
});

describe('linspace and logspace', () => {
  it('spaces n points evenly, both ends included', () => {
    expect(raws('linspace[0:1:5]')).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(raws('linspace[0:0.3:4]')).toEqual(['0', '0.1', '0.2', '0.3']);
    expect(raws('linspace[10:0:3]')).toEqual(['10', '5', '0']);
    expect(raws('linspace[2:7:1]')).toEqual(['2']);
  });

  it('raises 10 to each linspace point', () => {
    expect(raws('logspace[0:3:4]')).toEqual(['1', '10', '100', '1000']);
    expect(raws('logspace[-4:-1:4]')).toEqual(['0.0001', '0.001', '0.01', '0.1']);
    expect(raws('logspace[0:1:3]')).toEqual(['1', String(10 ** 0.5), '10']);
  });

  it.skipIf(!pythonHas('numpy'))('agrees with numpy to 12 decimal places (skipped without numpy)', async () => {
    const specs = [
      ['linspace', 0, 1, 7],
      ['linspace', -2.5, 3.75, 11],
      ['linspace', 1e-3, 1e-1, 9],
      ['logspace', -3, 2, 6],
      ['logspace', 0, 1, 5],
      ['logspace', -1.5, 1.5, 7],
    ] as const;
    const expected = await runPython<number[][]>(
      'import json, sys, numpy as np\n' +
        'print(json.dumps([getattr(np, f)(a, b, int(n)).tolist() for f, a, b, n in json.load(sys.stdin)]))',
      specs,
    );
    specs.forEach(([fn, a, b, n], i) => {
      const ours = raws(`${fn}[${a}:${b}:${n}]`).map(Number);
      expect(ours).toHaveLength(n);
      ours.forEach((value, k) => {
        expect(value).toBeCloseTo(expected[i]![k]!, 12);
      });
    });
  });

  it.each([
    ['linspace[0:1:0]', "the count '0' is not a positive integer"],
    ['linspace[0:1:2.5]', "the count '2.5' is not a positive integer"],
    ['linspace[0:1]', 'expected linspace[start:stop:count]'],
    ['logspace[x:1:3]', "start 'x' is not a number"],
    ['logspace[0:1:-2]', "the count '-2' is not a positive integer"],
  ])('rejects %s naming the flag', (raw, why) => {
    expect(problem(raw)).toBe(`invalid value '${raw}' for flag lr: ${why}`);
  });
});
