import { describe, expect, it } from 'vitest';
import { decodeAs, decodeYaml, validateValue } from '../../src/flags/decode.js';
import { flagEnv } from '../../src/flags/env.js';
import { parseFlagItems } from '../../src/flags/parse.js';

import { nearestName, resolveFlags } from '../../src/flags/resolve.js';
import type { FlagSite } from '../../transformers/types.js';
import { guildError } from '../helpers/errors.js';

const parseItem = (item: string) => parseFlagItems([item])[0];

describe('parseFlagItem', () => {
  it('splits at the first = and keeps the value as typed', () => {
    expect(parseItem('lr=0.1')).toEqual({ name: 'lr', raw: '0.1' });
    expect(parseItem('expr=a=b')).toEqual({ name: 'expr', raw: 'a=b' });
    expect(parseItem('msg=')).toEqual({ name: 'msg', raw: '' });
    expect(parseItem('.n=3')).toEqual({ name: '.n', raw: '3' });
    expect(parseItem('optim.warmup-steps=10')).toEqual({ name: 'optim.warmup-steps', raw: '10' });
    expect(parseItem('layers.0=8')).toEqual({ name: 'layers.0', raw: '8' });
  });

  it('takes option spellings and names in any script Python allows', () => {
    expect(parseItem('batch-size=64')).toEqual({ name: 'batch-size', raw: '64' });
    expect(parseItem('\u03bb=0.5')).toEqual({ name: '\u03bb', raw: '0.5' });
    expect(parseItem('\u5b66\u4e60\u7387=0.1')).toEqual({ name: '\u5b66\u4e60\u7387', raw: '0.1' });
    expect(parseItem('na\u0308ive=1')).toEqual({ name: 'na\u0308ive', raw: '1' });
  });

  it.each([
    ['lr', "malformed flag 'lr': expected NAME=VALUE"],
    ['=1', "malformed flag '=1': the name before '=' is empty"],
    ['1x=2', "malformed flag '1x=2': '1x' is not a valid flag name"],
    ['a b=2', "malformed flag 'a b=2': 'a b' is not a valid flag name"],
    ['-x=2', "malformed flag '-x=2': '-x' is not a valid flag name"],
    ['--lr=2', "malformed flag '--lr=2': '--lr' is not a valid flag name"],
    ['x\u20ac=2', "malformed flag 'x\u20ac=2': 'x\u20ac' is not a valid flag name"],
  ])('rejects %s with a message naming it', (item, message) => {
    const e = guildError(() => parseItem(item));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe(message);
  });

  it('keeps the last value of a repeated name', () => {
    expect(parseFlagItems(['lr=1', 'e=2', 'lr=3'])).toEqual([
      { name: 'e', raw: '2' },
      { name: 'lr', raw: '3' },
    ]);
  });
});

describe('decodeAs', () => {
  it('decodes ints strictly', () => {
    expect(decodeAs('n', 'int', '10')).toBe(10);
    expect(decodeAs('n', 'int', '-3')).toBe(-3);
    expect(decodeAs('n', 'int', '1_000')).toBe(1000);
    expect(guildError(() => decodeAs('epochs', 'int', '2.5')).message).toBe(
      "invalid value '2.5' for flag epochs: expected an integer",
    );
    expect(guildError(() => decodeAs('epochs', 'int', 'abc')).code).toBe('FLAG');
    expect(guildError(() => decodeAs('n', 'int', '99999999999999999999')).message).toContain('between');
  });

  it('decodes floats, ints given to a float flag included', () => {
    expect(decodeAs('lr', 'float', '0.1')).toBe(0.1);
    expect(decodeAs('lr', 'float', '1e-4')).toBe(1e-4);
    expect(decodeAs('lr', 'float', '1')).toBe(1);
    expect(decodeAs('lr', 'float', '.5')).toBe(0.5);
    expect(decodeAs('lr', 'float', '-inf')).toBe(-Infinity);
    expect(Number.isNaN(decodeAs('lr', 'float', 'nan'))).toBe(true);
    expect(guildError(() => decodeAs('lr', 'float', '0.1x')).message).toBe(
      "invalid value '0.1x' for flag lr: expected a number",
    );
  });

  it('takes strings as typed', () => {
    expect(decodeAs('s', 'string', '0.10')).toBe('0.10');
    expect(decodeAs('s', 'string', ' padded ')).toBe(' padded ');
  });

  it('decodes booleans in any case', () => {
    for (const raw of ['true', 'YES', '1', 'On']) expect(decodeAs('b', 'boolean', raw)).toBe(true);
    for (const raw of ['false', 'No', '0', 'OFF']) expect(decodeAs('b', 'boolean', raw)).toBe(false);
    expect(guildError(() => decodeAs('b', 'boolean', 'maybe')).message).toContain('expected a boolean');
  });

  it('decodes a null default as YAML', () => {
    expect(decodeAs('seed', 'null', '42')).toBe(42);
    expect(decodeAs('seed', 'null', 'hello')).toBe('hello');
    expect(decodeAs('seed', 'null', 'true')).toBe(true);
    expect(decodeAs('seed', 'null', '[1, 2]')).toEqual([1, 2]);
    expect(guildError(() => decodeYaml('seed', '{a: 1}')).code).toBe('FLAG');
  });

  it('decodes lists space-separated or as a quoted YAML list', () => {
    expect(decodeAs('layers', 'list', '64 32')).toEqual([64, 32]);
    expect(decodeAs('layers', 'list', '[64, 32]')).toEqual([64, 32]);
    expect(decodeAs('names', 'list', 'a b')).toEqual(['a', 'b']);
    expect(decodeAs('names', 'list', '')).toEqual([]);
  });
});

