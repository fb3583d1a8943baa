import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mayBeInCheckout, runGit } from '../src/git.js';
import { makeTempDir } from './helpers/fs.js';
import { git, initAndCommit } from './stage/git.js';

describe('runGit', () => {
  const path0 = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path0;
  });

  it("returns output larger than execFile's default cap whole", async () => {
    const dir = await makeTempDir();
    const big = `${'x'.repeat(99)}\n`.repeat(30_000);
    await writeFile(path.join(dir, 'big.txt'), big);
    initAndCommit(dir);
    const result = await runGit(['show', 'HEAD:big.txt'], { cwd: dir });
    expect(result).toMatchObject({ exitCode: 0, missing: false, reason: '' });
    expect(result.stdout.length).toBe(big.length);
  });

  it("runs in the given directory, and a failure says why in git's words", async () => {
    const dir = await makeTempDir();
    await writeFile(path.join(dir, 'train.py'), 'lr = 0.1\n');
    initAndCommit(dir);
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    expect((await runGit(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim()).toBe(head);
    const failed = await runGit(['rev-parse', '--verify', 'no-such-ref'], { cwd: dir });
    expect(failed).toMatchObject({ exitCode: 128, missing: false, reason: 'fatal: Needed a single revision' });
  });

  it('tells a missing directory from a missing git', async () => {
    const gone = path.join(await makeTempDir(), 'gone');
    const result = await runGit(['status'], { cwd: gone });
    expect(result.missing).toBe(false);
    expect(result.reason).toContain(gone);
    process.env.PATH = await makeTempDir();
    expect(await runGit(['status'], { cwd: gone })).toMatchObject({
      exitCode: null,
      missing: true,
      reason: 'git is not installed',
    });
  });
});

describe('mayBeInCheckout', () => {
  it('is true wherever git would find a repository, and false only where it surely would not', async () => {
    const repo = await makeTempDir();
    await mkdir(path.join(repo, 'sub', 'deeper'), { recursive: true });
    await writeFile(path.join(repo, 'sub', 'train.py'), 'lr = 0.1\n');
    initAndCommit(repo);
    const worktree = path.join(await makeTempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', worktree);
    const plain = await makeTempDir();
    const env = { PATH: process.env.PATH };

    expect(await mayBeInCheckout(path.join(repo, 'sub', 'deeper'), env)).toBe(true);
    // A linked worktree has a .git file, not a directory.
    expect(await mayBeInCheckout(worktree, env)).toBe(true);
    expect(await mayBeInCheckout(plain, env)).toBe(false);
    expect(await mayBeInCheckout(plain, { ...env, GIT_DIR: path.join(repo, '.git') })).toBe(true);
    // Where it says false, git agrees.
    expect((await runGit(['rev-parse', '--git-dir'], { cwd: plain })).exitCode).not.toBe(0);
  });
});
