/**
 * What the config transformers find: every scalar leaf a dotted flag name, typed as the
 * file's readers type it, at its line; what is no flag (dates, aliases, tagged values,
 * keys that cannot be typed) left out; files that do not parse refused at their line.
 */
import { describe, expect, it } from 'vitest';
import { jsonConfig } from '../../../transformers/config/json.js';
import { tomlConfig } from '../../../transformers/config/toml.js';
import { yamlConfig } from '../../../transformers/config/yaml.js';
import { TransformError } from '../../../transformers/errors.js';
import type { Transformer } from '../../../transformers/types.js';

function found(transformer: Transformer, source: string, file = 'c') {
  return transformer.discover(source, file).map((site) => [site.name, site.type, site.default, site.line]);
}

function refusal(transformer: Transformer, source: string, file: string): TransformError {
  try {
    transformer.discover(source, file);
  } catch (error) {
    if (error instanceof TransformError) return error;
    throw error;
  }
  throw new Error(`${file} was not refused`);
}

describe('YAML', () => {
  it('names nested leaves and list items by path, typed as YAML 1.1 reads them', () => {
    const source = [
      '# comment',
      'model:',
      '  hidden: 128  # units',
      '  width: 1.0',
      '  rate: 1e-3',
      '  act: relu',
      '  flag: yes',
      '  none:',
      '  tilde: ~',
      'layers: [64, {size: 32}]',
      'steps:',
      '  - 10',
      '  - "20"',
      '',
    ].join('\n');
    expect(found(yamlConfig, source)).toEqual([
      ['model.hidden', 'int', 128, 3],
      ['model.width', 'float', 1, 4],
      ['model.rate', 'float', 0.001, 5],
      ['model.act', 'string', 'relu', 6],
      ['model.flag', 'boolean', true, 7],
      ['model.none', 'null', null, 8],
      ['model.tilde', 'null', null, 9],
      ['layers.0', 'int', 64, 10],
      ['layers.1.size', 'int', 32, 10],
      ['steps.0', 'int', 10, 12],
      ['steps.1', 'string', '20', 13],
    ]);
  });

  it('leaves out what is no flag: dates, aliases, merges, tagged values, keys that cannot be typed', () => {
    const source = [
      'base: &base {lr: 0.1}',
      'copy: *base',
      'merged:',
      '  <<: *base',
      '  own: 1',
      'when: 2020-01-01',
      'tagged: !!str 7',
      '"two words": 1',
      'a.b: 2',
      '3d: true',
      'ok-key: x',
      'nums: {1: a, 0x2: b, 1.5: c, -1: d}',
      'big: 123456789012345678901234567890',
      '',
    ].join('\n');
    expect(found(yamlConfig, source).map(([name]) => name)).toEqual(['base.lr', 'merged.own', 'ok-key', 'nums.1']);
  });

  it('refuses a file that does not parse, a duplicate key, several documents and a top that is no mapping', () => {
    expect(refusal(yamlConfig, 'a: 1\n  b: 2\nc: [\n', 'c.yml').message).toMatch(/^c\.yml:1: /);
    const duplicate = refusal(yamlConfig, 'a: 1\nb:\n  c: 1\n  c: 2\n', 'c.yml');
    expect([duplicate.file, duplicate.line, duplicate.kind]).toEqual(['c.yml', 4, 'source']);
    expect(refusal(yamlConfig, 'a: 1\n---\nb: 2\n', 'c.yml').line).toBe(2);
    expect(refusal(yamlConfig, '- 1\n- 2\n', 'c.yml').message).toBe(
      'c.yml:1: expected a mapping of keys to values at the top of the file',
    );
  });
});

describe('JSON', () => {
  it('reads JSON with comments and trailing commas; a number with a fraction or exponent is a float', () => {
    const source = '{\n  // c\n  "a": {"b": 1, "c": 1.0, "d": 1e2,},\n  "l": [true, null, "x"],\n}\n';
    expect(found(jsonConfig, source)).toEqual([
      ['a.b', 'int', 1, 3],
      ['a.c', 'float', 1, 3],
      ['a.d', 'float', 100, 3],
      ['l.0', 'boolean', true, 4],
      ['l.1', 'null', null, 4],
      ['l.2', 'string', 'x', 4],
    ]);
  });

  it('refuses a syntax error at its line, a duplicate key, and a top that is no object', () => {
    expect(refusal(jsonConfig, '{\n"a": 1,\n"b": }\n', 'c.json').message).toBe('c.json:3: value expected');
    expect(refusal(jsonConfig, '{"a": 1,\n "a": 2}', 'c.json').message).toBe(
      'c.json:2: duplicate key a (first at line 1)',
    );
    expect(refusal(jsonConfig, '[1]', 'c.json').line).toBe(1);
  });
});

describe('TOML', () => {
  it('names keys under tables, dotted keys, arrays of tables and inline tables', () => {
    const source = [
      'title = "x"',
      '[model]',
      'hidden = 128',
      'act.fn = "relu"',
      '[[layers]]',
      'size = 64',
      '[[layers]]',
      'size = 32',
      'opts = { drop = 0.5, on = [true] }',
      '[data]',
      'when = 1979-05-27',
      '',
    ].join('\n');
    expect(found(tomlConfig, source)).toEqual([
      ['title', 'string', 'x', 1],
      ['model.hidden', 'int', 128, 3],
      ['model.act.fn', 'string', 'relu', 4],
      ['layers.0.size', 'int', 64, 6],
      ['layers.1.size', 'int', 32, 8],
      ['layers.1.opts.drop', 'float', 0.5, 9],
      ['layers.1.opts.on.0', 'boolean', true, 9],
    ]);
  });

  it('refuses what TOML 1.0 does not allow, at its line', () => {
    const error = refusal(tomlConfig, 'a = 1\n[t]\nb = 2\nb = 3\n', 'c.toml');
    expect([error.file, error.line, error.kind]).toEqual(['c.toml', 4, 'source']);
  });
});
