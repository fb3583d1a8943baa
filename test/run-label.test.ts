import { describe, expect, it } from 'vitest';
import { defaultLabel } from '../src/run.js';

describe('defaultLabel', () => {
  it('spells values as one types them after --flags: inf and nan, never Infinity or NaN', () => {
    expect(
      defaultLabel({ lr: Number.POSITIVE_INFINITY, floor: Number.NEGATIVE_INFINITY, loss: Number.NaN, n: 3 }),
    ).toBe('lr=inf floor=-inf loss=nan n=3');
    expect(defaultLabel({ layers: [64, Number.POSITIVE_INFINITY], name: 'a b', on: true, none: null })).toBe(
      'layers=[64, inf] name=a b on=true none=null',
    );
  });
});
