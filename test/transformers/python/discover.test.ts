import { describe, expect, it } from 'vitest';
import { python } from '../../../transformers/python/index.js';
import type { FlagSite } from '../../../transformers/types.js';
import { transformError } from '../../helpers/errors.js';

function flags(source: string): FlagSite[] {
  return python.discover(source, 'train.py');
}

function names(source: string): string[] {
  return flags(source).map((site) => site.name);
}

/** The one flag `x` of `source`, as [type, default]. */
function flagX(source: string): [string, unknown] | undefined {
  const site = flags(source).find((candidate) => candidate.name === 'x');
  return site && [site.type, site.default];
}

describe('python discover: what is a flag', () => {
  it('finds module-level literal assignments with type, default, file and line, in source order', () => {
    const source =
      'import os\n\nlr = 0.01\nepochs = 10\nname = "run"\nverbose = False\nseed = None\nlayers = [64, 32]\n';
    expect(flags(source)).toEqual([
      { name: 'lr', type: 'float', default: 0.01, defaultText: '0.01', file: 'train.py', line: 3 },
      { name: 'epochs', type: 'int', default: 10, defaultText: '10', file: 'train.py', line: 4 },
      { name: 'name', type: 'string', default: 'run', defaultText: '"run"', file: 'train.py', line: 5 },
      { name: 'verbose', type: 'boolean', default: false, defaultText: 'False', file: 'train.py', line: 6 },
      { name: 'seed', type: 'null', default: null, defaultText: 'None', file: 'train.py', line: 7 },
      { name: 'layers', type: 'list', default: [64, 32], defaultText: '[64, 32]', file: 'train.py', line: 8 },
    ]);
  });

  it("gives each default in Python's spelling: as written on one line, else as guild-stage writes it", () => {
    const source = `a = 1e-3\nb = True\nc = 'x'\nd = 1_000\ne = -0x1F\nf = [\n  1,  # one\n  None,\n]\ng = '''p\nq'''\nh = "\x1b[2J"\n`;
    expect(flags(source).map((site) => site.defaultText)).toEqual([
      '1e-3',
      'True',
      "'x'",
      '1_000',
      '-0x1F',
      '[1, None]',
      "'p\\nq'",
      '"\\x1b[2J"',
    ]);
  });

  it.each([
    ['-3', 'int', -3],
    ['+3', 'int', 3],
    ['1_000', 'int', 1000],
    ['0x1F', 'int', 31],
    ['0o17', 'int', 15],
    ['0b101', 'int', 5],
    ['-0', 'int', 0],
    ['0.1', 'float', 0.1],
    ['1e-4', 'float', 1e-4],
    ['.5', 'float', 0.5],
    ['1.', 'float', 1],
    ['-1e-3', 'float', -1e-3],
    ['1_0.2_5', 'float', 10.25],
    ['- 2.5', 'float', -2.5],
    ['True', 'boolean', true],
    ['None', 'null', null],
    ["'single'", 'string', 'single'],
    ['r"C:\\dir\\n"', 'string', 'C:\\dir\\n'],
    ['U"x"', 'string', 'x'],
    ['"""tri\nple"""', 'string', 'tri\nple'],
    ['[]', 'list', []],
    ['[1, -2.5, "a", None, True,]', 'list', [1, -2.5, 'a', null, true]],
    ['[[1, 2], ["a"]]', 'list', [[1, 2], ['a']]],
    ['[\n  1,  # one\n  2,\n]', 'list', [1, 2]],
  ])('x = %s is a %s flag', (literal, type, value) => {
    expect(flagX(`x = ${literal}\n`)).toEqual([type, value]);
  });

  it.each([
    ['f-strings', 'x = f"{y}"'],
    ['bytes', "x = b'raw'"],
    ['implicit concatenation', 'x = "a" "b"'],
    ['tuples', 'x = (1, 2)'],
    ['bare tuples', 'x = 1, 2'],
    ['one-item tuples', 'x = (1,)'],
    ['a parenthesized expression', 'x = (1 + 2)'],
    ['a sign on a parenthesized sign', 'x = -(-1)'],
    ['imaginary numbers', 'x = 3j'],
    ['arithmetic', 'lr = 0.1 * 2\nx = 0.1 * 2'],
    ['calls', 'x = foo()'],
    ['names', 'x = y'],
    ['a list holding code', 'x = [1, y]'],
    ['a subscripted list', 'x = [1, 2][0]'],
    ['a signed non-number', 'x = -True'],
    ['chained assignment', 'x = y = 1'],
    ['augmented assignment', 'x += 1'],
    ['tuple targets', 'x, y = 1, 2'],
    ['a bare annotation', 'x: int'],
  ])('%s are not flags', (_, source) => {
    expect(flagX(`${source}\n`)).toBeUndefined();
  });

  it('takes annotated assignments, whatever the annotation', () => {
    expect(
      flags('steps: int = 100\nx: dict[str, list[int]] = 3\nlr: "float" = 0.1\n').map((s) => [s.name, s.default]),
    ).toEqual([
      ['steps', 100],
      ['x', 3],
      ['lr', 0.1],
    ]);
  });

  it('decodes string escapes, keeping \\N{...} as written', () => {
    expect(flagX(`${String.raw`x = "a\tb\\c\'d\"e\x41\u00e9\U0001F600\101\N{DASH}\q"`}\n`)).toEqual([
      'string',
      'a\tb\\c\'d"eAé😀A\\N{DASH}\\q',
    ]);
    expect(flagX('x = """one\r\ntwo"""\r\n')).toEqual(['string', 'one\ntwo']);
  });

  it('reports a malformed escape at its line', () => {
    expect(() => flags('a = 1\nx = "\\x4"\n')).toThrow('train.py:2: invalid \\x escape');
  });
});

