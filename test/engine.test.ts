import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun, runScript, stageRun, startRun, type StageOptions } from '../src/engine.js';
import { GuildStageError } from '../src/errors.js';
import type { OutputLine, Plugin, RunResult } from '../src/plugins/types.js';
import { readAttrs } from '../src/records/attrs.js';
import { readRun } from '../src/records/read-run.js';
import { runCli } from './helpers/cli.js';
import { makeTempDir, snapshotTree, writeTree } from './helpers/fs.js';

async function project(files: Record<string, string>): Promise<{ dir: string; runsDir: string }> {
  const root = await makeTempDir();
  const dir = path.join(root, 'project');
  await mkdir(dir);
  await writeTree(dir, files);
  return { dir, runsDir: path.join(root, 'runs') };
}

function options(p: { dir: string; runsDir: string }, extra: Partial<StageOptions>): StageOptions {
  return { cwd: p.dir, runsDir: p.runsDir, script: 'train.py', ...extra };
}

/** A plugin that records every hook call it gets, with the run's status at that moment. */
function recorder(calls: string[], name = 'rec'): Plugin {
  return {
    name,
    onRunStaged: (run) => void calls.push(`${name} staged ${run.status}`),
    onRunBegin: (run) => void calls.push(`${name} begin ${run.status}`),
    onRunEnd: (run, result) => void calls.push(`${name} end ${run.status} ${result.status}`),
  };
}

const pyScript =
  'import sys\nprint("out line")\nprint("err line", file=sys.stderr)\nsys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)\n';