const site = (extra: Partial<FlagSite>): FlagSite => ({
  name: 'x',
  type: 'float',
  default: 0,
  file: 'train.py',
  line: 4,
  ...extra,
});

describe('validateValue', () => {
  it('checks choices, min and max, naming the flag and the value', () => {
    expect(() => validateValue(site({ name: 'opt', type: 'string', choices: ['adam', 'sgd'] }), 'adam')).not.toThrow();
    expect(
      guildError(() => validateValue(site({ name: 'opt', type: 'string', choices: ['adam', 'sgd'] }), 'rmsprop'))
        .message,
    ).toBe("invalid value 'rmsprop' for flag opt: expected one of adam, sgd");
    expect(guildError(() => validateValue(site({ name: 'dropout', min: 0, max: 1 }), 1.5)).message).toBe(
      'invalid value 1.5 for flag dropout: above the maximum 1',
    );
    expect(guildError(() => validateValue(site({ name: 'dropout', min: 0, max: 1 }), -0.1)).message).toContain(
      'below the minimum 0',
    );
    expect(() => validateValue(site({ min: 0, max: 1 }), 1)).not.toThrow();
    // NaN is in no range: every comparison with it is false.
    expect(guildError(() => validateValue(site({ name: 'dropout', min: 0, max: 1 }), Number.NaN)).message).toBe(
      'invalid value nan for flag dropout: expected a number >= 0 and <= 1',
    );
    expect(guildError(() => validateValue(site({ name: 'lr', min: 0 }), Number.NaN)).message).toContain('>= 0');
    expect(() => validateValue(site({}), Number.NaN)).not.toThrow();
  });
});

