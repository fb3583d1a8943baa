/**
 * How the CLI reports: `-q` hides progress but never why a run failed, `--json` turns an
 * error into one JSON object on stdout too, and `stage` prints the run id alone on stdout.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { makeProject, runsDirEntries, stderrLines } from './support.js';

const SCRIPT = 'lr = 0.01\nprint(f"lr {lr}")\n';

describe.concurrent('reporting', () => {
  it('-q still says why a run failed when a hook failed or the script could not start, in one line', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': SCRIPT });
    const hook = await project.gs(['run', 'train.py', '-q', '--hook', 'on_run_begin=false']);
    expect(hook.code).toBe(1);
    expect(stderrLines(hook)).toEqual([
      expect.stringMatching(/^Run [0-9a-f]{8} error: .*on_run_begin.*command 'false' exited with code 1/),
    ]);

    const exec = await project.gs(['run', 'train.py', '-q', '--exec', 'no-such-program-8d1e x']);
    expect(exec.code).toBe(1);
    expect(stderrLines(exec)).toEqual([expect.stringMatching(/error: cannot run no-such-program-8d1e/)]);

    // The script's own failure speaks through its output and exit code; -q adds nothing.
    const project2 = await makeProject({ 'fail.py': 'import sys\nsys.exit(3)\n' });
    const failed = await project2.gs(['run', 'fail.py', '-q']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toBe('');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('with --json an error is one JSON object on stdout as well as its line on stderr, and nothing is made', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': SCRIPT });
    const result = await project.gs(['run', 'train.py', '--flags', 'lrr=0.1', '--json']);
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([expect.stringMatching(/^guild-stage: unknown flag 'lrr'/)]);
    expect(JSON.parse(result.stdout)).toEqual({
      error: expect.objectContaining({
        code: 'FLAG',
        message: expect.stringContaining("unknown flag 'lrr'"),
        suggestion: 'did you mean lr?',
      }),
    });
    expect(await runsDirEntries(project.runsDir)).toEqual([]);

    const missing = await project.gs(['start', 'deadbeef', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('NOT_FOUND');

    // Commander's own usage errors take the same form.
    const usage = await project.gs(['runs', '--json', '--no-such-option']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout).error).toEqual({
      code: 'USAGE',
      message: expect.stringContaining('--no-such-option'),
    });
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('stage -q prints only the run id, so a shell can capture it; a failed staging adds its reason on stderr', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': SCRIPT });
    const ok = await project.gs(['stage', 'train.py', '-q']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^[0-9a-f]{32}\n$/);
    expect(ok.stderr).toBe('');
    expect(existsSync(`${project.runsDir}/${ok.stdout.trim()}`)).toBe(true);

    const failed = await project.gs(['stage', 'train.py', '-q', '--hook', 'on_run_staged=false']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^[0-9a-f]{32}\n$/);
    expect(stderrLines(failed)).toEqual([expect.stringMatching(/error: .*on_run_staged.*exited with code 1/)]);
  });

  it('ends quietly with 0 when its reader goes away (`runs | head`), for runs, compare and flags', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': SCRIPT });
    expect((await project.gs(['stage', 'train.py', '-q'])).code).toBe(0);
    for (const args of [['runs'], ['compare'], ['runs', '--json'], ['flags', 'train.py']]) {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: project.dir,
        env: { ...process.env, GUILD_HOME: project.home },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // The reader is gone before the first write: every write meets a closed pipe.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      const [code] = await once(child, 'close');
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });

  it('stage of a list value says batches are for run; batch options on a single run warn and the run goes on', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': SCRIPT });
    const staged = await project.gs(['stage', 'train.py', '--flags', 'lr=[0.1,0.2]']);
    expect(staged.code).toBe(2);
    expect(stderrLines(staged)).toEqual([
      'guild-stage: a list or range of values makes a batch, and batches are for run; guild-stage run train.py --flags lr=[0.1,0.2]',
    ]);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);

    const single = await project.gs(['run', 'train.py', '--flags', 'lr=0.2', '--parallel', '2']);
    expect(single.code, single.stderr).toBe(0);
    expect(single.stdout).toBe('lr 0.2\n');
    expect(stderrLines(single)[0]).toBe(
      'guild-stage: warning: --parallel is for batches; this is a single run (no flag has a list or range)',
    );
    expect(await project.snapshot()).toEqual(project.before);
  });
});
