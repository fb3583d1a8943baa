/**
 * `--link`: unchanged files share storage with the project; edited ones never do.
 */
import { appendFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject, onlyRun, stderrLines } from './support.js';

const EDITOR = `export default { name: 'editor', async onRunStaged(run, staged) {
  await staged.write('data/config.txt', 'size: 2\\n');
} };
`;

describe.concurrent('--link', () => {
  it('hard-links unchanged files, while the flags plugin and StagedSource writes replace theirs', async ({
    expect,
  }) => {
    const project = await makeProject({
      'train.py': 'lr = 0.01\nprint(lr)\n',
      'data/config.txt': 'size: 1\n',
      'data/big.txt': 'x'.repeat(10_000),
      'editor.mjs': EDITOR,
    });
    const result = await project.gs(['run', 'train.py', '--flags', 'lr=0.5', '--link', '--plugin', './editor.mjs']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('0.5\n');
    const run = await onlyRun(project.runsDir);
    const inode = async (dir: string, file: string) => (await stat(path.join(dir, file))).ino;
    expect(await inode(run, 'data/big.txt')).toBe(await inode(project.dir, 'data/big.txt'));
    expect(await inode(run, 'train.py')).not.toBe(await inode(project.dir, 'train.py'));
    expect(await inode(run, 'data/config.txt')).not.toBe(await inode(project.dir, 'data/config.txt'));
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('flags a run whose linked files the project then edits in place: runs shows [modified], diff warns', async ({
    expect,
  }) => {
    const project = await makeProject({
      'train.py': 'lr = 0.01\nprint(lr)\n',
      'data/a.txt': 'a\n',
      'data/b.txt': 'b\n',
      'data/c.txt': 'c\n',
    });
    const first = await project.gs(['stage', 'train.py', '--flags', 'lr=0.5', '--link', '--json']);
    const second = await project.gs(['stage', 'train.py', '--link', '--json']);
    const copied = await project.gs(['stage', 'train.py', '--json']);
    for (const result of [first, second, copied]) expect(result.code, result.stderr).toBe(0);
    expect(await project.snapshot()).toEqual(project.before);
    const [linkedRun, otherRun, copiedRun] = [first, second, copied].map((r) => JSON.parse(r.stdout).id as string);
    const modifiedOf = async () =>
      Object.fromEntries((await listRunsJson(project)).map((run) => [run.id, run.modified ?? null]));
    expect(await modifiedOf()).toEqual({ [linkedRun]: null, [otherRun]: null, [copiedRun]: null });

    // An editor writing in place (the run shares that inode), one replacing the file (it does
    // not), and the flags file, which the run never shared once lr was written into its copy.
    await appendFile(path.join(project.dir, 'data/a.txt'), 'edited\n');
    await writeFile(path.join(project.dir, 'data/b.tmp'), 'new b\n');
    await rename(path.join(project.dir, 'data/b.tmp'), path.join(project.dir, 'data/b.txt'));
    await appendFile(path.join(project.dir, 'train.py'), '# edited\n');

    expect(await modifiedOf()).toEqual({
      [linkedRun]: ['data/a.txt'],
      [otherRun]: ['data/a.txt', 'train.py'],
      [copiedRun]: null,
    });
    const table = await project.gs(['runs']);
    const rowOf = (id: string) => table.stdout.split('\n').find((line) => line.includes(id.slice(0, 8)))!;
    expect(rowOf(linkedRun)).toMatch(/ train\.py \[modified\] +staged/);
    expect(rowOf(copiedRun)).toMatch(/\] +train\.py +staged/);

    const diff = await project.gs(['diff', linkedRun.slice(0, 8)]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('+lr = 0.5');
    expect(stderrLines(diff)).toEqual([
      `guild-stage: warning: run ${linkedRun.slice(0, 8)}: data/a.txt changed since it was staged (hard-linked with --link, and edited in the project); the run's copy is not what it ran with`,
    ]);
    const between = await project.gs(['diff', otherRun.slice(0, 8), copiedRun.slice(0, 8)]);
    expect(stderrLines(between)).toEqual([
      expect.stringMatching(
        new RegExp(`^guild-stage: warning: run ${otherRun.slice(0, 8)}: data/a\\.txt, train\\.py changed since`),
      ),
    ]);
  });
});
