import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fromMicros, readAttr, readAttrs, toMicros, writeAttr } from '../../src/records/attrs.js';
import { GuildStageError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/fs.js';
import { pythonHas, runPython } from '../helpers/python.js';

const HAS_PYYAML = pythonHas('yaml');
const NEEDS_PYYAML = '(skipped when python3 lacks PyYAML)';

/** Attr values as JS sees them and as a Python expression for the same value. */
const CASES: Array<[name: string, js: unknown, python: string]> = [
  ['float', 0.1, '0.1'],
  ['int', 5, '5'],
  ['micros', 1732630000123456, '1732630000123456'],
  ['negative', -15, '-15'],
  ['small float', 1e-7, '1e-07'],
  ['tiny float', 2.5e-10, '2.5e-10'],
  ['fixed float', 123.456, '123.456'],
  ['negative float', -0.5, '-0.5'],
  ['big int', 1e21, '10**21'],
  ['nan', NaN, "float('nan')"],
  ['-inf', -Infinity, "float('-inf')"],
  ['string', 'hello', "'hello'"],
  ['bool-like string', 'yes', "'yes'"],
  ['number-like string', '0.1', "'0.1'"],
  ['null-like string', 'null', "'null'"],
  ['empty string', '', "''"],
  ['quote in string', "it's", '"it\'s"'],
  ['tab in string', 'tab\there', "'tab\\there'"],
  ['null', null, 'None'],
  ['true', true, 'True'],
  ['argv', ['python3', 'train.py', '--lr', '0.1'], "['python3', 'train.py', '--lr', '0.1']"],
  ['flags', { lr: 0.1, epochs: 5, name: 'x y', on: 'on' }, "{'lr': 0.1, 'epochs': 5, 'name': 'x y', 'on': 'on'}"],
  ['empty map', {}, '{}'],
  [
    'op',
    { 'op-cmd': { 'cmd-args': ['Rscript', '--file=train.R'], 'cmd-env': {} }, 'flags-dest': 'globals' },
    "{'op-cmd': {'cmd-args': ['Rscript', '--file=train.R'], 'cmd-env': {}}, 'flags-dest': 'globals'}",
  ],
];

const PY_DUMP = `
import json, sys, yaml
out = []
for expr in json.load(sys.stdin):
    text = yaml.safe_dump(eval(expr), default_flow_style=False, indent=2)
    out.append(text[:-4] if text.endswith("\\n...\\n") else text)
print(json.dumps(out))
`;

describe('writeAttr', () => {
  it('refuses an attr larger than readers accept, leaving no file, and writes one just below', async () => {
    const dir = await makeTempDir();
    // A script's flags: 300,000 of them make a flags attr of about 5 MB.
    const flags = Object.fromEntries(Array.from({ length: 300_000 }, (_, i) => [`x_${i}`, i]));
    await expect(writeAttr(dir, 'flags', flags)).rejects.toThrow(
      /^cannot write run attr .*flags: \d+ bytes, over the limit of 4194304 for an attr$/,
    );
    expect(await readdir(path.join(dir, '.guild', 'attrs'))).toEqual([]);
    const fewer = Object.fromEntries(Object.entries(flags).slice(0, 200_000));
    await writeAttr(dir, 'flags', fewer);
    expect(await readAttr(dir, 'flags')).toEqual(fewer);
  });

  it.skipIf(!HAS_PYYAML)(`writes the exact text Guild writes with PyYAML safe_dump ${NEEDS_PYYAML}`, async () => {
    const dir = await makeTempDir();
    const expected = await runPython<string[]>(
      PY_DUMP,
      CASES.map(([, , python]) => python),
    );
    for (const [i, [name, value]] of CASES.entries()) {
      await writeAttr(dir, `a${i}`, value);
      const text = await readFile(path.join(dir, '.guild', 'attrs', `a${i}`), 'utf8');
      expect(text, name).toBe(expected[i]);
    }
  });

  it('writes the documented style without Python: scalars on a line, sorted block maps, unindented lists', async () => {
    const dir = await makeTempDir();
    await writeAttr(dir, 'lr', 0.1);
    await writeAttr(dir, 'flags', { lr: 0.1, epochs: 5 });
    await writeAttr(dir, 'op', { 'op-cmd': { 'cmd-args': ['python3', 'train.py'] } });
    await writeAttr(dir, 'tiny', 1e-7);
    const read = (name: string) => readFile(path.join(dir, '.guild', 'attrs', name), 'utf8');
    expect(await read('lr')).toBe('0.1\n');
    expect(await read('flags')).toBe('epochs: 5\nlr: 0.1\n');
    expect(await read('op')).toBe('op-cmd:\n  cmd-args:\n  - python3\n  - train.py\n');
    expect(await read('tiny')).toBe('1.0e-07\n');
  });

  it('gives back every value through readAttr and through a plain yaml parse', async () => {
    const dir = await makeTempDir();
    for (const [i, [name, value]] of CASES.entries()) {
      await writeAttr(dir, `a${i}`, value);
      const text = await readFile(path.join(dir, '.guild', 'attrs', `a${i}`), 'utf8');
      expect(await readAttr(dir, `a${i}`), name).toEqual(value);
      expect(parse(text, { schema: 'yaml-1.1' }), name).toEqual(value);
    }
  });

  it.skipIf(!HAS_PYYAML)(`writes values PyYAML safe_load reads back unchanged ${NEEDS_PYYAML}`, async () => {
    const dir = await makeTempDir();
    const numbers = [0.1, 1e-7, 3e-5, 12.5];
    const strings = ['yes', '1.0e-07', '~', 'multi\nline', 'trail\n', 'tab\there', 'été', 'ctl\u0001'];
    const breaks = ['a\u2028b', 'a\x85b', '\ufeffbom', 'p\u2029q'];
    const chosen = [...numbers, ...strings, ...breaks, { 'key\twith tab': ['x\ty'] }];
    const generated = [
      ...fc.sample(fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }), { numRuns: 150, seed: 7 }),
      ...fc.sample(fc.jsonValue({ maxDepth: 2, stringUnit: 'binary-ascii' }), { numRuns: 150, seed: 11 }),
    ];
    const values = [...chosen, ...generated];
    for (const [i, value] of values.entries()) await writeAttr(dir, `v${i}`, value);
    const script = `
import json, os, sys, yaml
d, n = json.load(sys.stdin)
print(json.dumps([yaml.safe_load(open(os.path.join(d, 'v%d' % i), encoding='utf-8')) for i in range(n)]))`;
    const loaded = await runPython<unknown[]>(script, [path.join(dir, '.guild', 'attrs'), values.length]);
    // Through JSON on both sides, so -0 and 0 compare equal as they do in YAML.
    expect(loaded).toEqual(JSON.parse(JSON.stringify(values)));
  });

  it('reads back what another writer put in the file since, and never a value changed after writing', async () => {
    const dir = await makeTempDir();
    const flags = { lr: 0.1, name: 'a' };
    await writeAttr(dir, 'flags', flags);
    flags.lr = 0.5;
    expect(await readAttr(dir, 'flags')).toEqual({ lr: 0.1, name: 'a' });
    await writeFile(path.join(dir, '.guild', 'attrs', 'flags'), 'lr: 0.2\nname: b\n');
    expect(await readAttr(dir, 'flags')).toEqual({ lr: 0.2, name: 'b' });
    expect(await readAttrs(dir)).toEqual({ flags: { lr: 0.2, name: 'b' } });
  });

  it('replaces a value atomically and leaves no temporary file behind', async () => {
    const dir = await makeTempDir();
    await writeAttr(dir, 'label', 'first');
    await writeAttr(dir, 'label', 'second');
    expect(await readAttr(dir, 'label')).toBe('second');
    expect(await readdir(path.join(dir, '.guild'))).toEqual(['attrs']);
  });

  it('rejects a name that is not a plain file name', async () => {
    const dir = await makeTempDir();
    await expect(writeAttr(dir, '../escape', 1)).rejects.toThrow(GuildStageError);
    await expect(writeAttr(dir, '', 1)).rejects.toThrow(/invalid run attr name/);
  });
});

