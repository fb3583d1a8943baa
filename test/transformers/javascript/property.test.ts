/**
 * Property tests: random values of every flag type, rendered and spliced into a script in
 * both modes, must read back (by @babel/parser, and by node itself) as the same value, with
 * the rest of the script untouched and no value ever running as code.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findFlags, javascript } from '../../../transformers/javascript/index.js';
import type { ApplyResult, FlagType, FlagValue } from '../../../transformers/types.js';
import { makeTempDir } from '../../helpers/fs.js';
import { evalJs } from '../../helpers/js-eval.js';

interface Case {
  /** The literal `x` is declared with before the change. */
  literal: string;
  type: FlagType;
  value: FlagValue;
}

const tricky = fc.constantFrom(
  '"',
  "'",
  '`',
  '\\',
  '\n',
  '\r',
  '\r\n',
  '${',
  '$',
  '{',
  '}',
  '*/',
  '//',
  '\0',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udc00',
  '\ufeff',
  'é',
  '😀',
  '\t',
  ' ',
  '\x7f',
  ';',
  '</script>',
);
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: tricky }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);
const wholeNumber = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(-0));
const anyNumber = fc.double({ noNaN: true });
const scalar = fc.oneof(anyNumber, text, fc.boolean(), fc.constant(null));
const list = fc.array(fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxLength: 5 });

const cases: fc.Arbitrary<Case> = fc.oneof(
  fc.record({
    literal: fc.constantFrom('10', '-3', '0x1F', '1_000', '(7)'),
    type: fc.constant<FlagType>('int'),
    value: wholeNumber,
  }),
  fc.record({
    literal: fc.constantFrom('0.01', '1e-4', '-0.5', '.5'),
    type: fc.constant<FlagType>('float'),
    value: anyNumber,
  }),
  fc.record({
    literal: fc.constantFrom('"run"', "'run'", '`run`', "'it\\'s'"),
    type: fc.constant<FlagType>('string'),
    value: text,
  }),
  fc.record({ literal: fc.constantFrom('true', 'false'), type: fc.constant<FlagType>('boolean'), value: fc.boolean() }),
  fc.record({ literal: fc.constant('null'), type: fc.constant<FlagType>('null'), value: fc.oneof(scalar, list) }),
  fc.record({
    literal: fc.constantFrom('[]', "['a', 1]", '[\n  1, // one\n  2,\n]'),
    type: fc.constant<FlagType>('list'),
    value: list,
  }),
);

/** A script with the flag `x` among statements, comments and strings that must survive. */
function script(literal: string): string {
  return `#!/usr/bin/env node\n/* x = 0 */\nimport fs from 'node:fs';\nexport const x = ${literal}; // the flag\nconst y = 1, z = "x = 2";\nexport const all = [x, y, z, fs];\n`;
}

/** Applies `value` to `x` in both modes and checks what every rewrite must satisfy. */
function applyBoth(source: string, value: FlagValue): ApplyResult {
  const text = javascript.apply(source, { x: value }, { mode: 'text', file: 'train.js' });
  expect(javascript.apply(source, { x: value }, { mode: 'ast', file: 'train.js' })).toEqual(text);
  expect(text.edits.length).toBeLessThanOrEqual(1);
  const edit = text.edits[0];
  if (edit) {
    expect(text.text.slice(0, edit.start)).toBe(source.slice(0, edit.start));
    expect(text.text.slice(edit.start + edit.after.length)).toBe(source.slice(edit.end));
    expect(edit.after).not.toMatch(/[\n\r\u2028\u2029]/);
  }
  return text;
}

/** Deep equality that tells -0 from 0. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  return Object.is(a, b);
}

describe('javascript rendering, both modes', () => {
  it('reads back every rendered value with @babel/parser and changes nothing else', () => {
    fc.assert(
      fc.property(cases, ({ literal, value }) => {
        const { text } = applyBoth(script(literal), value);
        const read = evalJs(text, false);
        expect(Object.keys(read).sort()).toEqual(['x', 'y', 'z']);
        expect(sameValue(read.x!.value, value), JSON.stringify({ value, text })).toBe(true);
        expect(read.z!.value).toBe('x = 2');
      }),
      { numRuns: 400 },
    );
  });

  it('discovers what it rendered: apply then discover gives back the value and a fitting type', () => {
    fc.assert(
      fc.property(cases, ({ literal, type, value }) => {
        const { text } = applyBoth(script(literal), value);
        const site = findFlags(text, 'train.js', { typescript: false }).find((s) => s.name === 'x');
        expect(sameValue(site?.default, value)).toBe(true);
        if (type === 'int' && typeof value === 'number') expect(site?.type).toBe('int');
      }),
      { numRuns: 300 },
    );
  });

  it('runs under node with the values it was given', async () => {
    const dir = await makeTempDir('gs-js-prop-');
    const batch = fc.sample(cases, { numRuns: 150, seed: 42 });
    const files = batch.map((_, i) => path.join(dir, `case${i}.mjs`));
    await Promise.all(
      batch.map(({ literal, value }, i) => writeFile(files[i]!, applyBoth(script(literal), value).text)),
    );
    // Numbers travel as strings, so -0 and the infinities survive JSON.
    const reader = `const out = []; for (const f of process.argv.slice(1)) out.push((await import(f)).x);
      process.stdout.write(JSON.stringify(out, (k, v) => typeof v === 'number' ? { n: Object.is(v, -0) ? '-0' : String(v) } : v));`;
    const { stdout } = await execa('node', ['--input-type=module', '-e', reader, ...files], { stdout: 'pipe' });
    const read = JSON.parse(stdout, (_k, v: unknown) =>
      v !== null && typeof v === 'object' && 'n' in v ? Number((v as { n: string }).n) : v,
    ) as unknown[];
    batch.forEach(({ value }, i) => {
      expect(sameValue(read[i], value), JSON.stringify(value)).toBe(true);
    });
  });
});