describe('python discover: which assignments count', () => {
  it('skips names starting with _', () => {
    expect(names('_private = 3\n__dunder__ = 1\nlr = 0.1\n')).toEqual(['lr']);
  });

  it('lets the first top-level assignment of a name decide', () => {
    expect(flags('x = 1\nprint(x)\nx = 2\n')).toMatchObject([{ name: 'x', default: 1, line: 1 }]);
    expect(names('x = foo()\nx = 2\ny = 1\n')).toEqual(['y']);
    expect(names('x, z = 1, 2\nx = 3\nz = 4\n')).toEqual([]);
    expect(names('x = y = 1\nx = 2\ny = 3\n')).toEqual([]);
    expect(names('x += 1\nx = 2\n')).toEqual([]);
  });

  it('does not count bindings that are not names as assignments of the names they mention', () => {
    expect(names('d[x] = 1\no.y = 2\nx = 3\ny = 4\n')).toEqual(['x', 'y']);
    expect(names('(a, [b, *c]) = data\na = 1\nb = 2\nc = 3\n')).toEqual([]);
    expect(names('x: int\nx = 5\n')).toEqual(['x']);
    expect(names('type Alias = int\ntype = "t"\nAlias = 1\n')).toEqual(['type', 'Alias']);
  });

  it('finds every statement of a semicolon line', () => {
    expect(flags('a = 1; b = "two";  c = None\n').map((s) => [s.name, s.line])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    expect(names('import os; lr = 0.1\n')).toEqual(['lr']);
  });

  it('ignores assignments inside functions, classes and every block', () => {
    const source = [
      'lr = 0.01',
      'def train():',
      '    inner = 1',
      'class C:',
      '    attr = 2',
      'if True:',
      '    cond = 3',
      'else:',
      '    other = 4',
      'for i in range(3):',
      '    loop = 5',
      'while False:',
      '    w = 6',
      'with open("f") as f:',
      '    opened = 7',
      'try:',
      '    tried = 8',
      'except Exception:',
      '    caught = 9',
      'finally:',
      '    fin = 10',
      'async def run():',
      '    awaited = 11',
      '@decorator',
      'def g(): pass',
      '',
    ].join('\n');
    expect(names(source)).toEqual(['lr']);
  });

  it('ignores one-line compound statements and keyword arguments', () => {
    expect(
      names('if x: y = 1\nelse: z = 2\ntry: t = 3\nexcept: e = 4\nclass K: k = 5\nprint(end = "")\nf(a=1)\n'),
    ).toEqual([]);
  });

  it('does not read flags out of docstrings, comments or multi-line strings', () => {
    const source = '"""Train.\n\nlr = 5 is only text\n"""\n# epochs = 3\ns = """\nbatch = 1\n"""\nlr = 0.01\n';
    expect(names(source)).toEqual(['s', 'lr']);
  });

  it('does not take continuation lines at column 0 as statements', () => {
    expect(names('total = 1 + \\\nx = 2\n')).toEqual([]);
    expect(names('call(1,\ny = 2)\n')).toEqual([]);
  });

  it('reads the line of each flag in CRLF files and after a BOM', () => {
    expect(flags('\uFEFFa = 1\r\n\r\nb = 2\r\n').map((s) => [s.name, s.line])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });

  it('throws a SOURCE error naming file:line for a source that does not tokenize', () => {
    const caught = transformError(() => python.discover('a = 1\nb = [1,\n', 'scripts/train.py'));
    expect(caught).toMatchObject({
      kind: 'source',
      file: 'scripts/train.py',
      line: 2,
      message: "scripts/train.py:2: '[' was never closed",
    });
  });
});
