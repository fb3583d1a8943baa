import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeYaml, encodePlain, encodeYaml } from '../../src/records/py-yaml.js';
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

describe('encodePlain, the writer of most attrs without the yaml library', () => {
  const word = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_./-]{0,12}$/);
  const text = fc.stringMatching(/^[A-Za-z0-9_/.:=+,@%~#'"[\]{}&*!|>?`<;$\\ -]{0,100}$/);
  const scalar = fc.oneof(
    word,
    text,
    fc.constantFrom('yes', 'No', 'on', 'OFF', 'null', 'y', 'true', 'x y', '0.1', '', "it's", 'é', 'a:', 'a: b'),
    fc.constantFrom(
      'a #b',
      'a#b',
      '#a',
      '- a',
      '-a',
      '?a',
      '? a',
      ':a',
      '---x',
      '...x',
      ' lead',
      'trail ',
      '[a]',
      'a]',
    ),
    fc.constantFrom('1', '-2', '017', '08', '0x1F', '1_000', '1:30', '1e5', '1.0e+5', '.5', '.inf', '2026-12-03'),
    fc.constantFrom('35c488108a8e12', '0.1.0', '1.5e3', '0x1f2', '0b1x', '1_000a', '1.2.3', '1.', '12:30a', '0o17'),
    fc.stringMatching(/^[0-9][0-9a-fA-F._xXeE]{0,12}$/),
    fc.constantFrom('3 trials', '50 trials', '1 2', '2026-12-03 10:00:00', '2026-1-3 1:00:00', '1 a: b', '1 a #c'),
    fc.stringMatching(/^[0-9]{1,4}[ \t:.-][0-9A-Za-z :.-]{0,12}$/),
    fc.constantFrom('./train.sh', '../a/b.py', '~/x', './', '~/', '.../x', './a: b', '~', '.5/x'),
    fc.stringMatching(/^(?:\.{1,2}|~)\/[A-Za-z0-9_./: -]{0,12}$/),
    // JSON cannot carry NaN and infinities, and carries an integral double beyond 2^53 as another int:
    // "numbers in attrs" covers those.
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x) || Number.isSafeInteger(x)),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
  const values = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
    list: fc.array(fc.oneof(scalar, tie('value')), { maxLength: 4 }),
    map: fc.dictionary(fc.oneof(word, fc.constantFrom('on', 'a b', '1')), tie('value'), { maxKeys: 4 }),
  })).value;

  it('writes nothing it is unsure of: escapes, dates, y/n, long folded lines and lists of maps go to the library', () => {
    expect(encodePlain('tab\there')).toBeUndefined();
    expect(encodePlain('y')).toBeUndefined();
    expect(encodePlain('2026-12-03')).toBeUndefined();
    expect(encodePlain(`${'word '.repeat(16)}end`)).toBeUndefined();
    expect(encodePlain({ on: 1 })).toBeUndefined();
    expect(encodePlain([{ a: 1 }])).toBeUndefined();
    expect(encodePlain({ argv: ['python3', 'train.py'], env: {}, lr: 0.1, name: 'yes', x: "it's" })).toBe(
      "argv:\n- python3\n- train.py\nenv: {}\nlr: 0.1\nname: 'yes'\nx: it's\n",
    );
  });

  it("writes relative and home paths itself: the shell's _ is in most runs' env attr", () => {
    expect(encodePlain({ _: './node_modules/.bin/guild-stage', HOME_FILE: '~/x', UP: '../a' })).toBe(
      'HOME_FILE: ~/x\nUP: ../a\n_: ./node_modules/.bin/guild-stage\n',
    );
    expect(encodePlain('.5/x')).toBeUndefined();
  });

  it.skipIf(!HAS_PYYAML)(`writes what PyYAML safe_dump writes, whenever it writes ${NEEDS_PYYAML}`, async () => {
    const sample = fc.sample(values, { numRuns: 1000, seed: 5 });
    const plain = sample.map((value) => ({ value, text: encodePlain(value) })).filter((v) => v.text !== undefined);
    // The generator must reach deep into the plain subset, or this test proves little.
    expect(plain.filter((v) => typeof v.value === 'object' && v.value !== null).length).toBeGreaterThan(100);
    const script = `
import json, sys, yaml
def ints(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [ints(x) for x in v]
    if isinstance(v, dict):
        return {k: ints(x) for k, x in v.items()}
    return v
out = []
for v in json.load(sys.stdin):
    text = yaml.safe_dump(ints(v), default_flow_style=False, indent=2)
    out.append(text[:-4] if text.endswith("\\n...\\n") else text)
print(json.dumps(out))`;
    // Integral numbers go to Python as ints: the records hold them as ints (see 'numbers in attrs').
    const expected = await runPython<string[]>(
      script,
      plain.map((v) => v.value),
    );
    expect(plain.map((v) => v.text)).toEqual(expected);
    // And guild-stage's own reader reads each back as the value it was (JSON: -0 reads as 0).
    const json = (value: unknown) => JSON.parse(JSON.stringify(value));
    expect(plain.map((v) => json(decodeYaml(v.text as string)))).toEqual(plain.map((v) => json(v.value)));
  });
});
