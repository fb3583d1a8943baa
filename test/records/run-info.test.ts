import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../src/records/run-id.js';
import { systemAttrs } from '../../src/records/system.js';
import { vcsCommit } from '../../src/records/vcs.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';

describe('newRunId', () => {
  it('makes 32 lower-case hex characters, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, newRunId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('systemAttrs', () => {
  it('takes host and user from the environment first, as Guild does', () => {
    expect(systemAttrs({ HOST: 'box', USER: 'ann' })).toEqual({
      host: 'box',
      user: 'ann',
      platform: `${os.type()} ${os.machine()}`,
    });
    // No $USER (cron, containers): the name of the uid, as `id -un` prints it.
    const uidName = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
    expect(systemAttrs({})).toMatchObject({ host: os.hostname(), user: uidName });
    expect(uidName).not.toBe('');
  });
});

describe('vcsCommit', () => {
  it('gives git:<sha> of HEAD inside a git checkout, from any subdirectory', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'train.py': 'lr = 0.1\n', 'src/util.py': '' });
    const git = (...args: string[]) => execa('git', args, { cwd: dir });
    await git('init', '-q');
    await git('add', '.');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'init');
    const { stdout: sha } = await git('rev-parse', 'HEAD');
    expect(await vcsCommit(dir)).toBe(`git:${sha}`);
    expect(await vcsCommit(`${dir}/src`)).toBe(`git:${sha}`);
  });

  it('gives null outside git and in a repository without commits', async () => {
    const plain = await makeTempDir();
    expect(await vcsCommit(plain)).toBeNull();
    await execa('git', ['init', '-q'], { cwd: plain });
    expect(await vcsCommit(plain)).toBeNull();
  });
});
