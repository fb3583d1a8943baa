/**
 * `guild-stage run`: real python3 and node scripts, their output as Guild records it, exit
 * codes, `--json`, script arguments and the script's environment.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeProject, onlyRun, readAttrs, readGuildFile, readOutputIndex } from './support.js';

// Pauses between writes: stdout and stderr are separate pipes, so only time orders them,
// with a margin for a loaded machine.
const PY_OUTPUT = `import sys, time
print("out one")
time.sleep(0.15)
print("err one", file=sys.stderr)
time.sleep(0.15)
sys.stdout.write("out two\\nout three\\n")
sys.stdout.flush()
time.sleep(0.15)
print("err two", file=sys.stderr)
sys.exit(3)
`;

const NODE_OUTPUT = `const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
process.stdout.write('node out\\n');
await sleep(150);
process.stderr.write('node err\\n');
await sleep(150);
process.stdout.write('partial');
await sleep(150);
process.stdout.write(' line\\n');
`;

const PY_ENV = `import json, os, sys
keys = ["RUN_DIR", "RUN_ID", "FLAG_LR", "FLAG_NAME", "MY_SECRET_TOKEN"]
print(json.dumps({"argv": sys.argv, "cwd": os.getcwd(), "env": {k: os.environ.get(k) for k in keys}}))
`;

describe.concurrent('run', () => {
  it("records a python script's output in arrival order, indexes each line, and exits with its code", async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': PY_OUTPUT });
    const result = await project.gs(['run', 'train.py']);

    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toBe('out one\nout two\nout three\n');
    expect(result.stderr).toContain('err one\n');
    const runDir = await onlyRun(project.runsDir);
    expect(await readGuildFile(runDir, 'output')).toBe('out one\nerr one\nout two\nout three\nerr two\n');
    const { records, bytes } = await readOutputIndex(runDir);
    expect(bytes).toBe(5 * 9);
    expect(records.map((record) => record.stream)).toEqual([0, 1, 0, 0, 1]);
    for (const [i, record] of records.entries()) {
      expect(record.time).toBeGreaterThanOrEqual(result.t0);
      expect(record.time).toBeLessThanOrEqual(result.t1);
      if (i > 0) expect(record.time).toBeGreaterThanOrEqual(records[i - 1]!.time);
    }
    // One write of two lines is one chunk: both lines carry its time.
    expect(records[2]!.time).toBe(records[3]!.time);
    expect(records[1]!.time).toBeGreaterThan(records[0]!.time);
    const attrs = await readAttrs(runDir);
    expect(attrs.exit_status).toBe(3);
    expect(result.stderr).toMatch(/^Run [0-9a-f]{8} error \(exit 3\) in /m);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('records a node script, a line split across writes indexed once at its first byte', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': NODE_OUTPUT });
    const result = await project.gs(['train.mjs', '--runs-dir', path.join(project.home, 'elsewhere')]);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('node out\npartial line\n');
    const runDir = await onlyRun(path.join(project.home, 'elsewhere'));
    expect(await readGuildFile(runDir, 'output')).toBe('node out\nnode err\npartial line\n');
    const { records, bytes } = await readOutputIndex(runDir);
    expect(bytes).toBe(3 * 9);
    expect(records.map((record) => record.stream)).toEqual([0, 1, 0]);
    for (const record of records) {
      expect(record.time).toBeGreaterThanOrEqual(result.t0);
      expect(record.time).toBeLessThanOrEqual(result.t1);
    }
    const attrs = await readAttrs(runDir);
    expect(attrs.exit_status).toBe(0);
    expect(attrs.cmd).toEqual([process.execPath, 'train.mjs']);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it("with --json prints one JSON object on stdout and moves the script's stdout to stderr", async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'print("script says hi")\n' });
    const result = await project.gs(['run', 'train.py', '--json', '--force-flags', '--flags', 'lr=0.1', 'name=abc']);

    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!);
    expect(json.id).toMatch(/^[0-9a-f]{32}$/);
    expect(json).toMatchObject({
      runDir: path.join(project.runsDir, json.id),
      status: 'completed',
      flags: {},
      forced: { lr: 0.1, name: 'abc' },
      exitStatus: 0,
      opspec: 'train.py',
    });
    expect(await onlyRun(project.runsDir)).toBe(json.runDir);
    expect(result.stderr).toContain('script says hi\n');
    expect(await readGuildFile(json.runDir, 'output')).toBe('script says hi\n');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('passes arguments after -- to the script, which runs in the run dir with RUN_DIR, RUN_ID and FLAG_*', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': PY_ENV });
    const result = await project.gs(
      ['train.py', '--force-flags', '--flags', 'lr=0.1', 'name=two words', '--', 'a b', '--json', '-1'],
      { env: { MY_SECRET_TOKEN: 'tok-93be' } },
    );

    expect(result.code, result.stderr).toBe(0);
    const runDir = await onlyRun(project.runsDir);
    const output = await readGuildFile(runDir, 'output');
    // `--json` after `--` was the script's: guild-stage's stdout is only the script's.
    expect(result.stdout).toBe(output);
    const seen = JSON.parse(output);
    expect(seen.argv).toEqual(['train.py', 'a b', '--json', '-1']);
    expect(seen.cwd).toBe(runDir);
    expect(seen.env).toEqual({
      RUN_DIR: runDir,
      RUN_ID: path.basename(runDir),
      FLAG_LR: '0.1',
      FLAG_NAME: 'two words',
      // Secrets are kept out of the records, never out of the script's own environment.
      MY_SECRET_TOKEN: 'tok-93be',
    });
    expect((await readAttrs(runDir)).cmd).toEqual([process.env.PYTHON || 'python3', 'train.py', 'a b', '--json', '-1']);
    expect(await project.snapshot()).toEqual(project.before);
  });
  it('gives the script FIFOs for stdout and stderr, as a shell pipeline does, made in memory and none left behind', async ({
    expect,
  }) => {
    // The FIFOs' private directory is in $XDG_RUNTIME_DIR (a tmpfs where it is set), not on disk.
    const script = `import os, stat, sys
print([stat.S_ISFIFO(os.fstat(fd).st_mode) for fd in (1, 2)])
print([name.startswith("guild-stage-fifo-") for name in os.listdir(os.environ["XDG_RUNTIME_DIR"])])
for i in range(3000):
    print(f"line {i}")
`;
    const project = await makeProject({ 'train.py': script });
    const runtime = path.join(project.scratch, 'runtime');
    await mkdir(runtime);
    const result = await project.gs(['run', 'train.py', '-q'], { env: { XDG_RUNTIME_DIR: runtime } });

    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['[True, True]', '[True]']);
    expect(lines.slice(2, -1)).toEqual(Array.from({ length: 3000 }, (_, i) => `line ${i}`));
    const output = await readGuildFile(await onlyRun(project.runsDir), 'output');
    expect(output).toBe(result.stdout);
    expect(await readdir(runtime)).toEqual([]);
  });

  it("takes NAME=VALUE after the script as a flag, as guild run does; the script's own arguments go after --", async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': 'import sys\nlr = 0.01\nprint(lr, sys.argv[1:])\n' });
    const flag = await project.gs(['train.py', 'lr=0.2', '-q']);
    expect(flag.code, flag.stderr).toBe(0);
    expect(flag.stdout).toBe('0.2 []\n');
    expect((await readAttrs(await onlyRun(project.runsDir))).flags).toEqual({ lr: 0.2 });

    const both = await project.gs(['stage', 'train.py', 'lr=0.3', '-q', '--', 'lr=9', '--data', 'x']);
    expect(both.code, both.stderr).toBe(0);
    const staged = await project.gs(['start', both.stdout.trim(), '-q']);
    expect(staged.stdout).toBe("0.3 ['lr=9', '--data', 'x']\n");

    // The variadic --flags took the script too: it is still the script.
    const swallowed = await project.gs(['--flags', 'lr=0.4', 'train.py', '-q']);
    expect(swallowed.code, swallowed.stderr).toBe(0);
    expect(swallowed.stdout).toBe('0.4 []\n');

    const unknown = await project.gs(['train.py', 'data=x.csv']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "guild-stage: unknown flag 'data' (flags of train.py: lr); pass --force-flags to record it anyway (to pass data=x.csv to the script, put it after --)\n",
    );
    const stray = await project.gs(['train.py', 'foo']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toBe(
      "guild-stage: unexpected argument 'foo': flags are NAME=VALUE; arguments for the script go after --: guild-stage train.py -- foo\n",
    );
    expect(await project.snapshot()).toEqual(project.before);
  });
});
