import { describe, expect, it } from 'vitest';
import { python } from '../../../transformers/python/index.js';
import { parseAnnotation, stripAnnotationPrefix } from '../../../transformers/shared/annotations.js';
import type { FlagSite } from '../../../transformers/types.js';
import { transformError } from '../../helpers/errors.js';

function only(source: string): FlagSite {
  const sites = python.discover(source, 'train.py');
  expect(sites).toHaveLength(1);
  return sites[0]!;
}

describe('python #| annotations', () => {
  it('reads description, choices, min and max from the #| lines directly above', () => {
    const source = 'import os\n#| description: Optimizer to use\n#| choices: [adam, sgd]\noptimizer = "adam"\n';
    expect(only(source)).toEqual({
      name: 'optimizer',
      type: 'string',
      default: 'adam',
      defaultText: '"adam"',
      file: 'train.py',
      line: 4,
      description: 'Optimizer to use',
      choices: ['adam', 'sgd'],
    });
    expect(only('#|min: 0\n#| max: 1.5\nlr = 0.1\n')).toMatchObject({ min: 0, max: 1.5 });
  });

  it('reads multi-line YAML such as block lists', () => {
    expect(only('#| choices:\n#|   - 1\n#|   - 2\n#| description: >-\n#|   folded\n#|   text\nn = 1\n')).toMatchObject({
      choices: [1, 2],
      description: 'folded text',
    });
  });

  it('takes a plain YAML string as the description', () => {
    expect(only('#| The learning rate\nlr = 0.1\n').description).toBe('The learning rate');
  });

  it('applies only to contiguous lines at column 0 right above the assignment', () => {
    expect(only('#| description: far\n\nlr = 0.1\n').description).toBeUndefined();
    expect(only('#| description: cut\n# plain comment\nlr = 0.1\n').description).toBeUndefined();
    expect(only('if True:\n    #| description: indented\n    pass\nlr = 0.1\n').description).toBeUndefined();
    expect(only('_s = """x\n#| description: in a string"""\nlr = 0.1\n').description).toBeUndefined();
  });

  it('uses a trailing comment as the description when the annotation has none', () => {
    expect(only('lr = 0.01  # learning rate\n').description).toBe('learning rate');
    expect(only('#| min: 0\nlr = 0.01  # learning rate\n')).toMatchObject({ description: 'learning rate', min: 0 });
    expect(only('#| description: from yaml\nlr = 0.01  # from comment\n').description).toBe('from yaml');
    expect(only('lr = [1,\n  2]  # after the list\n').description).toBe('after the list');
    expect(only('lr = 0.01  #\n').description).toBeUndefined();
  });

  it('takes no description from a trailing comment meant for a tool (type comments, linters, formatters)', () => {
    for (const comment of [
      'type: float',
      'noqa: E501',
      'pylint: disable=invalid-name',
      'fmt: skip',
      'pragma: no cover',
    ]) {
      expect(only(`lr = 0.01  # ${comment}\n`).description, comment).toBeUndefined();
    }
    expect(only('lr = 0.01  # type of decay: linear\n').description).toBe('type of decay: linear');
  });

  it('gives a trailing comment to the last statement of its line only', () => {
    const sites = python.discover('a = 1; b = 2  # bee\n', 'train.py');
    expect(sites.map((s) => s.description)).toEqual([undefined, 'bee']);
  });

  it('overrides the inferred type with type:, accepting the aliases', () => {
    expect(only('#| type: float\nlr = 1\n')).toMatchObject({ type: 'float', default: 1 });
    expect(only('#| type: int\nn = 2.0\n')).toMatchObject({ type: 'int', default: 2 });
    expect(only('#| type: str\nname = None\n')).toMatchObject({ type: 'string', default: null });
    expect(only('#| type: bool\nflag = None\n').type).toBe('boolean');
    expect(only('#| type: number\nx = 3\n').type).toBe('float');
    expect(only('#| type: list\nxs = None\n').type).toBe('list');
  });

  it('rejects a type that cannot hold the default, at the annotation line', () => {
    const error = transformError(() => python.discover('a = 1\n#| type: int\nlr = 0.5\n', 'train.py'));
    expect(error).toMatchObject({ kind: 'source', file: 'train.py', line: 2 });
    expect(error.message).toBe('train.py:2: flag lr: annotation type int does not fit its default 0.5');
    expect(() => python.discover('#| type: string\nn = 1\n', 'train.py')).toThrow(
      'annotation type string does not fit',
    );
  });

  it('reports malformed annotations with file and line', () => {
    const cases: [string, number, string][] = [
      ['x = 1\n#| choices: [a, b\ny = 2\n', 2, 'malformed flag annotation'],
      ['#| description: ok\n#| min: [\nlr = 0.1\n', 2, 'malformed flag annotation'],
      ['#| choices: adam\nopt = "adam"\n', 1, 'choices must be a list of values'],
      ['#| min: low\nlr = 0.1\n', 1, 'min must be a number'],
      ['#| max: [1]\nlr = 0.1\n', 1, 'max must be a number'],
      ['#| type: decimal\nlr = 0.1\n', 1, 'unknown type "decimal"'],
      ['#| - a list\nlr = 0.1\n', 1, 'expected a YAML mapping'],
      ['#| description: {a: 1}\nlr = 0.1\n', 1, 'description must be text'],
      ['#| a: 1\n#| a: 2\nlr = 0.1\n', 2, 'malformed flag annotation'],
    ];
    for (const [source, line, text] of cases) {
      const error = transformError(() => python.discover(source, 'src/train.py'));
      expect(error.kind, source).toBe('source');
      expect(error.line, source).toBe(line);
      expect(error.message, source).toMatch(new RegExp(`^src/train\\.py:${line}: .*${text.replace(/[[\]]/g, '\\$&')}`));
    }
  });
});

describe('shared annotation parsing', () => {
  it('strips the prefix and at most one space, keeping deeper indentation', () => {
    expect(stripAnnotationPrefix(['#|a: 1', '#| b:', '#|   - c'], '#|')).toEqual(['a: 1', 'b:', '  - c']);
    expect(stripAnnotationPrefix(['//| x: 1'], '//|')).toEqual(['x: 1']);
  });

  it('ignores keys it does not know, so annotations can carry more', () => {
    expect(parseAnnotation(['required: true', 'min: 1'], { file: 'f', line: 1 })).toEqual({ min: 1 });
  });

  it('does not take inherited property names for types', () => {
    expect(() => parseAnnotation(['type: constructor'], { file: 'f', line: 3 })).toThrow(
      'f:3: malformed flag annotation: unknown type',
    );
  });
});
