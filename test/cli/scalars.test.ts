/**
 * Scalar capture through the real CLI: output lines become an event file and a summary in
 * the run's .guild/, read by the independent event reader and by real Guild; patterns from
 * frontmatter and config, --no-scalars, bad patterns, stderr and long lines, `start`, and a
 * batch's best trial.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { guild, parseSimpleCsv, REFERENCE, REFERENCE_SKIP, referenceRead } from '../helpers/reference.js';
import { listRunsJson, makeProject, onlyRun, runsDirEntries, stderrLines } from './support.js';

const ISSUE_SCRIPT = 'lr = 0.1\nprint("loss: 0.5 (step 1)")\nprint("loss: 0.25 (step 2)")\nprint("acc: 0.9")\n';

async function summaryOf(runDir: string): Promise<{ scalars: Record<string, Record<string, number>> }> {
  return JSON.parse(await readFile(path.join(runDir, '.guild', 'scalars.json'), 'utf8'));
}

async function eventFiles(runDir: string): Promise<string[]> {
  return (await readdir(path.join(runDir, '.guild'))).filter((name) => name.startsWith('events.out.tfevents.'));
}

describe.concurrent('scalar capture', () => {
  it('turns output lines into an event file and a summary with exact values', async ({ expect }) => {
    const project = await makeProject({ 'train.py': ISSUE_SCRIPT });
    const result = await project.gs(['train.py', '--flags', 'lr=0.2']);
    expect(result.code, result.stderr).toBe(0);
    const run = await onlyRun(project.runsDir);
    const { scalars } = await summaryOf(run);
    expect(scalars.loss).toMatchObject({ last: 0.25, min: 0.25, max: 0.5, step: 2, count: 2 });
    expect(scalars.acc).toMatchObject({ last: 0.9, count: 1 });
    expect(Object.keys(scalars).sort()).toEqual(['acc', 'loss']);
    expect(await eventFiles(run)).toHaveLength(1);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('reads stderr as stdout, and a scalar line longer than a pipe buffer', async ({ expect }) => {
    const long = 'x'.repeat(200_000);
    const script = `import sys\nprint("loss: 1.5", file=sys.stderr)\nprint("note: ${long}")\nprint("key_${long.slice(0, 70_000)}: 2")\n`;
    const project = await makeProject({ 'train.py': script });
    expect((await project.gs(['train.py'])).code).toBe(0);
    const { scalars } = await summaryOf(await onlyRun(project.runsDir));
    expect(scalars.loss).toMatchObject({ last: 1.5, count: 1 });
    expect(scalars[`key_${long.slice(0, 70_000)}`]).toMatchObject({ last: 2 });
  });

  it('keeps parallel trials apart, and reads output that is not UTF-8', async ({ expect }) => {
    const script =
      'import sys, time\nx = 1\nfor i in range(20):\n    sys.stdout.buffer.write(b"\\xff\\xfe junk\\n")\n' +
      '    print(f"loss: {x * 100 + i} (step {i})", flush=True)\n    time.sleep(0.01)\n';
    const project = await makeProject({ 'train.py': script });
    const result = await project.gs(['train.py', '--flags', 'x=[1,2,3]', '--parallel', '3', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    for (const trial of out.trials as Array<{ runDir: string; flags: { x: number } }>) {
      const { scalars } = await summaryOf(trial.runDir);
      expect(scalars).toEqual({
        loss: {
          first: trial.flags.x * 100,
          firstStep: 0,
          last: trial.flags.x * 100 + 19,
          step: 19,
          min: trial.flags.x * 100,
          max: trial.flags.x * 100 + 19,
          count: 20,
        },
      });
    }
  });

  it('--no-scalars captures nothing; frontmatter patterns replace the defaults and are recorded', async ({
    expect,
  }) => {
    const script = `#| output-scalars:\n#|   top1: 'top-1 = (\\value)'\nprint("top-1 = 0.75")\nprint("loss: 2")\n`;
    const project = await makeProject({ 'train.py': script });
    expect((await project.gs(['train.py', '--no-scalars'])).code).toBe(0);
    const [off] = await runsDirEntries(project.runsDir);
    const offDir = path.join(project.runsDir, off!);
    expect(await eventFiles(offDir)).toEqual([]);
    await expect(readFile(path.join(offDir, '.guild', 'scalars.json'))).rejects.toThrow(/ENOENT/);

    expect((await project.gs(['train.py'])).code).toBe(0);
    const runs = await listRunsJson(project);
    const on = runs.find((run) => run.id !== off)!;
    const { scalars } = await summaryOf(on.runDir as string);
    expect(Object.keys(scalars)).toEqual(['top1']);
    expect(scalars.top1).toMatchObject({ last: 0.75 });
    const op = await readFile(path.join(on.runDir as string, '.guild', 'attrs', 'op'), 'utf8');
    expect(op).toContain('output-scalars:\n  top1: top-1 = (\\value)\n');
  });

  it('a pattern that is not a regex, or has no value, fails before the run, naming it', async ({ expect }) => {
    const bad = await makeProject({ 'train.py': "#| output-scalars: 'loss=('\nprint(1)\n" });
    const result = await bad.gs(['train.py']);
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([
      "guild-stage: train.py frontmatter output-scalars: pattern 'loss=(' is not a valid regular expression: missing ), unterminated subpattern at position 5",
    ]);
    expect(await runsDirEntries(bad.runsDir)).toEqual([]);
    expect(await bad.snapshot()).toEqual(bad.before);

    const config = { outputScalars: { loss: 'loss is (\\d)(\\d)(\\d)' } };
    const noValue = await makeProject({
      'train.py': 'print(1)\n',
      'guild-stage.config.json': JSON.stringify(config),
    });
    const second = await noValue.gs(['train.py']);
    expect(second.code).toBe(2);
    expect(stderrLines(second)).toHaveLength(1);
    expect(stderrLines(second)[0]).toMatch(/guild-stage\.config\.json outputScalars: .*loss is/);
    expect(await runsDirEntries(noValue.runsDir)).toEqual([]);
  });

  it('a staged run captures with its recorded patterns when started', async ({ expect }) => {
    const script = `#| output-scalars: ['(?P<speed>\\d+) it/s']\nprint("120 it/s")\n`;
    const project = await makeProject({ 'train.py': script });
    const staged = await project.gs(['stage', 'train.py', '--json']);
    const { id } = JSON.parse(staged.stdout);
    expect((await project.gs(['start', id])).code).toBe(0);
    const { scalars } = await summaryOf(await onlyRun(project.runsDir));
    expect(scalars).toEqual({ speed: expect.objectContaining({ last: 120 }) });
  });
});

describe.concurrent('the best trial of a batch', () => {
  const GRID = 'a = 1\nb = 1\nprint(f"loss: {abs(a - 2) + abs(b - 3) * 0.5 + a / 100 + 0.125}")\n';

  it('--minimize names the trial with the least printed loss, recorded in the batch', async ({ expect }) => {
    const project = await makeProject({ 'train.py': GRID });
    const result = await project.gs(['train.py', '--flags', 'a=[1,2,3]', 'b=[1,2,3]', '--minimize', 'loss', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.trials).toHaveLength(9);
    // The printed values, read back from each trial's own output record.
    const printed = await Promise.all(
      out.trials.map(async (trial: { id: string; runDir: string }) => {
        const text = await readFile(path.join(trial.runDir, '.guild', 'output'), 'utf8');
        return { id: trial.id, loss: Number(/^loss: (.*)$/m.exec(text)![1]) };
      }),
    );
    const least = printed.reduce((a, b) => (b.loss < a.loss ? b : a));
    expect(out.best).toMatchObject({ id: least.id, flags: { a: 2, b: 3 }, value: least.loss });
    expect(out.objective).toEqual({ scalar: 'loss', goal: 'minimize' });
    expect(out.missing).toEqual([]);
    const attr = await readFile(path.join(out.runDir, '.guild', 'attrs', 'guild_stage'), 'utf8');
    expect(attr).toContain(`id: ${least.id}`);
    const table = (await project.gs(['runs'])).stdout.split('\n');
    const bestRow = table.find((row) => row.includes(least.id.slice(0, 8)))!;
    expect(bestRow).toMatch(new RegExp(`loss=${least.loss}$`));
    expect(table.filter((row) => /loss=[0-9.]+$/.test(row))).toHaveLength(9);

    const csv = await project.gs(['compare', out.id, '--sort', 'loss', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = csv.stdout
      .trim()
      .split('\n')
      .map((row) => row.split(','));
    const at = (name: string) => header!.indexOf(name);
    expect(rows.map((row) => row[at('run')])).toEqual(
      [...printed].sort((a, b) => a.loss - b.loss).map((trial) => trial.id),
    );
    expect(rows.map((row) => Number(row[at('loss')]))).toEqual(printed.map((t) => t.loss).sort((a, b) => a - b));

    const shown = await project.gs(['train.py', '--flags', 'a=[1,4]', 'b=[3]', '--maximize', 'loss']);
    const best = stderrLines(shown).find((line) => line.startsWith('Best:'));
    expect(best).toMatch(/^Best: trial 2 \(run [0-9a-f]{8}\) a=4 b=3, loss 2\.165 \(most\)$/);
  });

  it('says so when no trial printed the scalar, and lists trials without it', async ({ expect }) => {
    const script = 'a = 1\nif a > 1:\n    print(f"acc: {a / 10}")\n';
    const project = await makeProject({ 'train.py': script });
    const none = await project.gs(['train.py', '--flags', 'a=[0,1]', '--maximize', 'acc']);
    expect(stderrLines(none)).toContain('Best: none, no trial printed acc');
    const some = await project.gs(['train.py', '--flags', 'a=[1,2,3]', '--maximize', 'acc']);
    const lines = stderrLines(some);
    expect(lines).toContain('  without acc: trial 1');
    expect(lines.find((line) => line.startsWith('Best:'))).toMatch(/^Best: trial 3 .* a=3, acc 0\.3 \(most\)$/);
  });
});

describe.skipIf(!REFERENCE)(`what Guild and TensorBoard read${REFERENCE_SKIP}`, () => {
  it('tfevents_read.py reads the captured values, and real Guild compare shows loss 0.25', async ({ expect }) => {
    const project = await makeProject({ 'train.py': ISSUE_SCRIPT });
    expect((await project.gs(['train.py'])).code).toBe(0);
    const run = await onlyRun(project.runsDir);
    const read = await referenceRead(path.join(run, '.guild'));
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.scalars.map(({ tag, step, value }) => [tag, step, Math.fround(value)])).toEqual([
      ['loss', 1, 0.5],
      ['loss', 2, 0.25],
      ['acc', 2, Math.fround(0.9)],
    ]);
    const rows = parseSimpleCsv(await guild(project.home, 'compare', '--csv', '-'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.loss).toBe('0.25');
    expect(rows[0]!.run).toBe(path.basename(run).slice(0, 8));
  });
});
