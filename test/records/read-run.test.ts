import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import { GUILD_STAGE_ATTR, writeAttr } from '../../src/records/attrs.js';
import { setMarker } from '../../src/records/markers.js';
import { formatOpref } from '../../src/records/opref.js';
import {
  factsOf,
  listingStamps,
  listRuns,
  listRunsIndexed,
  type RunRecord,
  readListedRun,
  readRun,
  resolveRun,
} from '../../src/records/read-run.js';
import { RACY_MS, RUN_INDEX_FILE, RunIndex, stampsIfSettled } from '../../src/records/run-index.js';
import { makeTempDir } from '../helpers/fs.js';

async function makeRun(runsDir: string, id: string, attrs: Record<string, unknown> = {}): Promise<string> {
  const dir = path.join(runsDir, id);
  await mkdir(path.join(dir, '.guild'), { recursive: true });
  await writeFile(path.join(dir, '.guild', 'opref'), formatOpref('/home/me/my project', 'train.py'));
  for (const [name, value] of Object.entries({ id, ...attrs })) await writeAttr(dir, name, value);
  return dir;
}

const ID_A = 'aaaa1111000000000000000000000001';
const ID_B = 'aaaa2222000000000000000000000002';
const ID_C = 'cccc3333000000000000000000000003';

async function threeRuns(): Promise<string> {
  const runsDir = path.join(await makeTempDir(), 'runs');
  await makeRun(runsDir, ID_A, { initialized: 1_700_000_000_000_001, exit_status: 0 });
  await makeRun(runsDir, ID_B, { initialized: 1_700_000_000_000_003, exit_status: 1 });
  await makeRun(runsDir, ID_C, { initialized: 1_700_000_000_000_002 });
  return runsDir;
}

function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof GuildStageError ? error.code : String(error)),
  );
}

describe('readRun', () => {
  it('reads what the run directory records', async () => {
    const runsDir = path.join(await makeTempDir(), 'runs');
    const dir = await makeRun(runsDir, ID_A, {
      flags: { lr: 0.1, epochs: 5 },
      label: 'lr=0.1 epochs=5',
      initialized: 1_732_636_800_000_000,
      started: 1_732_636_801_000_000,
      stopped: 1_732_636_802_500_000,
      exit_status: -15,
      [GUILD_STAGE_ATTR]: {
        version: '0.1.0',
        batch: { role: 'trial', batchId: ID_C, index: 2 },
        error: 'stopped by a hook',
      },
    });
    const run = await readRun(dir);
    expect(run).toMatchObject({
      id: ID_A,
      dir,
      opspec: 'train.py',
      projectDir: '/home/me/my project',
      status: 'terminated',
      flags: { lr: 0.1, epochs: 5 },
      label: 'lr=0.1 epochs=5',
      exitStatus: -15,
      batch: { role: 'trial', batchId: ID_C, index: 2 },
      error: 'stopped by a hook',
    });
    expect(run.started?.toISOString()).toBe('2024-11-26T16:00:01.000Z');
    expect(run.stopped?.toISOString()).toBe('2024-11-26T16:00:02.500Z');
    expect(run.attrs.initialized).toBe(1_732_636_800_000_000);
  });

  it('fills what a bare run lacks with nulls', async () => {
    const dir = await makeTempDir();
    await writeAttr(dir, 'initialized', 1);
    const run = await readRun(dir);
    expect(run).toMatchObject({ id: path.basename(dir), opspec: '', flags: {}, label: null });
    expect(run).toMatchObject({ exitStatus: null, started: null, batch: null, error: null });
  });

  it('throws NOT_FOUND for a directory that is not a run', async () => {
    const dir = await makeTempDir();
    await mkdir(path.join(dir, '.guild'));
    expect(await codeOf(readRun(dir))).toBe('NOT_FOUND');
    expect(await codeOf(readRun(path.join(dir, 'missing')))).toBe('NOT_FOUND');
  });
});

