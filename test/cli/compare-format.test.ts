/**
 * How `compare` reads on a terminal: numbers, CSV fields, and a table that fits the
 * terminal's width (the CLI run in process with a stdout that says it is a terminal).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compareColumns, csvField, formatNumber, renderTable, type Column } from '../../src/cli/compare-format.js';
import type { CompareResult } from '../../src/engine.js';
import { main } from '../../src/cli/index.js';
import type { CliIO } from '../../src/cli/io.js';
import { makeProject } from './support.js';

describe('formatNumber', () => {
  it('cuts to six decimals without rounding, drops trailing zeros, keeps exponents', () => {
    const cases: Array<[number, string]> = [
      [0.10000000149011612, '0.1'],
      [0.9999999, '0.999999'],
      [1234.5678901, '1234.56789'],
      [-0.5, '-0.5'],
      [100, '100'],
      [0, '0'],
      [1e-7, '1e-7'],
      [1.23456789e-7, '1.234567e-7'],
      [2.5e21, '2.5e+21'],
      [Number.NaN, 'NaN'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
    ];
    for (const [value, text] of cases) expect(formatNumber(value), String(value)).toBe(text);
  });
});

describe('csvField', () => {
  it('quotes fields with commas, quotes or line breaks (RFC 4180), and no others', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });
});

describe('renderTable', () => {
  const columns: Column[] = [
    { header: 'run', cells: ['1a2b3c4d', '5e6f7a8b'], align: 'left' },
    { header: 'label', cells: ['a label much longer than the others', 'short'], align: 'left' },
    { header: 'loss', cells: ['0.25', '10'], align: 'right' },
    { header: 'time', cells: ['1.2s', '850ms'], align: 'right' },
  ];

  it('prints every column in full without a width, numbers aligned right', () => {
    const { lines, hidden } = renderTable(columns);
    expect(hidden).toEqual([]);
    expect(lines).toEqual([
      'run       label                                loss   time',
      '1a2b3c4d  a label much longer than the others  0.25   1.2s',
      '5e6f7a8b  short                                  10  850ms',
    ]);
  });

  it('drops the columns that do not fit from the right, and cuts long cells', () => {
    const { lines, hidden } = renderTable(columns, { width: 34, maxCell: 12 });
    expect(hidden).toEqual(['time']);
    expect(lines).toEqual([
      'run       label         loss',
      '1a2b3c4d  a label muc…  0.25',
      '5e6f7a8b  short           10',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(34);
    // The first column always shows.
    expect(renderTable(columns, { width: 3 }).hidden).toEqual(['label', 'loss', 'time']);
  });
});

describe('compareColumns', () => {
  it('heads a flag named like a scalar or a column =name, and shows blanks for what a run lacks', () => {
    const result: CompareResult = {
      runs: [
        {
          id: '0123456789abcdef0123456789abcdef',
          runDir: '/runs/0123456789abcdef0123456789abcdef',
          opspec: 'train.py',
          status: 'completed',
          label: null,
          flags: { loss: 'l1', time: 3, lr: 0.1 },
          forced: {},
          scalars: { loss: { first: 1, firstStep: 1, last: 0.5, step: 7, min: 0.5, max: 1, count: 2 } },
          startedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
          stoppedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 7)),
          durationMs: 2500,
          step: 7,
          exitStatus: 0,
          batch: null,
        },
      ],
      flags: ['loss', 'lr', 'time'],
      scalars: ['loss'],
      warnings: [],
    };
    const csv = compareColumns(result, { loss: 'max' }, 'csv');
    expect(csv.map((c) => [c.header, c.cells[0]])).toEqual([
      ['run', '0123456789abcdef0123456789abcdef'],
      ['script', 'train.py'],
      ['status', 'completed'],
      ['label', ''],
      ['=loss', 'l1'],
      ['lr', '0.1'],
      ['=time', '3'],
      ['step', '7'],
      ['max loss', '1'],
      ['started', '2026-01-02T03:04:05.000Z'],
      ['time', '2.5'],
    ]);
    const table = compareColumns(result, {}, 'table');
    expect(table.map((c) => c.cells[0])).toContain('2.5s');
    expect(table[0]!.cells[0]).toBe('01234567');
  });
});

/** A stdout that says it is a terminal of `columns` characters, and keeps what is written. */
function terminal(columns: number): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY: true, columns, text: () => chunks.join('') });
}

describe('compare on a terminal', () => {
  it('fits the table to the width, says what it hid, and colors only header and status unless NO_COLOR', async () => {
    const project = await makeProject({ 'train.py': 'learning_rate = 0.01\nbatch_size = 32\n' });
    const made = await project.gs(['train.py', '--flags', 'learning_rate=0.1', 'batch_size=64', '-q']);
    expect(made.code, made.stderr).toBe(0);
    const runCompare = async (columns: number, env: NodeJS.ProcessEnv) => {
      const stdout = terminal(columns);
      const stderr = terminal(columns);
      const io: CliIO = { stdout, stderr, cwd: project.dir, env: { ...env, GUILD_HOME: project.home } };
      const code = await main(['compare', '--runs-dir', project.runsDir], io);
      return { code, out: stdout.text(), err: stderr.text() };
    };

    const plain = await runCompare(60, { NO_COLOR: '1' });
    expect(plain.code, plain.err).toBe(0);
    const lines = plain.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(0, 2)) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines[0]!.split(/\s+/).slice(0, 4)).toEqual(['run', 'script', 'status', 'label']);
    expect(lines[2]).toMatch(/^\(\d columns? hidden to fit the terminal: .*time; widen it, or use --csv or --json\)$/);
    expect(plain.out).not.toContain('\x1b[');

    const wide = await runCompare(200, { NO_COLOR: '1' });
    expect(wide.out.trimEnd().split('\n')).toHaveLength(2);
    expect(wide.out).toMatch(/started\s+time/);

    const colored = await runCompare(200, {});
    expect(colored.out).toContain('\x1b[1mrun');
    expect(colored.out).toContain('\x1b[32mcompleted');
    expect(colored.out.replace(/\x1b\[[0-9;]*m/g, '')).toBe(wide.out);
  });
});
