import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import {
  compileOutputScalarPattern,
  compileOutputScalars,
  DEFAULT_OUTPUT_SCALARS,
  expandAliases,
} from '../../src/results/patterns.js';

function usageError(config: unknown): GuildStageError {
  try {
    compileOutputScalars(config);
  } catch (error) {
    expect(error).toBeInstanceOf(GuildStageError);
    expect((error as GuildStageError).code).toBe('USAGE');
    expect((error as GuildStageError).message).not.toContain('\n');
    return error as GuildStageError;
  }
  throw new Error(`${JSON.stringify(config)} compiled`);
}

describe('expandAliases', () => {
  it("replaces \\key, \\value and \\step as Guild's plain text substitution does", () => {
    expect(expandAliases('\\key=\\step')).toBe('[_a-zA-Z]\\S*=[0-9]+');
    expect(expandAliases('\\value')).toBe(
      '(?:[-+]?[0-9]*\\.?(?:[0-9]+)?(?:[eE][-+]?[0-9]+)?|[nN][aA][nN]|[-+]?[iI][nN][fF])',
    );
    // Guild's quirks, kept: an alias is found inside a longer word or after an escaped backslash.
    expect(expandAliases('\\keys')).toBe('[_a-zA-Z]\\S*s');
    expect(expandAliases('\\\\key')).toBe('\\[_a-zA-Z]\\S*');
  });
});

describe('compileOutputScalars', () => {
  it("uses Guild's defaults when nothing is configured", () => {
    for (const config of [undefined, null]) {
      const spec = compileOutputScalars(config);
      expect(spec).toMatchObject({ enabled: true, isDefault: true });
      expect(spec.patterns.map((p) => p.source)).toEqual(DEFAULT_OUTPUT_SCALARS);
      expect(spec.patterns.map((p) => p.rule)).toEqual([
        { kind: 'named', groups: [['step', 1]] },
        { kind: 'pair', key: 1, value: 2 },
      ]);
    }
  });

  it('is off for false and for an empty list, as Guild', () => {
    expect(compileOutputScalars(false)).toEqual({ enabled: false, isDefault: false, patterns: [] });
    expect(compileOutputScalars([])).toEqual({ enabled: false, isDefault: false, patterns: [] });
  });

  it('reads a string, a mapping (names sorted as Python sorts) and a list of both', () => {
    expect(compileOutputScalars('(\\key)=(\\value)').patterns).toHaveLength(1);
    const spec = compileOutputScalars({ loss: 'loss=(\\value)', acc: 'acc=(\\value)' });
    expect(spec.patterns.map((p) => [p.name, p.rule])).toEqual([
      ['acc', { kind: 'single', name: 'acc', group: 1 }],
      ['loss', { kind: 'single', name: 'loss', group: 1 }],
    ]);
    const list = compileOutputScalars([
      '(?P<_key>\\key)=(?P<_val>\\value)',
      { x: 'x (\\value)' },
      'Epoch (?P<step>[0-9]+)',
    ]);
    expect(list.patterns.map((p) => p.rule.kind)).toEqual(['pair', 'single', 'named']);
    expect(list.isDefault).toBe(false);
  });

  it('fails on a pattern that is not a regular expression, naming it', () => {
    expect(usageError('loss=(').message).toBe(
      "output-scalars: pattern 'loss=(' is not a valid regular expression: missing ), unterminated subpattern at position 5",
    );
    expect(usageError({ loss: 'loss=(\\value' }).message).toMatch(
      /^output-scalars: pattern 'loss=\(\\value' \(for 'loss'\) is not a valid regular expression: missing \), unterminated subpattern at position 5 \(in 'loss=\(\(\?:/,
    );
    expect(usageError('a\nb(').message).toContain("pattern 'a\\nb('");
  });

  it('fails on a pattern that gives Guild no value to read', () => {
    expect(usageError('loss').message).toMatch(/^output-scalars: pattern 'loss' has no group to read a value from/);
    expect(usageError('no').message).toContain('to turn capture off, use false');
    expect(usageError('loss: (\\value)').message).toMatch(/has one group but no scalar name/);
    expect(usageError('(a)(b)(c)').message).toMatch(/has 3 unnamed groups/);
    expect(usageError('(?P<_val>\\value)').message).toMatch(/only one of \(\?P<_key>...\) and \(\?P<_val>...\)/);
  });

  it('refuses named groups that Guild would read otherwise than they look', () => {
    expect(usageError('(?P<key>\\key)=(?P<value>\\value)').message).toMatch(/records one named 'value'/);
    expect(usageError({ loss: 'loss=(?P<value>\\value)' }).message).toMatch(/records 'value', not 'loss'/);
  });

  it('fails on config of the wrong shape', () => {
    expect(usageError(true).message).toBe(
      'output-scalars: expected a mapping, a list, a pattern or false (to turn capture off), not true',
    );
    expect(usageError([3]).message).toMatch(/a list item must be a pattern or a mapping, not 3/);
    expect(usageError({ loss: 3 }).message).toMatch(/the pattern for 'loss' must be a string, not 3/);
  });

  it('says when valid Python cannot be carried over', () => {
    expect(usageError('(x)?(?(1)a|b)=(\\value)').message).toMatch(/cannot be used: conditional groups/);
  });

  it('knows which characters a match needs, for the prefilter', () => {
    expect(compileOutputScalarPattern(DEFAULT_OUTPUT_SCALARS[1]!, null).required).toEqual([':']);
    expect(compileOutputScalarPattern('(?i)loss=(\\value)', 'x').required).toEqual(['=']);
    expect(compileOutputScalarPattern('(?:a|b)(\\value)', 'x').required).toEqual([]);
  });
});
