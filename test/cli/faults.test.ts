/**
 * Faults that must still leave truthful records: a hook command that hangs, a script that
 * ignores SIGTERM, guild-stage killed while staging, and many processes staging at once.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { namespaceTag } from '../../src/stage/staging-owner.js';
import { LONG, LONG_SKIP } from '../helpers/long.js';
import {
  goneWithin,
  killIfRunning,
  listRunsJson,
  makeProject,
  onlyRun,
  processRunning,
  type Project,
  readAttrs,
  stderrLines,
  waitForFile,
} from './support.js';

/**
 * Runs the CLI with `args` until the script writes "PID CHILD_PID" to $PID_FILE; gives those
 * pids, and a SIGKILL of the CLI that resolves once it is gone.
 */
async function runUntilPids(
  project: Project,
  args: string[],
): Promise<{ pids: number[]; killCli: () => Promise<void> }> {
  const pidFile = path.join(project.scratch, 'pid');
  let cli: ChildProcess | undefined;
  const running = project.gs(args, { env: { PID_FILE: pidFile }, onSpawn: (child) => (cli = child) });
  const pids = (await waitForFile(pidFile)).split(' ').map(Number);
  return {
    pids,
    killCli: async () => {
      cli!.kill('SIGKILL');
      await running;
    },
  };
}

