/**
 * `--link`: unchanged files share storage with the project; edited ones never do.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeProject, onlyRun } from './support.js';

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
});
