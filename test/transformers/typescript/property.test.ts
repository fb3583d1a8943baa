/**
 * Random values of every flag type, written in AST mode into a script with flags of every
 * type and wrapper, parse back with @babel/parser to the same values; text mode gives the
 * same bytes, and the lines that hold no flag never change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typescript } from '../../../transformers/typescript/index.js';
import type { FlagValue } from '../../../transformers/types.js';
import { evalJs } from '../../helpers/js-eval.js';

const SCRIPT = [
  '// flags of every type',
  'const count: number = 1;',
  'const rate = 0.5;',
  'const double = "a";',
  "const single = 'b' as const;",
  'const backtick = `c`;',
  'let enabled = true satisfies boolean;',
  'var nothing = null;',
  'export const sizes = [1, "x"];',
  'function train(): void { const count = 2; console.log(count); }',
  '',
].join('\r\n');

const FLAG_LINES = new Set([2, 3, 4, 5, 6, 7, 8, 9]);

/** Strings heavy in what a literal must escape: quotes, backslashes, `${`, line breaks, lone surrogates. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', "'", '`', '\\', '$', '{', '${', '\n', '\r', '\u2028', '\u0000', '\uD800', '\uDFFF', ' '),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});
const scalar: fc.Arbitrary<FlagValue> = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer(),
  text,
  fc.boolean(),
  fc.constant(null),
);

const values = fc.record({
  count: fc.maxSafeInteger(),
  rate: fc.double({ noNaN: true }),
  double: text,
  single: text,
  backtick: text,
  enabled: fc.boolean(),
  nothing: fc.oneof(scalar, fc.array(scalar, { maxLength: 4 })),
  sizes: fc.array(scalar, { maxLength: 5 }),
});

describe('typescript AST mode, random values', () => {
  it('writes literals that parse back to the values, as text mode does', () => {
    fc.assert(
      fc.property(values, (flags) => {
        const ast = typescript.apply(SCRIPT, flags, { mode: 'ast', file: 'train.ts' });
        expect(ast.text).toBe(typescript.apply(SCRIPT, flags, { mode: 'text', file: 'train.ts' }).text);
        const read = evalJs(ast.text, true);
        for (const [name, value] of Object.entries(flags)) expect(read[name]?.value, name).toEqual(value);
        const before = SCRIPT.split('\r\n');
        const after = ast.text.split('\r\n');
        expect(after.length).toBe(before.length);
        before.forEach((line, i) => {
          if (!FLAG_LINES.has(i + 1)) expect(after[i]).toBe(line);
        });
      }),
      { numRuns: 150 },
    );
  });
});
