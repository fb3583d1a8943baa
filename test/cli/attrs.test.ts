/**
 * What a finished run records, read back the way Guild AI reads it: attrs as YAML, the
 * opref line and the manifest.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeProject, onlyRun, readAttrs, readGuildFile } from './support.js';

const SECRET_VALUES = { MY_SECRET_TOKEN: 'tok-4f1e9a77', DB_PASSWORD: 'pw-77c2d0e1' };

const FILES = {
  'train.py': `import os
print("token seen:", os.environ.get("MY_SECRET_TOKEN") == "${SECRET_VALUES.MY_SECRET_TOKEN}")
print("password seen:", os.environ.get("DB_PASSWORD") == "${SECRET_VALUES.DB_PASSWORD}")
`,
  'data/config.txt': 'batch: 32\n',
  'README.md': '# demo\n',
};

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Every file under `dir`, recursively, as text. */
async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  return (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');
}

describe('run attrs', () => {
  it('record ids, flags, command, times, label, a secret-free env, the opref and the manifest', async ({ expect }) => {
    const project = await makeProject(FILES);
    const result = await project.gs(
      ['run', 'train.py', '--force-flags', '--flags', 'lr=0.1', 'epochs=5', '--label', 'my label', '--', '--seed', '1'],
      { env: { ...SECRET_VALUES, PLAIN_SETTING: 'plain-value' } },
    );
    expect(result.code, result.stderr).toBe(0);
    const runDir = await onlyRun(project.runsDir);
    const id = path.basename(runDir);
    const attrs = await readAttrs(runDir);

    expect(attrs.id).toBe(id);
    // train.py declares none of them: forced, they are no flags of the run, only variables.
    expect(attrs.flags).toEqual({});
    expect(attrs.user_flags).toEqual({});
    expect(attrs.guild_stage).toMatchObject({ forced: { lr: 0.1, epochs: 5 } });
    expect(attrs.cmd).toEqual([process.env.PYTHON || 'python3', 'train.py', '--seed', '1']);
    expect(attrs.exit_status).toBe(0);
    expect(attrs.label).toBe('my label');

    const { initialized, started, stopped } = attrs as Record<string, number>;
    for (const micros of [initialized, started, stopped]) {
      expect(Number.isInteger(micros)).toBe(true);
      expect(micros).toBeGreaterThanOrEqual(result.t0 * 1000);
      expect(micros).toBeLessThanOrEqual(result.t1 * 1000);
    }
    expect(initialized).toBeLessThanOrEqual(started!);
    expect(started).toBeLessThanOrEqual(stopped!);

    const env = attrs.env as Record<string, string>;
    expect(env.PLAIN_SETTING).toBe('plain-value');
    expect(env.RUN_ID).toBe(id);
    expect(env.FLAG_LR).toBe('0.1');
    expect(env).not.toHaveProperty('MY_SECRET_TOKEN');
    expect(env).not.toHaveProperty('DB_PASSWORD');
    // Nowhere in the run's metadata, not only attrs/env (op, guild_stage...).
    const metadata = await allText(path.join(runDir, '.guild'));
    for (const value of Object.values(SECRET_VALUES)) expect(metadata).not.toContain(value);
    // ...while the script itself had them.
    expect(await readGuildFile(runDir, 'output')).toBe('token seen: True\npassword seen: True\n');

    expect(await readGuildFile(runDir, 'opref')).toBe(`script:${project.dir} '' '' train.py\n`);
    const manifest = (await readGuildFile(runDir, 'manifest'))
      .split('\n')
      .filter((line) => line !== '')
      .sort();
    expect(manifest).toEqual(
      Object.entries(FILES)
        .map(([file, text]) => `s ${file} ${sha1(text)} ${file}`)
        .sort(),
    );
    for (const file of Object.keys(FILES))
      expect(await readFile(path.join(runDir, file), 'utf8')).toBe(FILES[file as keyof typeof FILES]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