describe('listRuns', () => {
  it('lists runs newest first by initialized, with their statuses', async () => {
    const runsDir = await threeRuns();
    const runs = await listRuns(runsDir);
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [ID_B, 'error'],
      [ID_C, 'error'],
      [ID_A, 'completed'],
    ]);
  });

  it('skips hidden entries such as .staging-* and directories that are not runs', async () => {
    const runsDir = await threeRuns();
    await makeRun(runsDir, '.staging-dddd4444', { initialized: 1_800_000_000_000_000 });
    await mkdir(path.join(runsDir, 'not-a-run', 'sub'), { recursive: true });
    await writeFile(path.join(runsDir, 'stray-file'), 'x');
    expect((await listRuns(runsDir)).map((r) => r.id)).toEqual([ID_B, ID_C, ID_A]);
  });

  it('lists no runs when the runs directory does not exist', async () => {
    expect(await listRuns(path.join(await makeTempDir(), 'nope'))).toEqual([]);
  });

  it('reads staged and running runs by markers and the LOCK pid', async () => {
    const runsDir = await threeRuns();
    await setMarker(path.join(runsDir, ID_C), 'STAGED');
    await setMarker(path.join(runsDir, ID_B), 'LOCK', String(process.pid));
    await writeAttr(path.join(runsDir, ID_B), 'exit_status', null);
    const statuses = Object.fromEntries((await listRuns(runsDir)).map((r) => [r.id, r.status]));
    expect(statuses).toEqual({ [ID_A]: 'completed', [ID_B]: 'running', [ID_C]: 'staged' });
  });
});

describe('resolveRun', () => {
  it('finds a run by full id and by unique prefix, in any case', async () => {
    const runsDir = await threeRuns();
    expect((await resolveRun(ID_A, runsDir, '/')).id).toBe(ID_A);
    expect((await resolveRun('aaaa2', runsDir, '/')).id).toBe(ID_B);
    expect((await resolveRun('CCCC', runsDir, '/')).id).toBe(ID_C);
  });

  it('rejects an ambiguous prefix with USAGE listing the matching ids', async () => {
    const runsDir = await threeRuns();
    const error = await resolveRun('aaaa', runsDir, '/').catch((e: unknown) => e as GuildStageError);
    expect(error).toBeInstanceOf(GuildStageError);
    expect((error as GuildStageError).code).toBe('USAGE');
    expect((error as GuildStageError).message).toContain(ID_A);
    expect((error as GuildStageError).message).toContain(ID_B);
    expect((error as GuildStageError).message).not.toContain(ID_C);
  });

  it('finds a run by directory, absolute or relative to cwd', async () => {
    const runsDir = await threeRuns();
    expect((await resolveRun(path.join(runsDir, ID_C), '/elsewhere', '/')).id).toBe(ID_C);
    expect((await resolveRun(`./${ID_A}`, '/elsewhere', runsDir)).id).toBe(ID_A);
    expect((await resolveRun(`runs/${ID_B}`, '/elsewhere', path.dirname(runsDir))).id).toBe(ID_B);
  });

  it('throws NOT_FOUND naming the reference when nothing matches', async () => {
    const runsDir = await threeRuns();
    const error = await resolveRun('ffff', runsDir, '/').catch((e: unknown) => e as GuildStageError);
    expect((error as GuildStageError).code).toBe('NOT_FOUND');
    expect((error as GuildStageError).message).toContain("'ffff'");
    expect(await codeOf(resolveRun('./missing', runsDir, runsDir))).toBe('NOT_FOUND');
    expect(await codeOf(resolveRun('', runsDir, '/'))).toBe('USAGE');
  });
});

/**
 * Caches every run of `runsDir` as the listing would once its files are old: the read is
 * dated later instead, as ctime cannot be set back.
 */
