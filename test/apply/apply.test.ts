/**
 * `guild-stage apply` and `applyFlags`: flags and onRunStaged plugins applied in place to a
 * prepared directory. Only the flags change, the patch undoes them with `git apply -R`, a
 * git checkout itself is refused, and a write failing between two files changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFlags, GuildStageError, type Plugin, stageRun } from '../../src/index.js';
import { CLI, runCli } from '../helpers/cli.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';
import { git, initAndCommit } from '../stage/git.js';

const TRAIN = [
  '# A training script: comments, spacing and the rest stay as they are.',
  'import argparse',
  'lr = 0.01  # learning rate',
  'epochs = 3',
  'p = argparse.ArgumentParser()',
  'p.add_argument("--batch-size", type=int, default=32)',
  'args = p.parse_args()',
  'print(lr, epochs, args.batch_size)',
  '',
].join('\n');
const FILES = {
  'train.py': TRAIN,
  'data/notes.txt': 'not source of the flags\n',
  'eval.py': '#| flags-dest: config:conf/eval.yml\nimport yaml\n',
  'conf/eval.yml': 'eval:\n  batch: 64   # per step\n  name: "val"\n',
};

/**
 * A prepared directory, as another tool leaves it: a real path, outside any git checkout. It
 * sits in a directory of its own, which `unprivileged` may open to others: never tmpdir itself.
 */
async function prepared(files: Record<string, string> = FILES): Promise<string> {
  const dir = path.join(await realpath(await makeTempDir('gs-apply-')), 'project');
  await writeTree(dir, files);
  return dir;
}

