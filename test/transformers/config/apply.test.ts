/**
 * Writing values into config files: only the value's span changes, in the style the old
 * value was written in where that style can hold the new one, and Python's own reader for
 * the format (PyYAML, json, tomllib) reads back exactly the value written, of the leaf's
 * type (a float stays a float).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonConfig } from '../../../transformers/config/json.js';
import { tomlConfig } from '../../../transformers/config/toml.js';
import { yamlConfig } from '../../../transformers/config/yaml.js';
import { TransformError } from '../../../transformers/errors.js';
import { splice } from '../../../transformers/shared/edits.js';
import type { FlagValue, Transformer } from '../../../transformers/types.js';
import { makeTempDir } from '../../helpers/fs.js';
import { pythonHas, runPython } from '../../helpers/python.js';

const STRINGS = [
  'plain words',
  'yes',
  'null',
  '1e3',
  '0x10',
  '~',
  'a: b',
  'x #y',
  '- item',
  "it's",
  'say "hi"',
  'back\\slash',
  'line\nbreak',
  'tab\there',
  ' lead',
  'trail ',
  '',
  'ünïcödé ✓ 😀',
  '\u0085nel',
  'ls\u2028ps\u2029',
  'bell\u0007 del\u007f',
  'bom\ufeff',
  'ends\n',
  'two\n\n',
];
const FLOATS = [256, 0.001, 1e-7, 1.5e21, -0, -2.5];
const SPECIAL_FLOATS = [Infinity, -Infinity, NaN];
const INTS = [0, -5, 2 ** 53 - 1];

interface Case {
  /** The file's text before, with the leaf `x.v` in one style. */
  source: string;
  value: FlagValue;
}

/** Each leaf template with every value it takes: the leaf is `x.v`, with text around it that must stay. */
function cases(templates: Record<string, string>, values: Record<string, readonly FlagValue[]>): Case[] {
  return Object.entries(templates).flatMap(([kind, source]) =>
    (values[kind] ?? []).map((value) => ({ source, value })),
  );
}

const YAML_CASES = cases(
  {
    plain: '# head\nx:\n  v: relu  # why\n  w: 1\n',
    single: "# head\nx:\n  v: 'relu'  # why\n  w: 1\n",
    double: '# head\nx:\n  v: "relu"  # why\n  w: 1\n',
    literal: '# head\nx:\n  v: |  # why\n    two\n    lines\n  w: 1\n',
    folded: '# head\nx:\n  v: >-\n    one\n  w: 1\n',
    flow: '# head\nx: {v: relu, w: 1}\n',
    float: '# head\nx:\n  v: 0.5  # why\n  w: 1\n',
    int: '# head\nx:\n  v: 7\n  w: 1\n',
    empty: '# head\nx:\n  v:  # why\n  w: 1\n',
    bool: 'x: {v: yes, w: 1}\n',
  },
  {
    plain: STRINGS,
    single: STRINGS,
    double: STRINGS,
    literal: STRINGS,
    folded: STRINGS,
    flow: STRINGS,
    float: [...FLOATS, ...SPECIAL_FLOATS],
    int: INTS,
    empty: [3, 1e-7, 'text: x', [1, 'a b', null, 2.5e-8], null],
    bool: [false, true],
  },
);

const JSON_CASES = cases(
  {
    // Python's json reads no comments: the JSONC cases are in the style test below.
    string: '{\n  "x": {"v": "relu", "w": 1}\n}\n',
    float: '{"x": {\n  "v": 0.5, "w": 1}}\n',
    int: '{"x": {"v": 7, "w": 1}}',
    null: '{"x": {"v": null, "w": 1}}',
  },
  { string: STRINGS.filter((s) => !/[\ud800-\udfff]/.test(s)), float: FLOATS, int: INTS, null: [[1, 'a'], 'x', 2] },
);

const TOML_CASES = cases(
  {
    basic: '# head\n[x]\nv = "relu" # why\nw = 1\n',
    literal: "# head\n[x]\nv = 'relu' # why\nw = 1\n",
    mlBasic: '# head\n[x]\nv = """\nrelu"""\nw = 1\n',
    mlLiteral: "# head\n[x]\nv = '''relu'''\nw = 1\n",
    inline: 'x = { v = "relu", w = 1 }\n',
    float: '[x]\nv = 0.5\nw = 1\n',
    int: '[x]\nv = 7\nw = 1\n',
    bool: '[x]\nv = true\nw = 1\n',
  },
  {
    basic: STRINGS,
    literal: STRINGS,
    mlBasic: STRINGS,
    mlLiteral: STRINGS,
    inline: STRINGS,
    float: [...FLOATS, ...SPECIAL_FLOATS],
    int: INTS,
    bool: [false],
  },
);

/** Python's reading of each file's `x.v`: its type name and value, floats by `repr`. */
const READ_BACK = `
import json, math, sys
def load(path):
    if path.endswith('.yml'):
        import yaml; return yaml.safe_load(open(path, encoding='utf-8'))
    if path.endswith('.json'):
        return json.load(open(path, encoding='utf-8'))
    import tomllib; return tomllib.load(open(path, 'rb'))
def show(v):
    if isinstance(v, float): return ['float', repr(v)]
    if isinstance(v, list): return ['list', [show(i) for i in v]]
    return [type(v).__name__, v]
print(json.dumps([show(load(p)['x']['v']) for p in json.load(sys.stdin)]))
`;

