import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import {
  isScalarSummaryCurrent,
  loadScalarSummary,
  readScalarSummary,
  rebuildScalarSummary,
  type ScalarSummary,
  ScalarSummaryBuilder,
  writeScalarSummary,
} from '../../src/records/scalar-summary.js';
import { encodeEventFile, EventFileWriter } from '../../src/records/tfevents.js';

/** Where the summary is, written out: the test checks the layout, not layout.ts against itself. */
const summaryFile = (runDir: string) => path.join(runDir, '.guild', 'scalars.json');
import { makeTempDir, writeTree } from '../helpers/fs.js';
import { guild, REFERENCE, REFERENCE_SKIP } from '../helpers/reference.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Point = [tag: string, value: number, step: number];

/** Steps out of order, ties, NaN after the first value, infinities. */
const POINTS: Point[] = [
  ['loss', 3, 5],
  ['loss', 1, 2],
  ['loss', 2, 5],
  ['loss', 9, 1],
  ['loss', 4, 1],
  ['acc', 0.1, 1],
  ['acc', Number.NaN, 2],
  ['acc', 0.3, 3],
  ['acc', Number.NaN, 4],
  ['inf', 1, 1],
  ['inf', Number.POSITIVE_INFINITY, 2],
  ['inf', Number.NEGATIVE_INFINITY, 3],
  ['inf', 2, 4],
];

function build(points: Point[]): ScalarSummaryBuilder {
  const builder = new ScalarSummaryBuilder();
  for (const [tag, value, step] of points) builder.add(tag, value, step);
  return builder;
}

/** Writes `points` to an event file of a new run; returns the run and the writer. */
async function runWith(points: Point[]): Promise<{ runDir: string; writer: EventFileWriter }> {
  const runDir = await makeTempDir();
  const writer = await EventFileWriter.open(runDir);
  for (const [tag, value, step] of points) writer.add(tag, value, step);
  await writer.close();
  return { runDir, writer };
}

describe('ScalarSummaryBuilder', () => {
  it('keeps first and last by step as Guild does, min and max without NaN, and a count of all', () => {
    expect(build(POINTS).summary().scalars).toEqual({
      // first: the earliest of the smallest step; last: the latest of the largest step.
      loss: { first: 9, firstStep: 1, last: 2, step: 5, min: 1, max: 9, count: 5 },
      acc: { first: 0.1, firstStep: 1, last: Number.NaN, step: 4, min: 0.1, max: 0.3, count: 4 },
      inf: {
        first: 1,
        firstStep: 1,
        last: 2,
        step: 4,
        min: Number.NEGATIVE_INFINITY,
        max: Number.POSITIVE_INFINITY,
        count: 4,
      },
    });
  });

  it('gives null bounds for a tag of NaNs only, and bounds from later values after a NaN first', () => {
    const scalars = build([
      ['nan', Number.NaN, 1],
      ['nan', Number.NaN, 2],
      ['late', Number.NaN, 1],
      ['late', 0.5, 2],
      ['late', 1, 3],
    ]).summary().scalars;
    expect(scalars.nan).toEqual({
      first: Number.NaN,
      firstStep: 1,
      last: Number.NaN,
      step: 2,
      min: null,
      max: null,
      count: 2,
    });
    expect(scalars.late).toMatchObject({ first: Number.NaN, min: 0.5, max: 1, last: 1, count: 3 });
  });

  it('keeps odd keys as plain keys', () => {
    const scalars = build([
      ['__proto__', 1, 1],
      ['constructor', 2, 1],
    ]).summary().scalars;
    expect(Object.keys(scalars)).toEqual(['__proto__', 'constructor']);
    expect(scalars.constructor).toMatchObject({ last: 2 });
  });
});

