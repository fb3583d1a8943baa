import { describe, expect, it } from 'vitest';
import { python } from '../../../transformers/python/index.js';
import type { FlagValue } from '../../../transformers/types.js';

function apply(source: string, values: Record<string, FlagValue>) {
  return python.apply(source, values, { mode: 'text', file: 'train.py' });
}

describe('python apply (text mode)', () => {
  it('splices the new literal into the exact span and reports the edit', () => {
    const source = 'import math\n\nlr = 0.01\nepochs = 10\nprint(lr * math.pi, epochs)\n';
    const result = apply(source, { lr: 0.1 });
    expect(result.text).toBe('import math\n\nlr = 0.1\nepochs = 10\nprint(lr * math.pi, epochs)\n');
    expect(result.edits).toEqual([{ name: 'lr', line: 3, start: 18, end: 22, before: '0.01', after: '0.1' }]);
    expect(source.slice(18, 22)).toBe('0.01');
    expect(result.unused).toEqual([]);
  });

  it('keeps every other byte: BOM, shebang, encoding line, CRLF, comments, spacing', () => {
    const source =
      '\uFEFF#!/usr/bin/env python3\r\n# -*- coding: utf-8 -*-\r\n"""lr = 1"""\r\nlr   =   0.01   # learning rate\r\n' +
      "name = 'run'  # keep 'quotes'\r\nlayers = [\r\n    64,  # first\r\n    32,\r\n]\r\nprint(lr)\r\n";
    const result = apply(source, { lr: 0.5, name: 'walk', layers: [8] });
    expect(result.text).toBe(
      '\uFEFF#!/usr/bin/env python3\r\n# -*- coding: utf-8 -*-\r\n"""lr = 1"""\r\nlr   =   0.5   # learning rate\r\n' +
        "name = 'walk'  # keep 'quotes'\r\nlayers = [8]\r\nprint(lr)\r\n",
    );
    expect(result.edits.map((e) => [e.name, e.line, e.before, e.after])).toEqual([
      ['lr', 4, '0.01', '0.5'],
      ['name', 5, "'run'", "'walk'"],
      ['layers', 6, '[\r\n    64,  # first\r\n    32,\r\n]', '[8]'],
    ]);
  });

  it('changes only its statement on a semicolon line', () => {
    expect(apply('a = 1; b = 2  # two\nprint(a, b)\n', { b: 3 }).text).toBe('a = 1; b = 3  # two\nprint(a, b)\n');
  });

  it('rewrites the first assignment only and leaves nested scopes alone', () => {
    const source = 'x = 1\ndef f():\n    x = 1\nclass C:\n    x = 1\nx = 2\n';
    expect(apply(source, { x: 5 }).text).toBe('x = 5\ndef f():\n    x = 1\nclass C:\n    x = 1\nx = 2\n');
  });

  it('replaces the sign with the number and keeps annotations', () => {
    expect(apply('momentum = -0.9\nsteps: int = +100\n', { momentum: 0.5, steps: -3 }).text).toBe(
      'momentum = 0.5\nsteps: int = -3\n',
    );
  });

  it('renders by the flag type: a whole number on a float flag stays a float', () => {
    expect(apply('lr = 0.5\n', { lr: 1 }).text).toBe('lr = 1.0\n');
    expect(apply('#| type: float\nlr = 1\n', { lr: 2 }).text).toBe('#| type: float\nlr = 2.0\n');
    expect(apply('seed = None\n', { seed: 42 }).text).toBe('seed = 42\n');
    expect(apply('augment = True\n', { augment: false }).text).toBe('augment = False\n');
  });

  it('keeps the quote style of the default when the value allows it', () => {
    expect(apply("name = 'a'\n", { name: 'b' }).text).toBe("name = 'b'\n");
    expect(apply('name = "a"\n', { name: "it's" }).text).toBe('name = "it\'s"\n');
    expect(apply("name = 'a'\n", { name: "it's" }).text).toBe('name = "it\'s"\n');
    expect(apply('name = r"""a"""\n', { name: 'line\nbreak' }).text).toBe('name = "line\\nbreak"\n');
    expect(apply("names = ['a', 1]\n", { names: ['b'] }).text).toBe("names = ['b']\n");
  });

  it('makes no edit when the rendered literal is what is already there', () => {
    const source = 'lr = 0.1\nname = "x"\n';
    const result = apply(source, { lr: 0.1, name: 'x' });
    expect(result.edits).toEqual([]);
    expect(result.text).toBe(source);
  });

  it('keeps a literal as written when the value equals the default, however it is spelled', () => {
    const source = "lr = 1e-4\nmask = 0x10\nt = 0.020\ns = '''a\nb'''\np = r'\\d'\nxs = [\n    1,\n]\n";
    const result = apply(source, { lr: 0.0001, mask: 16, t: 0.02, s: 'a\nb', p: '\\d', xs: [1] });
    expect(result.edits).toEqual([]);
    expect(result.text).toBe(source);
    expect(apply(source, { mask: 17 }).edits).toMatchObject([{ before: '0x10', after: '17' }]);
  });

  it('returns the names that are not flags in unused, and leaves their text alone', () => {
    const source = '_private = 3\nlr = 0.1\nlabel = os.environ.get("X")\ndef f():\n    inner = 1\n';
    const result = apply(source, { _private: 4, lrr: 0.2, label: 'x', inner: 2, lr: 0.2 });
    expect(result.unused).toEqual(['_private', 'lrr', 'label', 'inner']);
    expect(result.text).toBe(source.replace('0.1', '0.2'));
  });

  it('orders edits by position whatever the order of values', () => {
    const result = apply('a = 1\nb = 2\nc = 3\n', { c: 30, a: 10 });
    expect(result.edits.map((e) => e.name)).toEqual(['a', 'c']);
    expect(result.text).toBe('a = 10\nb = 2\nc = 30\n');
  });

  it('throws a SOURCE error for a source that does not tokenize', () => {
    expect(() => apply('lr = 0.1\nx = "open\n', { lr: 0.2 })).toThrow(/^train\.py:2: unterminated string literal/);
  });

  it('describes itself to the registry', () => {
    expect(python.language).toBe('python');
    expect(python.extensions).toEqual(['.py']);
    expect(python.modes).toEqual(['text']);
  });
});
