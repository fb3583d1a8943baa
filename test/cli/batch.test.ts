/**
 * Batch runs through the real CLI: a batch run plus a full run per trial, the hooks each
 * role gets, parallel trials whose records do not mix, failures, Ctrl-C, and planning
 * that creates nothing.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject, readRecord, runsDirEntries, stderrLines, waitForFile } from './support.js';

/** Records each hook call with the run's batch role, to the file in GS_RECORD. */
const ROLE_RECORDER = `import { appendFileSync } from 'node:fs';
const rec = (entry) => appendFileSync(process.env.GS_RECORD, JSON.stringify(entry) + '\\n');
const who = (run) => ({ id: run.id, batchRun: run.isBatchRun, trial: run.isBatchTrial, batch: run.batch, status: run.status });
export default {
  name: 'roles',
  onRunStaged: (run) => rec({ hook: 'onRunStaged', ...who(run) }),
  onRunBegin: (run) => rec({ hook: 'onRunBegin', ...who(run) }),
  onRunOutput: (run, line) => rec({ hook: 'onRunOutput', id: run.id, text: line.text }),
  onRunEnd: (run, result) => rec({ hook: 'onRunEnd', ...who(run), result: result.status }),
};
`;

const TRAIN = 'import sys\nx = 1\nname = "a"\nprint(f"x={x} name={name}")\nsys.exit(3 if x == 2 else 0)\n';