describe('the summary file', () => {
  it('is .guild/scalars.json and keeps captured values exactly, NaN and infinities as strings', async () => {
    const runDir = await makeTempDir();
    const builder = build([...POINTS, ['lr', 0.1, 1], ['tiny', 5e-324, 1], ['big', 1.7976931348623157e308, 1]]);
    const written = await builder.write(runDir);
    const raw = JSON.parse(await readFile(summaryFile(runDir), 'utf8'));
    expect(raw).toMatchObject({ version: 1, origin: 'captured', sources: [] });
    expect(raw.scalars.acc.last).toBe('NaN');
    expect(raw.scalars.inf).toMatchObject({ min: '-Infinity', max: 'Infinity' });
    const read = await readScalarSummary(runDir);
    expect(read).toEqual(written);
    expect(read!.scalars.lr!.last).toBe(0.1);
    expect(read!.scalars.tiny!.last).toBe(5e-324);
    expect(read!.scalars.big!.max).toBe(1.7976931348623157e308);
  });

  it('is undefined when missing, and a SOURCE error naming the file when it is not a summary', async () => {
    const runDir = await makeTempDir();
    expect(await readScalarSummary(runDir)).toBeUndefined();
    const file = summaryFile(runDir);
    for (const text of [
      '{',
      '[]',
      '{"version": 2}',
      '{"version":1,"origin":"captured","sources":[],"scalars":{"a":{}}}',
    ]) {
      await writeTree(runDir, { '.guild/scalars.json': text });
      const error = await readScalarSummary(runDir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GuildStageError);
      expect(error).toMatchObject({ code: 'SOURCE', file });
      expect((error as Error).message).toContain(file);
    }
  });

  it('records its event files with their sizes, and is current until they change', async () => {
    const { runDir, writer } = await runWith(POINTS);
    const builder = build(POINTS);
    builder.addSource(path.relative(runDir, writer.file));
    const summary = await builder.write(runDir);
    expect(summary.sources).toEqual([
      { path: `.guild/${path.basename(writer.file)}`, size: (await readFile(writer.file)).length },
    ]);
    expect(await isScalarSummaryCurrent(runDir, summary)).toBe(true);
    expect(await loadScalarSummary(runDir)).toMatchObject({ rebuilt: false, summary });

    // A script's own TensorBoard file elsewhere in the run: Guild reads it, so the summary is stale.
    await writeTree(runDir, {
      'logs/events.out.tfevents.0000000001.h.1.0': encodeEventFile([{ tag: 'loss', value: 7, step: 1, wallTime: 1 }]),
    });
    expect(await isScalarSummaryCurrent(runDir, summary)).toBe(false);
    const loaded = await loadScalarSummary(runDir);
    expect(loaded).toMatchObject({ rebuilt: true, written: true, errors: [] });
    expect(loaded.summary.origin).toBe('events');
    expect(loaded.summary.scalars['logs#loss']).toMatchObject({ last: 7, count: 1 });
    expect(loaded.summary.scalars.loss).toMatchObject({ last: 2, count: 5 });
    expect(await readScalarSummary(runDir)).toEqual(loaded.summary);
    expect(await loadScalarSummary(runDir)).toMatchObject({ rebuilt: false });
  });

  it('is rebuilt when missing or bad, with float32 values and the same shape as the captured one', async () => {
    const { runDir } = await runWith(POINTS);
    const loaded = await loadScalarSummary(runDir);
    expect(loaded.rebuilt).toBe(true);
    const captured = build(POINTS).summary();
    const asFloat32 = (s: ScalarSummary['scalars']) =>
      JSON.parse(JSON.stringify(s, (_k, v) => (typeof v === 'number' ? String(Math.fround(v)) : v)));
    expect(asFloat32(loaded.summary.scalars)).toEqual(asFloat32(captured.scalars));
    expect(build([['lr', 0.1, 1]]).summary().scalars.lr!.last).toBe(0.1);

    await writeFile(summaryFile(runDir), 'not json');
    expect(await loadScalarSummary(runDir)).toMatchObject({ rebuilt: true, written: true });
    expect(await readScalarSummary(runDir)).toBeDefined();
  });

  it('keeps the scalars before a bad record and reports the bad file', async () => {
    const { runDir, writer } = await runWith(POINTS);
    const bytes = await readFile(writer.file);
    await writeFile(writer.file, bytes.subarray(0, bytes.length - 2));
    const { summary, errors } = await rebuildScalarSummary(runDir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'SOURCE', file: writer.file });
    expect(summary.scalars.inf).toMatchObject({ count: 3, last: Number.NEGATIVE_INFINITY });
    expect(summary.sources).toEqual([{ path: path.relative(runDir, writer.file), size: bytes.length - 2 }]);
  });

  it('has no scalars for a run without event files, and stays current while none appear', async () => {
    const runDir = await makeTempDir();
    const { summary } = await rebuildScalarSummary(runDir);
    expect(summary).toEqual({ origin: 'events', sources: [], scalars: {} });
    expect(await isScalarSummaryCurrent(runDir, summary)).toBe(true);
  });

  it('fails to write with STAGE naming the file', async () => {
    const runDir = await makeTempDir();
    await writeTree(runDir, { '.guild/scalars.json/x': '' });
    const error = await writeScalarSummary(runDir, { origin: 'captured', sources: [], scalars: {} }).catch((e) => e);
    expect(error).toMatchObject({ code: 'STAGE', file: summaryFile(runDir) });
  });
});

