/**
 * `guild-stage restart RUN`: a finished run runs again in its own directory, as Guild's
 * `run --restart`: same flags and command, the source staged there (never staged again),
 * hooks around it, and records that say it was restarted and from what.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject, readAttrs, readGuildFile, stderrLines } from './support.js';

// Fails on its first attempt and succeeds on the next: what a restart is for.
const SCRIPT = `import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const lr = 0.01;
const counter = process.env.SCRATCH + '/attempts';
const attempt = existsSync(counter) ? readFileSync(counter, 'utf8').length + 1 : 1;
appendFileSync(counter, 'x');
console.log('attempt ' + attempt + ' lr ' + lr);
console.log('loss: ' + attempt);
process.exit(attempt === 1 ? 3 : 0);
`;

describe.concurrent('restart', () => {
  it('runs a failed run again in its directory with its staged source, hooks and flags', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT });
    const hook = ['--hook', 'on_run_begin=echo "begin $RUN_ID" >> "$SCRATCH/hooks"'];
    const first = await project.gs(['train.mjs', '--flags', 'lr=0.5', '--json', ...hook]);
    expect(first.code, first.stderr).toBe(3);
    const { id, runDir } = JSON.parse(first.stdout) as { id: string; runDir: string };
    const before = await readAttrs(runDir);
    const staged = await readFile(path.join(runDir, 'train.mjs'), 'utf8');
    // The project changes after staging: the restart still runs what was staged.
    await writeFile(
      path.join(project.dir, 'train.mjs'),
      SCRIPT.replace('0.01', '0.02').replace('attempt ', 'changed '),
    );

    // The hook it was staged with runs again; an option cannot add another.
    const adding = await project.gs(['restart', '1', ...hook]);
    expect(adding.code).toBe(2);
    expect(adding.stderr).toMatch(
      /restart runs the plugins and hooks a run was staged with: --hook cannot add to them/,
    );
    const again = await project.gs(['restart', '1']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('attempt 2 lr 0.5\nloss: 2\n');
    expect(stderrLines(again)[0]).toBe(`Restarting run ${id.slice(0, 8)} (train.mjs lr=0.5; was error)`);
    expect(await readFile(path.join(runDir, 'train.mjs'), 'utf8')).toBe(staged);
    // Output and captured scalars are the new attempt's, as Guild replaces the output.
    expect(await readGuildFile(runDir, 'output')).toBe('attempt 2 lr 0.5\nloss: 2\n');
    const scalars = JSON.parse(await readGuildFile(runDir, 'scalars.json'));
    expect(scalars.scalars.loss).toMatchObject({ first: 2, last: 2, count: 1 });
    const after = await readAttrs(runDir);
    expect(after.exit_status).toBe(0);
    expect(after.flags).toEqual(before.flags);
    expect(after.cmd).toEqual(before.cmd);
    expect(after.initialized).toBe(before.initialized);
    expect(after.started as number).toBeGreaterThan(before.started as number);
    expect(after.started as number).toBeGreaterThanOrEqual(again.t0 * 1000);
    const own = after.guild_stage as { restarts: unknown[]; error: unknown };
    expect(own.error).toBeNull();
    expect(own.restarts).toEqual([
      {
        at: expect.any(Number),
        previous: { status: 'error', started: before.started, stopped: before.stopped, exit_status: 3 },
      },
    ]);
    // onRunBegin ran for both attempts, as for any run.
    expect(await readFile(path.join(project.scratch, 'hooks'), 'utf8')).toBe(`begin ${id}\nbegin ${id}\n`);
    expect(await listRunsJson(project)).toEqual([expect.objectContaining({ id, status: 'completed', exitStatus: 0 })]);

    // A completed run can run again too; each restart is listed.
    const third = await project.gs(['restart', id.slice(0, 8), '-q']);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toBe('');
    const restarts = ((await readAttrs(runDir)).guild_stage as { restarts: Array<{ previous: unknown }> }).restarts;
    expect(restarts.map((entry) => entry.previous)).toMatchObject([
      { status: 'error', exit_status: 3 },
      { status: 'completed', exit_status: 0, started: after.started },
    ]);
  });

  it('refuses a staged run, a run whose staging failed and a batch run, leaving their records as they were', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.mjs': 'const lr = 0.1;\n' });
    const staged = await project.gs(['stage', 'train.mjs', '-q']);
    expect(staged.code, staged.stderr).toBe(0);
    const stagedId = staged.stdout.trim();
    const refused = await project.gs(['restart', stagedId]);
    expect(refused.code).toBe(2);
    expect(stderrLines(refused)).toEqual([
      `guild-stage: run ${stagedId.slice(0, 8)} is staged and has not run yet; guild-stage start ${stagedId.slice(0, 8)}`,
    ]);

    const hookFailed = await project.gs(['train.mjs', '--hook', 'on_run_staged=exit 4', '--json']);
    expect(hookFailed.code).toBe(1);
    const failedRun = JSON.parse(hookFailed.stdout) as { id: string; runDir: string };
    const failedAttrs = await readAttrs(failedRun.runDir);
    const unstaged = await project.gs(['restart', failedRun.id]);
    expect(unstaged.code).toBe(2);
    expect(stderrLines(unstaged)[0]).toMatch(
      new RegExp(
        `^guild-stage: run ${failedRun.id.slice(0, 8)} never finished staging \\(.*exit 4.*\\): stage it again$`,
      ),
    );
    expect(await readAttrs(failedRun.runDir)).toEqual(failedAttrs);

    const batch = await project.gs(['train.mjs', '--flags', 'lr=[0.2,0.3]', '-q']);
    expect(batch.code, batch.stderr).toBe(0);
    const runs = await listRunsJson(project);
    const batchRun = runs.find((run) => (run.batch as { role?: string } | null)?.role === 'batch')!;
    const batchId = batchRun.id as string;
    const batchAttrs = await readAttrs(batchRun.runDir as string);
    const onBatch = await project.gs(['restart', batchId]);
    expect(onBatch.code).toBe(2);
    expect(stderrLines(onBatch)[0]).toMatch(
      new RegExp(
        `^guild-stage: run ${batchId.slice(0, 8)} is a batch: restart its trials one by one, or run the batch again with --needed; guild-stage restart [0-9a-f]{8}$`,
      ),
    );
    expect(await readAttrs(batchRun.runDir as string)).toEqual(batchAttrs);
  });

  it('of three restarts at once, one runs the run and the others are refused', async ({ expect }) => {
    const waiter = `import { existsSync } from 'node:fs';
while (!existsSync(process.env.SCRATCH + '/go')) await new Promise((resolve) => setTimeout(resolve, 20));
console.log('ran');
`;
    const project = await makeProject({ 'train.mjs': waiter });
    await writeFile(path.join(project.scratch, 'go'), '');
    const first = await project.gs(['train.mjs', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const { id, runDir } = JSON.parse(first.stdout) as { id: string; runDir: string };
    await rm(path.join(project.scratch, 'go'));
    const done: Array<Awaited<ReturnType<typeof project.gs>>> = [];
    const all = Array.from({ length: 3 }, () => project.gs(['restart', id, '-q']).then((result) => done.push(result)));
    // The winner waits for `go` until the other two have been refused.
    while (done.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(path.join(project.scratch, 'go'), '');
    await Promise.all(all);
    expect(done.map((result) => result.code)).toEqual([2, 2, 0]);
    for (const result of done.slice(0, 2)) {
      expect(stderrLines(result)).toEqual([
        `guild-stage: run ${id.slice(0, 8)} is running: it can be restarted once it has stopped`,
      ]);
    }
    const own = (await readAttrs(runDir)).guild_stage as { restarts: unknown[] };
    expect(own.restarts).toHaveLength(1);
    expect(existsSync(path.join(runDir, '.guild', 'LOCK'))).toBe(false);
    expect(await readGuildFile(runDir, 'output')).toBe('ran\n');
  });
});
