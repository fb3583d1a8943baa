/**
 * A stop reaches the whole process tree, wherever the run is: the script's process group
 * (a shell wrapper's python, `--exec "sh -c ..."`, a child the script left behind), and the
 * hook running at that moment (plugin or command hook, in any hook). Each way, the run is
 * recorded `terminated` with the reason, its end hooks run, no LOCK remains, and guild-stage
 * exits as a shell reports the signal.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import {
  goneWithin,
  killIfRunning,
  listRunsJson,
  makeProject,
  onlyRun,
  pluginFixture,
  readAttrs,
  readGuildFile,
  readRecord,
  stderrLines,
  waitForFile,
} from './support.js';

/** Appends this process's pid to PIDS and says so on stdout, then waits for a signal. */
// The pid is written after the line, so that once a test sees the pid, the whole line
// (which Python writes unbuffered in two pieces) is in the pipe.
const PY_WAITER = `import os, time
print("started", flush=True)
with open(os.environ["PIDS"], "a") as f:
    f.write(f"{os.getpid()}\\n")
time.sleep(60)
`;

/** Starts `args` in a new project, waits until `count` pids are in PIDS, sends `signal` to guild-stage. */
async function runAndStop(
  files: Record<string, string>,
  args: string[],
  opts: { count: number; signal?: NodeJS.Signals; env?: Record<string, string> },
) {
  const project = await makeProject(files);
  const pidsFile = path.join(project.scratch, 'pids');
  const record = path.join(project.scratch, 'record.jsonl');
  let cli: ChildProcess | undefined;
  const running = project.gs([...args, '--plugin', pluginFixture('recorder.mjs')], {
    env: { PIDS: pidsFile, GS_RECORD: record, ...opts.env },
    onSpawn: (child) => (cli = child),
  });
  let pids: number[] = [];
  for (let i = 0; i < 500 && pids.length < opts.count; i++) {
    pids = (await waitForFile(pidsFile)).split('\n').filter(Boolean).map(Number);
    if (pids.length < opts.count) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const sent = Date.now();
  cli!.kill(opts.signal ?? 'SIGTERM');
  const result = await running;
  const ends = (await readRecord(record)).filter((call) => call.hook === 'onRunEnd');
  return { project, pids, result, tookMs: Date.now() - sent, ends };
}

describe.concurrent('stops reach the whole process tree', () => {
  it('a shell wrapper calling python: SIGTERM to guild-stage stops both', async ({ expect }) => {
    const wrapper = 'python3 train.py\necho "wrapper went on" >> "$PIDS"\n';
    const { project, pids, result, tookMs, ends } = await runAndStop(
      { 'train.py': PY_WAITER, 'wrap.sh': wrapper },
      ['train.py', '--exec', 'sh wrap.sh'],
      { count: 1 },
    );
    try {
      expect(result.code, result.stderr).toBe(128 + 15);
      expect(tookMs).toBeLessThan(8000);
      expect(await goneWithin(pids[0]!)).toBe(true);
      const runDir = await onlyRun(project.runsDir);
      // The shell died of the signal too: it never went on after python.
      expect(await readGuildFile(runDir, 'output')).toBe('started\n');
      expect((await readAttrs(runDir)).exit_status).toBe(-15);
      expect(existsSync(path.join(runDir, '.guild', 'LOCK'))).toBe(false);
      expect(ends).toEqual([expect.objectContaining({ status: 'terminated', signal: 'SIGTERM' })]);
    } finally {
      for (const pid of pids) killIfRunning(pid);
    }
  });

  it('--exec "sh -c ..." starting two pythons: SIGINT to guild-stage reaches both', async ({ expect }) => {
    const { project, pids, result, tookMs } = await runAndStop(
      { 'train.py': PY_WAITER },
      ['train.py', '--exec', 'sh -c "python3 train.py & python3 train.py; wait"'],
      { count: 2, signal: 'SIGINT' },
    );
    try {
      expect(result.code, result.stderr).toBe(128 + 2);
      expect(tookMs).toBeLessThan(8000);
      for (const pid of pids) expect(await goneWithin(pid), `pid ${pid}`).toBe(true);
      expect((await listRunsJson(project))[0]).toMatchObject({ status: 'terminated' });
    } finally {
      for (const pid of pids) killIfRunning(pid);
    }
  });

  it('a child the script left holding its output, ignoring SIGTERM, is killed after --kill-grace; the run ends', async ({
    expect,
  }) => {
    const script = `import os, subprocess, time
subprocess.Popen(["sh", "-c", "trap '' TERM INT; echo $$ >> \\"$PIDS\\"; while :; do sleep 1; done"])
${PY_WAITER}`;
    const { project, pids, result, tookMs, ends } = await runAndStop(
      { 'train.py': script },
      ['train.py', '--kill-grace', '1'],
      { count: 2 },
    );
    try {
      expect(result.code, result.stderr).toBe(128 + 15);
      expect(tookMs).toBeLessThan(8000);
      for (const pid of pids) expect(await goneWithin(pid), `pid ${pid}`).toBe(true);
      expect((await listRunsJson(project))[0]).toMatchObject({ status: 'terminated', exitStatus: -15 });
      expect(ends).toHaveLength(1);
    } finally {
      for (const pid of pids) killIfRunning(pid);
    }
  });

  it('a child that left the group (setsid) and holds the output pipe does not keep the run running', async ({
    expect,
  }) => {
    const script = `import os, subprocess, time
subprocess.Popen(["setsid", "sh", "-c", "echo $$ >> \\"$PIDS\\"; exec sleep 60"])
${PY_WAITER}`;
    const { project, pids, result, tookMs, ends } = await runAndStop({ 'train.py': script }, ['train.py'], {
      count: 2,
    });
    try {
      expect(result.code, result.stderr).toBe(128 + 15);
      expect(tookMs).toBeLessThan(5000);
      expect((await listRunsJson(project))[0]).toMatchObject({ status: 'terminated' });
      expect(ends).toHaveLength(1);
    } finally {
      for (const pid of pids) killIfRunning(pid);
    }
  });
});

/** A command hook that records its pid and its background child's, then waits on the child. */
const WAITING_HOOK = 'sleep 30 & echo $$ >> "$PIDS"; echo $! >> "$PIDS"; wait';

describe.concurrent('a signal during a hook', () => {
  for (const event of ['on_run_staged', 'on_run_begin'] as const) {
    it(`${event} (command hook): its process group is stopped, end hooks run, the run is terminated with the reason`, async ({
      expect,
    }) => {
      const ran = 'open("ran", "w").write("yes")\n';
      const { project, pids, result, ends } = await runAndStop(
        { 'train.py': ran },
        ['train.py', '--hook', `${event}=${WAITING_HOOK}`, '--hook', 'on_run_end=echo end >> "$SCRATCH/end"'],
        { count: 2, signal: 'SIGINT' },
      );
      try {
        for (const pid of pids) expect(await goneWithin(pid), `pid ${pid}`).toBe(true);
        expect(result.code, result.stderr).toBe(128 + 2);
        expect(stderrLines(result).at(-1)).toMatch(/^Run [0-9a-f]{8} terminated by SIGINT in /);
        const [run] = await listRunsJson(project);
        expect(run).toMatchObject({ status: 'terminated', exitStatus: -2 });
        const runDir = String(run!.runDir);
        expect(await readdir(runDir)).not.toContain('ran');
        expect(existsSync(path.join(runDir, '.guild', 'LOCK'))).toBe(false);
        const attrs = await readAttrs(runDir);
        const hookName = event === 'on_run_staged' ? 'onRunStaged' : 'onRunBegin';
        expect((attrs.guild_stage as { error: string }).error).toBe(
          `[plugin hook ${event}] ${hookName}: stopped by SIGINT`,
        );
        expect(ends).toEqual([expect.objectContaining({ status: 'terminated', signal: 'SIGINT' })]);
        expect(await waitForFile(path.join(project.scratch, 'end'))).toBe('end\n');
      } finally {
        for (const pid of pids) killIfRunning(pid);
      }
    });
  }

  for (const hook of ['staged', 'begin'] as const) {
    it(`a plugin's on${hook === 'staged' ? 'RunStaged' : 'RunBegin'} that never settles: SIGTERM ends the run terminated`, async ({
      expect,
    }) => {
      const project = await makeProject({ 'train.py': 'open("ran", "w").write("yes")\n' });
      const ready = path.join(project.scratch, 'ready');
      const record = path.join(project.scratch, 'record.jsonl');
      let cli: ChildProcess | undefined;
      const running = project.gs(['train.py', '--plugin', pluginFixture('misbehave.mjs')], {
        env: { GS_MISBEHAVE: `hang-${hook}`, GS_READY: ready, GS_RECORD: record },
        onSpawn: (child) => (cli = child),
      });
      await waitForFile(ready);
      cli!.kill('SIGTERM');
      const result = await running;
      expect(result.code, result.stderr).toBe(128 + 15);
      const [run] = await listRunsJson(project);
      expect(run).toMatchObject({ status: 'terminated', exitStatus: -15 });
      expect(await readdir(String(run!.runDir))).not.toContain('ran');
      expect(existsSync(path.join(String(run!.runDir), '.guild', 'LOCK'))).toBe(false);
      const ends = (await readRecord(record)).filter((call) => call.hook === 'onRunEnd');
      expect(ends).toEqual([
        expect.objectContaining({ status: 'terminated', error: expect.stringMatching(/stopped by SIGTERM$/) }),
      ]);
    });
  }

  it('an output hook that never settles: Ctrl-C stops the script and the run ends terminated', async ({ expect }) => {
    const project = await makeProject({ 'train.py': PY_WAITER });
    const ready = path.join(project.scratch, 'ready');
    let cli: ChildProcess | undefined;
    const running = project.gs(['train.py', '--plugin', pluginFixture('misbehave.mjs')], {
      env: {
        GS_MISBEHAVE: 'hang-output',
        GS_READY: ready,
        GS_RECORD: path.join(project.scratch, 'r'),
        PIDS: path.join(project.scratch, 'pids'),
      },
      onSpawn: (child) => (cli = child),
    });
    await waitForFile(ready);
    cli!.kill('SIGINT');
    const result = await running;
    expect(result.code, result.stderr).toBe(128 + 2);
    expect(result.stderr).toContain('[plugin misbehave] onRunOutput: stopped by SIGINT (handler detached)');
    expect((await listRunsJson(project))[0]).toMatchObject({ status: 'terminated', exitStatus: -2 });
  });

  it('on_run_end: the hook is stopped, the run keeps the status its script ended with, no LOCK remains', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': 'print("done")\n' });
    const pidsFile = path.join(project.scratch, 'pids');
    let cli: ChildProcess | undefined;
    const running = project.gs(['train.py', '--hook', `on_run_end=${WAITING_HOOK}`], {
      env: { PIDS: pidsFile },
      onSpawn: (child) => (cli = child),
    });
    let pids: number[] = [];
    while (pids.length < 2) pids = (await waitForFile(pidsFile)).split('\n').filter(Boolean).map(Number);
    cli!.kill('SIGTERM');
    const result = await running;
    try {
      for (const pid of pids) expect(await goneWithin(pid), `pid ${pid}`).toBe(true);
      expect(result.stderr).toContain('[plugin hook on_run_end] onRunEnd: stopped by SIGTERM');
      // The records were final before the end hooks ran: the script completed.
      const [run] = await listRunsJson(project);
      expect(run).toMatchObject({ status: 'completed', exitStatus: 0 });
      expect(existsSync(path.join(String(run!.runDir), '.guild', 'LOCK'))).toBe(false);
    } finally {
      for (const pid of pids) killIfRunning(pid);
    }
  });
});
