import { describe, expect, it } from 'vitest';
import { isBatch, parseValueSpec } from '../../src/batch/syntax.js';
import { guildError } from '../helpers/errors.js';

function grid(raw: string): string[] {
  const spec = parseValueSpec('x', raw);
  if (spec.kind !== 'grid') throw new Error(`${raw} is not a grid: ${JSON.stringify(spec)}`);
  return spec.raws;
}

describe('grids', () => {
  it('splits a bracketed list on commas', () => {
    expect(parseValueSpec('lr', '[0.1,0.01,0.001]')).toEqual({ kind: 'grid', raws: ['0.1', '0.01', '0.001'] });
    expect(grid('[adam]')).toEqual(['adam']);
  });

  it('keeps nested lists whole: each is one item', () => {
    expect(grid('[[1,2],[3,4]]')).toEqual(['[1,2]', '[3,4]']);
    expect(grid('[[1,[2,3]],4]')).toEqual(['[1,[2,3]]', '4']);
  });

  it('keeps commas and brackets inside quotes, removing one level of matching quotes', () => {
    expect(grid("['a,b',c]")).toEqual(['a,b', 'c']);
    expect(grid('["x]y",z]')).toEqual(['x]y', 'z']);
    expect(grid(`['"q"',"'s'"]`)).toEqual(['"q"', "'s'"]);
    expect(grid("['',a]")).toEqual(['', 'a']);
  });

  it('treats a quote inside a word as text, not as an opening quote', () => {
    expect(grid("[don't,x]")).toEqual(["don't", 'x']);
  });

  it('reads a bracketed value with whitespace as one plain value (a list for a list flag)', () => {
    expect(parseValueSpec('sizes', '[64, 32]')).toEqual({ kind: 'value', raw: '[64, 32]' });
    expect(parseValueSpec('sizes', '[64,\t32]')).toEqual({ kind: 'value', raw: '[64,\t32]' });
    expect(parseValueSpec('msg', "['a b',c]")).toEqual({ kind: 'value', raw: "['a b',c]" });
  });

  it('reads [] as one value, the empty list, and [] inside a grid as one of its items', () => {
    expect(parseValueSpec('layers', '[]')).toEqual({ kind: 'value', raw: '[]' });
    expect(parseValueSpec('layers', '[[],[64]]')).toEqual({ kind: 'grid', raws: ['[]', '[64]'] });
  });

  it('reads anything else as one value, exactly as typed', () => {
    expect(parseValueSpec('lr', '0.1')).toEqual({ kind: 'value', raw: '0.1' });
    expect(parseValueSpec('msg', '')).toEqual({ kind: 'value', raw: '' });
    expect(parseValueSpec('msg', 'a[1,2]')).toEqual({ kind: 'value', raw: 'a[1,2]' });
    expect(parseValueSpec('msg', 'arange[1:2]')).toEqual({ kind: 'value', raw: 'arange[1:2]' });
  });

  it.each([
    ['[1,[2]', "invalid value '[1,[2]' for flag opt: unbalanced brackets"],
    ['[1,2]]', "invalid value '[1,2]]' for flag opt: unbalanced brackets"],
    ['[1,2', "invalid value '[1,2' for flag opt: unbalanced brackets"],
    ['[1,2]x', "invalid value '[1,2]x' for flag opt: unbalanced brackets"],
    ['[1,,2]', "invalid value '[1,,2]' for flag opt: item 2 of the grid is empty"],
    ['[1,2,]', "invalid value '[1,2,]' for flag opt: item 3 of the grid is empty"],
    ["['a,b]", "invalid value '['a,b]' for flag opt: unterminated quote at position 2"],
  ])('rejects %s naming the flag', (raw, message) => {
    const e = guildError(() => parseValueSpec('opt', raw));
    expect(e.code).toBe('FLAG');
    expect(e.message).toBe(message);
  });
});

describe('random specs', () => {
  it('reads uniform and loguniform bounds as typed', () => {
    expect(parseValueSpec('lr', 'loguniform[1e-4:1e-1]')).toEqual({
      kind: 'random',
      dist: 'loguniform',
      low: '1e-4',
      high: '1e-1',
    });
    expect(parseValueSpec('n', 'uniform[-5:5]')).toEqual({ kind: 'random', dist: 'uniform', low: '-5', high: '5' });
    expect(parseValueSpec('n', 'uniform[ 1 : 2 ]')).toEqual({ kind: 'random', dist: 'uniform', low: '1', high: '2' });
  });

  it.each([
    ['uniform[5:1]', 'low 5 must be below high 1'],
    ['uniform[1:1]', 'low 1 must be below high 1'],
    ['loguniform[0:1]', 'low 0 must be above 0 for a log scale'],
    ['loguniform[-1:1]', 'low -1 must be above 0 for a log scale'],
    ['uniform[1:2:3]', 'expected uniform[low:high]'],
    ['uniform[a:2]', "'a' is not a number"],
    ['uniform[1:2', 'unbalanced brackets'],
    ['uniform[[1]:2]', 'unbalanced brackets'],
  ])('rejects %s naming the flag', (raw, problem) => {
    const e = guildError(() => parseValueSpec('lr', raw));
    expect(e.code).toBe('FLAG');
    expect(e.message).toBe(`invalid value '${raw}' for flag lr: ${problem}`);
  });
});

describe('isBatch', () => {
  it('is true for grids, sequences and random specs or a trials file, false for plain values', () => {
    expect(isBatch(['a=[1,2]'])).toBe(true);
    expect(isBatch(['b=3', 'a=range[1:2]'])).toBe(true);
    expect(isBatch(['a=uniform[1:2]'])).toBe(true);
    expect(isBatch(['a=[1, 2]'])).toBe(false);
    expect(isBatch(['a=3'])).toBe(false);
    expect(isBatch([], 'trials.csv')).toBe(true);
  });
});
