import { describe, expect, it } from 'vitest';
import type { FlagValue } from '../../transformers/types.js';
import {
  chooseScalar,
  curvesInput,
  lastValue,
  type PlotRunData,
  runLabels,
  scatterInput,
  varyingFlags,
} from '../../src/results/plot-data.js';

function run(
  id: string,
  scalars: Record<string, number[]>,
  flags: Record<string, FlagValue> = {},
  label: string | null = null,
): PlotRunData {
  const map = new Map(Object.entries(scalars).map(([k, vs]) => [k, vs.map((value, step) => ({ step, value }))]));
  return { id: id.padEnd(32, '0'), label, flags, scalars: map };
}

describe('chooseScalar', () => {
  const runs = [run('a', { acc: [1], loss: [2] }), run('b', { acc: [1], 'logs#loss': [3] })];

  it('takes the given scalar, else the objective, else loss, else the one most runs have', () => {
    expect(chooseScalar(runs, { given: 'logs#loss' })).toEqual({ scalar: 'logs#loss', choice: 'given' });
    expect(chooseScalar(runs, { objective: 'acc' })).toEqual({ scalar: 'acc', choice: 'objective' });
    expect(chooseScalar(runs, { objective: 'f1' })).toEqual({ scalar: 'loss', choice: 'loss' });
    expect(chooseScalar([run('a', { x: [1], y: [1] }), run('b', { y: [1] })])).toEqual({
      scalar: 'y',
      choice: 'most-runs',
    });
    // A tie goes to the scalar met first: the first run's first scalar.
    expect(chooseScalar([run('a', { x: [1], y: [1] }), run('b', { y: [1], x: [1] })]).scalar).toBe('x');
  });

  it('names an unknown scalar, lists the scalars there are and suggests the nearest', () => {
    expect(() => chooseScalar(runs, { given: 'los' })).toThrow(
      expect.objectContaining({
        code: 'NOT_FOUND',
        message: "no scalar 'los' in the 2 runs (their scalars: acc, logs#loss, loss)",
        suggestion: 'did you mean loss?',
      }),
    );
    expect(() => chooseScalar([run('a', {})], { given: 'loss' })).toThrow("no scalar 'loss': the run has no scalars");
    expect(() => chooseScalar([run('a', {}), run('b', {})])).toThrow('the 2 runs have no scalars');
  });
});

describe('curves and scatter', () => {
  const trials = [
    run('1', { loss: [3, 2, 1] }, { lr: 0.1, epochs: 3, optimizer: 'sgd', layers: [64, 32] }, 'lr=0.1'),
    run('2', { loss: [3, 2.5] }, { lr: 0.01, epochs: 3, optimizer: 'sgd', layers: [128] }, 'lr=0.01'),
    run('3', { acc: [0.5] }, { lr: 0.001, epochs: 3, optimizer: 'adam' }, 'lr=0.001'),
  ];

  it('draws a series per run that has the scalar, labelled by the run', () => {
    const input = curvesInput(trials, 'loss', 't');
    expect(input).toMatchObject({ title: 't', scalar: 'loss' });
    expect(input.series.map((s) => s.label)).toEqual(['lr=0.1', 'lr=0.01']);
    expect(input.series[0]!.points).toEqual([
      { step: 0, value: 3 },
      { step: 1, value: 2 },
      { step: 2, value: 1 },
    ]);
  });

  it('labels a run by its short id without a label, and tells equal labels apart by id', () => {
    const same = [run('aaaaaaaa1', {}, {}, 'x'), run('bbbbbbbb2', {}, {}, 'x'), run('cccccccc3', {}, {}, null)];
    expect(runLabels(same)).toEqual(['x (aaaaaaaa)', 'x (bbbbbbbb)', 'cccccccc']);
  });

  it('takes the value at the largest step as the last, the one read last among equal steps', () => {
    expect(lastValue([])).toBeUndefined();
    const points = [
      { step: 5, value: 1 },
      { step: 9, value: 2 },
      { step: 9, value: 3 },
      { step: 2, value: 4 },
    ];
    expect(lastValue(points)).toBe(3);
  });

  it('plots the last value against each flag that varies, lists and missing flags as categories', () => {
    expect(varyingFlags(trials)).toEqual(['lr', 'optimizer', 'layers']);
    const input = scatterInput(trials, 'loss');
    expect(input.objective).toBe('loss');
    expect(input.flags.map((f) => f.name)).toEqual(['lr', 'optimizer', 'layers']);
    // The third trial has no loss: it has no point.
    expect(input.flags[0]!.points).toEqual([
      { x: 0.1, y: 1, label: 'lr=0.1' },
      { x: 0.01, y: 2.5, label: 'lr=0.01' },
    ]);
    expect(input.flags[2]!.points.map((p) => p.x)).toEqual(['[64,32]', '[128]']);
  });
});
