import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePyStrings, parsePyFloat, pyRstrip } from '../../src/results/python-text.js';
import { pythonHas, runPython } from '../helpers/python.js';

const HAS_PYTHON = pythonHas('re');

/** float(s) for each string: repr of the value, or null where Python raises. */
const PY_FLOATS = `
import json, sys
out = []
for s in json.load(sys.stdin):
    try:
        out.append(repr(float(s)))
    except ValueError:
        out.append(None)
print(json.dumps(out))
`;

function fromRepr(repr: string | null): number | null {
  if (repr === null) return null;
  if (repr === 'nan') return Number.NaN;
  if (repr === 'inf') return Number.POSITIVE_INFINITY;
  if (repr === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(repr);
}

const FLOAT_CORPUS = [
  '0.5',
  '-0',
  '+.5',
  '5.',
  '.',
  '',
  ' ',
  '1e-3',
  '1E+3',
  '1e',
  'e5',
  '.e5',
  '-inf',
  '+Infinity',
  'iNf',
  'nan',
  '-NaN',
  'nan(1)',
  'infinit',
  '1_000',
  '1__0',
  '_1',
  '1_',
  '1_.5',
  '1.5_5',
  '1e1_0',
  ' 7 ',
  '\u3000 8\u2028',
  '\ufeff9',
  '\u0663.\u0665',
  '\uff11\uff12',
  '0x10',
  '0b1',
  'Infinity',
  '1e400',
  '-1e-400',
  '123456789012345678901234567890',
  '0.1234567890123456789',
  '90%',
  '1,5',
  '\u00bd',
];

describe('parsePyFloat', () => {
  it('reads the numbers Guild captures', () => {
    expect(parsePyFloat('0.123')).toBe(0.123);
    expect(parsePyFloat('-inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parsePyFloat('NaN')).toBeNaN();
    expect(parsePyFloat('1_000')).toBe(1000);
    expect(parsePyFloat('90%')).toBeNull();
    expect(parsePyFloat('')).toBeNull();
    expect(Object.is(parsePyFloat('-0'), -0)).toBe(true);
  });

  it.skipIf(!HAS_PYTHON)("agrees with Python's float() (skipped without python3)", async () => {
    const alphabet = [...'0123456789.eE+-_ infatyINFAx', '\u0663', '\u3000', '\u00a0', '\ufeff'];
    const random = fc.sample(
      fc.array(fc.constantFrom(...alphabet), { maxLength: 10 }).map((a) => a.join('')),
      { numRuns: 5000, seed: 7 },
    );
    const decimals = fc.sample(fc.double().map(String), { numRuns: 2000, seed: 8 });
    const inputs = [...FLOAT_CORPUS, ...random, ...decimals];
    const expected = await runPython<Array<string | null>>(PY_FLOATS, inputs);
    const mismatches = inputs.filter((s, i) => !Object.is(parsePyFloat(s), fromRepr(expected[i]!)));
    expect(mismatches).toEqual([]);
  });
});

describe('pyRstrip', () => {
  it("strips Python's whitespace, not JavaScript's", () => {
    expect(pyRstrip('loss: 1 \t\r\n')).toBe('loss: 1');
    expect(pyRstrip('a\u001c\u001f\u0085')).toBe('a');
    expect(pyRstrip('a\ufeff')).toBe('a\ufeff');
    expect(pyRstrip('a\u3000')).toBe('a');
    expect(pyRstrip('')).toBe('');
  });

  it.skipIf(!HAS_PYTHON)('strips exactly the characters str.rstrip() does (skipped without python3)', async () => {
    const spaces = await runPython<number[]>(
      'import json,sys; json.load(sys.stdin); print(json.dumps([c for c in range(0x110000) if chr(c).isspace()]))',
      null,
    );
    const ours: number[] = [];
    for (let c = 0; c < 0x110000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (pyRstrip(`a${String.fromCodePoint(c)}`) === 'a') ours.push(c);
    }
    expect(ours).toEqual(spaces);
  });
});

describe('comparePyStrings', () => {
  it('orders by code point, as Python sorts', () => {
    const names = ['b', 'a', '\u{1F600}', '\uff5e', 'aa', '', 'A', '\ue000'];
    expect([...names].sort(comparePyStrings)).toEqual(['', 'A', 'a', 'aa', 'b', '\ue000', '\uff5e', '\u{1F600}']);
  });
});
