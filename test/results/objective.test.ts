import { describe, expect, it } from 'vitest';
import { bestTrial, type ScoredTrial } from '../../src/results/objective.js';

const trial = (index: number, value: number | undefined): ScoredTrial => ({
  index,
  id: `run${index}`,
  flags: { x: index },
  value,
});

describe('bestTrial', () => {
  it('picks the least value to minimize and the most to maximize, from trials in any order', () => {
    const trials = [trial(3, 0.5), trial(1, 0.25), trial(2, 0.75)];
    expect(bestTrial({ scalar: 'loss', goal: 'minimize' }, trials).best).toEqual({
      index: 1,
      id: 'run1',
      flags: { x: 1 },
      value: 0.25,
    });
    expect(bestTrial({ scalar: 'acc', goal: 'maximize' }, trials).best?.index).toBe(2);
  });

  it('lists trials without the scalar, or with only NaN, apart: never best, never worst', () => {
    const result = bestTrial({ scalar: 'loss', goal: 'maximize' }, [
      trial(1, undefined),
      trial(2, Number.NaN),
      trial(3, -1),
    ]);
    expect(result.best?.index).toBe(3);
    expect(result.missing).toEqual([1, 2]);
  });

  it('has no best when no trial has the scalar; infinities count; ties go to the lower index', () => {
    expect(bestTrial({ scalar: 'loss', goal: 'minimize' }, [trial(1, undefined)])).toEqual({
      objective: { scalar: 'loss', goal: 'minimize' },
      best: null,
      missing: [1],
    });
    expect(bestTrial({ scalar: 'loss', goal: 'minimize' }, [trial(2, 1), trial(1, -Infinity)]).best?.index).toBe(1);
    expect(bestTrial({ scalar: 'loss', goal: 'minimize' }, [trial(2, 1), trial(1, 1)]).best?.index).toBe(1);
  });
});
