/**
 * `run --proto RUN` (Guild issue #419): a new run of another run's script with its flags,
 * `--flags` over them; the proto may be a batch's trial; the new run records its proto.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject, readAttrs, readGuildFile, runsDirEntries, stderrLines } from './support.js';

const SCRIPT = `lr = 0.01
epochs = 3
layers = [64, 32]
name = "a b"
print(lr, epochs, layers, name)
`;

describe('run --proto', () => {
  it("runs the proto's script with its flags, the given ones over them, and records the proto", async ({ expect }) => {
    const project = await makeProject({ 'train.py': SCRIPT });
    const first = await project.gs(['train.py', '--flags', 'lr=0.1', 'layers=[128, 64]', 'name=c,d', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const proto = JSON.parse(first.stdout) as { id: string };

    // From another directory: the proto names its project and script.
    const second = await project.gs(['run', '--proto', proto.id.slice(0, 8), 'epochs=5', '--json'], {
      cwd: project.scratch,
    });
    expect(second.code, second.stderr).toBe(0);
    const made = JSON.parse(second.stdout) as { id: string; runDir: string; flags: unknown };
    expect(made.flags).toEqual({ lr: 0.1, epochs: 5, layers: [128, 64], name: 'c,d' });
    expect(await readGuildFile(made.runDir, 'output')).toBe('0.1 5 [128, 64] c,d\n');
    const attrs = await readAttrs(made.runDir);
    expect((attrs.guild_stage as { proto: string }).proto).toBe(proto.id);
    expect(await readGuildFile(made.runDir, 'opref')).toBe(
      await readGuildFile(path.join(project.runsDir, proto.id), 'opref'),
    );
    const patch = await readGuildFile(made.runDir, 'staged.patch');
    expect(patch).toContain('+epochs = 5');
    expect(patch).toContain('+lr = 0.1');

    // A batch's trial is a proto too, and a grid over a proto makes a batch of it.
    const batch = await project.gs(['train.py', '--flags', 'lr=[0.2,0.3]', '-q']);
    expect(batch.code, batch.stderr).toBe(0);
    const runs = await listRunsJson(project);
    const trial = runs.find((run) => (run.batch as { index?: number } | null)?.index === 2)!;
    const batchRun = runs.find((run) => (run.batch as { role?: string } | null)?.role === 'batch')!;
    const grid = await project.gs(['--proto', trial.id as string, '--flags', 'epochs=[1,2]', '-q']);
    expect(grid.code, grid.stderr).toBe(0);
    expect(grid.stdout.split('\n').filter(Boolean).sort()).toEqual(['0.3 1 [64, 32] a b', '0.3 2 [64, 32] a b']);
    const after = await listRunsJson(project);
    const newBatch = after.find(
      (run) => (run.batch as { role?: string } | null)?.role === 'batch' && run.id !== batchRun.id,
    )!;
    for (const id of (newBatch.batch as { trials: string[] }).trials) {
      expect(((await readAttrs(path.join(project.runsDir, id))).guild_stage as { proto: string }).proto).toBe(trial.id);
    }

    const count = (await runsDirEntries(project.runsDir)).length;
    const ofBatch = await project.gs(['--proto', batchRun.id as string]);
    expect(ofBatch.code).toBe(2);
    expect(stderrLines(ofBatch)[0]).toMatch(
      new RegExp(
        `^guild-stage: --proto ${(batchRun.id as string).slice(0, 8)}: run [0-9a-f]{8} is a batch; give one of its trials; --proto [0-9a-f]{8}$`,
      ),
    );
    const withScript = await project.gs(['--proto', proto.id, 'train.py']);
    expect(withScript.code).toBe(2);
    expect(stderrLines(withScript)).toEqual([
      `guild-stage: --proto takes the script from run ${proto.id}; give no script`,
    ]);

    // The script changed since: a proto value that would not read back the same is refused.
    await writeFile(path.join(project.dir, 'train.py'), SCRIPT.replace('lr = 0.01', 'lr = "0.01"'));
    const changed = await project.gs(['--proto', proto.id]);
    expect(changed.code).toBe(2);
    expect(stderrLines(changed)).toEqual([
      `guild-stage: --proto ${proto.id.slice(0, 8)}: flag lr was 0.1 there and would be "0.1" here; give lr with --flags`,
    ]);
    expect((await runsDirEntries(project.runsDir)).length).toBe(count);
  });
});