describe.concurrent('batch runs', () => {
  it('a grid makes one batch run and a full run per trial, with the hooks of each role', async ({ expect }) => {
    const project = await makeProject({ 'train.py': TRAIN, 'roles.mjs': ROLE_RECORDER });
    const record = path.join(project.scratch, 'calls.jsonl');
    const result = await project.gs(
      ['train.py', '--flags', 'x=[1,3]', 'name=[a,b]', '--plugin', './roles.mjs', '--json'],
      { env: { GS_RECORD: record } },
    );
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as {
      id: string;
      status: string;
      trials: Array<{ index: number; id: string; status: string; flags: Record<string, unknown> }>;
    };
    expect(out.status).toBe('completed');
    expect(out.trials.map((t) => [t.index, t.status, t.flags])).toEqual([
      [1, 'completed', { x: 1, name: 'a' }],
      [2, 'completed', { x: 1, name: 'b' }],
      [3, 'completed', { x: 3, name: 'a' }],
      [4, 'completed', { x: 3, name: 'b' }],
    ]);
    const calls = await readRecord(record);
    const batchCalls = calls.filter((c) => c.id === out.id);
    expect(batchCalls.map((c) => [c.hook, c.batchRun, c.status])).toEqual([
      ['onRunBegin', true, 'running'],
      ['onRunEnd', true, 'completed'],
    ]);
    expect(batchCalls[0]!.batch).toEqual({ role: 'batch', trials: [] });
    for (const trial of out.trials) {
      const own = calls.filter((c) => c.id === trial.id);
      expect(own.map((c) => c.hook)).toEqual(['onRunStaged', 'onRunBegin', 'onRunOutput', 'onRunEnd']);
      expect(own[0]).toMatchObject({
        trial: true,
        batchRun: false,
        batch: { role: 'trial', batchId: out.id, index: trial.index },
      });
      expect(own[2]!.text).toBe(`x=${trial.flags.x} name=${trial.flags.name}`);
    }
    const runs = await listRunsJson(project);
    expect(runs).toHaveLength(5);
    const batch = runs.find((r) => r.id === out.id)!;
    expect(batch).toMatchObject({
      opspec: 'train.py+',
      status: 'completed',
      batch: { role: 'batch', trials: out.trials.map((t) => t.id) },
    });
    const [header, ...table] = (await project.gs(['runs'])).stdout.split('\n').filter(Boolean);
    expect(header).toMatch(/^run +script +status +label +started$/);
    expect(table[0]).toMatch(/^\[1:[0-9a-f]{8}\] +train\.py\+ +completed +4 trials/);
    expect(
      table.slice(1).map((line) => /^ {2}\[(\d):[0-9a-f]{8}\] +train\.py +completed +(.*?) {2}/.exec(line)?.slice(1)),
    ).toEqual([
      ['2', 'x=1 name=a'],
      ['3', 'x=1 name=b'],
      ['4', 'x=3 name=a'],
      ['5', 'x=3 name=b'],
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('parallel trials keep each output whole in its own records, prefixed on the terminal', async ({ expect }) => {
    const script =
      'import time\nx = 0\nfor i in range(20):\n    print(f"trial-x{x} line {i}", flush=True)\n    time.sleep(0.01)\n';
    const project = await makeProject({ 'train.py': script });
    const result = await project.gs(['train.py', '--flags', 'x=[1,2,3]', '--parallel', '3']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(60);
    for (const line of lines) expect(line).toMatch(/^\[(\d)\] trial-x\1 line \d+$/);
    const runs = (await listRunsJson(project)).filter((r) => r.opspec === 'train.py');
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      const output = await readFile(path.join(String(run.runDir), '.guild/output'), 'utf8');
      const x = (run.flags as { x: number }).x;
      expect(output).toBe(Array.from({ length: 20 }, (_, i) => `trial-x${x} line ${i}\n`).join(''));
    }
  });

  it('goes on after a failed trial and exits non-zero; --fail-fast stops at it', async ({ expect }) => {
    const project = await makeProject({ 'train.py': TRAIN });
    const all = await project.gs(['train.py', '--flags', 'x=[1,2,3]', '--json']);
    expect(all.code).toBe(1);
    const out = JSON.parse(all.stdout) as { status: string; trials: Array<{ status: string; exitStatus: number }> };
    expect(out.status).toBe('error');
    expect(out.trials.map((t) => [t.status, t.exitStatus])).toEqual([
      ['completed', 0],
      ['error', 3],
      ['completed', 0],
    ]);

    const other = await makeProject({ 'train.py': TRAIN });
    const fast = await other.gs(['train.py', '--flags', 'x=[1,2,3]', '--fail-fast']);
    expect(fast.code).toBe(1);
    expect(stderrLines(fast).at(-1)).toMatch(/^Batch [0-9a-f]{8} error: 2 trials run, 1 failed, in /);
    const runs = await listRunsJson(other);
    expect(runs.filter((r) => r.opspec === 'train.py').map((r) => r.flags)).toHaveLength(2);
    const batch = runs.find((r) => r.opspec === 'train.py+')!;
    expect(batch.status).toBe('error');
    // Its label says how much of the grid ran; a batch that ran whole keeps `3 trials`.
    expect(batch.label).toBe('2 of 3 trials ran');
    expect((await listRunsJson(project)).find((r) => r.opspec === 'train.py+')!.label).toBe('3 trials');
  });

  it.for([
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)(
    '%s stops scheduling, terminates the running trial, runs the end hooks and marks the batch terminated',
    async ([signal, code], { expect }) => {
      const script =
        'import os, time\nx = 0\nopen(os.environ["PID_FILE"] + str(x), "w").write(str(os.getpid()))\ntime.sleep(20)\n';
      const project = await makeProject({ 'train.py': script, 'roles.mjs': ROLE_RECORDER });
      const record = path.join(project.scratch, 'calls.jsonl');
      const pidFile = path.join(project.scratch, 'pid');
      let cli: ChildProcess | undefined;
      const running = project.gs(['train.py', '--flags', 'x=[1,2,3]', '--plugin', './roles.mjs'], {
        env: { GS_RECORD: record, PID_FILE: pidFile },
        onSpawn: (child) => (cli = child),
      });
      await waitForFile(`${pidFile}1`);
      cli!.kill(signal);
      const result = await running;
      expect(result.code).toBe(code);
      const runs = await listRunsJson(project);
      expect(runs.filter((r) => r.opspec === 'train.py').map((r) => r.status)).toEqual(['terminated']);
      expect(runs.find((r) => r.opspec === 'train.py+')!.status).toBe('terminated');
      const ends = (await readRecord(record)).filter((c) => c.hook === 'onRunEnd');
      expect(ends.map((c) => [c.batchRun, c.status])).toEqual([
        [false, 'terminated'],
        [true, 'terminated'],
      ]);
    },
  );

  it('--print-trials and a bad value create nothing', async ({ expect }) => {
    const project = await makeProject({ 'train.py': TRAIN });
    const printed = await project.gs(['train.py', '--flags', 'x=range[1:7:3]', 'name=[a,b]', '--print-trials']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(
      'trial  x  name\n1      1  "a"\n2      1  "b"\n3      4  "a"\n4      4  "b"\n5      7  "a"\n6      7  "b"\n',
    );
    const bad = await project.gs(['train.py', '--flags', 'x=[1,abc]']);
    expect(bad.code).toBe(2);
    expect(stderrLines(bad)).toEqual(["guild-stage: invalid value 'abc' for flag x: expected an integer"]);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('draws repeatable random trials with a seed, and reads trials from a CSV file', async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'lr = 0.1\nx = 1\n', 'trials.csv': 'lr,x\n0.5,2\n0.25,3\n' });
    const draw = () =>
      project.gs([
        'train.py',
        '--flags',
        'lr=loguniform[0.001:0.1]',
        'x=uniform[1:100]',
        '--max-trials',
        '5',
        '--random-seed',
        '7',
        '--print-trials',
        '--json',
      ]);
    const first = JSON.parse((await draw()).stdout) as { trials: Array<{ lr: number; x: number }>; seed: number };
    expect(first.seed).toBe(7);
    expect(first.trials).toHaveLength(5);
    for (const trial of first.trials) {
      expect(trial.lr).toBeGreaterThanOrEqual(0.001);
      expect(trial.lr).toBeLessThanOrEqual(0.1);
      expect(Number.isInteger(trial.x)).toBe(true);
    }
    expect(JSON.parse((await draw()).stdout)).toEqual(first);
    const fromFile = JSON.parse(
      (await project.gs(['train.py', '--trials', 'trials.csv', '--print-trials', '--json'])).stdout,
    ) as { trials: unknown[] };
    expect(fromFile.trials).toEqual([
      { lr: 0.5, x: 2 },
      { lr: 0.25, x: 3 },
    ]);
  });
});