describe('readAttr / readAttrs', () => {
  it('reads a missing attr as undefined and a run without attrs as empty', async () => {
    const dir = await makeTempDir();
    expect(await readAttr(dir, 'exit_status')).toBeUndefined();
    expect(await readAttrs(dir)).toEqual({});
  });

  it('reads attrs Guild wrote, as YAML 1.1', async () => {
    const dir = await makeTempDir();
    await mkdir(path.join(dir, '.guild', 'attrs'), { recursive: true });
    await writeFile(path.join(dir, '.guild', 'attrs', 'exit_status'), '0\n');
    await writeFile(path.join(dir, '.guild', 'attrs', 'flags'), 'debug: yes\nlr: 1.0e-03\n');
    expect(await readAttrs(dir)).toEqual({ exit_status: 0, flags: { debug: true, lr: 0.001 } });
  });

  it('names the file of an attr that does not parse', async () => {
    const dir = await makeTempDir();
    await mkdir(path.join(dir, '.guild', 'attrs'), { recursive: true });
    await writeFile(path.join(dir, '.guild', 'attrs', 'flags'), 'a: [1,\n');
    const error = await readAttr(dir, 'flags').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect((error as GuildStageError).file).toBe(path.join(dir, '.guild', 'attrs', 'flags'));
  });
});

describe('timestamps', () => {
  it('converts Dates to integer microseconds and back', () => {
    const date = new Date('2024-11-26T16:00:00.123Z');
    expect(toMicros(date)).toBe(1732636800123000);
    expect(fromMicros(1732636800123456).toISOString()).toBe('2024-11-26T16:00:00.123Z');
  });
});
