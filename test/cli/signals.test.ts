/**
 * Runs ended by a signal: one sent to the script itself, and Ctrl-C sent to guild-stage,
 * which must reach the script. Either way the run is `terminated` and the end hooks run.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import {
  listRunsJson,
  makeProject,
  onlyRun,
  pluginFixture,
  readAttrs,
  readGuildFile,
  readRecord,
  waitForFile,
  type Project,
  type TimedResult,
} from './support.js';

/**
 * Writes its pid where PID_FILE says once it is ready for signals, then waits for one; not
 * for long, so a signal that never arrives fails the test on its result, not its timeout.
 */
const PY_SLEEPER = `import os, time
print("started", flush=True)
try:
    with open(os.environ["PID_FILE"], "w") as f:
        f.write(str(os.getpid()))
    time.sleep(20)
except KeyboardInterrupt:
    print("got KeyboardInterrupt", flush=True)
    raise
`;

interface SignalRun {
  project: Project;
  result: TimedResult;
  /** `.guild/LOCK` and the listed status while the script was running. */
  lock: string;
  statusWhileRunning: unknown;
  /** The pids a live LOCK may hold: guild-stage's, or the script's as Guild itself writes. */
  pids: string[];
}

/** Runs the sleeper with an end hook and the recorder; `deliver` sends the signal once the script's pid is known. */
async function runAndSignal(deliver: (scriptPid: number, cli: ChildProcess) => void): Promise<SignalRun> {
  const project = await makeProject({ 'train.py': PY_SLEEPER });
  const pidFile = path.join(project.scratch, 'pid');
  let cli: ChildProcess | undefined;
  const running = project.gs(
    ['run', 'train.py', '--plugin', pluginFixture('recorder.mjs'), '--hook', 'on_run_end=cat > "$SCRATCH/end.json"'],
    {
      env: { PID_FILE: pidFile, GS_RECORD: path.join(project.scratch, 'record.jsonl') },
      onSpawn: (child) => (cli = child),
    },
  );
  const pid = Number(await waitForFile(pidFile));
  const runDir = await onlyRun(project.runsDir);
  const lock = await readGuildFile(runDir, 'LOCK');
  const [run] = await listRunsJson(project);
  deliver(pid, cli!);
  return {
    project,
    result: await running,
    lock,
    statusWhileRunning: run?.status,
    pids: [String(cli!.pid), String(pid)],
  };
}

async function endSeenBy(project: Project) {
  const hook = JSON.parse(await readFile(path.join(project.scratch, 'end.json'), 'utf8'));
  const recorded = (await readRecord(path.join(project.scratch, 'record.jsonl'))).filter(
    (call) => call.hook === 'onRunEnd',
  );
  return { hook, recorded };
}

describe.concurrent('signals', () => {
  it('a script killed by SIGTERM ends terminated with exit_status -15, and end hooks run', async ({ expect }) => {
    const { project, result, lock, statusWhileRunning, pids } = await runAndSignal((pid) =>
      process.kill(pid, 'SIGTERM'),
    );
    expect(pids).toContain(lock);
    expect(statusWhileRunning).toBe('running');
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(128 + 15);
    expect(result.stderr).toMatch(/^Run [0-9a-f]{8} terminated by SIGTERM in /m);

    const runDir = await onlyRun(project.runsDir);
    expect((await readAttrs(runDir)).exit_status).toBe(-15);
    expect(await listRunsJson(project)).toEqual([expect.objectContaining({ status: 'terminated', exitStatus: -15 })]);
    expect(await readGuildFile(runDir, 'output')).toBe('started\n');

    const { hook, recorded } = await endSeenBy(project);
    expect(hook).toMatchObject({ status: 'terminated', exitStatus: -15 });
    expect(recorded).toEqual([
      expect.objectContaining({ status: 'terminated', result: 'terminated', exitStatus: -15, signal: 'SIGTERM' }),
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('SIGINT to guild-stage reaches the script as KeyboardInterrupt; the run ends terminated with end hooks run', async ({
    expect,
  }) => {
    const { project, result, statusWhileRunning } = await runAndSignal((_pid, cli) => cli.kill('SIGINT'));
    expect(statusWhileRunning).toBe('running');
    // guild-stage itself survives the signal to record the end, then exits as a shell would report it.
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(128 + 2);

    const runDir = await onlyRun(project.runsDir);
    expect(await readGuildFile(runDir, 'output')).toMatch(
      /^started\ngot KeyboardInterrupt\nTraceback[\s\S]*KeyboardInterrupt\n$/,
    );
    // Python re-raises an unhandled KeyboardInterrupt as death by SIGINT.
    expect((await readAttrs(runDir)).exit_status).toBe(-2);
    expect(await listRunsJson(project)).toEqual([expect.objectContaining({ status: 'terminated', exitStatus: -2 })]);

    const { hook, recorded } = await endSeenBy(project);
    expect(hook).toMatchObject({ status: 'terminated', exitStatus: -2 });
    expect(recorded).toEqual([
      expect.objectContaining({ status: 'terminated', result: 'terminated', signal: 'SIGINT' }),
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