describe.skipIf(!REFERENCE)(`against Guild AI${REFERENCE_SKIP}`, () => {
  it("agrees with Guild's runs info --all-scalars on first, last, min and max (but for a NaN first value)", async () => {
    const home = await makeTempDir('gs-guild-home-');
    const { stdout } = await execa(
      process.execPath,
      [
        path.join(ROOT, 'dist/bin/guild-stage.cjs'),
        '-C',
        path.join(ROOT, 'examples/quickstart'),
        'train.py',
        '--json',
        '--no-scalars',
      ],
      { env: { GUILD_HOME: home } },
    );
    const runDir = (JSON.parse(stdout) as { runDir: string }).runDir;
    const writer = await EventFileWriter.open(runDir);
    for (const [tag, value, step] of [...POINTS, ['nanfirst', Number.NaN, 1] as Point, ['nanfirst', 0.5, 2] as Point]) {
      writer.add(tag, value, step);
    }
    await writer.close();
    const { summary } = await rebuildScalarSummary(runDir);

    const info = await guild(home, 'runs', 'info', '--all-scalars', '--json');
    // Python's json writes NaN and Infinity bare (NaN as null here): re-encode them as strings.
    const { stdout: strict } = await execa(
      'python3',
      [
        '-c',
        'import json,sys; print(json.dumps(json.load(sys.stdin)["scalars"], default=str).replace("Infinity", "\\"Infinity\\""))',
      ],
      { input: info },
    );
    const guildScalars = JSON.parse(strict.replace(/-"Infinity"/g, '"-Infinity"')) as Record<
      string,
      Record<'first' | 'last' | 'min' | 'max', [number | string | null, number]>
    >;
    const fromGuild = (v: number | string | null) =>
      v === null ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number);

    expect(Object.keys(guildScalars).sort()).toEqual(Object.keys(summary.scalars).sort());
    for (const [key, ours] of Object.entries(summary.scalars)) {
      const theirs = guildScalars[key]!;
      expect([fromGuild(theirs.first[0]), theirs.first[1]], key).toEqual([ours.first, ours.firstStep]);
      expect([fromGuild(theirs.last[0]), theirs.last[1]], key).toEqual([ours.last, ours.step]);
      if (key === 'nanfirst') {
        // Guild: NaN < x is never true, so a NaN first value stays its min and max.
        expect([theirs.min[0], theirs.max[0]]).toEqual([null, null]);
        expect([ours.min, ours.max]).toEqual([0.5, 0.5]);
      } else {
        expect(fromGuild(theirs.min[0]), key).toBe(ours.min);
        expect(fromGuild(theirs.max[0]), key).toBe(ours.max);
      }
    }
  });
});
