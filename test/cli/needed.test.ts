/**
 * `--needed` for batches, as Guild's: a trial whose flags a completed run of the same script
 * already has is skipped, and the batch says which and by which run.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeProject, readAttrs, stderrLines } from './support.js';

// Trial lr=0.2 epochs=2 fails until the test writes `fixed`.
const SCRIPT = `import { existsSync } from 'node:fs';
const lr = 0.1;
const epochs = 1;
console.log('trained', lr, epochs);
if (lr === 0.2 && epochs === 2 && !existsSync(process.env.SCRATCH + '/fixed')) process.exit(1);
`;

interface BatchJson {
  id: string;
  runDir: string;
  status: string;
  trials: Array<{ index: number; id: string; status: string }>;
  skipped: Array<{ index: number; run: string; flags: Record<string, unknown> }>;
}

describe('--needed', () => {
  it('runs only the trials no completed run has, twice over a real grid', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT });
    const grid = ['train.mjs', '--flags', 'lr=[0.1,0.2]', 'epochs=[1,2]'];
    // A single run with a trial's flags counts as much as a trial does.
    const single = await project.gs(['train.mjs', '--flags', 'epochs=2', '--json']);
    expect(single.code, single.stderr).toBe(0);
    const singleId = (JSON.parse(single.stdout) as { id: string }).id;

    const first = await project.gs([...grid, '--needed', '--json']);
    expect(first.code).toBe(1);
    const one = JSON.parse(first.stdout) as BatchJson;
    expect(one.skipped).toEqual([{ index: 2, run: singleId, flags: { lr: 0.1, epochs: 2 } }]);
    expect(one.trials.map((trial) => [trial.index, trial.status])).toEqual([
      [1, 'completed'],
      [3, 'completed'],
      [4, 'error'],
    ]);

    await writeFile(path.join(project.scratch, 'fixed'), '');
    const second = await project.gs([...grid, '--needed']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('trained 0.2 2\n');
    const byIndex = new Map(one.trials.map((trial) => [trial.index, trial.id.slice(0, 8)]));
    const lines = stderrLines(second);
    expect(lines).toEqual(
      expect.arrayContaining([
        `  trial 1 skipped (--needed): run ${byIndex.get(1)} completed with its flags`,
        `  trial 2 skipped (--needed): run ${singleId.slice(0, 8)} completed with its flags`,
        `  trial 3 skipped (--needed): run ${byIndex.get(3)} completed with its flags`,
      ]),
    );
    expect(lines.join('\n')).not.toContain('trial 4 skipped');
    expect(lines.at(-1)).toMatch(/^Batch [0-9a-f]{8} completed: 1 trials run, 0 failed, 3 skipped, in /);

    // Everything has completed now: a third batch runs no trial and says so in its records.
    const third = await project.gs([...grid, '--needed', '--json']);
    expect(third.code, third.stderr).toBe(0);
    const three = JSON.parse(third.stdout) as BatchJson;
    expect(three.status).toBe('completed');
    expect(three.trials).toEqual([]);
    expect(three.skipped.map((entry) => entry.index)).toEqual([1, 2, 3, 4]);
    const attrs = await readAttrs(three.runDir);
    expect(attrs.label).toBe('0 trials, 4 skipped (--needed)');
    expect((attrs.guild_stage as { skipped: unknown }).skipped).toEqual(
      three.skipped.map(({ index, run }) => ({ index, run })),
    );

    // Without --needed every trial runs again.
    const all = await project.gs([...grid, '-q']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.split('\n').filter(Boolean)).toHaveLength(4);
  });
});
