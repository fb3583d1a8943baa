/**
 * Property tests against the real python3: random values of every flag type, rendered and
 * spliced into a script, must read back as the same value, with the script's other
 * statements untouched. Each property runs python3 once over a batch of generated files.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { python } from '../../../transformers/python/index.js';
import type { FlagType, FlagValue } from '../../../transformers/types.js';
import { makeTempDir } from '../../helpers/fs.js';
import { type PyValue, pythonReadFiles } from './python3.js';

const BATCH = 250;

interface Case {
  /** The literal `x` is assigned in the script before the change. */
  literal: string;
  type: FlagType;
  value: FlagValue;
}

const tricky = fc.constantFrom(
  '"',
  "'",
  '\\',
  '\n',
  '\r',
  '"""',
  "'''",
  '{x}',
  '#',
  '\0',
  '\u2028',
  '\ud800',
  '\udc00',
  'é',
  '😀',
  '\t',
  ' ',
  '\x7f',
  ';',
  '=',
);
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: tricky }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);
const wholeNumber = fc
  .oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ min: -1e300, max: 1e300, noNaN: true }).map(Math.trunc))
  .map((n) => n + 0);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
// -0 is whole to JS, so inside a list or on a None flag it becomes the int 0: leave it out there.
const scalar = fc.oneof(
  wholeNumber,
  finite.map((n) => n + 0),
  text,
  fc.boolean(),
  fc.constant(null),
);

const cases: fc.Arbitrary<Case> = fc.oneof(
  fc.record({
    literal: fc.constantFrom('10', '-3', '0x1F', '1_000'),
    type: fc.constant<FlagType>('int'),
    value: wholeNumber,
  }),
  fc.record({
    literal: fc.constantFrom('0.01', '1e-4', '-0.5', '1.'),
    type: fc.constant<FlagType>('float'),
    value: finite,
  }),
  fc.record({
    literal: fc.constantFrom('"run"', "'run'", 'r"\\d"', '"""doc"""', "u'x'"),
    type: fc.constant<FlagType>('string'),
    value: text,
  }),
  fc.record({ literal: fc.constantFrom('True', 'False'), type: fc.constant<FlagType>('boolean'), value: fc.boolean() }),
  fc.record({
    literal: fc.constant('None'),
    type: fc.constant<FlagType>('null'),
    value: fc.oneof(scalar, fc.array(scalar, { maxLength: 4 })),
  }),
  fc.record({
    literal: fc.constantFrom('[]', "['a', 1]", '[\n    1,  # one\n    2,\n]'),
    type: fc.constant<FlagType>('list'),
    value: fc.array(scalar, { maxLength: 6 }),
  }),
);

/** A script with the flag `x` among statements and strings that must survive the change. */
function script(literal: string): string {
  return `#!/usr/bin/env python3\n"""Doc: x = 0"""\nimport os\nx = ${literal}  # the flag\ny = 1; z = "x = 2"\nprint(x)\n`;
}

/** What Python must read back for `value` at a flag of `type`. */
function expected(type: FlagType, value: FlagValue): PyValue {
  if (Array.isArray(value)) return { type: 'list', value };
  if (value === null) return { type: 'none', value };
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'string') return { type: 'str', value };
  return { type: type === 'float' || !Number.isInteger(value) ? 'float' : 'int', value };
}

describe('python rendering against python3', () => {
  it('reads back every rendered value, changes nothing else, and never runs a value as code', async () => {
    const dir = await makeTempDir('gs-py-prop-');
    await fc.assert(
      fc.asyncProperty(fc.array(cases, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const files = batch.map((_, i) => path.join(dir, `case${i}.py`));
        const results = batch.map(({ literal, value }) => {
          const source = script(literal);
          const result = python.apply(source, { x: value }, { mode: 'text', file: 'train.py' });
          return { source, result };
        });
        await Promise.all(results.map(({ result }, i) => writeFile(files[i]!, result.text)));
        const read = await pythonReadFiles(files);
        batch.forEach(({ type, value }, i) => {
          const { source, result } = results[i]!;
          const edit = result.edits[0];
          const label = JSON.stringify({ type, value, text: result.text });
          expect(result.edits.length, label).toBeLessThanOrEqual(1);
          if (edit) {
            expect(result.text.slice(0, edit.start), label).toBe(source.slice(0, edit.start));
            expect(result.text.slice(edit.start + edit.after.length), label).toBe(source.slice(edit.end));
            expect(edit.after, label).not.toMatch(/[\n\r]/);
          }
          expect(read[i]!.statements, label).toBe(6);
          expect(Object.keys(read[i]!.names).sort(), label).toEqual(['x', 'y', 'z']);
          expect(read[i]!.names.x, label).toEqual(expected(type, value));
          expect(read[i]!.names.z!.value, label).toBe('x = 2');
          expect(Object.is(read[i]!.names.x!.value, value) || typeof value !== 'number', label).toBe(true);
        });
      }),
      // One batch, one python3; on failure the failing case is in the assertion's label,
      // so shrinking (one python3 per step) would only cost time.
      { numRuns: 1, endOnFailure: true },
    );
  });

  it('discovers what it rendered: apply then discover gives back the value', () => {
    fc.assert(
      fc.property(cases, ({ literal, type, value }) => {
        const { text } = python.apply(script(literal), { x: value }, { mode: 'text', file: 'train.py' });
        const site = python.discover(text, 'train.py').find((s) => s.name === 'x');
        expect(site?.default).toEqual(value);
        if (typeof value === 'number') expect(Object.is(site?.default, value)).toBe(true);
        if (type === 'float') expect(site?.type).toBe('float');
      }),
      { numRuns: 500 },
    );
  });
});
