/**
 * examples/recipes, each run as its tool runs it: make, sh, a git pre-commit hook, and the
 * `cmd:` line of a DVC stage (run by sh with the values of params.yaml filled in, as DVC
 * does; DVC itself is not needed for that). Each works on a copy of the folder.
 */
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { makeTempDir, snapshotTree } from '../helpers/fs.js';
import { git, initAndCommit } from '../stage/git.js';
import { guildStageOnPath } from './support.js';

const RECIPES = path.resolve(import.meta.dirname, '../../examples/recipes');
const TRAIN = await readFile(path.join(RECIPES, 'train.py'), 'utf8');

/** A copy of examples/recipes and the environment that finds guild-stage. */
async function recipes(): Promise<{ dir: string; env: Record<string, string> }> {
  const root = await makeTempDir('gs-recipes-');
  const dir = path.join(root, 'recipes');
  await cp(RECIPES, dir, { recursive: true });
  return { dir, env: { PATH: await guildStageOnPath(root), NO_COLOR: '1' } };
}

/** train.py with these values written in. */
function trainWith(lr: string, epochs: string): string {
  return TRAIN.replace('lr = 0.01 ', `lr = ${lr} `).replace('epochs = 3', `epochs = ${epochs}`);
}

describe('recipes', () => {
  it('make train LR=0.1 EPOCHS=5 runs the rewritten copy in build/run and leaves the source alone', async () => {
    const { dir, env } = await recipes();
    const before = await snapshotTree(dir);
    const result = await execa('make', ['-s', 'train', 'LR=0.1', 'EPOCHS=5'], { cwd: dir, env, reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('final loss: 1.1810 (lr=0.1, epochs=5)');
    expect(await readFile(path.join(dir, 'build/run/train.py'), 'utf8')).toBe(trainWith('0.1', '5'));
    expect(await readFile(path.join(dir, 'build/run/flags.patch'), 'utf8')).toContain(
      '+lr = 0.1  # learning rate\n+epochs = 5\n',
    );
    const after = await snapshotTree(dir);
    expect(Object.keys(after).filter((file) => !file.startsWith('build'))).toEqual(Object.keys(before));
    for (const file of Object.keys(before)) expect(after[file], file).toBe(before[file]);
  });

  it('sh pre-run.sh lr=0.2 rewrites the copy in $WORK and runs it; a bad flag stops it before python', async () => {
    const { dir, env } = await recipes();
    const work = await makeTempDir('gs-recipes-work-');
    const result = await execa('sh', ['pre-run.sh', 'lr=0.2'], { cwd: dir, env: { ...env, WORK: work } });
    expect(result.stdout).toBe('final loss: 1.0240 (lr=0.2, epochs=3)');
    expect(await readFile(path.join(work, 'train.py'), 'utf8')).toBe(trainWith('0.2', '3'));
    expect(await readFile(path.join(work, 'flags.patch'), 'utf8')).toContain('+lr = 0.2  # learning rate\n');
    expect(await readFile(path.join(dir, 'train.py'), 'utf8')).toBe(TRAIN);

    const bad = await execa('sh', ['pre-run.sh', 'epochs=many'], {
      cwd: dir,
      env: { ...env, WORK: work },
      reject: false,
    });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe("guild-stage: invalid value 'many' for flag epochs: expected an integer");
    expect(bad.stdout).toBe('');
  });

  it('the pre-commit hook lets a commit with valid run.flags through and refuses one with a bad flag', async () => {
    const { dir, env } = await recipes();
    initAndCommit(dir);
    await cp(path.join(dir, 'pre-commit'), path.join(dir, '.git/hooks/pre-commit'));
    const commit = (message: string) =>
      execa('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qam', message], {
        cwd: dir,
        env: { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
        reject: false,
      });

    await execa('sh', ['-c', 'printf "lr=0.2\\nepochs=6\\n" > run.flags'], { cwd: dir });
    const good = await commit('valid flags');
    expect(good.exitCode, good.stderr).toBe(0);
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('valid flags');

    await execa('sh', ['-c', 'printf "lr=0.2\\nepochz=6\\n" > run.flags'], { cwd: dir });
    const bad = await commit('a misspelt flag');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain("guild-stage: unknown flag 'epochz'");
    expect(bad.stderr).toContain('did you mean epochs?');
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('valid flags');
    // --check wrote nothing: the script in the checkout is as committed.
    expect(git(dir, 'status', '--porcelain')).toBe(' M run.flags\n');
  });

  it("the DVC stage's cmd, with params.yaml's values, rewrites a copy in the ignored build/run of a checkout", async () => {
    const { dir, env } = await recipes();
    initAndCommit(dir);
    const stage = (parseYaml(await readFile(path.join(dir, 'dvc.yaml'), 'utf8')) as DvcFile).stages.train;
    const params = parseYaml(await readFile(path.join(dir, 'params.yaml'), 'utf8')) as Record<string, unknown>;
    expect(stage.params).toEqual(Object.keys(params));
    const cmd = stage.cmd.replace(/\$\{(\w+)\}/g, (_, name: string) => String(params[name]));
    const result = await execa('sh', ['-c', cmd], { cwd: dir, env, reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'build/run/result.txt'), 'utf8')).toBe(
      'final loss: 1.1810 (lr=0.1, epochs=5)\n',
    );
    expect(await readFile(path.join(dir, 'build/run/train.py'), 'utf8')).toBe(trainWith('0.1', '5'));
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

interface DvcFile {
  stages: { train: { cmd: string; params: string[] } };
}
