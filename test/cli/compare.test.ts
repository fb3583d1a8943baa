/**
 * `guild-stage compare` through the real CLI on real runs: scalars as the capture records
 * them, sorting, CSV read back by Python's csv module, batches, bad event files, runs made by
 * Guild itself, and bad input.
 */
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'vitest';
import { encodeEventFile } from '../../src/records/tfevents.js';
import { makeTempDir } from '../helpers/fs.js';
import { guild, parseSimpleCsv, REFERENCE, REFERENCE_SKIP } from '../helpers/reference.js';
import { makeProject, type Project, stderrLines } from './support.js';

const GUILD_SAMPLES = '/work/shared/reference/guildai/guild/tests/samples/filter-runs';

interface JsonRow {
  id: string;
  runDir: string;
  opspec: string;
  status: string;
  label: string | null;
  flags: Record<string, unknown>;
  scalars: Record<string, Record<string, number | string | null>>;
  startedAt: string | null;
  stoppedAt: string | null;
  exitStatus: number | null;
  batch: unknown;
}

async function compareJson(project: Project, args: string[] = []): Promise<JsonRow[]> {
  const result = await project.gs(['compare', '--json', ...args]);
  if (result.code !== 0) throw new Error(`compare --json failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as JsonRow[];
}

/** Runs `args` and returns the run's directory (from `--json`). */
async function run(project: Project, args: string[]): Promise<string> {
  const result = await project.gs([...args, '--json']);
  if (result.code !== 0) throw new Error(`run failed (${result.code}): ${result.stderr}`);
  return (JSON.parse(result.stdout) as { runDir: string }).runDir;
}

/** Python's csv module reading `text`, as a list of rows (the oracle for our CSV). */
async function pythonCsv(text: string): Promise<string[][]> {
  const script = 'import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))';
  const child = execFile('python3', ['-c', script]);
  child.stdin!.end(text);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(code) : reject(code))));
  return JSON.parse(out) as string[][];
}

const ISSUE_SCRIPT = 'print("loss: 0.5 (step 1)")\nprint("loss: 0.25 (step 2)")\nprint("acc: 0.9")\n';

/** Prints a loss that sorts differently as text than as a number (5 < 10, "10" < "5"). */
const GRID_SCRIPT = 'x = 1\ny = 1\nloss = x * 4 + y\nprint(f"loss: {loss} (step 3)")\n';

describe.concurrent('compare', () => {
  it("shows a run's captured scalars: the issue's example", async ({ expect }) => {
    const project = await makeProject({ 'train.py': ISSUE_SCRIPT });
    const runDir = await run(project, ['train.py']);
    const [row, ...others] = await compareJson(project);
    expect(others).toEqual([]);
    expect(row!.runDir).toBe(runDir);
    expect(row!.scalars.loss).toEqual({ last: 0.25, min: 0.25, max: 0.5, first: 0.5, firstStep: 1, step: 2, count: 2 });
    expect(row!.scalars.acc).toMatchObject({ last: 0.9, count: 1 });
    expect(row).toMatchObject({ opspec: 'train.py', status: 'completed', exitStatus: 0, batch: null });

    const table = await project.gs(['compare']);
    expect(table.code, table.stderr).toBe(0);
    const [header, line] = table.stdout.split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'run',
      'script',
      'status',
      'label',
      'step',
      'acc',
      'loss',
      'started',
      'time',
    ]);
    expect(line).toMatch(
      new RegExp(`^${row!.id.slice(0, 8)}\\s+train\\.py\\s+completed\\s+2\\s+0\\.9\\s+0\\.25\\s+\\d{4}-`),
    );
    // The summary values chosen per scalar.
    const chosen = await project.gs(['compare', '--min', 'loss', '--first', 'acc']);
    expect(chosen.stdout.split('\n')[0]!.split(/\s{2,}/)).toEqual([
      'run',
      'script',
      'status',
      'label',
      'step',
      'first acc',
      'min loss',
      'started',
      'time',
    ]);
  });

  it('sorts a 3x3 grid by a scalar and by a flag, numbers as numbers, runs without the value last', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': GRID_SCRIPT, 'other.py': 'print("no scalars")\n' });
    const batch = await project.gs(['train.py', '--flags', 'x=[1,2,3]', 'y=[1,2,3]', '--json']);
    expect(batch.code, batch.stderr).toBe(0);
    const trials = (JSON.parse(batch.stdout) as { trials: Array<{ runDir: string }> }).trials;
    expect(trials).toHaveLength(9);
    await run(project, ['other.py']);

    const losses = (rows: JsonRow[]) => rows.map((row) => row.scalars.loss?.last ?? null);
    expect(losses(await compareJson(project, ['--sort', 'loss']))).toEqual([5, 6, 7, 9, 10, 11, 13, 14, 15, null]);
    expect(losses(await compareJson(project, ['--sort', '-loss']))).toEqual([15, 14, 13, 11, 10, 9, 7, 6, 5, null]);
    const byX = await compareJson(project, ['--sort=-x', '-n', '4']);
    expect(byX.map((row) => row.flags.x)).toEqual([3, 3, 3, 2]);
    // Ties keep the default order, newest first: the trials ran y = 1, 2, 3.
    expect(byX.slice(0, 3).map((row) => row.flags.y)).toEqual([3, 2, 1]);
    expect((await compareJson(project, ['--sort', '=y'])).map((row) => row.flags.y ?? null)).toEqual([
      1,
      1,
      1,
      2,
      2,
      2,
      3,
      3,
      3,
      null,
    ]);
    // The default: every run but the batch run itself, newest first.
    const all = await compareJson(project);
    expect(all.map((row) => row.opspec)).toEqual(['other.py', ...Array(9).fill('train.py')]);
    expect((await compareJson(project, ['--include-batch'])).some((row) => row.opspec === 'train.py+')).toBe(true);
  });

  it('selects runs by id, prefix and directory; a batch id selects its trials; filters by status', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': 'import sys\nx = 1\nsys.exit(1 if x == 2 else 0)\n' });
    const batch = await project.gs(['train.py', '--flags', 'x=[1,2,3]', '--json']);
    expect(batch.code).toBe(1); // one trial fails
    const out = JSON.parse(batch.stdout) as { id: string; trials: Array<{ id: string }> };
    const single = await run(project, ['train.py']);
    const trialIds = out.trials.map((trial) => trial.id).sort();

    const ofBatch = await compareJson(project, [out.id.slice(0, 8)]);
    expect(ofBatch.map((row) => row.id).sort()).toEqual(trialIds);
    const mixed = await compareJson(project, [out.trials[0]!.id, path.relative(project.dir, single)]);
    expect(mixed.map((row) => row.runDir)).toEqual([single, path.join(project.runsDir, out.trials[0]!.id)]);
    expect((await compareJson(project, ['--status', 'error'])).map((row) => row.flags.x)).toEqual([2]);
    expect(await compareJson(project, ['--status', 'error,terminated', '--status', 'staged'])).toHaveLength(1);
    expect(await compareJson(project, ['--status', 'completed'])).toHaveLength(3);
  });

  it('writes CSV that Python reads back: quotes, commas, line breaks, full ids and precision', async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'note = "plain"\nprint("loss: 0.1 (step 1)")\n' });
    const labels = ['a, b', 'say "hi"', 'two\nlines', 'plain'];
    for (const label of labels) {
      await run(project, ['train.py', '--label', label, '--flags', `note=${label}`]);
    }
    const csv = await project.gs(['compare', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = await pythonCsv(csv.stdout);
    expect(header).toEqual(['run', 'script', 'status', 'label', 'note', 'step', 'loss', 'started', 'time']);
    const json = await compareJson(project);
    expect(rows).toHaveLength(4);
    for (const [i, row] of rows.entries()) {
      expect(row[0]).toBe(json[i]!.id);
      expect(row[3]).toBe(json[i]!.label);
      expect(row[4]).toBe(json[i]!.flags.note);
      expect(Number(row[6])).toBe(json[i]!.scalars.loss!.last);
      expect(new Date(row[7]!).toISOString()).toBe(json[i]!.startedAt);
      expect(Number(row[8])).toBe((Date.parse(json[i]!.stoppedAt!) - Date.parse(json[i]!.startedAt!)) / 1000);
    }
    expect(rows.map((row) => row[3])).toEqual([...labels].reverse());
  });

  it('warns about a bad event file, naming it, and still shows the other runs', async ({ expect }) => {
    const project = await makeProject({ 'train.py': ISSUE_SCRIPT });
    const good = await run(project, ['train.py']);
    const bad = await run(project, ['train.py']);
    const eventFile = (await readdir(path.join(bad, '.guild'))).find((name) => name.includes('.tfevents.'))!;
    const file = path.join(bad, '.guild', eventFile);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 3));

    for (const format of [['--json'], ['--csv'], []]) {
      const result = await project.gs(['compare', ...format]);
      expect(result.code, result.stderr).toBe(0);
      const warnings = stderrLines(result);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^guild-stage: warning: run [0-9a-f]{8}: bad event file .*truncated/);
      expect(warnings[0]).toContain(file);
    }
    const rows = await compareJson(project);
    expect(rows.map((row) => row.runDir)).toEqual([bad, good]);
    expect(rows[0]!.scalars).toEqual({});
    expect(rows[1]!.scalars.loss).toMatchObject({ last: 0.25 });
  });

  it('lists runs Guild made, with the loss from their event files, and writes nothing into them', async ({
    expect,
  }) => {
    const project = await makeProject({});
    const runsDir = path.join(await makeTempDir('gs-guild-runs-'), 'runs');
    await cp(GUILD_SAMPLES, runsDir, { recursive: true, verbatimSymlinks: true });
    // The samples are read-only; the copy's directories need not be (to be removed again).
    await promisify(execFile)('chmod', ['-R', 'u+w', runsDir]);
    const before = await readdir(runsDir, { recursive: true });
    const rows = await compareJson(project, ['--runs-dir', runsDir, '--sort', 'run']);
    const loss = Object.fromEntries(
      rows.filter((row) => row.scalars.loss).map((row) => [row.runDir.slice(-32, -24), row.scalars.loss!.last]),
    );
    // As `guild compare --csv -` shows them (float32 values of the event files).
    expect(loss).toEqual({
      '2dc1529b': 0.478751003742218,
      '79ca9e64': 0.435140997171402,
      ac99cff4: 0.5280320048332214,
      fa6f74ad: 0.5280320048332214,
      fe83a924: 0.5280320048332214,
    });
    expect(rows.find((row) => row.runDir.endsWith('79ca9e64e4d7453f999a6bbd1e7c03f0'))).toMatchObject({
      opspec: 'train',
      status: 'completed',
      flags: { noise: 0.1, x: 0.1 },
      label: 'noise=0.1 x=0.1',
    });
    // Nothing new in any run directory (the runs directory may get its index).
    const after = (await readdir(runsDir, { recursive: true })).filter((name) => name !== '.guild-stage-index.json');
    expect(after.sort()).toEqual(before.sort());
  });

  it('caches runs in the runs directory index and reads a run again when its files change', async ({ expect }) => {
    const project = await makeProject({ 'train.py': ISSUE_SCRIPT });
    const runDir = await run(project, ['train.py', '--label', 'first']);
    const id = path.basename(runDir);
    const indexFile = path.join(project.runsDir, '.guild-stage-index.json');
    /** Waits out the index's racy window (2 s), then compares: the run is cached. */
    const cache = async () => {
      await new Promise((resolve) => setTimeout(resolve, 2200));
      expect((await compareJson(project))[0]!.label).not.toBe('from the index');
      const index = JSON.parse(await readFile(indexFile, 'utf8'));
      expect(Object.keys(index.runs)).toEqual([id]);
      // Prove the next compare reads the index: change the label there only.
      index.runs[id].f.label = 'from the index';
      await writeFile(indexFile, JSON.stringify(index));
      expect((await compareJson(project))[0]!.label).toBe('from the index');
    };

    // `guild label` rewrites the attr file in place: no directory changes.
    await cache();
    await writeFile(path.join(runDir, '.guild', 'attrs', 'label'), 'relabeled\n');
    expect((await compareJson(project))[0]!.label).toBe('relabeled');

    // An event file grows in place.
    await cache();
    const eventFile = (await readdir(path.join(runDir, '.guild'))).find((name) => name.includes('.tfevents.'))!;
    await appendFile(
      path.join(runDir, '.guild', eventFile),
      encodeEventFile([{ tag: 'loss', value: 0.125, step: 3, wallTime: 1 }]),
    );
    expect((await compareJson(project))[0]!.scalars.loss).toMatchObject({ last: 0.125, step: 3, count: 3 });

    // A new event file in a new directory of the run.
    await cache();
    await mkdir(path.join(runDir, 'logs'));
    await writeFile(
      path.join(runDir, 'logs', 'events.out.tfevents.1.h.1.0'),
      encodeEventFile([{ tag: 'val', value: 2, step: 1, wallTime: 1 }]),
    );
    expect((await compareJson(project))[0]!.scalars['logs#val']).toMatchObject({ last: 2 });
  });

  it('exits 2 with one line for an unknown --sort column, -n 0, an unknown status, a scalar not there', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': ISSUE_SCRIPT });
    await run(project, ['train.py']);
    const cases: Array<[string[], RegExp]> = [
      [['--sort', 'los'], /cannot sort by 'los'.*; did you mean loss\?\n$/],
      [['-n', '0'], /-n.*'0'/],
      [['--status', 'done'], /unknown status 'done'/],
      [['--max', 'accuracy'], /'accuracy'.*scalars: acc, loss/],
      [['--min', 'loss', '--max', 'loss'], /--min loss and --max loss/],
      [['--csv', '--json'], /--csv and --json/],
      [['nosuchrun'], /no run matches 'nosuchrun'/],
    ];
    for (const [args, message] of cases) {
      const result = await project.gs(['compare', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      // With --json the error is also one JSON object on stdout.
      if (args.includes('--json')) expect(JSON.parse(result.stdout).error.code).toBe('USAGE');
      else expect(result.stdout).toBe('');
      expect(stderrLines(result), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe.skipIf(!REFERENCE)(`compare against Guild AI${REFERENCE_SKIP}`, () => {
  it("agrees with guild compare --csv on Guild's sample runs: flags, status and loss", async ({ expect }) => {
    const project = await makeProject({});
    const home = await makeTempDir('gs-guild-home-');
    const runsDir = path.join(home, 'runs');
    await cp(GUILD_SAMPLES, runsDir, { recursive: true, verbatimSymlinks: true });
    await promisify(execFile)('chmod', ['-R', 'u+w', runsDir]);
    const theirs = parseSimpleCsv(await guild(home, 'compare', '--csv', '-'));
    const ours = await compareJson(project, ['--runs-dir', runsDir]);
    for (const row of theirs) {
      const mine = ours.find((r) => path.basename(r.runDir).startsWith(row.run!))!;
      expect(mine, row.run).toBeDefined();
      // Guild 0.9.1 calls a run with a PENDING marker pending; we have no such status.
      expect(mine.status, row.run).toBe(row.status === 'pending' ? 'staged' : row.status);
      if (mine.flags.x !== undefined) expect(mine.flags.x, row.run).toBe(Number(row.x));
      // Guild's loss column takes the tag from any directory; ours keys it by directory.
      const loss = mine.scalars.loss ?? Object.entries(mine.scalars).find(([key]) => key.endsWith('#loss'))?.[1];
      expect(loss?.last, row.run).toBe(Number(row.loss));
    }
  });
});