describe('guild-stage apply', () => {
  it('changes only the flags (globals, argparse, a config file), and git apply -R of its patch restores the copy byte for byte', async () => {
    const dir = await prepared();
    const before = await snapshotTree(dir);
    const patchFile = path.join(await makeTempDir('gs-apply-patch-'), 'flags.patch');
    const result = await runCli(['apply', 'train.py', '--flags', 'lr=0.1', 'batch-size=64', '--patch', patchFile], {
      cwd: dir,
    });
    expect(result.stderr).toBe(
      `apply changed in ${dir}:\n  train.py:3 lr 0.01 -> 0.1\n  train.py:6 batch_size 32 -> 64\n`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(await readFile(path.join(dir, 'train.py'), 'utf8')).toBe(
      TRAIN.replace('lr = 0.01', 'lr = 0.1').replace('default=32', 'default=64'),
    );
    const after = await snapshotTree(dir);
    expect(Object.keys(after).filter((file) => after[file] !== before[file])).toEqual(['train.py']);

    const config = await runCli(['apply', 'eval.py', 'eval.batch=128', '--dir', dir, '--json'], {
      cwd: path.dirname(patchFile),
    });
    expect(config.code).toBe(0);
    const json = JSON.parse(config.stdout);
    expect(json.changes).toEqual([{ path: 'conf/eval.yml', change: 'modified', plugins: ['flags'] }]);
    expect(json.flags).toEqual({ 'eval.batch': 128, 'eval.name': 'val' });
    expect(await readFile(path.join(dir, 'conf/eval.yml'), 'utf8')).toBe(FILES['conf/eval.yml'].replace('64', '128'));
    await writeFile(path.join(path.dirname(patchFile), 'config.patch'), json.patch);

    git(dir, 'apply', '-R', path.join(path.dirname(patchFile), 'config.patch'));
    git(dir, 'apply', '-R', patchFile);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('--check prints what would change and writes nothing; a bad flag exits 2 naming it', async () => {
    const dir = await prepared();
    const before = await snapshotTree(dir);
    const good = await runCli(['apply', '--check', 'train.py', 'epochs=5', '--patch', 'x.patch'], { cwd: dir });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('-epochs = 3\n+epochs = 5\n');
    expect(good.stderr).toBe(`apply would change in ${dir}:\n  train.py:4 epochs 3 -> 5\n`);
    const bad = await runCli(['apply', '--check', 'train.py', 'epochs=2.5'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("guild-stage: invalid value '2.5' for flag epochs: expected an integer\n");
    const unknown = await runCli(['apply', '--check', 'train.py', 'lrr=1'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown flag 'lrr'");
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('refuses the project checkout itself and files with uncommitted changes unless --force', async () => {
    const dir = await prepared();
    initAndCommit(dir);
    const before = await snapshotTree(dir);
    const marker = path.join(await makeTempDir('gs-apply-hook-'), 'ran');
    const refused = await runCli(['apply', 'train.py', 'lr=0.1', '--hook', `on_run_staged=touch ${marker}`], {
      cwd: dir,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `guild-stage: ${dir} is a git checkout (it holds .git): apply edits a copy, not the project; apply to the copy a tool prepared (--dir DIR), or pass --force to edit the checkout itself\n`,
    );
    expect(await snapshotTree(dir)).toEqual(before);
    // Refused before anything ran: the hook never started.
    expect(existsSync(marker)).toBe(false);

    // A subdirectory of a checkout: clean tracked files are git's to give back; a changed one is not.
    const sub = path.join(dir, 'conf');
    await writeFile(path.join(sub, 'eval.yml'), `${FILES['conf/eval.yml']}# mine\n`);
    await writeFile(path.join(sub, 'run.py'), '#| flags-dest: config:eval.yml\n');
    const dirty = await runCli(['apply', 'run.py', 'eval.batch=1', '--dir', 'conf'], { cwd: dir });
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('conf/eval.yml in ');
    expect(dirty.stderr).toContain('has uncommitted changes');
    git(dir, 'checkout', '--', 'conf/eval.yml');
    const clean = await runCli(['apply', 'run.py', 'eval.batch=1', '--dir', 'conf'], { cwd: dir });
    expect(clean.code).toBe(0);
    expect(git(dir, 'diff', '--stat')).toContain('conf/eval.yml');
    git(dir, 'checkout', '--', 'conf/eval.yml');

    const forced = await runCli(['apply', 'train.py', 'lr=0.1', '--force', '-q'], { cwd: dir });
    expect(forced.code).toBe(0);
    // git's own diff of the checkout is the patch apply printed (git adds its index line).
    expect(git(dir, 'diff').replace(/^index .*\n/m, '')).toBe(forced.stdout);
  });

  it('a write failing between two files leaves the directory as it was', async () => {
    const dir = await prepared({ 'train.py': TRAIN, 'z/notes.txt': 'notes\n' });
    const pluginDir = await makeTempDir('gs-apply-plugin-');
    const plugin = path.join(pluginDir, 'notes.mjs');
    await writeFile(
      plugin,
      `export default { name: 'notes', async onRunStaged(run, staged) {
  await staged.write('z/notes.txt', 'lr is ' + run.flags.lr + '\\n');
} };\n`,
    );
    // The second file's directory cannot take the new file: train.py is written first, then z/notes.txt fails.
    await chmod(path.join(dir, 'z'), 0o555);
    const run = await unprivileged(dir, pluginDir);
    const before = await snapshotTree(dir);
    const changed = (await stat(path.join(dir, 'train.py'), { bigint: true })).ctimeNs;
    const result = run(['apply', 'train.py', 'lr=0.5', '--plugin', plugin]);
    expect(result.stderr).toMatch(
      /^guild-stage: cannot write z\/notes\.txt in .*: permission denied \(EACCES\); nothing was changed\n$/,
    );
    expect(result.status).toBe(1);
    expect(await snapshotTree(dir)).toEqual(before);
    expect((await readdir(path.join(dir, 'z'))).sort()).toEqual(['notes.txt']);
    // train.py was replaced and then put back: the fault came between the two files.
    expect((await stat(path.join(dir, 'train.py'), { bigint: true })).ctimeNs).toBeGreaterThan(changed);
  });
});

/**
 * A runner of the CLI where directory permissions hold: as `nobody` when this is root (root
 * writes into a read-only directory anyway), else as this user. As root, `dir` becomes nobody's.
 */
async function unprivileged(dir: string, pluginDir: string) {
  const root = process.getuid?.() === 0;
  // apply's scratch copy goes under TMPDIR, which must be the user's to write.
  const tmp = await makeTempDir('gs-apply-tmp-');
  if (root) {
    await chown(tmp, 65534, 65534);
    for (const entry of [dir, path.join(dir, 'train.py'), path.join(dir, 'z'), path.join(dir, 'z/notes.txt')]) {
      await chown(entry, 65534, 65534);
    }
    await chmod(pluginDir, 0o755);
    await chmod(path.dirname(dir), 0o755);
  }
  return (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp },
      ...(root ? { uid: 65534, gid: 65534 } : {}),
    });
}

describe('applyFlags', () => {
  const plugin: Plugin = {
    name: 'header',
    async onRunStaged(run, staged) {
      await staged.write(run.opspec, `# flags: ${JSON.stringify(run.flags)}\n${await staged.read(run.opspec)}`);
    },
  };

  it('gives the same changes and patch as staging the same flags and plugin, and applies them', async () => {
    const dir = await prepared();
    const staged = await stageRun({
      cwd: dir,
      script: 'train.py',
      flags: { epochs: 9 },
      plugins: [plugin],
      dryRun: true,
    });
    const checked = await applyFlags({ dir, script: 'train.py', flags: { epochs: 9 }, plugins: [plugin], check: true });
    expect(checked.patch).toBe(staged.patch);
    expect(checked.changes).toEqual(staged.changed);
    expect(checked.applied).toBe(false);
    expect(await readFile(path.join(dir, 'train.py'), 'utf8')).toBe(TRAIN);

    const { changes, patch } = await applyFlags({ dir, script: 'train.py', flags: { epochs: 9 }, plugins: [plugin] });
    expect(patch).toBe(staged.patch);
    expect(changes).toEqual([{ path: 'train.py', change: 'modified', plugins: ['flags', 'header'] }]);
    expect(await readFile(path.join(dir, 'train.py'), 'utf8')).toBe(
      `# flags: {"lr":0.01,"epochs":9,"batch_size":32}\n${TRAIN.replace('epochs = 3', 'epochs = 9')}`,
    );
  });

  it('a failing onRunStaged changes nothing and names the plugin', async () => {
    const dir = await prepared();
    const before = await snapshotTree(dir);
    const failing: Plugin = {
      name: 'late-fail',
      priority: -1,
      onRunStaged() {
        throw new Error('no GPU');
      },
    };
    const error = await applyFlags({ dir, script: 'train.py', flags: { lr: 1 }, plugins: [failing] }).catch((e) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect(error.message).toBe('[plugin late-fail] onRunStaged: no GPU');
    expect(await snapshotTree(dir)).toEqual(before);
  });
});
