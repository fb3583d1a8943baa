import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import { readTrialsFile } from '../../src/batch/trials-file.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';
import { runPython } from '../helpers/python.js';

async function trialsOf(name: string, content: string): Promise<Array<Record<string, string>>> {
  const dir = await makeTempDir('gs-trials-');
  await writeTree(dir, { [name]: content });
  return (await readTrialsFile(path.join(dir, name))).rows;
}

async function failure(name: string, content: string): Promise<{ error: GuildStageError; file: string }> {
  const dir = await makeTempDir('gs-trials-');
  const file = path.join(dir, name);
  await writeTree(dir, { [name]: content });
  const error = await readTrialsFile(file).then(
    () => {
      throw new Error('expected an error');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof GuildStageError)) throw error;
  return { error, file };
}

describe('CSV trials', () => {
  it('reads one trial per row, the header naming the flags', async () => {
    expect(await trialsOf('t.csv', 'lr,epochs\n0.1,5\n0.01,10\n')).toEqual([
      { lr: '0.1', epochs: '5' },
      { lr: '0.01', epochs: '10' },
    ]);
  });

  it('reads RFC 4180 quoting: commas, doubled quotes, line breaks, CRLF, a BOM', async () => {
    const text = '\uFEFFmsg,sizes,note\r\n"a, b","[64, 32]","say ""hi"""\r\n"two\r\nlines",[1],plain\r\n';
    expect(await trialsOf('t.csv', text)).toEqual([
      { msg: 'a, b', sizes: '[64, 32]', note: 'say "hi"' },
      { msg: 'two\r\nlines', sizes: '[1]', note: 'plain' },
    ]);
  });

  it('leaves a flag unset for an empty cell, and sets an empty string for ""', async () => {
    expect(await trialsOf('t.csv', 'a,b,c\n1,,""\n\n,2,3\n')).toEqual([
      { a: '1', c: '' },
      { b: '2', c: '3' },
    ]);
  });

  it('reads what Python csv writes, whatever the cells hold (property)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', "'", '\n', '\r\n', '[', ']', 'é') });
    const tables = fc.sample(
      fc
        .integer({ min: 1, max: 4 })
        .chain((width) =>
          fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 5 }),
        ),
      { numRuns: 60, seed: 11 },
    );
    const written = await runPython<string[]>(
      [
        'import csv, io, json, sys',
        'out = []',
        'for rows in json.load(sys.stdin):',
        '    buf = io.StringIO()',
        '    w = csv.writer(buf, quoting=csv.QUOTE_ALL)',
        '    w.writerow(["f%d" % i for i in range(len(rows[0]))])',
        '    w.writerows(rows)',
        '    out.append(buf.getvalue())',
        'print(json.dumps(out))',
      ].join('\n'),
      tables,
    );
    for (const [i, rows] of tables.entries()) {
      const expected = rows.map((row) => Object.fromEntries(row.map((value, k) => [`f${k}`, value])));
      expect(await trialsOf('t.csv', written[i]!)).toEqual(expected);
    }
  });

  it('names the file and line of a row with more cells than the header', async () => {
    const { error, file } = await failure('grid.csv', 'lr,epochs\n0.1,5\n"multi\nline",5\n0.2,5,extra\n');
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe(`${file}:5: row 3 has 3 cells but the header names 2 flags`);
    expect([error.file, error.line]).toEqual([file, 5]);
  });

  it.each([
    ['a,b\n1\n', ':2: row 1 has 1 cells but the header names 2 flags'],
    ['a,1b\n1,2\n', ":1:3: header, column 2: '1b' is not a valid flag name"],
    ['a,a\n1,2\n', ':1:3: header, column 2: flag a appears twice'],
    ['a,b\n1,"open\n2,3\n', ':2:3: a quoted field is never closed'],
    ['a,b\n"x"y,2\n', ':2:4: text after the closing quote of a field'],
    ['a,b\n', ': the trials file has no trials'],
  ])('rejects %j naming the file, line and column', async (content, suffix) => {
    const { error, file } = await failure('t.csv', content);
    expect(error.message).toBe(`${file}${suffix}`);
  });
});

describe('JSON trials', () => {
  it('reads an array of objects, turning values into the text a user would type', async () => {
    const json = JSON.stringify([
      { lr: 0.001, epochs: 10, aug: true, ckpt: null, name: 'run a' },
      { sizes: [64, 32], tags: ['a b', 'c'], nested: [[1, 2], []], big: 1e21 },
      {},
    ]);
    expect(await trialsOf('t.json', json)).toEqual([
      { lr: '0.001', epochs: '10', aug: 'true', ckpt: 'null', name: 'run a' },
      { sizes: '[64, 32]', tags: '["a b", "c"]', nested: '[[1, 2], []]', big: '1e+21' },
      {},
    ]);
  });

  it.each([
    ['{"lr": 1}', ': expected an array of objects, one per trial'],
    ['[{"lr": 1}, 3]', ':1:13: row 2 is not an object'],
    ['[{"lr": {"a": 1}}]', ':1:9: row 1: flag lr has an object value; use a list or a string'],
    ['[{"lr": [{"a": 1}]}]', ':1:9: row 1: flag lr has an object value; use a list or a string'],
    ['[{"1x": 1}]', ":1:3: row 1: '1x' is not a valid flag name"],
    ['[]', ': the trials file has no trials'],
  ])('rejects %s naming the file, row, line and column', async (content, suffix) => {
    const { error, file } = await failure('t.json', content);
    expect(error.message).toBe(`${file}${suffix}`);
  });

  it('points at the line and column of a JSON syntax error', async () => {
    const { error, file } = await failure('t.json', '[\n  {"lr": 1},\n  {"lr": 2,}\n]\n');
    expect(error.message.startsWith(`${file}:3:12: not valid JSON:`)).toBe(true);
    expect(error.line).toBe(3);
  });
});

describe('trials files', () => {
  it('rejects other extensions and missing files by name', async () => {
    const { error, file } = await failure('t.yaml', '- lr: 1\n');
    expect(error.message).toBe(`${file}: a trials file must be .csv or .json`);
    const dir = await makeTempDir('gs-trials-');
    const missing = path.join(dir, 'nope.csv');
    await expect(readTrialsFile(missing)).rejects.toMatchObject({ code: 'NOT_FOUND', file: missing });
  });
});