describe('staging', () => {
  it('diffs every change a plugin made, through StagedSource or fs, attributed, and the patch applies to the project', async () => {
    const p = await project({ 'train.py': 'lr = 0.01\nprint(lr)\n', 'data/config.txt': 'size: 1\n' });
    const before = await snapshotTree(p.dir);
    const editor: Plugin = {
      name: 'editor',
      async onRunStaged(_run, staged) {
        expect(staged.files).toEqual(['data/config.txt', 'train.py']);
        await staged.write('train.py', (await staged.read('train.py')).replace('0.01', '0.5'));
        await staged.write('notes/added.md', '# added\n');
        await writeFile(path.join(staged.dir, 'data/config.txt'), 'size: 2\n');
      },
    };
    const staged = await stageRun(options(p, { plugins: [editor] }));
    expect(staged.result).toBeNull();
    expect(staged.run.status).toBe('staged');
    expect(staged.changed).toEqual([
      { path: 'data/config.txt', change: 'modified', plugins: [] },
      { path: 'train.py', change: 'modified', plugins: ['editor'] },
      { path: 'notes/added.md', change: 'added', plugins: ['editor'] },
    ]);
    expect(await snapshotTree(p.dir)).toEqual(before);
    const patch = await readFile(staged.patchFile, 'utf8');
    expect(patch).toContain('-lr = 0.01\n+lr = 0.5\n');
    const copy = path.join(path.dirname(p.dir), 'copy');
    await cp(p.dir, copy, { recursive: true });
    execFileSync('git', ['apply', staged.patchFile], { cwd: copy });
    expect(await readFile(path.join(copy, 'train.py'), 'utf8')).toBe('lr = 0.5\nprint(lr)\n');
    expect(await readFile(path.join(copy, 'notes/added.md'), 'utf8')).toBe('# added\n');
    expect(await readFile(path.join(copy, 'data/config.txt'), 'utf8')).toBe('size: 2\n');
    const record = await readRun(staged.run.dir);
    expect(record.status).toBe('staged');
    expect((record.attrs.guild_stage as { changed: unknown }).changed).toEqual({
      'data/config.txt': [],
      'train.py': ['editor'],
      'notes/added.md': ['editor'],
    });
  });

  it('writes an empty patch when nothing changed', async () => {
    const p = await project({ 'train.py': 'print(1)\n' });
    const staged = await stageRun(options(p, {}));
    expect(await readFile(staged.patchFile, 'utf8')).toBe('');
    expect(staged.changed).toEqual([]);
  });

  it('keeps StagedSource inside the run directory', async () => {
    const p = await project({ 'train.py': 'print(1)\n' });
    const sneaky: Plugin = { name: 'sneaky', onRunStaged: (_run, staged) => staged.write('../escape.txt', 'x') };
    const staged = await stageRun(options(p, { plugins: [sneaky] }));
    expect(staged.run.status).toBe('error');
    expect(staged.run.error).toBe(
      '[plugin sneaky] onRunStaged: plugin sneaky may not access ../escape.txt: outside the staged source',
    );
    expect(await readdir(path.dirname(staged.run.dir))).toEqual([staged.run.id]);
  });

  it('stops a run whose onRunStaged throws: status error, reason recorded, onRunEnd called, nothing executed', async () => {
    const p = await project({ 'train.py': 'open("ran.txt", "w").write("ran")\n' });
    const calls: string[] = [];
    const broken: Plugin = {
      name: 'broken',
      onRunStaged: () => {
        throw new Error('cannot stage');
      },
    };
    const outcome = await runScript(options(p, { plugins: [recorder(calls), broken] }));
    expect(outcome.run.status).toBe('error');
    expect(outcome.result.status).toBe('error');
    expect(outcome.result.exitStatus).toBeNull();
    expect(outcome.result.error?.message).toBe('[plugin broken] onRunStaged: cannot stage');
    expect(calls).toEqual(['rec staged staged', 'rec end error error']);
    const record = await readRun(outcome.run.dir);
    expect(record.status).toBe('error');
    expect(record.error).toBe('[plugin broken] onRunStaged: cannot stage');
    expect(record.exitStatus).toBeNull();
    await expect(readFile(path.join(outcome.run.dir, 'ran.txt'))).rejects.toThrow();
  });

  it("refuses a value the script's language cannot hold before staging, at the flag's line", async () => {
    const p = await project({ 'train.R': 'x <- 1\nn <-\n  10L\n' });
    const error = await runScript(options(p, { script: 'train.R', flags: ['n=3000000000'] })).catch((e) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect(error).toMatchObject({
      code: 'FLAG',
      file: 'train.R',
      line: 2,
      message: 'flag n: 3000000000 is outside the range of R integers (±2147483647)',
    });
    expect(await readdir(p.runsDir).catch(() => [])).toEqual([]);
  });

  it('reports a staged file that does not parse for staged.ast as a SOURCE error at its line', async () => {
    const p = await project({ 'train.py': 'print(1)\n', 'lib.js': 'const lr = 0.1;\nconst = 2;\n' });
    const reader: Plugin = { name: 'reader', onRunStaged: async (_run, staged) => void (await staged.ast('lib.js')) };
    const outcome = await runScript(options(p, { plugins: [reader] }));
    expect(outcome.result.error).toMatchObject({
      code: 'PLUGIN',
      file: 'lib.js',
      line: 2,
      message: '[plugin reader] onRunStaged: lib.js:2:7: Unexpected token',
    });
    expect(outcome.result.error!.cause).toMatchObject({ code: 'SOURCE' });
  });

  it('refuses a script the source rules exclude, leaving nothing', async () => {
    const p = await project({ 'train.py': 'print(1)\n' });
    const error = await stageRun(options(p, { source: { select: [{ type: 'exclude', pattern: '*.py' }] } })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(GuildStageError);
    expect(error.message).toBe('the script train.py is not part of the staged source (excluded by the source rules)');
    expect(await readdir(p.runsDir).catch(() => [])).toEqual([]);
  });

  it('leaves nothing behind when the copy fails (a full disk)', async (ctx) => {
    const p = await project({ 'train.py': 'print(1)\n' });
    for (let i = 0; i < 8; i++) await writeFile(path.join(p.dir, `data${i}.txt`), 'x'.repeat(100_000));
    await mkdir(p.runsDir);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', p.runsDir]);
    if (mount.status !== 0) ctx.skip('mounting a small tmpfs needs root (CAP_SYS_ADMIN)');
    try {
      const before = await snapshotTree(p.dir);
      const error = await stageRun(options(p, {})).catch((e) => e);
      expect(error).toBeInstanceOf(GuildStageError);
      expect(error.message).toMatch(/no space left on device|ENOSPC/i);
      expect(await readdir(p.runsDir)).toEqual([]);
      expect(await snapshotTree(p.dir)).toEqual(before);
    } finally {
      spawnSync('umount', [p.runsDir]);
    }
  });
});

describe('running', () => {
  it('runs a real python3 script, records its output and calls the hooks in order', async () => {
    const p = await project({ 'train.py': pyScript });
    const calls: string[] = [];
    const lines: OutputLine[] = [];
    const streams = { stdout: '', stderr: '' };
    const outcome = await runScript(
      options(p, {
        plugins: [recorder(calls), { name: 'lines', onRunOutput: (_run, line) => void lines.push(line) }],
        onOutput: (stream, chunk) => void (streams[stream] += chunk),
      }),
    );
    expect(outcome.run.status).toBe('completed');
    expect(outcome.result).toMatchObject({ status: 'completed', exitStatus: 0, signal: null, error: null });
    expect(calls).toEqual(['rec staged staged', 'rec begin running', 'rec end completed completed']);
    expect(lines.map((l) => [l.stream, l.text]).sort()).toEqual([
      ['stderr', 'err line'],
      ['stdout', 'out line'],
    ]);
    expect(streams).toEqual({ stdout: 'out line\n', stderr: 'err line\n' });
    const output = await readFile(path.join(outcome.run.dir, '.guild/output'), 'utf8');
    expect(output.split('\n').sort()).toEqual(['', 'err line', 'out line']);
    expect((await readFile(path.join(outcome.run.dir, '.guild/output.index'))).length).toBe(18);
  });

  it('passes script args and records a failing exit', async () => {
    const p = await project({ 'train.py': pyScript });
    const outcome = await runScript(options(p, { scriptArgs: ['3'] }));
    expect(outcome.run.status).toBe('error');
    expect(outcome.run.exitStatus).toBe(3);
    expect(outcome.run.cmd).toEqual(['python3', 'train.py', '3']);
    expect((await readAttrs(outcome.run.dir)).exit_status).toBe(3);
  });

  it('gives the script RUN_DIR, RUN_ID and FLAG_* and runs it in the run directory', async () => {
    const p = await project({
      'train.mjs':
        'import fs from "node:fs";\nfs.writeFileSync("env.json", JSON.stringify({ cwd: process.cwd(), dir: process.env.RUN_DIR, id: process.env.RUN_ID, lr: process.env.FLAG_LR }));\n',
    });
    const outcome = await runScript(options(p, { script: 'train.mjs', flags: ['lr=0.5'], forceFlags: true }));
    const env = JSON.parse(await readFile(path.join(outcome.run.dir, 'env.json'), 'utf8'));
    expect(env).toEqual({ cwd: outcome.run.dir, dir: outcome.run.dir, id: outcome.run.id, lr: '0.5' });
    // Forced: the script declares no lr, so it reaches it only as FLAG_LR and is no flag of the run.
    expect([outcome.run.flags, outcome.run.forced]).toEqual([{}, { lr: 0.5 }]);
  });

  it('keeps secrets given for the script out of hook stdin and the records', async () => {
    const p = await project({ 'train.py': 'import os\nprint(os.environ["API_KEY"], os.environ["PLAIN"])\n' });
    const outcome = await runScript(
      options(p, {
        env: { API_KEY: 'k-123', PLAIN: 'p-456' },
        hooks: [{ event: 'on_run_begin', command: 'cat > hook-stdin.json' }],
      }),
    );
    expect(await readFile(path.join(outcome.run.dir, '.guild/output'), 'utf8')).toBe('k-123 p-456\n');
    const stdin = JSON.parse(await readFile(path.join(outcome.run.dir, 'hook-stdin.json'), 'utf8')) as {
      env: Record<string, string>;
    };
    expect(stdin.env.PLAIN).toBe('p-456');
    expect(stdin.env).not.toHaveProperty('API_KEY');
    for (const name of ['env', 'op', 'guild_stage']) {
      expect(await readFile(path.join(outcome.run.dir, '.guild/attrs', name), 'utf8')).not.toContain('k-123');
    }
  });

  it('lets onRunBegin add environment for the script', async () => {
    const p = await project({ 'train.py': 'import os\nprint(os.environ["INJECTED"])\n' });
    const outcome = await runScript(
      options(p, { plugins: [{ name: 'env', onRunBegin: (run) => void (run.env.INJECTED = 'from plugin') }] }),
    );
    expect(await readFile(path.join(outcome.run.dir, '.guild/output'), 'utf8')).toBe('from plugin\n');
  });

  it('stops a run whose onRunBegin throws, before exec, and still calls onRunEnd', async () => {
    const p = await project({ 'train.py': 'open("ran.txt", "w").write("ran")\n' });
    const calls: string[] = [];
    const outcome = await runScript(
      options(p, {
        plugins: [
          recorder(calls),
          {
            name: 'gate',
            onRunBegin: () => {
              throw new Error('no GPU');
            },
          },
        ],
      }),
    );
    expect(outcome.run.status).toBe('error');
    expect(outcome.result.error?.message).toBe('[plugin gate] onRunBegin: no GPU');
    expect(calls).toEqual(['rec staged staged', 'rec begin running', 'rec end error error']);
    expect((await readRun(outcome.run.dir)).status).toBe('error');
    await expect(readFile(path.join(outcome.run.dir, 'ran.txt'))).rejects.toThrow();
  });

  it('refuses a command that cannot start before a run exists, and records one that stopped existing as an error run', async () => {
    const p = await project({ 'train.py': 'print(1)\n' });
    const missing = await runScript(options(p, { exec: ['/nonexistent/interpreter', 'train.py'] })).catch((e) => e);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/not an executable file/) });
    await expect(readdir(p.runsDir)).rejects.toThrow(/ENOENT/);

    // The interpreter was there at staging and is gone when the run starts.
    const bin = await makeTempDir();
    const interpreter = path.join(bin, 'interpreter');
    await writeFile(interpreter, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const staged = await stageRun(options(p, { exec: [interpreter, 'train.py'] }));
    await rm(interpreter);
    const result = await startRun(await openRun(staged.run.dir, { cwd: p.dir, runsDir: p.runsDir }));
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/^cannot run .*interpreter: .*ENOENT/);
    expect((await readRun(staged.run.dir)).status).toBe('error');
  });

  it('terminates the script when the signal aborts: status terminated, end hooks ran', async () => {
    const p = await project({ 'train.py': 'import time\nprint("started", flush=True)\ntime.sleep(30)\n' });
    const controller = new AbortController();
    const ends: RunResult[] = [];
    const outcome = await runScript(
      options(p, {
        signal: controller.signal,
        plugins: [
          { name: 'end', onRunOutput: () => controller.abort(), onRunEnd: (_run, result) => void ends.push(result) },
        ],
      }),
    );
    expect(outcome.run.status).toBe('terminated');
    expect(outcome.run.exitStatus).toBe(-15);
    expect(ends.map((r) => [r.status, r.signal])).toEqual([['terminated', 'SIGTERM']]);
    expect((await readRun(outcome.run.dir)).status).toBe('terminated');
  });
});

