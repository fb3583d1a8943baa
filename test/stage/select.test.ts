import { execFileSync } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import type { SelectRule } from '../../src/stage/rules.js';
import { selectSource, type Selection } from '../../src/stage/select.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';

const MiB = 1024 * 1024;

function paths(selection: Selection): string[] {
  return selection.files.map((file) => file.path);
}

function reasons(selection: Selection): Record<string, string> {
  return Object.fromEntries(selection.skipped.map((file) => [file.path, file.reason]));
}

/** Selects with a snapshot around it: selecting must never change the project. */
async function select(dir: string, opts?: Parameters<typeof selectSource>[1]): Promise<Selection> {
  const before = await snapshotTree(dir);
  const selection = await selectSource(dir, opts);
  expect(await snapshotTree(dir)).toEqual(before);
  return selection;
}

describe('selectSource outside git: defaults', () => {
  it('copies text sources and hidden files, skips hidden dirs, dependencies, caches, build outputs and virtualenvs', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      'train.py': 'lr = 0.01\n',
      '.flake8': '[flake8]\n',
      'pkg/model.py': 'x = 1\n',
      'env/config.py': 'not a virtualenv: no pyvenv.cfg\n',
      '.hidden/secret.py': 'x\n',
      '.venv/pyvenv.cfg': 'home = /usr\n',
      'node_modules/lib/index.js': 'x\n',
      '__pycache__/train.cpython-311.pyc': 'x\n',
      'build/out.txt': 'x\n',
      'dist/pkg.tar': 'x\n',
      'pkg/build/deep.txt': 'skipped at any depth\n',
      'myenv/pyvenv.cfg': 'home = /usr\n',
      'myenv/lib/site.py': 'x\n',
      'oldenv/bin/activate': '# virtualenv < 20\n',
      'oldenv/lib/site.py': 'x\n',
    });
    const selection = await select(dir);
    expect(selection.git).toBe(false);
    expect(paths(selection)).toEqual(['.flake8', 'env/config.py', 'pkg/model.py', 'train.py']);
    expect(selection.skipped).toEqual([]);
  });

  it('reports files over the size limit, keeps those at the limit, and marks text-only files', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'at-limit.txt': 'a'.repeat(MiB), 'over.csv': 'a'.repeat(MiB + 1), 'small.py': 'x = 1\n' });
    const selection = await select(dir);
    expect(paths(selection)).toEqual(['at-limit.txt', 'small.py']);
    expect(selection.skipped).toEqual([
      { path: 'over.csv', reason: 'size', detail: expect.stringContaining(String(MiB + 1)) },
    ]);
    expect(selection.files.every((file) => file.textOnly === true)).toBe(true);
    expect(selection.files.find((file) => file.path === 'small.py')?.size).toBe(6);
  });

  it('applies the file limit in sorted path order; files skipped for size do not count', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      'a/big.bin': 'x'.repeat(100),
      'a/x.py': '1',
      'a.py': '1',
      'b.py': '1',
      'c.py': '1',
      'd.py': '1',
    });
    const selection = await select(dir, { rules: { maxFiles: 3, maxFileSize: 10 } });
    // '.' sorts before '/', so 'a.py' comes before 'a/x.py'.
    expect(paths(selection)).toEqual(['a.py', 'a/x.py', 'b.py']);
    expect(reasons(selection)).toEqual({ 'a/big.bin': 'size', 'c.py': 'count', 'd.py': 'count' });
  });

  it('is deterministic whatever order the directories are read in', async () => {
    const dir = await makeTempDir();
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`d${i % 7}/s${i % 3}/f${i}.txt`, `${i}`]));
    await writeTree(dir, files);
    const first = await select(dir, { rules: { maxFiles: 25 } });
    const second = await select(dir, { rules: { maxFiles: 25 } });
    expect(first).toEqual(second);
    expect(paths(first)).toEqual(Object.keys(files).sort().slice(0, 25));
  });

  it('lists a FIFO as unreadable instead of blocking on it', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'train.py': 'x\n' });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    // No snapshot here: snapshotTree itself would block reading the FIFO.
    const selection = await selectSource(dir);
    expect(paths(selection)).toEqual(['train.py']);
    expect(selection.skipped).toEqual([{ path: 'pipe', reason: 'unreadable', detail: 'not a regular file' }]);
  });
});

