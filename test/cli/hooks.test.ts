/**
 * Command hooks (`--hook EVENT=COMMAND`): real shell commands that get the Run as JSON on
 * stdin, run in the run directory, may edit the staged copy, and stop the run by failing.
 */
import { execFileSync } from 'node:child_process';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject, onlyRun, readAttrs, readGuildFile } from './support.js';

/** Saves what a hook gets (stdin, environment, cwd) under $SCRATCH, named by its event. */
const CAPTURE = `cat > "$SCRATCH/$GUILD_STAGE_HOOK.json"
env > "$SCRATCH/$GUILD_STAGE_HOOK.env"
pwd -P > "$SCRATCH/$GUILD_STAGE_HOOK.pwd"
`;

/** `env` output as a map; values spanning lines are not needed here. */
function parseEnv(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

const EVENTS = ['on_run_staged', 'on_run_begin', 'on_run_end'] as const;

describe.concurrent('command hooks', () => {
  it('get the Run as JSON on stdin, RUN_DIR, RUN_ID and GUILD_STAGE_HOOK, in the run dir', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': 'console.log("trained");\n' });
    const hookScript = path.join(project.scratch, 'capture.sh');
    await writeFile(hookScript, CAPTURE);
    const hooks = EVENTS.flatMap((event) => ['--hook', `${event}=sh ${hookScript}`]);
    const result = await project.gs(['run', 'train.mjs', '--force-flags', '--flags', 'lr=0.1', ...hooks]);
    expect(result.code, result.stderr).toBe(0);
    const runDir = await onlyRun(project.runsDir);
    const id = path.basename(runDir);

    const statuses = { on_run_staged: 'staged', on_run_begin: 'running', on_run_end: 'completed' };
    for (const event of EVENTS) {
      const json = JSON.parse(await readFile(path.join(project.scratch, `${event}.json`), 'utf8'));
      expect(json).toMatchObject({
        id,
        dir: runDir,
        projectDir: project.dir,
        opspec: 'train.mjs',
        flags: {},
        forced: { lr: 0.1 },
        status: statuses[event],
      });
      const env = parseEnv(await readFile(path.join(project.scratch, `${event}.env`), 'utf8'));
      expect(env.get('RUN_DIR')).toBe(runDir);
      expect(env.get('RUN_ID')).toBe(id);
      expect(env.get('GUILD_STAGE_HOOK')).toBe(event);
      expect(env.get('FLAG_LR')).toBe('0.1');
      expect(await readFile(path.join(project.scratch, `${event}.pwd`), 'utf8')).toBe(`${runDir}\n`);
    }
    const end = JSON.parse(await readFile(path.join(project.scratch, 'on_run_end.json'), 'utf8'));
    expect(end.exitStatus).toBe(0);
    expect(await readGuildFile(runDir, 'output')).toBe('trained\n');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('an on_run_staged edit of a staged file runs, lands in staged.patch, and leaves the project alone', async ({
    expect,
  }) => {
    const script = 'const lr = 0.01;\nconsole.log("lr", lr);\n';
    const project = await makeProject({ 'train.mjs': script, 'other.txt': 'untouched\n' });
    const result = await project.gs([
      'run',
      'train.mjs',
      '--json',
      '--hook',
      "on_run_staged=sed -i 's/^const lr = 0.01;$/const lr = 0.5;/' train.mjs",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.changed).toEqual([{ path: 'train.mjs', change: 'modified', plugins: [] }]);
    expect(json.patchFile).toBe(path.join(json.runDir, '.guild', 'staged.patch'));

    const runDir = await onlyRun(project.runsDir);
    expect(await readFile(path.join(runDir, 'train.mjs'), 'utf8')).toBe('const lr = 0.5;\nconsole.log("lr", lr);\n');
    expect(await readGuildFile(runDir, 'output')).toBe('lr 0.5\n');
    const patch = await readGuildFile(runDir, 'staged.patch');
    expect(patch).toBe(
      [
        'diff --git a/train.mjs b/train.mjs',
        '--- a/train.mjs',
        '+++ b/train.mjs',
        '@@ -1,2 +1,2 @@',
        '-const lr = 0.01;',
        '+const lr = 0.5;',
        ' console.log("lr", lr);',
        '',
      ].join('\n'),
    );
    // The patch applies to the project with plain git: checked on a copy, the project stays as it was.
    const copy = path.join(project.scratch, 'copy');
    await cp(project.dir, copy, { recursive: true });
    execFileSync('git', ['apply', path.join(runDir, '.guild', 'staged.patch')], { cwd: copy });
    expect(await readFile(path.join(copy, 'train.mjs'), 'utf8')).toBe('const lr = 0.5;\nconsole.log("lr", lr);\n');
    expect(await readFile(path.join(project.dir, 'train.mjs'), 'utf8')).toBe(script);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('file modes a hook sets are in staged.patch as git writes them, and git apply reproduces them', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.mjs': 'console.log("ok");\n', 'run.sh': 'echo run\n' });
    const hook = "on_run_staged=printf '#!/bin/sh\\necho tool\\n' > tool.sh && chmod +x tool.sh run.sh";
    const result = await project.gs(['run', 'train.mjs', '--hook', hook]);
    expect(result.code, result.stderr).toBe(0);
    const runDir = await onlyRun(project.runsDir);
    expect(await readGuildFile(runDir, 'staged.patch')).toBe(
      [
        'diff --git a/run.sh b/run.sh',
        'old mode 100644',
        'new mode 100755',
        'diff --git a/tool.sh b/tool.sh',
        'new file mode 100755',
        '--- /dev/null',
        '+++ b/tool.sh',
        '@@ -0,0 +1,2 @@',
        '+#!/bin/sh',
        '+echo tool',
        '',
      ].join('\n'),
    );
    const copy = path.join(project.scratch, 'copy');
    await cp(project.dir, copy, { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: copy });
    execFileSync('git', ['apply', path.join(runDir, '.guild', 'staged.patch')], { cwd: copy });
    expect(execFileSync(path.join(copy, 'tool.sh'), { encoding: 'utf8' })).toBe('tool\n');
    expect((await stat(path.join(copy, 'run.sh'))).mode & 0o111).not.toBe(0);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it.for(['on_run_staged', 'on_run_begin'] as const)(
    'a failing %s hook stops the run before exec, with its stderr in the message, and on_run_end still runs',
    async (event, { expect }) => {
      const project = await makeProject({
        'train.cjs': 'require("node:fs").writeFileSync(process.env.SCRATCH + "/ran", "yes");\n',
      });
      const result = await project.gs([
        'run',
        'train.cjs',
        '--hook',
        `${event}=echo "the hook says no" >&2; exit 3`,
        '--hook',
        'on_run_end=cat > "$SCRATCH/end.json"',
      ]);
      expect(result.code, result.stderr).toBe(1);
      expect(existsSync(path.join(project.scratch, 'ran'))).toBe(false);
      const summary = result.stderr.split('\n').find((line) => line.startsWith('Run '));
      expect(summary).toMatch(
        new RegExp(`^Run [0-9a-f]{8} error: \\[plugin hook ${event}\\] .* exited with code 3: the hook says no in \\d`),
      );

      const end = JSON.parse(await readFile(path.join(project.scratch, 'end.json'), 'utf8'));
      expect(end).toMatchObject({ status: 'error', exitStatus: null });
      expect(end.error).toContain('the hook says no');

      const runDir = await onlyRun(project.runsDir);
      const [run] = await listRunsJson(project);
      expect(run).toMatchObject({ status: 'error', exitStatus: null });
      const attrs = await readAttrs(runDir);
      expect(attrs).not.toHaveProperty('exit_status');
      expect((attrs.guild_stage as { error: string }).error).toContain('the hook says no');
      // Only on_run_begin comes after the start is recorded.
      expect('started' in attrs).toBe(event === 'on_run_begin');
      expect(existsSync(path.join(runDir, '.guild', 'output'))).toBe(false);
      expect(await project.snapshot()).toEqual(project.before);
    },
  );
});