describe('staged runs', () => {
  it('starts later from its records, with begin and end hooks, and only once', async () => {
    const p = await project({ 'train.py': pyScript });
    const calls: string[] = [];
    const rec = recorder(calls);
    const staged = await stageRun(options(p, { scriptArgs: ['0'], flags: ['x=1'], forceFlags: true, plugins: [rec] }));
    expect((await readRun(staged.run.dir)).status).toBe('staged');
    const run = await openRun(staged.run.id.slice(0, 6), { cwd: p.dir, runsDir: p.runsDir });
    expect(run).toMatchObject({
      id: staged.run.id,
      opspec: 'train.py',
      status: 'staged',
      flags: {},
      forced: { x: 1 },
      cmd: ['python3', 'train.py', '0'],
    });
    expect(run.env.FLAG_X).toBe('1');
    // An object the caller gave cannot be loaded again by start: the caller gives it again, and nothing else.
    const failure = (start: Promise<unknown>) =>
      start.then(
        () => expect.unreachable('started'),
        (error: GuildStageError) => error,
      );
    const missing = await failure(startRun(run));
    expect([missing.code, missing.plugin, missing.message]).toEqual([
      'PLUGIN_LOAD',
      'rec',
      `run ${run.shortId} was staged with plugin rec, an object given by a library caller, which start cannot load`,
    ]);
    const other = await failure(startRun(run, { plugins: [rec, recorder(calls, 'other')] }));
    expect([other.code, other.message]).toEqual([
      'USAGE',
      `run ${run.shortId} was not staged with plugin other: start runs the plugins a run was staged with (rec)`,
    ]);
    expect((await readRun(staged.run.dir)).status).toBe('staged');
    const cli = await runCli(['start', staged.run.id, '--runs-dir', p.runsDir], { cwd: p.dir });
    expect([cli.code, cli.stderr]).toEqual([2, expect.stringContaining('an object given by a library caller')]);
    expect(calls).toEqual(['rec staged staged']);
    const result = await startRun(run, { plugins: [rec] });
    expect(result.status).toBe('completed');
    expect(calls).toEqual(['rec staged staged', 'rec begin running', 'rec end completed completed']);
    expect((await readAttrs(staged.run.dir)).plugins).toEqual(['scalars', 'rec']);
    expect((await readRun(staged.run.dir)).status).toBe('completed');
    const again = await openRun(staged.run.dir, { cwd: p.dir, runsDir: p.runsDir });
    await expect(startRun(again)).rejects.toThrow(
      `run ${staged.run.id.slice(0, 8)} has status completed: only a staged run can be started`,
    );
  });
});
