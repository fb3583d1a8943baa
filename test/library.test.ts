/**
 * The public library API as a Node.js caller imports it (src/index.ts): batches, reading
 * runs back, and the plugin order, through the same façade the CLI uses.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findRun,
  GuildStageError,
  listRuns,
  openRun,
  type Plugin,
  pluginOrder,
  readRunPatch,
  runBatch,
} from '../src/index.js';
import { makeTempDir, snapshotTree, writeTree } from './helpers/fs.js';

async function project(): Promise<{ dir: string; runsDir: string }> {
  const root = await makeTempDir();
  const dir = path.join(root, 'project');
  await mkdir(dir);
  await writeTree(dir, { 'train.py': 'lr = 0.01\nprint(f"lr={lr}")\n' });
  return { dir, runsDir: path.join(root, 'runs') };
}

describe('the library façade', () => {
  it('runs a batch, then lists, finds, opens and diffs its runs', async () => {
    const p = await project();
    const before = await snapshotTree(p.dir);
    const seen: string[] = [];
    const output = ['', ''];
    const { batch, trials, result } = await runBatch({
      cwd: p.dir,
      runsDir: p.runsDir,
      script: 'train.py',
      flags: ['lr=[0.1,0.5]'],
      onOutput: () => seen.push('onOutput must not see trials'),
      onTrialOutput: (trial, _stream, chunk) => {
        output[trial.index - 1] += chunk.toString();
      },
    });
    expect(result.status).toBe('completed');
    expect(seen).toEqual([]);
    expect(output).toEqual(['lr=0.1\n', 'lr=0.5\n']);
    expect(trials.map(({ outcome }) => outcome?.run.flags)).toEqual([{ lr: 0.1 }, { lr: 0.5 }]);

    const records = await listRuns({ cwd: p.dir, runsDir: p.runsDir });
    expect(records.map((r) => r.id).sort()).toEqual([batch.id, ...trials.map(({ outcome }) => outcome!.run.id)].sort());
    const trialId = trials[1]!.outcome!.run.id;
    expect((await findRun(trialId.slice(0, 10), { runsDir: p.runsDir })).flags).toEqual({ lr: 0.5 });
    const opened = await openRun(trialId, { runsDir: p.runsDir });
    expect([opened.status, opened.batch]).toEqual(['completed', { role: 'trial', batchId: batch.id, index: 2 }]);
    expect(opened.env.FLAG_LR).toBe('0.5');
    const { patch } = await readRunPatch(trialId, { runsDir: p.runsDir });
    expect(patch).toContain('-lr = 0.01\n+lr = 0.5\n');
    expect(await snapshotTree(p.dir)).toEqual(before);
  });

  it('a reference that names no run is NOT_FOUND', async () => {
    const p = await project();
    const error = await findRun('0123abcd', { runsDir: p.runsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect((error as GuildStageError).code).toBe('NOT_FOUND');
  });

  it('pluginOrder is the order a run calls: priority first, then registration, built-in flags first among equals', async () => {
    const late: Plugin = { name: 'late', priority: -1, onRunStaged: () => {}, onRunEnd: () => {} };
    const early: Plugin = { name: 'early', onRunBegin: { priority: 5, handler: () => {} }, onRunStaged: () => {} };
    const { plugins, order } = await pluginOrder({
      plugins: [late, early],
      hooks: [{ event: 'on_run_end', command: 'true' }],
    });
    expect(plugins).toEqual(['flags', 'scalars', 'late', 'early', 'hook on_run_end']);
    expect(order.onRunStaged.map((e) => e.plugin)).toEqual(['flags', 'early', 'late']);
    expect(order.onRunBegin).toEqual([{ plugin: 'early', priority: 5 }]);
    expect(order.onRunEnd.map((e) => e.plugin)).toEqual(['scalars', 'hook on_run_end', 'late']);
    expect(order.onRunOutput).toEqual([{ plugin: 'scalars', priority: 0 }]);
  });
});
