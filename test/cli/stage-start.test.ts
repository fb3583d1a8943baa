/**
 * `guild-stage stage` then `guild-stage start`: a staged run is complete on disk but has not
 * run; starting it runs it once, with the flags it was staged with.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject, readAttrs, readGuildFile, stderrLines } from './support.js';

// Node rather than python: these tests are about run state, and node starts faster.
const SCRIPT = `import { writeFileSync } from 'node:fs';
writeFileSync('ran.txt', process.env.FLAG_LR ?? 'unset');
console.log('lr is', process.env.FLAG_LR);
`;

function marker(runDir: string, name: string): boolean {
  return existsSync(path.join(runDir, '.guild', name));
}

describe.concurrent('stage and start', () => {
  it('stage leaves a staged run that start runs once, by id prefix', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT });
    const staged = await project.gs(['stage', 'train.mjs', '--force-flags', '--flags', 'lr=0.2', '--json']);
    expect(staged.code, staged.stderr).toBe(0);
    const json = JSON.parse(staged.stdout);
    expect(json).toMatchObject({ status: 'staged', flags: {}, forced: { lr: 0.2 }, exitStatus: null, startedAt: null });
    const runDir: string = json.runDir;
    expect(path.dirname(runDir)).toBe(project.runsDir);
    expect(marker(runDir, 'STAGED')).toBe(true);
    expect(marker(runDir, 'LOCK')).toBe(false);
    expect(marker(runDir, 'output')).toBe(false);
    expect(existsSync(path.join(runDir, 'ran.txt'))).toBe(false);
    expect(await readFile(path.join(runDir, 'train.mjs'), 'utf8')).toBe(SCRIPT);
    expect(await listRunsJson(project)).toEqual([
      expect.objectContaining({ id: json.id, status: 'staged', opspec: 'train.mjs' }),
    ]);

    const started = await project.gs(['start', json.id.slice(0, 8)]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toBe('lr is 0.2\n');
    expect(started.stderr).toContain(`Starting run ${json.id.slice(0, 8)} (train.mjs lr=0.2 (forced))`);
    expect(marker(runDir, 'STAGED')).toBe(false);
    expect(marker(runDir, 'LOCK')).toBe(false);
    // The flags it was staged with reach the script when it starts later.
    expect(await readFile(path.join(runDir, 'ran.txt'), 'utf8')).toBe('0.2');
    expect(await readGuildFile(runDir, 'output')).toBe('lr is 0.2\n');
    const attrs = await readAttrs(runDir);
    expect(attrs.exit_status).toBe(0);
    expect(attrs.started as number).toBeGreaterThanOrEqual(started.t0 * 1000);
    expect(attrs.initialized as number).toBeLessThan(attrs.started as number);

    const again = await project.gs(['start', json.id]);
    expect(again.code, again.stderr).toBe(2);
    expect(stderrLines(again)).toEqual([
      `guild-stage: run ${json.id.slice(0, 8)} has status completed: only a staged run can be started`,
    ]);
    // Refused before anything was touched: the run's records are as the first start left them.
    expect(await readAttrs(runDir)).toEqual(attrs);
    expect(await readGuildFile(runDir, 'output')).toBe('lr is 0.2\n');
    expect(await listRunsJson(project)).toEqual([
      expect.objectContaining({ id: json.id, status: 'completed', exitStatus: 0 }),
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('6 starts of one staged run at once run it once: the others fail with "already started"', async ({ expect }) => {
    const script = `import { appendFileSync } from 'node:fs';
appendFileSync(process.env.SCRATCH + '/starts', process.pid + '\\n');
await new Promise((resolve) => setTimeout(resolve, 300));
`;
    const project = await makeProject({ 'train.mjs': script });
    const staged = await project.gs(['stage', 'train.mjs', '--json']);
    expect(staged.code, staged.stderr).toBe(0);
    const { id } = JSON.parse(staged.stdout) as { id: string };
    const results = await Promise.all(Array.from({ length: 6 }, () => project.gs(['start', id, '-q'])));
    const codes = results.map((result) => result.code).sort();
    expect(codes, results.map((result) => result.stderr).join('')).toEqual([0, 2, 2, 2, 2, 2]);
    for (const result of results.filter((r) => r.code === 2)) {
      // Refused at the claim, or (when the winner was done already) by the status it read.
      expect(stderrLines(result)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^guild-stage: run ${id.slice(0, 8)} (was already started|has status (running|completed): only a staged run can be started)$`,
          ),
        ),
      ]);
    }
    expect((await readFile(path.join(project.scratch, 'starts'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
    expect(await listRunsJson(project)).toEqual([expect.objectContaining({ id, status: 'completed', exitStatus: 0 })]);
  });

  it('start takes a run directory path, runs its own hooks, and --json prints the finished run', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT });
    const staged = await project.gs(['stage', 'train.mjs', '-q', '--hook', 'on_run_begin=cat > "$SCRATCH/begin.json"']);
    expect(staged.code, staged.stderr).toBe(0);
    const [run] = await listRunsJson(project);
    expect(staged.stdout).toBe(`${run!.id}\n`);
    const runDir = run!.runDir as string;

    const started = await project.gs(['start', runDir, '--json']);
    expect(started.code, started.stderr).toBe(0);
    const json = JSON.parse(started.stdout);
    expect(json).toMatchObject({ id: run!.id, runDir, status: 'completed', exitStatus: 0 });
    const begin = JSON.parse(await readFile(path.join(project.scratch, 'begin.json'), 'utf8'));
    expect(begin).toMatchObject({ id: run!.id, dir: runDir, status: 'running', opspec: 'train.mjs' });
    expect(started.stderr).toContain('lr is undefined\n');
    expect(await readFile(path.join(runDir, 'ran.txt'), 'utf8')).toBe('unset');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('stage with a failing on_run_staged hook leaves an error run that start refuses', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT });
    const staged = await project.gs(['stage', 'train.mjs', '--json', '--hook', 'on_run_staged=echo nope >&2; exit 4']);
    expect(staged.code, staged.stderr).toBe(1);
    const json = JSON.parse(staged.stdout);
    expect(json).toMatchObject({ status: 'error', exitStatus: null });
    expect(json.error).toContain('exited with code 4: nope');
    expect(marker(json.runDir, 'STAGED')).toBe(false);
    expect(await listRunsJson(project)).toEqual([expect.objectContaining({ id: json.id, status: 'error' })]);

    const started = await project.gs(['start', json.runDir]);
    expect(started.code, started.stderr).toBe(2);
    expect(stderrLines(started)).toEqual([
      `guild-stage: run ${json.id.slice(0, 8)} has status error: only a staged run can be started`,
    ]);
    expect(existsSync(path.join(json.runDir, 'ran.txt'))).toBe(false);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('stage without --json prints the run id alone on stdout and tells how to start it on stderr', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT });
    const staged = await project.gs(['stage', 'train.mjs']);
    expect(staged.code, staged.stderr).toBe(0);
    const [run] = await listRunsJson(project);
    const short = (run!.id as string).slice(0, 8);
    expect(staged.stdout).toBe(`${run!.id}\n`);
    expect(staged.stderr).toContain(`Staged run ${short} (train.mjs) in ${run!.runDir}`);
    expect(staged.stderr).toContain(`Start it with: guild-stage start ${short}`);

    const quiet = await project.gs(['stage', 'train.mjs', '-q']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
    const started = await project.gs(['start', quiet.stdout.trim(), '-q']);
    expect(started.code, started.stderr).toBe(0);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
