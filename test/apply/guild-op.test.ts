/**
 * examples/guild-op with real Guild AI 0.9.1: a Guild operation whose command runs
 * `guild-stage apply` in Guild's own run directory, then the script plainly.
 */
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/fs.js';
import { REFERENCE, REFERENCE_SKIP } from '../helpers/reference.js';
import { guildStageOnPath } from './support.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/guild-op');

describe.skipIf(!REFERENCE)(`the Guild operation of examples/guild-op${REFERENCE_SKIP}`, () => {
  it('completes with the flag written into the run copy of the script, the patch beside it, and the flag in guild runs info', async () => {
    const root = await makeTempDir('gs-guild-op-');
    const project = path.join(root, 'project');
    const home = path.join(root, 'guild-home');
    await cp(EXAMPLE, project, { recursive: true });
    await mkdir(home);
    // guild-stage on the PATH Guild runs the operation with.
    const env = { GUILD_HOME: home, PATH: await guildStageOnPath(root) };
    const guild = (...args: string[]) =>
      execa(path.join(REFERENCE!, 'guild.sh'), args, { cwd: project, env, reject: false });

    const run = await guild('run', 'train', 'lr=0.1', '-y');
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('final loss: 1.4580 (lr=0.1, epochs=3)');

    const [id] = await readdir(path.join(home, 'runs'));
    const runDir = path.join(home, 'runs', id!);
    const original = await readFile(path.join(EXAMPLE, 'train.py'), 'utf8');
    expect(await readFile(path.join(runDir, 'train.py'), 'utf8')).toBe(
      original.replace('lr = 0.01  # learning rate', 'lr = 0.1  # learning rate'),
    );
    expect(await readFile(path.join(runDir, 'guild-stage.patch'), 'utf8')).toBe(
      [
        'diff --git a/train.py b/train.py',
        '--- a/train.py',
        '+++ b/train.py',
        '@@ -1,5 +1,5 @@',
        ' # A plain training script: its settings are globals, and it reads no command line.',
        '-lr = 0.01  # learning rate',
        '+lr = 0.1  # learning rate',
        ' epochs = 3',
        ' ',
        ' loss = 2.0',
        '',
      ].join('\n'),
    );
    // Guild keeps what apply said in the run's output.
    expect(await readFile(path.join(runDir, '.guild/output'), 'utf8')).toContain('train.py:2 lr 0.01 -> 0.1');

    const info = await guild('runs', 'info');
    expect(info.exitCode, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^status: completed$/m);
    expect(info.stdout).toMatch(/^flags:\n {2}epochs: 3\n {2}lr: 0\.1$/m);

    // A value guild-stage refuses stops the operation before the script runs.
    const bad = await guild('run', 'train', 'epochs=2.5', '-y');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain("guild-stage: invalid value '2.5' for flag epochs: expected an integer");
    expect(bad.stdout).not.toContain('final loss');
    const listed = await guild('runs');
    expect(listed.stdout.split('\n')[0]).toMatch(/ train .* error +epochs=2\.5 lr=0\.01$/);
  });
});