async function cacheAll(runsDir: string, ids: readonly string[]): Promise<void> {
  const index = RunIndex.open(runsDir);
  for (const id of ids) {
    const { record } = await readListedRun(path.join(runsDir, id));
    const stamps = stampsIfSettled(record.dir, listingStamps(record), Date.now() + RACY_MS + 1000)!;
    index.store(id, { facts: factsOf(record) }, stamps);
  }
  await index.save();
}

/** What `runs` shows of a run, and the attrs it reads (marked, remote, stopped, our objective and forced). */
function shown({ attrs, ...run }: RunRecord): Record<string, unknown> {
  const ours = attrs[GUILD_STAGE_ATTR] as Record<string, unknown> | undefined;
  return {
    ...run,
    marked: attrs.marked === true,
    remote: attrs.remote !== undefined,
    stopped: attrs.stopped,
    objective: ours?.objective,
    forced: ours?.forced,
  };
}

describe('listRunsIndexed', () => {
  it('lists a cached run as its files do, its status from the markers of now', async () => {
    const runsDir = path.join(await makeTempDir(), 'runs');
    await makeRun(runsDir, ID_A, {
      flags: { lr: 0.1, big: Number.POSITIVE_INFINITY },
      label: 'lr=0.1',
      initialized: 1_732_636_800_000_000,
      started: 1_732_636_801_000_000,
      stopped: 1_732_636_802_500_000,
      exit_status: -15,
      marked: true,
      [GUILD_STAGE_ATTR]: { version: '0.1.0', batch: { role: 'trial', batchId: ID_C, index: 2 }, error: 'stopped' },
    });
    await makeRun(runsDir, ID_C, {
      initialized: 1_732_636_700_000_000,
      exit_status: 0,
      remote: { executor: 'slurm', job_id: '12' },
      [GUILD_STAGE_ATTR]: {
        batch: { role: 'batch', trials: [ID_A] },
        objective: { scalar: 'loss', goal: 'minimize' },
        forced: { seed: 3 },
      },
    });
    const staged = await makeRun(runsDir, ID_B, { initialized: 1_732_636_600_000_000 });
    await setMarker(staged, 'STAGED');
    await cacheAll(runsDir, [ID_A, ID_B, ID_C]);

    const fromFiles = await listRuns(runsDir, 'listed');
    expect(fromFiles.map((run) => run.status)).toEqual(['terminated', 'completed', 'staged']);
    expect((await listRunsIndexed(runsDir)).map(shown)).toEqual(fromFiles.map(shown));

    // Served from the index: what only the index says shows, but never a status.
    const file = path.join(runsDir, RUN_INDEX_FILE);
    const index = JSON.parse(await readFile(file, 'utf8'));
    index.runs[ID_A].f.label = 'from the index';
    index.runs[ID_B].f.status = 'completed';
    await writeFile(file, JSON.stringify(index));
    const listed = await listRunsIndexed(runsDir);
    expect(listed.map((run) => [run.label, run.status])).toEqual([
      ['from the index', 'terminated'],
      [null, 'completed'],
      [null, 'staged'],
    ]);

    // A run gone from the directory is gone from the listing and the index.
    await rm(path.join(runsDir, ID_C), { recursive: true });
    expect((await listRunsIndexed(runsDir)).map((run) => run.id)).toEqual([ID_A, ID_B]);
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).runs).sort()).toEqual([ID_A, ID_B]);
  });

  it('does not cache what it reads within the racy window, nor an unreadable run', async () => {
    const runsDir = path.join(await makeTempDir(), 'runs');
    await makeRun(runsDir, ID_A, { exit_status: 0 });
    const damaged = await makeRun(runsDir, ID_B, { exit_status: 0 });
    await writeFile(path.join(damaged, '.guild', 'attrs', 'flags'), '{unclosed: [\n');
    const listed = await listRunsIndexed(runsDir);
    expect(listed.map((run) => run.status).sort()).toEqual(['completed', 'unreadable']);
    expect(
      JSON.parse(await readFile(path.join(runsDir, RUN_INDEX_FILE), 'utf8').catch(() => '{"runs":{}}')).runs,
    ).toEqual({});
  });
});