/** What Python must read for a value written into a leaf of the case's type. */
function expected(value: FlagValue, floatLeaf: boolean): unknown {
  if (typeof value === 'number' && (floatLeaf || !Number.isInteger(value) || !Number.isFinite(value))) {
    if (Number.isNaN(value)) return ['float', 'nan'];
    if (!Number.isFinite(value)) return ['float', value > 0 ? 'inf' : '-inf'];
    return ['float', Object.is(value, -0) ? '-0.0' : String(Number(value))];
  }
  if (Array.isArray(value)) return ['list', value.map((item) => expected(item, false))];
  if (value === null) return ['NoneType', null];
  return [typeof value === 'number' ? 'int' : typeof value === 'boolean' ? 'bool' : 'str', value];
}

function pyFloat(text: string): string {
  return text === 'nan' || text === 'inf' || text === '-inf' || text === '-0.0' ? text : String(Number(text));
}

/** Floats by value (Python's `2.5e-08` is our `2.5e-8`), in lists too. */
function normal(read: unknown): unknown {
  const [type, value] = read as [string, unknown];
  if (type === 'float') return ['float', pyFloat(value as string)];
  if (type === 'list') return ['list', (value as unknown[]).map(normal)];
  return read;
}

async function checkRoundTrip(transformer: Transformer, ext: string, list: Case[]): Promise<void> {
  const dir = await makeTempDir('gs-config-apply-');
  const files: string[] = [];
  for (const [i, { source, value }] of list.entries()) {
    const result = transformer.apply(source, { 'x.v': value }, { mode: 'text', file: `c${ext}` });
    // Every byte outside the edited span is the file's own.
    expect(result.unused).toEqual([]);
    for (const edit of result.edits) expect(source.slice(edit.start, edit.end)).toBe(edit.before);
    expect(splice(source, result.edits)).toBe(result.text);
    expect(result.edits.every((edit) => !edit.after.includes('w: 1') && !edit.after.includes('"w"'))).toBe(true);
    const file = path.join(dir, `c${i}${ext}`);
    await writeFile(file, result.text);
    files.push(file);
    // The file's own transformer finds the new value too.
    const site = transformer.discover(result.text, `c${ext}`).find((s) => s.name === 'x.v');
    if (!Array.isArray(value) && !(typeof value === 'number' && Number.isNaN(value))) {
      expect(site?.default, `${JSON.stringify(value)} in ${result.text}`).toEqual(value);
    }
  }
  const read = await runPython<Array<[string, unknown]>>(READ_BACK, files);
  read.forEach((got, i) => {
    const { source, value } = list[i]!;
    const floatLeaf = /v"?\s*[:=]\s*0\.5/.test(source);
    expect(normal(got), `${JSON.stringify(value)} written into:\n${source}`).toEqual(
      normal(expected(value, floatLeaf)),
    );
  });
}

const PY = {
  yaml: pythonHas('yaml') ? '' : ' [skipped: python3 has no yaml module]',
  toml: pythonHas('tomllib') ? '' : ' [skipped: python3 has no tomllib (3.11+)]',
};

describe('writing config values', () => {
  it.skipIf(PY.yaml !== '')(`YAML: every style keeps its text around it, PyYAML reads the value${PY.yaml}`, () =>
    checkRoundTrip(yamlConfig, '.yml', YAML_CASES),
  );
  it('JSON: every value Python reads back as written', () => checkRoundTrip(jsonConfig, '.json', JSON_CASES));
  it.skipIf(PY.toml !== '')(`TOML: every string style, tomllib reads the value${PY.toml}`, () =>
    checkRoundTrip(tomlConfig, '.toml', TOML_CASES),
  );

  it('keeps the style a value was written in when it can hold the new one', () => {
    const apply = (t: Transformer, source: string, value: FlagValue) =>
      t.apply(source, { 'x.v': value }, { mode: 'text', file: 'c' }).text;
    expect(apply(yamlConfig, "x:\n  v: 'a'  # c\n", 'b c')).toBe("x:\n  v: 'b c'  # c\n");
    expect(apply(yamlConfig, 'x:\n  v: a  # c\n', 'b c')).toBe('x:\n  v: b c  # c\n');
    expect(apply(yamlConfig, 'x:\n  v: a\n', 'yes')).toBe('x:\n  v: "yes"\n');
    expect(apply(yamlConfig, 'x:\n  v: |  # c\n      a\n  w: 1\n', 'b\nc\n')).toBe(
      'x:\n  v: |  # c\n      b\n      c\n  w: 1\n',
    );
    expect(apply(yamlConfig, 'x:\n  v: 1.0\n', 3)).toBe('x:\n  v: 3.0\n');
    expect(apply(yamlConfig, 'x:\n  v:\n', 3)).toBe('x:\n  v: 3\n');
    expect(apply(tomlConfig, "[x]\nv = 'a'\n", 'b')).toBe("[x]\nv = 'b'\n");
    expect(apply(tomlConfig, "[x]\nv = 'a'\n", "it's")).toBe('[x]\nv = "it\'s"\n');
    expect(apply(jsonConfig, '{\n  // c\n  "x": {"v": 1.5, /* d */},\n}', 2)).toBe(
      '{\n  // c\n  "x": {"v": 2.0, /* d */},\n}',
    );
  });

  it('refuses values a format cannot hold, with the file named', () => {
    const error = (() => {
      try {
        jsonConfig.apply('{"x": {"v": 0.5}}', { 'x.v': NaN }, { mode: 'text', file: 'c.json' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TransformError);
    expect((error as TransformError).kind).toBe('value');
    expect((error as TransformError).message).toBe('c.json: JSON cannot hold NaN (flag x.v)');
  });
});
