/**
 * The runs directory's index: entries used only while their stamps hold, racy reads never
 * stored, values JSON cannot hold kept exactly, and a bad index file only costs a re-read.
 */
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RACY_MS, RUN_INDEX_FILE, RunIndex, stampsIfSettled, type IndexedRun } from '../../src/records/run-index.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';

const RUN: IndexedRun = {
  facts: {
    id: 'abc',
    opspec: 'train.py',
    projectDir: '/project',
    status: 'completed',
    label: 'lr=nan',
    flags: { lr: Number.NaN, big: Number.POSITIVE_INFINITY, list: [1, Number.NEGATIVE_INFINITY], tag: 'NaN' },
    initialized: 1,
    started: 2,
    stopped: 3,
    exitStatus: 0,
    batch: null,
    error: null,
  },
  scalars: {
    loss: { first: 2, firstStep: 1, last: Number.NaN, step: 3, min: 0.5, max: Number.POSITIVE_INFINITY, count: 3 },
    nan: { first: Number.NaN, firstStep: 1, last: Number.NaN, step: 1, min: null, max: null, count: 1 },
  },
};

/** Past a tick of the file system's clock, so a change gets a new ctime (what RACY_MS guards in real reads). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

/** A runs directory with run `abc` whose files are older than the racy window. */
async function runsDirWithRun(): Promise<{ runsDir: string; runDir: string; readStart: number }> {
  const runsDir = await makeTempDir('gs-index-');
  const runDir = path.join(runsDir, 'abc');
  await writeTree(runDir, { '.guild/attrs/label': 'x\n', '.guild/events.out.tfevents.1.h.1.0': 'e' });
  // ctime cannot be set back: read "later" instead.
  return { runsDir, runDir, readStart: Date.now() + RACY_MS + 1000 };
}

describe('RunIndex', () => {
  it('keeps NaN, infinities and the string "NaN" apart through the file', async () => {
    const { runsDir, runDir, readStart } = await runsDirWithRun();
    const stamps = stampsIfSettled(runDir, ['', '.guild', '.guild/attrs/label'], readStart)!;
    const index = RunIndex.open(runsDir);
    index.store('abc', RUN, stamps);
    await index.save();
    expect(RunIndex.open(runsDir).lookup('abc')).toEqual(RUN);
  });

  it('uses an entry only while every stamp holds', async () => {
    const { runsDir, runDir, readStart } = await runsDirWithRun();
    const label = path.join(runDir, '.guild/attrs/label');
    const index = RunIndex.open(runsDir);
    index.store('abc', RUN, stampsIfSettled(runDir, ['', '.guild', '.guild/attrs', '.guild/attrs/label'], readStart)!);
    await index.save();
    expect(RunIndex.open(runsDir).lookup('abc')).toBeDefined();
    await tick();
    await writeFile(label, 'y\n'); // in place, same size
    expect(RunIndex.open(runsDir).lookup('abc')).toBeUndefined();
  });

  it('notices an mtime set back and a new file in a stamped directory', async () => {
    const { runsDir, runDir, readStart } = await runsDirWithRun();
    const event = path.join(runDir, '.guild/events.out.tfevents.1.h.1.0');
    const stamp = () => stampsIfSettled(runDir, ['', '.guild', '.guild/events.out.tfevents.1.h.1.0'], readStart)!;
    const index = RunIndex.open(runsDir);
    index.store('abc', RUN, stamp());
    await index.save();
    await tick();
    await utimes(event, new Date(0), new Date(0)); // ctime still moves
    expect(RunIndex.open(runsDir).lookup('abc')).toBeUndefined();
    index.store('abc', RUN, stamp());
    await index.save();
    expect(RunIndex.open(runsDir).lookup('abc')).toBeDefined();
    await tick();
    await writeFile(path.join(runDir, '.guild', 'STAGED'), '');
    expect(RunIndex.open(runsDir).lookup('abc')).toBeUndefined();
  });

  it("serves the listing's facts-only entry to the listing, never to compare, until compare stores the scalars", async () => {
    const { runsDir, runDir, readStart } = await runsDirWithRun();
    const stamps = stampsIfSettled(runDir, ['.guild', '.guild/attrs/label'], readStart)!;
    const index = RunIndex.open(runsDir);
    index.store('abc', { facts: RUN.facts }, stamps);
    await index.save();
    expect(RunIndex.open(runsDir).lookupFacts('abc')).toEqual(RUN.facts);
    expect(RunIndex.open(runsDir).lookup('abc')).toBeUndefined();
    index.store('abc', RUN, stamps);
    await index.save();
    expect(RunIndex.open(runsDir).lookup('abc')).toEqual(RUN);
    expect(RunIndex.open(runsDir).lookupFacts('abc')).toEqual(RUN.facts);
    await tick();
    await writeFile(path.join(runDir, '.guild', 'attrs', 'label'), 'y\n');
    expect(RunIndex.open(runsDir).lookupFacts('abc')).toBeUndefined();
  });

  it('gives no stamps for paths changed within the racy window before the read, or missing', async () => {
    const { runDir } = await runsDirWithRun();
    expect(stampsIfSettled(runDir, ['', '.guild'], Date.now())).toBeUndefined();
    expect(stampsIfSettled(runDir, ['.guild/nothing'], Date.now() + 60_000)).toBeUndefined();
    expect(stampsIfSettled(runDir, ['', '.guild'], Date.now() + RACY_MS + 1000)).toHaveLength(2);
  });

  it('starts empty from a missing, corrupt or foreign index file, and replaces it on save', async () => {
    const { runsDir, runDir, readStart } = await runsDirWithRun();
    const foreign = [
      '{',
      '[]',
      '{"version": 99, "runs": {}}',
      '{"version": 1, "runs": {"abc": {"s": 5}}}',
      '{"version": 1, "runs": {"abc": {"s": [], "f": {"id": "abc", "status": "completed", "flags": 3}, "c": {}}}}',
    ];
    for (const text of foreign) {
      await writeFile(path.join(runsDir, RUN_INDEX_FILE), text);
      expect(RunIndex.open(runsDir).lookup('abc')).toBeUndefined();
    }
    const index = RunIndex.open(runsDir);
    index.store('abc', RUN, stampsIfSettled(runDir, [''], readStart)!);
    index.prune(new Set(['abc']));
    await index.save();
    expect(RunIndex.open(runsDir).lookup('abc')).toEqual(RUN);
    index.prune(new Set());
    await index.save();
    expect(RunIndex.open(runsDir).lookup('abc')).toBeUndefined();
  });

  it('does not fail when the runs directory cannot be written: it is only a cache', async () => {
    const runsDir = path.join(await makeTempDir('gs-index-'), 'missing');
    const index = RunIndex.open(runsDir);
    index.store('abc', RUN, []);
    await expect(index.save()).resolves.toBeUndefined();
  });
});
