import { lstat, readFile, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySource } from '../../src/stage/copy.js';
import { selectSource, type Selection } from '../../src/stage/select.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';
import { initAndCommit } from './git.js';

/** A project with one symlink of each kind, next to a file outside it. */
async function makeProject(): Promise<{ base: string; dir: string }> {
  const base = await makeTempDir('gs-links-');
  const dir = path.join(base, 'project');
  await writeTree(base, { 'outside.txt': 'not the project\n' });
  await writeTree(dir, { 'train.py': 'lr = 0.01\n', 'conf/base.yaml': 'a: 1\n', 'src/model.py': 'x = 1\n' });
  await symlink('/etc/passwd', path.join(dir, 'passwd'));
  await symlink('../outside.txt', path.join(dir, 'sibling.txt'));
  await symlink('loop-b', path.join(dir, 'loop-a'));
  await symlink('loop-a', path.join(dir, 'loop-b'));
  await symlink('missing.txt', path.join(dir, 'dangling'));
  await symlink('conf/base.yaml', path.join(dir, 'config.yaml'));
  await symlink('src', path.join(dir, 'alias'));
  await symlink(base, path.join(dir, 'up'));
  return { base, dir };
}

function byPath(selection: Selection) {
  return Object.fromEntries(selection.skipped.map((file) => [file.path, [file.reason, file.detail]]));
}

describe('symlinks', () => {
  it('are never followed out of the project, nor into directories', async () => {
    const { dir } = await makeProject();
    const before = await snapshotTree(dir);
    const selection = await selectSource(dir);
    expect(await snapshotTree(dir)).toEqual(before);
    expect(selection.files.map((file) => file.path)).toEqual([
      'conf/base.yaml',
      'config.yaml',
      'src/model.py',
      'train.py',
    ]);
    expect(byPath(selection)).toEqual({
      alias: ['symlink-dir', 'points to src/'],
      dangling: ['unreadable', 'dangling symlink'],
      'loop-a': ['unreadable', 'symlink loop'],
      'loop-b': ['unreadable', 'symlink loop'],
      passwd: ['symlink-outside', 'points to /etc/passwd'],
      'sibling.txt': ['symlink-outside', expect.stringMatching(/outside\.txt$/)],
      up: ['symlink-outside', expect.any(String)],
    });
  });

  it('copy a link to a project file as a regular file with its content', async () => {
    const { dir } = await makeProject();
    const selection = await selectSource(dir);
    expect(selection.files.find((file) => file.path === 'config.yaml')).toMatchObject({
      source: 'conf/base.yaml',
      size: 5,
    });
    const dest = await makeTempDir();
    const { copied } = await copySource(dir, dest, selection);
    expect((await lstat(path.join(dest, 'config.yaml'))).isFile()).toBe(true);
    expect(await readFile(path.join(dest, 'config.yaml'), 'utf8')).toBe('a: 1\n');
    expect(copied.find((file) => file.path === 'config.yaml')?.sha1).toBe(
      copied.find((file) => file.path === 'conf/base.yaml')?.sha1,
    );
  });

  it('hard-link the file a link resolves to, never the link itself', async () => {
    const { dir } = await makeProject();
    const dest = await makeTempDir();
    await copySource(dir, dest, await selectSource(dir), { link: true });
    const staged = await lstat(path.join(dest, 'config.yaml'));
    expect(staged.isFile()).toBe(true);
    expect(staged.ino).toBe((await stat(path.join(dir, 'conf/base.yaml'))).ino);
  });

  it('follow the same rules when git lists them', async () => {
    const { dir } = await makeProject();
    initAndCommit(dir);
    const selection = await selectSource(dir);
    expect(selection.git).toBe(true);
    expect(selection.files.map((file) => file.path)).toEqual([
      'conf/base.yaml',
      'config.yaml',
      'src/model.py',
      'train.py',
    ]);
    expect(Object.keys(byPath(selection)).sort()).toEqual([
      'alias',
      'dangling',
      'loop-a',
      'loop-b',
      'passwd',
      'sibling.txt',
      'up',
    ]);
    expect(byPath(selection).passwd[0]).toBe('symlink-outside');
  });
});
