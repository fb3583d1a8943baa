import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeYaml, encodeYaml } from '../../src/records/py-yaml.js';
import { pythonHas, runPython } from '../helpers/python.js';

const HAS_PYYAML = pythonHas('yaml');
const NEEDS_PYYAML = '(skipped when python3 lacks PyYAML)';

/** A number as an attr file holds it. */
const formatNumber = (value: number) => encodeYaml(value).trimEnd();

describe('numbers in attrs', () => {
  it('writes floats the way PyYAML does, with a dot in every exponent form', () => {
    expect(formatNumber(0.1)).toBe('0.1');
    expect(formatNumber(1e-7)).toBe('1.0e-07');
    expect(formatNumber(-2.5e-10)).toBe('-2.5e-10');
    expect(formatNumber(0.0001)).toBe('0.0001');
    expect(formatNumber(0.00001)).toBe('1.0e-05');
    expect(formatNumber(1234567.5)).toBe('1234567.5');
    expect(formatNumber(Infinity)).toBe('.inf');
    expect(formatNumber(NaN)).toBe('.nan');
  });

  it('writes integral numbers as plain integers, never in exponent form', () => {
    expect(formatNumber(5)).toBe('5');
    expect(formatNumber(-15)).toBe('-15');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(-0)).toBe('0');
  });

  it('matches Python repr in fixed notation at the switch points', () => {
    expect(formatNumber(1234567890123456.5)).toBe('1234567890123456.5');
    expect(formatNumber(0.000123)).toBe('0.000123');
    expect(formatNumber(-12.25)).toBe('-12.25');
  });

  it.skipIf(!HAS_PYYAML)(`agrees with PyYAML on random doubles ${NEEDS_PYYAML}`, async () => {
    const doubles = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 2000, seed: 3 });
    const script = `
import json, sys, yaml
out = []
for text in json.load(sys.stdin):
    x = float(text)
    v = int(x) if x.is_integer() else x
    s = yaml.safe_dump(v)
    out.append(s[:-5] if s.endswith("\\n...\\n") else s.rstrip("\\n"))
print(json.dumps(out))`;
    // Passed as repr-exact strings: JSON would turn 1e21 into a Python float, not an int.
    const expected = await runPython<string[]>(
      script,
      doubles.map((x) => x.toExponential()),
    );
    expect(doubles.map(formatNumber)).toEqual(expected);
  });
});

describe('decodeYaml', () => {
  it('resolves plain scalars as PyYAML does', () => {
    expect(decodeYaml('1e5\n')).toBe('1e5');
    expect(decodeYaml('1.0e+5\n')).toBe(100000);
    expect(decodeYaml('1.0e-07\n')).toBe(1e-7);
    expect(decodeYaml('yes\n')).toBe(true);
    expect(decodeYaml('a: off\nb: ~\n')).toEqual({ a: false, b: null });
  });

  it.skipIf(!HAS_PYYAML)(`agrees with PyYAML safe_load on number-like scalars ${NEEDS_PYYAML}`, async () => {
    const texts = ['1e5', '1E-3', '1.5e3', '1.5e+3', '.5e-2', '-2.e+1', '0x1F', '017', '1_000', '.inf', '-.Inf'];
    texts.push('12:30');
    const script = `
import json, math, sys, yaml
def typed(v):
    if type(v) in (int, float):
        return ['num', v if math.isfinite(v) else repr(v)]
    return [type(v).__name__, v]
print(json.dumps([typed(yaml.safe_load(t)) for t in json.load(sys.stdin)]))`;
    const typed = (value: unknown) => {
      if (typeof value === 'number') return ['num', Number.isFinite(value) ? value : value > 0 ? 'inf' : '-inf'];
      return [typeof value === 'string' ? 'str' : typeof value, value];
    };
    expect(texts.map((text) => typed(decodeYaml(text)))).toEqual(await runPython(script, texts));
  });
});
