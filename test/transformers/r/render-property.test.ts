/**
 * Property tests against the real R parser: random values of each flag type are spliced
 * into scripts, and one Rscript process per property reads every script back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { r } from '../../../transformers/r/index.js';
import type { FlagValue } from '../../../transformers/types.js';
import { codePoints, doubleBytes, fromDoubleBytes, readVWithR, type RValue } from './rscript.js';

const BATCH = 200;

/** Scripts with a flag `v` in different spellings, amid code that must stay untouched. */
function scripts(defaults: readonly string[]): fc.Arbitrary<string> {
  return fc.constantFrom(
    ...defaults.flatMap((literal) => [
      `# v <- 1 in a comment\nf <- function(v = 2) v\nv <- ${literal}  # the flag\nprint(v)\n`,
      `x <- list(v = 3); v =\n  # split over lines\n  ${literal}\r\nstopifnot(TRUE)\r\n`,
      `${literal} ->\n  v\nv <- v\n`,
    ]),
  );
}

interface Check {
  /** What R must report for the value, or a predicate on it. */
  expected(value: FlagValue): RValue | ((got: RValue) => boolean);
}

/** Applies each value, checks every other byte is kept, and has R read all scripts back once. */
async function checkBatch(cases: Array<[string, FlagValue]>, check: Check): Promise<void> {
  const staged = cases.map(([source, value]) => {
    const result = r.apply(source, { v: value }, { mode: 'text', file: 'train.R' });
    for (const edit of result.edits) {
      expect(result.text.slice(0, edit.start)).toBe(source.slice(0, edit.start));
      expect(result.text.slice(edit.start + edit.after.length)).toBe(source.slice(edit.end));
    }
    return result.text;
  });
  const read = await readVWithR(staged);
  const failures = cases.flatMap(([, value], i) => {
    const want = check.expected(value);
    const got = read[i]!;
    const ok = typeof want === 'function' ? want(got) : got.type === want.type && got.value === want.value;
    return ok ? [] : [{ value, got, staged: staged[i] }];
  });
  expect(failures).toEqual([]);
}

/** Our own discovery reads the rewritten literal back as the same value. */
function rediscovered(source: string, value: FlagValue): FlagValue {
  const text = r.apply(source, { v: value }, { mode: 'text', file: 'train.R' }).text;
  return r.discover(text, 'staged.R').find((flag) => flag.name === 'v')!.default;
}

const run = { numRuns: 1, endOnFailure: true };

const trickyChars = fc.constantFrom(
  '"',
  "'",
  '\\',
  '\n',
  '\r',
  '\t',
  '#',
  '`',
  ')"',
  ']"',
  '%',
  '<-',
  '\x01',
  '\x1b',
  '\x7f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'é',
  '😀',
  '{',
  '}',
  '\\n',
  '\\x41',
  'r"(',
  ' ',
);

describe('R literals read back by Rscript', () => {
  it('int values', async () => {
    const arb = fc.tuple(scripts(['10L', '-3L', '0x10L']), fc.integer({ min: -2147483647, max: 2147483647 }));
    await fc.assert(
      fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        await checkBatch(cases, { expected: (value) => ({ type: 'integer', value: String(value) }) });
        for (const [source, value] of cases.slice(0, 20)) expect(rediscovered(source, value)).toBe(value);
      }),
      run,
    );
  });

  it('float values, including ones R would misread as shortest decimals', async () => {
    const typed = fc
      .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 }))
      .map(([m, k]) => Number(`${m}e-${k}`));
    const value = fc.oneof(fc.double(), typed, fc.constantFrom(0.6177990545, 0.69213888992, 5e-324, -0, 1e21, 1e23));
    const arb = fc.tuple(scripts(['0.01', '-1', '1e-3', '10', '0x1p-2']), value);
    await fc.assert(
      fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        await checkBatch(cases, {
          expected: (v) =>
            Number.isNaN(v)
              ? (got) => got.type === 'double' && Number.isNaN(fromDoubleBytes(got.value))
              : { type: 'double', value: doubleBytes(v as number) },
        });
        for (const [source, v] of cases.filter(([, v]) => Number.isFinite(v)).slice(0, 50)) {
          expect(Object.is(rediscovered(source, v), v)).toBe(true);
        }
      }),
      run,
    );
  });

  it('string values, whatever characters they hold', async () => {
    const text = fc
      .oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: trickyChars, maxLength: 12 }))
      .filter((s) => !s.includes('\0'));
    const arb = fc.tuple(scripts([`"x"`, `'x'`, `r"(x)"`, `""`]), text);
    await fc.assert(
      fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (cases) => {
        await checkBatch(cases, { expected: (value) => ({ type: 'character', value: codePoints(value as string) }) });
        for (const [source, value] of cases.slice(0, 50)) expect(rediscovered(source, value)).toBe(value);
      }),
      run,
    );
  });

  it('boolean values', async () => {
    const arb = fc.tuple(scripts(['TRUE', 'FALSE']), fc.boolean());
    await fc.assert(
      fc.asyncProperty(fc.array(arb, { minLength: 40, maxLength: 40 }), async (cases) => {
        await checkBatch(cases, { expected: (value) => ({ type: 'logical', value: value ? 'TRUE' : 'FALSE' }) });
      }),
      run,
    );
  });
});
