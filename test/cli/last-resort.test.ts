/**
 * What would kill guild-stage mid-run ends the run truthfully instead: its stdout closed
 * (`| head`), a full disk under the output records, a plugin's floating rejection, a timer
 * that throws, a plugin calling `process.exit`. Each time the script is stopped, the run is
 * recorded `error` with the reason, the end hooks run and no LOCK remains.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import {
  goneWithin,
  killIfRunning,
  listRunsJson,
  makeProject,
  pluginFixture,
  readAttrs,
  readRecord,
  stderrLines,
  waitForFile,
  type Project,
} from './support.js';

/** Prints a numbered line every 20 ms for 30 s, after writing its pid to PID_FILE. */
const PY_CHATTY = `import os, time
open(os.environ["PID_FILE"], "w").write(str(os.getpid()))
for i in range(1500):
    print("line", i, flush=True)
    time.sleep(0.02)
`;

/** The one run's listing entry, its `guild_stage.error`, and whether its LOCK is gone. */
async function recorded(project: Project, runsDir = project.runsDir) {
  const runs = await listRunsJson(project, runsDir);
  const run = runs[0]!;
  const attrs = await readAttrs(String(run.runDir));
  return {
    runs,
    status: run.status,
    error: (attrs.guild_stage as { error: string | null }).error,
    locked: existsSync(path.join(String(run.runDir), '.guild', 'LOCK')),
    exitStatus: attrs.exit_status,
  };
}

describe.concurrent('the last resort', () => {
  it('stdout closed by `| head`: the script is stopped, the run is error (EPIPE), end hooks ran', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': PY_CHATTY });
    const pidFile = path.join(project.scratch, 'pid');
    const ended = path.join(project.scratch, 'ended');
    const pipeline = `"${process.execPath}" "${CLI}" run train.py --hook 'on_run_end=touch "${ended}"' | head -n 2`;
    const shell = spawnSync('sh', ['-c', pipeline], {
      cwd: project.dir,
      env: { ...process.env, GUILD_HOME: project.home, PID_FILE: pidFile },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(shell.stdout).toBe('line 0\nline 1\n');
    expect(await goneWithin(Number(await waitForFile(pidFile)))).toBe(true);
    const run = await recorded(project);
    expect(run).toMatchObject({ status: 'error', locked: false });
    expect(run.error).toMatch(/EPIPE/);
    expect(run.exitStatus).toBeUndefined();
    expect(existsSync(ended)).toBe(true);
  });

  it('a full disk under the output (a 256k tmpfs): the script is stopped, the run is error, end hooks ran', async ({
    expect,
    skip,
  }) => {
    const project = await makeProject({ 'train.py': PY_CHATTY.replace('"line", i', '"x" * 20000, i') });
    const runsDir = path.join(project.scratch, 'runs');
    await mkdir(runsDir);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', runsDir]);
    if (mount.status !== 0) skip('mounting a small tmpfs needs root (CAP_SYS_ADMIN)');
    const pidFile = path.join(project.scratch, 'pid');
    const record = path.join(project.scratch, 'record.jsonl');
    try {
      const result = await project.gs(
        ['run', 'train.py', '--runs-dir', runsDir, '--plugin', pluginFixture('recorder.mjs'), '-q'],
        { env: { PID_FILE: pidFile, GS_RECORD: record } },
      );
      expect(result.code).toBe(1);
      expect(stderrLines(result).join('\n')).toMatch(/no space left on device|ENOSPC/i);
      expect(await goneWithin(Number(await waitForFile(pidFile)))).toBe(true);
      const runs = await listRunsJson(project, runsDir);
      expect(runs).toEqual([expect.objectContaining({ status: 'error' })]);
      expect(existsSync(path.join(String(runs[0]!.runDir), '.guild', 'LOCK'))).toBe(false);
      const ends = (await readRecord(record)).filter((call) => call.hook === 'onRunEnd');
      expect(ends).toEqual([
        expect.objectContaining({ status: 'error', error: expect.stringMatching(/no space left on device|ENOSPC/i) }),
      ]);
    } finally {
      spawnSync('umount', ['-l', runsDir]);
    }
  });

  const misbehaviours = [
    ['a floating promise rejection', 'reject', /^unhandled promise rejection: a floating rejection$/],
    ['a timer that throws', 'timer-throw', /^guild-stage failed: a timer threw$/],
    ['process.exit', 'exit', /^process\.exit\(3\) called during the run$/],
  ] as const;
  for (const [what, mode, reason] of misbehaviours) {
    it(`a plugin's ${what}: the script is stopped, the run is error with the reason, end hooks ran`, async ({
      expect,
    }) => {
      const project = await makeProject({ 'train.py': PY_CHATTY });
      const pidFile = path.join(project.scratch, 'pid');
      const record = path.join(project.scratch, 'record.jsonl');
      const result = await project.gs(['train.py', '--plugin', pluginFixture('misbehave.mjs'), '-q'], {
        env: { GS_MISBEHAVE: mode, GS_RECORD: record, PID_FILE: pidFile },
      });
      expect(result.code, result.stderr).toBe(1);
      const scriptPid = Number(await waitForFile(pidFile));
      try {
        expect(await goneWithin(scriptPid)).toBe(true);
        const run = await recorded(project);
        expect(run).toMatchObject({ status: 'error', locked: false });
        expect(run.error).toMatch(reason);
        const ends = (await readRecord(record)).filter((call) => call.hook === 'onRunEnd');
        expect(ends).toEqual([expect.objectContaining({ status: 'error', error: expect.stringMatching(reason) })]);
      } finally {
        killIfRunning(scriptPid);
      }
    });
  }
});

describe.concurrent('ending on time', () => {
  it('--hook-timeout ends the process on time when a plugin never settles and holds a timer', async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'open("ran", "w").write("yes")\n' });
    const started = Date.now();
    const result = await project.gs(['train.py', '--plugin', pluginFixture('misbehave.mjs'), '--hook-timeout', '0.5'], {
      env: { GS_MISBEHAVE: 'hang-begin', GS_RECORD: path.join(project.scratch, 'r') },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expect(stderrLines(result).at(-1)).toMatch(/error: \[plugin misbehave\] onRunBegin: timed out after 0\.5s in /);
  });

  it('an interrupted --dry-run leaves no copy in $TMPDIR', async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'lr = 0.1\n' });
    const tmp = path.join(project.scratch, 'tmp');
    await mkdir(tmp);
    const ready = path.join(project.scratch, 'ready');
    const child = spawn(
      process.execPath,
      [CLI, 'run', 'train.py', '--dry-run', '--hook', `on_run_staged=echo x > ${ready}; sleep 30`],
      {
        cwd: project.dir,
        env: { ...process.env, GUILD_HOME: project.home, TMPDIR: tmp },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitForFile(ready);
    expect((await readdir(tmp)).filter((name) => name.startsWith('guild-stage-dry-run-'))).toHaveLength(1);
    child.kill('SIGINT');
    expect(await exited).not.toBe(0);
    expect(await readdir(tmp)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