describe('resolveFlags', () => {
  const sites = [
    site({ name: 'lr', type: 'float', default: 0.01 }),
    site({ name: 'epochs', type: 'int', default: 10 }),
  ];

  it('overrides defaults with typed user values', () => {
    const r = resolveFlags(parseFlagItems(['lr=1']), sites, { force: false, script: 'train.py' });
    expect(r).toEqual({ flags: { lr: 1, epochs: 10 }, userFlags: { lr: 1 }, apply: { lr: 1 }, args: {}, forced: {} });
  });

  it('takes - and _ alike in a name, recording the flag by its own name', () => {
    const options = [site({ name: 'batch_size', type: 'int', default: 32 })];
    for (const typed of ['batch-size=64', 'batch_size=64']) {
      const r = resolveFlags(parseFlagItems([typed]), options, { force: false, script: 'train.py' });
      expect(r.apply).toEqual({ batch_size: 64 });
      expect(r.userFlags).toEqual({ batch_size: 64 });
    }
  });

  it('passes options whose default is code as arguments, and records no default for them', () => {
    const options = [
      site({ name: 'lr', type: 'float', default: null, option: { name: '--lr', defaultCode: 'os.environ["LR"]' } }),
      site({
        name: 'cuda',
        type: 'boolean',
        default: null,
        option: { switch: true, off: '--no-cuda', required: true },
      }),
      site({ name: 'tag', type: 'string', default: null, option: { name: '--tag', required: true } }),
      site({ name: 'epochs', type: 'int', default: 10, option: { name: '--epochs' } }),
    ];
    const resolve = (items: string[]) => resolveFlags(parseFlagItems(items), options, { force: false, script: 't.py' });
    const r = resolve(['lr=-0.5', 'cuda=false', 'epochs=3', 'tag=x']);
    expect(r.args).toEqual({ lr: ['--lr=-0.5'], cuda: ['--no-cuda'], tag: ['--tag', 'x'] });
    expect(r.apply).toEqual({ epochs: 3 });
    expect(r.flags).toEqual({ lr: -0.5, cuda: false, epochs: 3, tag: 'x' });
    expect(resolve([]).flags).toEqual({ epochs: 10 });
    expect(guildError(() => resolve(['cuda=true'])).message).toBe(
      'flag cuda=true cannot be given to t.py: no option of it sets true, and its default is not a literal',
    );
  });

  it('suggests passing an option after -- rather than --force-flags when the script reads options', () => {
    const options = [site({ name: 'lr', type: 'float', default: 0.1, option: { name: '--lr' } })];
    const e = guildError(() =>
      resolveFlags(parseFlagItems(['momentum=0.9']), options, { force: false, script: 't.py' }),
    );
    expect(e.suggestion).toBe('to give t.py an option guild-stage did not find, pass it after --');
    const globals = [site({ name: 'lr', type: 'float', default: 0.1 })];
    const g = guildError(() =>
      resolveFlags(parseFlagItems(['momentum=0.9']), globals, { force: false, script: 't.py' }),
    );
    expect(g.suggestion).toBe('pass --force-flags to record it anyway');
  });

  it('rejects an unknown name, listing the flags and suggesting the nearest', () => {
    const e = guildError(() => resolveFlags(parseFlagItems(['lrr=0.1']), sites, { force: false, script: 'train.py' }));
    expect(e.message).toBe("unknown flag 'lrr' (flags of train.py: epochs, lr)");
    expect(e.suggestion).toBe('did you mean lr?');
  });

  it('suggests only a name close enough to be a typo: one edit per three characters', () => {
    const many = ['lr', 'bs', 'epochs', 'learning_rate'];
    expect(nearestName('bs', ['lr'])).toBeUndefined();
    expect(nearestName('x', many)).toBeUndefined();
    expect(nearestName('epoch', many)).toBe('epochs');
    expect(nearestName('LR', many)).toBe('lr');
    expect(nearestName('learning_rat', many)).toBe('learning_rate');
    expect(nearestName('lerning_rte', many)).toBe('learning_rate');
    expect(nearestName('momentum', many)).toBeUndefined();
  });

  it('accepts unknown names with force as forced, apart from the flags: they are neither written nor flags', () => {
    const r = resolveFlags(parseFlagItems(['extra=5', 'lr=0.5']), sites, { force: true, script: 'train.py' });
    expect(r.forced).toEqual({ extra: 5 });
    expect(r.userFlags).toEqual({ lr: 0.5 });
    expect(r.flags).not.toHaveProperty('extra');
    expect(r.apply).toEqual({ lr: 0.5 });
  });

  it("accepts forced names only when they are identifiers of the script's language", async () => {
    const { python } = await import('../../transformers/python/index.js');
    const { r } = await import('../../transformers/r/index.js');
    const { javascript } = await import('../../transformers/javascript/index.js');
    const force = (items: string[], isIdentifier: (name: string) => boolean, script: string) =>
      resolveFlags(parseFlagItems(items), [], { force: true, script, isIdentifier });
    expect(force(['extra_1=5'], python.isIdentifier!, 'train.py').forced).toEqual({ extra_1: 5 });
    expect(() => force(['class=1'], python.isIdentifier!, 'train.py')).toThrow(
      "flag name 'class' is not an identifier of train.py's language",
    );
    expect(() => force(['.n=1'], python.isIdentifier!, 'train.py')).toThrow("flag name '.n' is not an identifier");
    expect(force(['.n=1', 'a.b=2'], r.isIdentifier!, 'train.R').forced).toEqual({ '.n': 1, 'a.b': 2 });
    expect(() => force(['_x=1'], r.isIdentifier!, 'train.R')).toThrow("flag name '_x' is not an identifier");
    expect(() => force(['a.b=1'], javascript.isIdentifier!, 'train.js')).toThrow(
      "flag name 'a.b' is not an identifier",
    );
  });

  it("records and applies the value as the script's language normalizes it, and fails with the language's error", async () => {
    const { r } = await import('../../transformers/r/index.js');
    const rSites = r.discover('z <- 2+2i\nn <- 1L\n', 'train.R');
    const opts = { force: false, script: 'train.R', normalizeValue: r.normalizeValue };
    expect(resolveFlags(parseFlagItems(['z=3', 'n=2']), rSites, opts)).toEqual({
      flags: { z: '3+0i', n: 2 },
      userFlags: { z: '3+0i', n: 2 },
      apply: { z: '3+0i', n: 2 },
      args: {},
      forced: {},
    });
    const e = guildError(() => resolveFlags(parseFlagItems(['n=2147483648']), rSites, opts));
    expect([e.code, e.file, e.line, e.message]).toEqual([
      'FLAG',
      'train.R',
      2,
      'flag n: 2147483648 is outside the range of R integers (±2147483647)',
    ]);
  });

  it('needs force when no transformer handles the script', () => {
    expect(
      guildError(() => resolveFlags(parseFlagItems(['a=1']), null, { force: false, script: 'run.sh' })).message,
    ).toBe('no flag transformer handles run.sh, so its flags cannot be rewritten');
    expect(resolveFlags(parseFlagItems(['a=1']), null, { force: true, script: 'run.sh' }).forced).toEqual({ a: 1 });
    expect(resolveFlags([], null, { force: false, script: 'run.sh' }).flags).toEqual({});
  });

  it('suggests only names that are close', () => {
    expect(nearestName('epoch', ['epochs', 'lr'])).toBe('epochs');
    expect(nearestName('batch_size', ['epochs', 'lr'])).toBeUndefined();
  });
});

describe('flagEnv', () => {
  it('exports each flag as FLAG_<NAME>', () => {
    expect(flagEnv({ lr: 0.1, 'batch.size': 32, layers: [64, 32], name: 'x y', seed: null, on: true })).toEqual({
      FLAG_LR: '0.1',
      FLAG_BATCH_SIZE: '32',
      FLAG_LAYERS: '64 32',
      FLAG_NAME: 'x y',
      FLAG_SEED: '',
      FLAG_ON: 'true',
    });
  });
});