describe.skipIf(!LONG)(`faults${LONG_SKIP}`, { concurrent: true }, () => {
  it('a hook command that hangs past --hook-timeout is stopped and fails the run before exec', async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'open("ran", "w").write("yes")\n' });
    const pidFile = path.join(project.scratch, 'sleeper.pid');
    const started = Date.now();
    // The shell waits on a background child, which only a kill of the whole process group stops.
    const hook = `on_run_begin=sleep 30 & echo $! > ${pidFile}; wait`;
    const result = await project.gs(['train.py', '--hook', hook, '--hook-timeout', '0.5']);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.code).toBe(1);
    expect(stderrLines(result).at(-1)).toMatch(
      /^Run [0-9a-f]{8} error: \[plugin hook on_run_begin\] onRunBegin: timed out after 0\.5s in \d/,
    );
    expect(await processRunning(Number(await readFile(pidFile, 'utf8')))).toBe(false);
    const [run] = await listRunsJson(project);
    expect(run!.status).toBe('error');
    expect(await readdir(String(run!.runDir))).not.toContain('ran');
  });

  it('a script that ignores SIGTERM is killed after the grace period and recorded terminated', async ({ expect }) => {
    const script =
      'import os, signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nopen(os.environ["PID_FILE"], "w").write(str(os.getpid()))\ntime.sleep(30)\n';
    const project = await makeProject({ 'train.py': script });
    const pidFile = path.join(project.scratch, 'pid');
    let cli: ChildProcess | undefined;
    const running = project.gs(['train.py', '--kill-grace', '0.5'], {
      env: { PID_FILE: pidFile },
      onSpawn: (child) => (cli = child),
    });
    await waitForFile(pidFile);
    cli!.kill('SIGTERM');
    const result = await running;
    expect(result.code).toBe(137);
    const run = await onlyRun(project.runsDir);
    const attrs = await readAttrs(run);
    expect(attrs.exit_status).toBe(-9);
    expect((await listRunsJson(project))[0]!.status).toBe('terminated');
  });

  it('a run whose guild-stage was SIGKILLed while staging is never listed, and the next command cleans it up', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': 'print(1)\n' });
    await mkdir(project.runsDir, { recursive: true });
    // What a staging process killed mid-copy leaves: a hidden dir named with its (dead) pid.
    const name = `.staging-0123456789abcdef0123456789abcdef-h${namespaceTag()}-999999`;
    await mkdir(path.join(project.runsDir, name, '.guild'), { recursive: true });
    expect(await listRunsJson(project)).toEqual([]);
    const staged = await project.gs(['stage', 'train.py']);
    expect(staged.code, staged.stderr).toBe(0);
    expect((await readdir(project.runsDir)).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(await listRunsJson(project)).toHaveLength(1);
  });

  it('guild-stage SIGKILLed while the script ran: the script and its child die too, and the run reads as error', async ({
    expect,
  }) => {
    const script = `import os, subprocess, time
child = subprocess.Popen(["sleep", "30"])
open(os.environ["PID_FILE"], "w").write(f"{os.getpid()} {child.pid}")
time.sleep(30)
`;
    const project = await makeProject({ 'train.py': script });
    const { pids, killCli } = await runUntilPids(project, ['train.py']);
    expect((await listRunsJson(project))[0]!.status).toBe('running');
    await killCli();
    try {
      // Nothing runs on once guild-stage is gone: its watchdog kills the script's process group.
      for (const pid of pids) expect(await goneWithin(pid), `pid ${pid}`).toBe(true);
      const [run] = await listRunsJson(project);
      // The LOCK is left behind holding a dead pid, which Guild and `runs` read as error.
      expect(run!.status).toBe('error');
      expect(await readdir(String(run!.runDir))).toContain('train.py');
    } finally {
      for (const pid of pids) killIfRunning(pid);
    }
  });

  it('guild-stage SIGKILLed in a batch: the trial running then dies, and the batch names every trial it made', async ({
    expect,
  }) => {
    // Trial 1 ends at once; trial 2 stays. One watchdog serves both: it must have forgotten
    // trial 1's group and still know trial 2's.
    const script = `import os, subprocess, sys, time
x = 1
if x == 2:
    child = subprocess.Popen(["sleep", "30"])
    open(os.environ["PID_FILE"], "w").write(f"{os.getpid()} {child.pid}")
    time.sleep(30)
`;
    const project = await makeProject({ 'train.py': script });
    const { pids, killCli } = await runUntilPids(project, ['train.py', '--flags', 'x=[1,2]', '-q']);
    await killCli();
    try {
      for (const pid of pids) expect(await goneWithin(pid), `pid ${pid}`).toBe(true);
      const runs = await listRunsJson(project);
      const batch = runs.find((run) => (run.batch as { role?: string } | null)?.role === 'batch');
      const trials = runs.filter((run) => (run.batch as { role?: string } | null)?.role === 'trial');
      expect(trials.map((run) => run.status).sort()).toEqual(['completed', 'error']);
      expect([...(batch!.batch as { trials: string[] }).trials].sort()).toEqual(trials.map((run) => run.id).sort());
    } finally {
      for (const pid of pids) killIfRunning(pid);
    }
  });

  it('a script killed by SIGKILL is recorded terminated, and the end hooks run', async ({ expect }) => {
    const script = 'import os, time\nopen(os.environ["PID_FILE"], "w").write(str(os.getpid()))\ntime.sleep(30)\n';
    const project = await makeProject({ 'train.py': script });
    const pidFile = path.join(project.scratch, 'pid');
    const ended = path.join(project.scratch, 'ended');
    const running = project.gs(['train.py', '--hook', `on_run_end=touch ${ended}`], { env: { PID_FILE: pidFile } });
    process.kill(Number(await waitForFile(pidFile)), 'SIGKILL');
    const result = await running;
    expect(result.code).toBe(137);
    const run = await onlyRun(project.runsDir);
    expect((await readAttrs(run)).exit_status).toBe(-9);
    expect((await listRunsJson(project))[0]!.status).toBe('terminated');
    expect(await readdir(project.scratch)).toContain('ended');
  });

  it('guild-stage SIGKILLed while staging leaves no half run: only complete runs with a truthful status are listed', async ({
    expect,
  }) => {
    const files: Record<string, string> = { 'train.py': 'print(1)\n' };
    for (let i = 0; i < 3000; i++) files[`data/d${i % 30}/f${i}.txt`] = 'x'.repeat(2000);
    const project = await makeProject(files);
    let cli: ChildProcess | undefined;
    const staging = project.gs(['stage', 'train.py'], { onSpawn: (child) => (cli = child) });
    // Kill it once the runs dir exists: mid-copy, or at the latest while hooks run.
    while (!(await readdir(project.runsDir).catch(() => [])).length)
      await new Promise((resolve) => setTimeout(resolve, 5));
    cli!.kill('SIGKILL');
    await staging;
    for (const run of await listRunsJson(project)) expect(['error', 'staged']).toContain(run.status);
    const again = await project.gs(['stage', 'train.py']);
    expect(again.code, again.stderr).toBe(0);
    expect((await readdir(project.runsDir)).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('20 stage processes at once into one runs dir make 20 distinct, complete runs', async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'lr = 0.1\n', 'data.txt': 'x\n'.repeat(1000) });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => project.gs(['stage', 'train.py', '--flags', `lr=${i}`, '--json'])),
    );
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const ids = results.map((result) => (JSON.parse(result.stdout) as { id: string }).id);
    expect(new Set(ids).size).toBe(20);
    const runs = await listRunsJson(project);
    expect(runs.map((run) => run.status)).toEqual(Array(20).fill('staged'));
    expect(runs.map((run) => (run.flags as { lr: number }).lr).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    for (const run of runs)
      expect((await readdir(String(run.runDir))).sort()).toEqual(['.guild', 'data.txt', 'train.py']);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
