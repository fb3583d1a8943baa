/**
 * Which directory is a script's project (issue 14 item 5, issue 15 item 9): never the
 * directory guild-stage happens to run from, never the home directory or `/` by inference.
 * Real directories and real git work trees in a temp dir stand in for a home.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../src/errors.js';
import { findProjectDir, isInside } from '../src/project-dir.js';
import { makeTempDir, writeTree } from './helpers/fs.js';
import { git } from './stage/git.js';

/** A fake home holding `proj/train.py` (no git), `repo/` (a work tree with `sub/train.py`) and `top.py`. */
async function makeHome(): Promise<string> {
  const home = await realpath(await makeTempDir('gs-home-'));
  await writeTree(home, {
    'top.py': 'x = 1\n',
    'proj/train.py': 'x = 1\n',
    'proj/sub/deep.py': 'x = 1\n',
    'repo/sub/train.py': 'x = 1\n',
    'repo/README': 'r\n',
  });
  git(path.join(home, 'repo'), 'init', '-q');
  return home;
}

describe('findProjectDir', async () => {
  const home = await makeHome();
  const find = (cwd: string, script: string, more: { projectDir?: string; configDir?: string } = {}) =>
    findProjectDir({ cwd, scriptPath: path.resolve(cwd, script), home, ...more });

  it('is the script’s directory outside git, whatever directory it is run from', async () => {
    expect(await find(home, 'proj/train.py')).toEqual({ dir: path.join(home, 'proj'), source: 'script' });
    expect(await find('/', path.join(home, 'proj/train.py'))).toEqual({
      dir: path.join(home, 'proj'),
      source: 'script',
    });
    expect(await find(path.join(home, 'proj'), 'sub/deep.py')).toEqual({
      dir: path.join(home, 'proj/sub'),
      source: 'script',
    });
  });

  it('is the git work tree when run from outside it, the current directory when run from inside it', async () => {
    const repo = path.join(home, 'repo');
    expect(await find(home, 'repo/sub/train.py')).toEqual({ dir: repo, source: 'git' });
    expect(await find(repo, 'sub/train.py')).toEqual({ dir: repo, source: 'cwd' });
    expect(await find(path.join(repo, 'sub'), 'train.py')).toEqual({ dir: path.join(repo, 'sub'), source: 'cwd' });
  });

  it('a linked worktree (.git is a file) is a work tree too', async () => {
    const tree = await realpath(await makeTempDir('gs-worktree-'));
    await writeTree(tree, { '.git': 'gitdir: /elsewhere\n', 'a/train.py': 'x = 1\n' });
    expect(await find(home, path.join(tree, 'a/train.py'))).toEqual({ dir: tree, source: 'git' });
  });

  it('is the config file’s directory when that holds the script', async () => {
    expect(await find(path.join(home, 'proj'), 'sub/deep.py', { configDir: path.join(home, 'proj') })).toEqual({
      dir: path.join(home, 'proj'),
      source: 'config',
    });
    // A config elsewhere says nothing about this script's project.
    expect(await find(home, 'proj/train.py', { configDir: path.join(home, 'repo') })).toEqual({
      dir: path.join(home, 'proj'),
      source: 'script',
    });
  });

  it('is the directory -C names, which must hold the script', async () => {
    expect(await find(home, 'proj/sub/deep.py', { projectDir: 'proj' })).toEqual({
      dir: path.join(home, 'proj'),
      source: 'given',
    });
    expect(await find(home, 'top.py', { projectDir: home })).toEqual({ dir: home, source: 'given' });
    const error = await find(home, 'top.py', { projectDir: 'proj' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect((error as GuildStageError).message).toBe(`script top.py is outside the project ${path.join(home, 'proj')}`);
  });

  it('never infers the home directory, /, or a directory above home', async () => {
    const error = await find(home, 'top.py').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect((error as GuildStageError).code).toBe('USAGE');
    expect((error as GuildStageError).message).toContain('is directly in your home directory');
    expect((error as GuildStageError).suggestion).toContain(`-C ${home}`);
    // A config file in the home directory does not make it the project either.
    expect(await find(home, 'proj/train.py', { configDir: home })).toEqual({
      dir: path.join(home, 'proj'),
      source: 'script',
    });
    const above = path.dirname(home);
    expect((await find(above, path.join(home, 'proj/train.py'), { configDir: above })).dir).toBe(
      path.join(home, 'proj'),
    );
  });

  it('a dotfiles repository in the home directory is no project: the script’s directory is', async () => {
    const dotHome = await realpath(await makeTempDir('gs-dothome-'));
    await writeTree(dotHome, { 'proj/train.py': 'x = 1\n', '.bashrc': '#\n' });
    git(dotHome, 'init', '-q');
    expect(
      await findProjectDir({ cwd: dotHome, scriptPath: path.join(dotHome, 'proj/train.py'), home: dotHome }),
    ).toEqual({ dir: path.join(dotHome, 'proj'), source: 'script' });
  });

  it('a script directly in / is refused', async () => {
    const scriptPath = '/guild-stage-no-such-script.py';
    const error = await findProjectDir({ cwd: '/', scriptPath, home }).catch((e: unknown) => e);
    expect((error as GuildStageError).message).toBe(
      `${scriptPath} is directly in /: guild-stage will not stage all of it`,
    );
  });
});

describe('isInside', () => {
  it('`..foo.py` is inside; `..`, `../foo.py` and the directory itself are not', () => {
    expect(isInside('/p/q', '/p/q/..foo.py')).toBe(true);
    expect(isInside('/p/q', '/p/q/a/..b/c.py')).toBe(true);
    expect(isInside('/p/q', '/p')).toBe(false);
    expect(isInside('/p/q', '/p/foo.py')).toBe(false);
    expect(isInside('/p/q', '/p/q')).toBe(false);
  });
});
