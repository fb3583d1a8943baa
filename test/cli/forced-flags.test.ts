/**
 * `--force-flags`: a value for a name the script does not declare reaches the script only as
 * `FLAG_<NAME>`. The records must never say it was a flag of the script: Guild's `flags` and
 * `user_flags` leave it out, our attr records it as forced, `runs` and `compare` mark it, and
 * a warning says how it reached the script.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { guild, parseSimpleCsv, REFERENCE, REFERENCE_SKIP } from '../helpers/reference.js';
import { listRunsJson, makeProject, type Project, readAttrs, readGuildFile, stderrLines } from './support.js';

// lr is local to main(): no flag of train.py, so a forced lr never changes the value it uses.
const SCRIPT = `import os
epochs = 2

def main():
    lr = 0.01
    print("epochs", epochs, "lr", lr, "FLAG_LR", os.environ.get("FLAG_LR"))

main()
`;

const WARNING = 'guild-stage: warning: flag lr is not in train.py: it reaches the script only as $FLAG_LR';

describe('forced flags', () => {
  let project: Project;
  let runDir: string;
  let stderr: string[];

  beforeAll(async () => {
    project = await makeProject({ 'train.py': SCRIPT });
    const result = await project.gs(['train.py', '--force-flags', '--flags', 'lr=0.1', 'epochs=3', '--json']);
    expect(result.code, result.stderr).toBe(0);
    runDir = JSON.parse(result.stdout).runDir;
    stderr = stderrLines(result);
  });

  it('warn that the value reaches the script only as $FLAG_LR, once', () => {
    expect(stderr.filter((line) => line.includes('flag lr'))).toEqual([WARNING]);
  });

  it("stay out of Guild's flags and user_flags, recorded as forced in ours, with the value the script saw", async () => {
    expect(await readGuildFile(runDir, 'output')).toBe('epochs 3 lr 0.01 FLAG_LR 0.1\n');
    const attrs = await readAttrs(runDir);
    expect(attrs.flags).toEqual({ epochs: 3 });
    expect(attrs.user_flags).toEqual({ epochs: 3 });
    expect(attrs.guild_stage).toMatchObject({ forced: { lr: 0.1 } });
    expect((attrs.env as Record<string, string>).FLAG_LR).toBe('0.1');
    expect(attrs.label).toBe('epochs=3 lr=0.1 (forced)');
  });

  it('are marked in runs and compare, as tables and as JSON', async () => {
    expect(await listRunsJson(project)).toEqual([
      expect.objectContaining({ flags: { epochs: 3 }, forced: { lr: 0.1 }, label: 'epochs=3 lr=0.1 (forced)' }),
    ]);
    const runs = await project.gs(['runs']);
    expect(runs.stdout).toContain('epochs=3 lr=0.1 (forced)');

    const json = await project.gs(['compare', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ flags: { epochs: 3 }, forced: { lr: 0.1 } })]);
    // Sorted by like any flag: its column is a flag column.
    const csv = parseSimpleCsv((await project.gs(['compare', '--csv', '--sort', '-lr'])).stdout);
    expect(csv).toEqual([expect.objectContaining({ epochs: '3', lr: '0.1 (forced)' })]);
    // Read again from the index compare keeps: the mark survives the cache.
    const table = await project.gs(['compare']);
    const [header, row] = table.stdout.split('\n');
    const cell = (name: string) =>
      row!
        .slice(header!.indexOf(name))
        .trim()
        .split(/\s{2,}/)[0];
    expect(cell(' lr ')).toBe('0.1 (forced)');
  });

  it('in a batch: each trial records its forced value, and the warning comes once', async () => {
    const batch = await makeProject({ 'train.py': SCRIPT });
    const result = await batch.gs(['train.py', '--force-flags', '--flags', 'lr=[0.1,0.2]', 'epochs=3', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(stderrLines(result).filter((line) => line.includes('flag lr'))).toEqual([WARNING]);
    const json = JSON.parse(result.stdout) as { forced: unknown; trials: Array<{ flags: unknown; forced: unknown }> };
    expect(json.forced).toEqual({ lr: '[0.1,0.2]' });
    expect(json.trials.map((trial) => [trial.flags, trial.forced])).toEqual([
      [{ epochs: 3 }, { lr: 0.1 }],
      [{ epochs: 3 }, { lr: 0.2 }],
    ]);
    const runs = await listRunsJson(batch);
    const trials = runs.filter((run) => (run.batch as { role: string } | null)?.role === 'trial');
    expect(trials.map((run) => [run.flags, run.forced])).toEqual([
      [{ epochs: 3 }, { lr: 0.1 }],
      [{ epochs: 3 }, { lr: 0.2 }],
    ]);
    const batchRun = runs.find((run) => (run.batch as { role: string } | null)?.role === 'batch')!;
    const attrs = await readAttrs(batchRun.runDir as string);
    // The batch run holds the values as given; lr among its forced ones, not its flags.
    expect(attrs.flags).toEqual({ epochs: '3' });
    expect(attrs.guild_stage).toMatchObject({ forced: { lr: '[0.1,0.2]' } });
    for (const trial of trials) {
      expect(await readGuildFile(trial.runDir as string, 'output')).toMatch(/^epochs 3 lr 0\.01 FLAG_LR 0\.[12]\n$/);
    }
  });

  describe.skipIf(!REFERENCE)(`as real Guild reads them${REFERENCE_SKIP}`, () => {
    it('guild runs info and guild compare show no lr flag', async () => {
      const info = await guild(project.home, 'runs', 'info');
      const flags = info.slice(info.indexOf('\nflags:'), info.indexOf('\nscalars:'));
      expect(flags).toBe('\nflags:\n  epochs: 3');
      const [row, ...more] = parseSimpleCsv(await guild(project.home, 'compare', '--csv', '-'));
      expect(more).toEqual([]);
      expect(row).toMatchObject({ epochs: '3', run: path.basename(runDir).slice(0, 8) });
      expect(row).not.toHaveProperty('lr');
    });
  });
});
