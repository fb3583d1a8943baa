import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySource } from '../../src/stage/copy.js';
import { selectSource, type Selection } from '../../src/stage/select.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';
import { git, initAndCommit } from './git.js';

function paths(selection: Selection): string[] {
  return selection.files.map((file) => file.path);
}

/** A committed repository with ignored, untracked and hidden-but-tracked files. */
async function makeRepo(): Promise<string> {
  const dir = await makeTempDir('gs-git-');
  await writeTree(dir, {
    '.gitignore': 'data/\n*.log\nnode_modules/\n',
    '.github/workflows/ci.yml': 'on: push\n',
    'train.py': 'lr = 0.01\n',
    'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
    'src/model.py': 'x = 1\n',
    'gone.py': 'deleted from the work tree after the commit\n',
  });
  initAndCommit(dir);
  await rm(path.join(dir, 'gone.py'));
  await writeTree(dir, {
    'untracked.py': 'y = 2\n',
    'run.log': 'ignored\n',
    'data/keep.csv': 'a\n',
    'data/other.csv': 'b\n',
    'node_modules/lib/index.js': 'x\n',
  });
  return dir;
}

/** Selects with a snapshot around it, `.git` included: selecting must not even refresh the index. */
async function select(dir: string, opts?: Parameters<typeof selectSource>[1]): Promise<Selection> {
  const before = await snapshotTree(dir);
  const selection = await selectSource(dir, opts);
  expect(await snapshotTree(dir)).toEqual(before);
  return selection;
}

describe('selectSource inside a git checkout', () => {
  it('selects tracked files and untracked ones git does not ignore, and skips deleted ones silently', async () => {
    const dir = await makeRepo();
    const selection = await select(dir);
    expect(selection.git).toBe(true);
    expect(paths(selection)).toEqual([
      '.github/workflows/ci.yml',
      '.gitignore',
      'logo.png',
      'src/model.py',
      'train.py',
      'untracked.py',
    ]);
    expect(selection.skipped).toEqual([]);
  });

  it('copies binary files git lists: git says they are source', async () => {
    const dir = await makeRepo();
    const selection = await select(dir);
    expect(selection.files.find((file) => file.path === 'logo.png')?.textOnly).toBeUndefined();
    const dest = await makeTempDir();
    const { copied, skipped } = await copySource(dir, dest, selection);
    expect(skipped).toEqual([]);
    expect(copied.map((file) => file.path)).toContain('logo.png');
  });

  it('lists paths relative to a project that is a subdirectory of the repository', async () => {
    const dir = await makeRepo();
    await writeTree(dir, { 'src/.gitignore': '*.tmp\n', 'src/scratch.tmp': 'x\n', 'src/new.py': 'z\n' });
    const selection = await select(path.join(dir, 'src'));
    expect(selection.git).toBe(true);
    expect(paths(selection)).toEqual(['.gitignore', 'model.py', 'new.py']);
  });

  it('still applies the size and count limits', async () => {
    const dir = await makeRepo();
    const selection = await select(dir, { rules: { maxFileSize: 9, maxFiles: 3 } });
    expect(paths(selection)).toEqual(['.github/workflows/ci.yml', 'logo.png', 'src/model.py']);
    expect(selection.skipped).toEqual([
      { path: '.gitignore', reason: 'size', detail: expect.any(String) },
      { path: 'train.py', reason: 'count', detail: expect.any(String) },
      { path: 'untracked.py', reason: 'count', detail: expect.any(String) },
    ]);
  });

  it('lets include rules bring in git-ignored files and exclude rules drop tracked ones', async () => {
    const dir = await makeRepo();
    const selection = await select(dir, {
      rules: {
        select: [
          { type: 'include', pattern: 'data/keep.csv' },
          { type: 'include', pattern: '*.log' },
          { type: 'exclude', pattern: '.github' },
        ],
      },
    });
    expect(paths(selection)).toEqual([
      '.gitignore',
      'data/keep.csv',
      'logo.png',
      'run.log',
      'src/model.py',
      'train.py',
      'untracked.py',
    ]);
    expect(selection.skipped).toEqual([{ path: '.github/workflows/ci.yml', reason: 'excluded' }]);
  });

  it('never selects an excluded dir, even untracked and not ignored', async () => {
    const dir = await makeRepo();
    await writeTree(dir, { 'runs/abc/output': 'x\n', 'runs/abc/train.py': 'x\n' });
    const selection = await select(dir, { excludeDirs: [path.join(dir, 'runs')] });
    expect(paths(selection).filter((file) => file.startsWith('runs'))).toEqual([]);
    expect(paths(selection)).toContain('train.py');
  });

  it('leaves out nested repositories', async () => {
    const dir = await makeRepo();
    const nested = path.join(dir, 'vendor');
    await mkdir(nested);
    await writeFile(path.join(nested, 'lib.py'), 'x\n');
    git(nested, 'init', '-q');
    const selection = await select(dir);
    expect(paths(selection).some((file) => file.startsWith('vendor'))).toBe(false);
  });

  it('uses the plain walk for a project the enclosing repository ignores as a whole', async () => {
    const dir = await makeRepo();
    await writeTree(dir, { 'scratch/train.py': 'x\n', 'scratch/.gitignore': '*\n' });
    const selection = await select(path.join(dir, 'scratch'));
    expect(selection.git).toBe(false);
    expect(paths(selection)).toEqual(['.gitignore', 'train.py']);
  });

  it('falls back to the plain walk when git is not installed', async () => {
    const dir = await makeRepo();
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(dir, 'no-such-bin');
    let selection: Selection;
    try {
      selection = await selectSource(dir);
    } finally {
      process.env.PATH = savedPath;
    }
    expect(selection.git).toBe(false);
    // The walk knows nothing of .gitignore (run.log and data/ are in) and skips binaries at copy time.
    expect(paths(selection)).toEqual([
      '.gitignore',
      'data/keep.csv',
      'data/other.csv',
      'logo.png',
      'run.log',
      'src/model.py',
      'train.py',
      'untracked.py',
    ]);
    expect(selection.files.find((file) => file.path === 'logo.png')?.textOnly).toBe(true);
  });
});
