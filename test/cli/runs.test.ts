/**
 * `guild-stage runs`: every run of the runs directory, newest first, as `guild runs` shows
 * them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject } from './support.js';

/** A row of `runs`; a staged run has not started, so its `started` cell is empty. */
const ROW = /^\[(\d+):([0-9a-f]{8})\]\s+(\S+)\s+(\S+)\s+(.*?)(?:\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d))?$/;

describe.concurrent('runs', () => {
  it('lists runs newest first with short id, opspec, status and label', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': 'console.log("ok");\n', 'fail.mjs': 'process.exitCode = 3;\n' });
    // One after the other: their order is the point.
    const quiet = await project.gs(['run', 'train.mjs', '--force-flags', '--flags', 'lr=0.1', '-q']);
    expect(quiet).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
    const failed = await project.gs(['run', 'fail.mjs', '--label', 'broken', '-q']);
    expect(failed.code, failed.stderr).toBe(3);
    const staged = await project.gs(['stage', 'train.mjs', '--force-flags', '--flags', 'lr=0.3', '-q']);
    expect(staged.code, staged.stderr).toBe(0);

    const json = await listRunsJson(project);
    expect(json.map(({ opspec, status, label, exitStatus }) => ({ opspec, status, label, exitStatus }))).toEqual([
      { opspec: 'train.mjs', status: 'staged', label: 'lr=0.3 (forced)', exitStatus: null },
      { opspec: 'fail.mjs', status: 'error', label: 'broken', exitStatus: 3 },
      { opspec: 'train.mjs', status: 'completed', label: 'lr=0.1 (forced)', exitStatus: 0 },
    ]);
    for (const run of json) expect(run.runDir).toBe(path.join(project.runsDir, run.id as string));

    const table = await project.gs(['runs']);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...lines] = table.stdout.split('\n').filter((line) => line !== '');
    expect(header).toMatch(/^run\s+script\s+status\s+label\s+started$/);
    const rows = lines.map((line) => ROW.exec(line)?.slice(1));
    expect(rows).toEqual([
      ['1', (json[0]!.id as string).slice(0, 8), 'train.mjs', 'staged', 'lr=0.3 (forced)', undefined],
      ['2', (json[1]!.id as string).slice(0, 8), 'fail.mjs', 'error', 'broken', expect.any(String)],
      ['3', (json[2]!.id as string).slice(0, 8), 'train.mjs', 'completed', 'lr=0.1 (forced)', expect.any(String)],
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('prints nothing for a runs directory that does not exist yet, and creates none', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': '' });
    const missing = path.join(project.home, 'no-runs-here');
    const table = await project.gs(['runs', '--runs-dir', missing]);
    expect(table).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await listRunsJson(project, missing)).toEqual([]);
    expect(existsSync(missing)).toBe(false);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
