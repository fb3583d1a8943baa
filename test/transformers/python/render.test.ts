import { describe, expect, it } from 'vitest';
import { renderFloat, renderPython, renderString } from '../../../transformers/python/render.js';
import { runPython } from '../../helpers/python.js';
import { pythonReprs } from './python3.js';

describe('renderPython', () => {
  it('renders ints as integer literals, exactly, even past 2^53', () => {
    expect(renderPython(20, 'int')).toBe('20');
    expect(renderPython(-3, 'int')).toBe('-3');
    expect(renderPython(-0, 'int')).toBe('0');
    expect(renderPython(1e21, 'int')).toBe('1000000000000000000000');
  });

  it('always renders a float literal for float flags', () => {
    expect(renderPython(1, 'float')).toBe('1.0');
    expect(renderPython(-2, 'float')).toBe('-2.0');
    expect(renderPython(0.1, 'float')).toBe('0.1');
    expect(renderPython(1e-4, 'float')).toBe('0.0001');
    expect(renderPython(5e-7, 'float')).toBe('5e-7');
    expect(renderPython(1e21, 'float')).toBe('1e+21');
    expect(renderPython(-0, 'float')).toBe('-0.0');
  });

  it('renders non-finite floats with literals only, so no name the script defines is called', async () => {
    expect([Infinity, -Infinity, NaN].map(renderFloat)).toEqual(['1e999', '-1e999', '(1e999-1e999)']);
    // Evaluated where `float` is the script's own: the old `float('nan')` returned its value.
    const script =
      'import json, sys, math\ng = {"__builtins__": {}, "float": lambda *a: "shadowed"}\nv = [eval(e, g) for e in json.load(sys.stdin)]\nprint(json.dumps([repr(x) for x in v] + [math.isnan(v[2])]))';
    expect(await runPython(script, [Infinity, -Infinity, NaN].map(renderFloat))).toEqual(['inf', '-inf', 'nan', true]);
  });

  it('writes only ASCII with `ascii`, for files in another encoding than UTF-8', async () => {
    const value = 'é € 😀 \u00a0"\\';
    const literal = renderString(value, '"', { ascii: true });
    expect(literal).toBe(`'\\xe9 \\u20ac \\U0001f600 \\xa0"\\\\'`);
    expect(await pythonReprs([literal])).toEqual(await pythonReprs([JSON.stringify(value)]));
  });

  it('renders booleans and None', () => {
    expect(renderPython(true, 'boolean')).toBe('True');
    expect(renderPython(false, 'boolean')).toBe('False');
    expect(renderPython(null, 'null')).toBe('None');
  });

  it('renders by the value for null flags and list items', () => {
    expect(renderPython(42, 'null')).toBe('42');
    expect(renderPython(0.5, 'null')).toBe('0.5');
    expect(renderPython('s', 'null')).toBe('"s"');
    expect(renderPython([1, 2.5, 'a', null, true, [3]], 'list', "'")).toBe("[1, 2.5, 'a', None, True, [3]]");
    expect(renderPython([], 'list')).toBe('[]');
  });

  it('renders a number that is not whole as a float even on an int flag', () => {
    expect(renderPython(1.5, 'int')).toBe('1.5');
  });
});

describe('renderString', () => {
  it('keeps the preferred quote unless the value holds it and not the other', () => {
    expect(renderString('a', "'")).toBe("'a'");
    expect(renderString('a')).toBe('"a"');
    expect(renderString("it's", "'")).toBe('"it\'s"');
    expect(renderString('say "hi"', '"')).toBe('\'say "hi"\'');
    expect(renderString(`it's "x"`, '"')).toBe('"it\'s \\"x\\""');
  });

  it('escapes backslashes, line breaks and every non-printable character onto one line', () => {
    expect(renderString('a\\b\nc\rd\te')).toBe('"a\\\\b\\nc\\rd\\te"');
    expect(renderString('\0\x1b\x7f\x85\u00a0\u200b\u2028\ud800.\udfff')).toBe(
      '"\\x00\\x1b\\x7f\\x85\\xa0\\u200b\\u2028\\ud800.\\udfff"',
    );
    expect(renderString('\u{e0001}')).toBe('"\\U000e0001"');
    expect(renderString('""" and \'\'\'')).toBe('"\\"\\"\\" and \'\'\'"');
  });

  it('leaves printable Unicode and spaces as they are', () => {
    expect(renderString('héllo wörld 😀 日本')).toBe('"héllo wörld 😀 日本"');
  });

  it('produces literals that real Python reads back as the same value', async () => {
    const values = ['\0', '\\', '"', "'", '"""', "'''", '\n\r\t', '\ud800', '😀', '{x}', '\\N{DASH}', 'a\'b"c'];
    const reprs = await pythonReprs([
      ...values.map((v) => renderString(v)),
      ...[Infinity, -Infinity, NaN, 1e21, 5e-324].map(renderFloat),
    ]);
    const expected = await pythonReprs(values.map((v) => JSON.stringify(v)));
    expect(reprs.slice(0, values.length)).toEqual(expected);
    expect(reprs.slice(values.length)).toEqual(['inf', '-inf', 'nan', '1e+21', '5e-324']);
  });
});
