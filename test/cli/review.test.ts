/**
 * Reviewing what was staged: the patch with real `git apply`, `guild-stage diff`, dry runs,
 * and a `--git` run directory read with real `git diff` and `git status`.
 */
import { execFileSync } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeTempDir } from '../helpers/fs.js';
import { makeProject, onlyRun, runsDirEntries, stderrLines } from './support.js';

const TRAIN = 'import os\nlr = 0.01\nepochs = 3\nopen("out.txt", "w").write(f"{lr} {epochs}")\n';

/** A plugin (as a module file) that also edits a second file, through StagedSource. */
const EDITOR = `export default { name: 'editor', async onRunStaged(run, staged) {
  await staged.write('config.txt', (await staged.read('config.txt')).replace('size: 1', 'size: 2'));
  await staged.write('notes/added.txt', 'written by the editor plugin\\n');
} };
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** `git diff` output without what only git adds: blob ids and the function context of hunk headers. */
function normalise(patch: string): string {
  return patch
    .split('\n')
    .filter((line) => !line.startsWith('index '))
    .map((line) => line.replace(/^(@@ [^@]+ @@).*$/, '$1'))
    .join('\n');
}

describe.concurrent('reviewing staged changes', () => {
  it('the patch applies to a copy of the project with git apply and reverses in the run dir', async ({ expect }) => {
    const project = await makeProject({ 'train.py': TRAIN, 'config.txt': 'size: 1\n', 'editor.mjs': EDITOR });
    const result = await project.gs(['stage', 'train.py', '--flags', 'lr=0.5', 'epochs=7', '--plugin', './editor.mjs']);
    expect(result.code, result.stderr).toBe(0);
    const run = await onlyRun(project.runsDir);
    const patch = path.join(run, '.guild/staged.patch');
    const copy = path.join(await makeTempDir(), 'copy');
    await cp(project.dir, copy, { recursive: true });
    git(copy, 'init', '-q');
    git(copy, 'apply', '--check', patch);
    git(copy, 'apply', patch);
    expect(await readFile(path.join(copy, 'train.py'), 'utf8')).toBe(
      await readFile(path.join(run, 'train.py'), 'utf8'),
    );
    expect(await readFile(path.join(copy, 'config.txt'), 'utf8')).toBe('size: 2\n');
    execFileSync('git', ['apply', '-R', '--unsafe-paths', '--directory', '.', patch], { cwd: run });
    expect(await readFile(path.join(run, 'train.py'), 'utf8')).toBe(TRAIN);
    expect(await readFile(path.join(run, 'config.txt'), 'utf8')).toBe('size: 1\n');
    const attrs = await readFile(path.join(run, '.guild/attrs/guild_stage'), 'utf8');
    expect(attrs).toContain('config.txt:\n  - editor\n');
    expect(attrs).toContain('train.py:\n  - flags\n');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('diff prints the patch, colored on request, and --stat summarises it', async ({ expect }) => {
    const project = await makeProject({ 'train.py': TRAIN });
    await project.gs(['stage', 'train.py', '--flags', 'lr=0.5']);
    const run = await onlyRun(project.runsDir);
    const id = path.basename(run);
    const plain = await project.gs(['diff', id.slice(0, 6)]);
    expect(plain.stdout).toBe(await readFile(path.join(run, '.guild/staged.patch'), 'utf8'));
    expect(plain.stdout).toContain('-lr = 0.01\n+lr = 0.5\n');
    const colored = await project.gs(['diff', run, '--color']);
    expect(colored.stdout).toContain('\x1b[31m-lr = 0.01\x1b[0m\n\x1b[32m+lr = 0.5\x1b[0m');
    expect((await project.gs(['diff', id, '--no-color'])).stdout).toBe(plain.stdout);
    expect((await project.gs(['diff', id, '--stat'])).stdout).toBe(
      ' train.py | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n',
    );
    expect(stderrLines(await project.gs(['diff', 'ffffffff']))).toEqual([
      `guild-stage: no run matches 'ffffffff' in ${project.runsDir}; check the id, or give the run directory`,
    ]);
  });

  it('unchanged staging gives an empty patch', async ({ expect }) => {
    const project = await makeProject({ 'train.py': TRAIN });
    await project.gs(['stage', 'train.py']);
    const run = await onlyRun(project.runsDir);
    expect(await readFile(path.join(run, '.guild/staged.patch'), 'utf8')).toBe('');
    expect((await project.gs(['diff', run, '--stat'])).stdout).toBe('no changes\n');
  });

  it('a dry run prints the patch and the command, and creates nothing', async ({ expect }) => {
    const project = await makeProject({ 'train.py': TRAIN, 'config.txt': 'size: 1\n', 'editor.mjs': EDITOR });
    for (const command of ['run', 'stage']) {
      const result = await project.gs([
        command,
        'train.py',
        '--flags',
        'epochs=9',
        '--plugin',
        './editor.mjs',
        '--dry-run',
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('-epochs = 3\n+epochs = 9\n');
      expect(result.stdout).toContain('+size: 2\n');
      expect(stderrLines(result)).toEqual([
        'Dry run: nothing was created. Staging would change:',
        '  train.py:3 epochs 3 -> 9',
        '  M config.txt (editor)',
        '  A notes/added.txt (editor)',
        `Would stage 3 files (${TRAIN.length + 'size: 1\n'.length + EDITOR.length} B) from ${project.dir}`,
        'Would run: python3 train.py',
      ]);
    }
    const json = JSON.parse(
      (await project.gs(['run', 'train.py', '--flags', 'epochs=9', '--dry-run', '--json'])).stdout,
    );
    expect(json).toMatchObject({ dryRun: true, cmd: ['python3', 'train.py'], flags: { lr: 0.01, epochs: 9 } });
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('--git makes the run dir a repository whose git diff is the patch, files plugins added included', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': TRAIN, 'config.txt': 'size: 1\n', 'editor.mjs': EDITOR });
    const result = await project.gs(['run', 'train.py', '--flags', 'lr=0.5', '--plugin', './editor.mjs', '--git']);
    expect(result.code, result.stderr).toBe(0);
    const run = await onlyRun(project.runsDir);
    const patch = await readFile(path.join(run, '.guild/staged.patch'), 'utf8');
    expect(normalise(git(run, 'diff'))).toBe(normalise(patch));
    expect(patch).toContain('+++ b/notes/added.txt');
    expect(git(run, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([
      ' A notes/added.txt',
      ' M config.txt',
      ' M train.py',
      '?? out.txt',
    ]);
    expect(git(run, 'log', '--format=%s')).toBe(`Source of ${project.dir}, as staged by guild-stage\n`);
    expect(git(run, 'show', 'HEAD:train.py')).toBe(TRAIN);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('--git names the project commit when the project is a git checkout', async ({ expect }) => {
    const project = await makeProject({ 'train.py': TRAIN }, async ({ dir }) => {
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      };
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', ['add', '-A'], { cwd: dir });
      execFileSync('git', ['commit', '-q', '-m', 'init'], { cwd: dir, env });
    });
    const head = git(project.dir, 'rev-parse', 'HEAD').trim();
    await project.gs(['stage', 'train.py', '--git']);
    const run = await onlyRun(project.runsDir);
    expect(git(run, 'log', '--format=%s')).toBe(`Source of ${project.dir} at ${head}, as staged by guild-stage\n`);
    expect(git(run, 'status', '--porcelain')).toBe('');
  });

  it('diff says what it cannot show: a batch (naming its trials), a Guild run without a patch, and no changes', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': TRAIN });
    const batch = await project.gs(['run', 'train.py', '--flags', 'lr=[0.1,0.2]', '--json']);
    expect(batch.code, batch.stderr).toBe(0);
    const { id, trials } = JSON.parse(batch.stdout) as { id: string; trials: Array<{ id: string }> };
    const shown = await project.gs(['diff', id]);
    expect(shown.code).toBe(2);
    const short = trials.map((trial) => trial.id.slice(0, 8));
    expect(stderrLines(shown)).toEqual([
      `guild-stage: run ${id.slice(0, 8)} is a batch: each of its trials has a patch (trials: ${short.join(', ')}); guild-stage diff ${short[0]}`,
    ]);

    const same = await project.gs(['stage', 'train.py', '-q']);
    const empty = await project.gs(['diff', same.stdout.trim()]);
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: '(no changes)\n' });

    const guildRuns = await makeTempDir('gs-guild-runs-');
    const guildRun = path.join(guildRuns, '0123456789abcdef0123456789abcdef');
    await cp(path.join(project.runsDir, same.stdout.trim()), guildRun, { recursive: true });
    execFileSync('rm', [
      '-r',
      path.join(guildRun, '.guild', 'staged.patch'),
      path.join(guildRun, '.guild', 'attrs', 'guild_stage'),
    ]);
    const foreign = await project.gs(['diff', '01234567', '--runs-dir', guildRuns]);
    expect(foreign.code).toBe(2);
    // The id comes from the run's attrs, which the copy kept.
    expect(stderrLines(foreign)).toEqual([
      `guild-stage: run ${same.stdout.slice(0, 8)} was not staged by guild-stage: it has no staged patch`,
    ]);
  });
});