describe('selectSource: include and exclude rules', () => {
  const tree = { 'train.py': 'x\n', 'data/keep.csv': 'a\n', 'data/drop.csv': 'b\n', 'data/notes.txt': 'c\n' };

  it('lets the last matching rule win', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, tree);
    const keepLast: SelectRule[] = [
      { type: 'exclude', pattern: '**/*.csv' },
      { type: 'include', pattern: 'data/keep.csv' },
    ];
    const keep = await select(dir, { rules: { select: keepLast } });
    expect(paths(keep)).toEqual(['data/keep.csv', 'data/notes.txt', 'train.py']);
    expect(reasons(keep)).toEqual({ 'data/drop.csv': 'excluded' });

    const dropLast = await select(dir, { rules: { select: [...keepLast].reverse() } });
    expect(paths(dropLast)).toEqual(['data/notes.txt', 'train.py']);
    expect(reasons(dropLast)).toEqual({ 'data/drop.csv': 'excluded', 'data/keep.csv': 'excluded' });
  });

  it('applies a rule that matches a directory to everything inside it', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, tree);
    const selection = await select(dir, {
      rules: {
        select: [
          { type: 'exclude', pattern: 'data/' },
          { type: 'include', pattern: 'data/notes.txt' },
        ],
      },
    });
    expect(paths(selection)).toEqual(['data/notes.txt', 'train.py']);
    expect(reasons(selection)).toEqual({ 'data/drop.csv': 'excluded', 'data/keep.csv': 'excluded' });
  });

  it('includes what the defaults skip: a file in node_modules, in a hidden dir, over the size limit, binary', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      'train.py': 'x\n',
      'node_modules/mylib/index.js': 'module.exports = 1;\n',
      'node_modules/mylib/node_modules/dep/index.js': 'x\n',
      'node_modules/other/index.js': 'x\n',
      '.config/settings.json': '{}\n',
      'weights.bin': Buffer.concat([Buffer.from([0, 1, 2]), Buffer.alloc(2 * MiB)]),
    });
    const selection = await select(dir, {
      rules: {
        select: [
          { type: 'include', pattern: 'node_modules/mylib' },
          { type: 'include', pattern: '.config/*.json' },
          { type: 'include', pattern: '*.bin' },
        ],
      },
    });
    expect(paths(selection)).toEqual([
      '.config/settings.json',
      'node_modules/mylib/index.js',
      'node_modules/mylib/node_modules/dep/index.js',
      'train.py',
      'weights.bin',
    ]);
    const included = selection.files.filter((file) => file.path !== 'train.py');
    expect(included.every((file) => file.textOnly === undefined)).toBe(true);
    expect(selection.skipped).toEqual([]);
  });

  it('reaches into a default-skipped directory only as deep as an include pattern goes', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'a.py': '1', 'node_modules/b.py': '1', 'node_modules/x/c.py': '1', 'sub/d.py': '1' });
    const shallow = await select(dir, { rules: { select: [{ type: 'include', pattern: '*.py' }] } });
    expect(paths(shallow)).toEqual(['a.py', 'sub/d.py']);
    const deep = await select(dir, { rules: { select: [{ type: 'include', pattern: '**/*.py' }] } });
    expect(paths(deep)).toEqual(['a.py', 'node_modules/b.py', 'node_modules/x/c.py', 'sub/d.py']);
  });

  it('rejects a malformed rule or limit with a USAGE error naming it', async () => {
    const dir = await makeTempDir();
    const badType = { type: 'keep', pattern: '*' } as unknown as SelectRule;
    await expect(selectSource(dir, { rules: { select: [badType] } })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('select rule 1'),
    });
    await expect(selectSource(dir, { rules: { select: [{ type: 'exclude', pattern: '/' }] } })).rejects.toThrow(
      /empty pattern/,
    );
    await expect(selectSource(dir, { rules: { maxFiles: -1 } })).rejects.toThrow(
      /maxFiles must be a non-negative integer/,
    );
  });
});

describe('selectSource: project and excluded dirs', () => {
  it('never selects an excluded dir, compared by real path', async () => {
    const base = await makeTempDir();
    const project = path.join(base, 'project');
    await writeTree(project, { 'train.py': 'x\n', 'runs/abc/train.py': 'x\n', 'runsheet.txt': 'x\n' });
    const alias = path.join(base, 'alias');
    await symlink(project, alias);
    const selection = await select(alias, {
      rules: { select: [{ type: 'include', pattern: 'runs/**' }] },
      excludeDirs: [path.join(project, 'runs'), path.join(base, 'elsewhere')],
    });
    expect(paths(selection)).toEqual(['runsheet.txt', 'train.py']);
  });

  it('reports a missing project dir as NOT_FOUND and a file as SOURCE', async () => {
    const base = await makeTempDir();
    await writeTree(base, { 'file.txt': 'x' });
    await expect(selectSource(path.join(base, 'missing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const error = await selectSource(path.join(base, 'file.txt')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect(error).toMatchObject({ code: 'SOURCE', message: expect.stringMatching(/file\.txt is not a directory/) });
  });

  it('skips a file with a line break in its name, which no manifest line can hold, and says so', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'train.py': 'x = 1\n', 'a\nb.py': 'y\n', 'c\rd.txt': 'z\n', 'e f.py': 'w\n' });
    const selection = await select(dir);
    expect(paths(selection)).toEqual(['e f.py', 'train.py']);
    expect(reasons(selection)).toEqual({ 'a\nb.py': 'name', 'c\rd.txt': 'name' });
  });

  it('selects nothing from an empty project', async () => {
    const dir = await makeTempDir();
    await mkdir(path.join(dir, 'empty'));
    expect(await select(dir)).toEqual({ files: [], skipped: [], git: false });
  });
});
