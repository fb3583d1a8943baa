import { chmod, link, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/records/files.js';
import { makeTempDir } from '../helpers/fs.js';

describe('writeFileAtomic', () => {
  it('replaces a hard-linked file without writing through the link', async () => {
    const dir = await makeTempDir();
    const project = path.join(dir, 'project.py');
    const staged = path.join(dir, 'staged.py');
    await writeFile(project, 'lr = 0.01\n');
    await link(project, staged);
    await writeFileAtomic(staged, 'lr = 0.1\n');
    expect(await readFile(staged, 'utf8')).toBe('lr = 0.1\n');
    expect(await readFile(project, 'utf8')).toBe('lr = 0.01\n');
    expect(await readdir(dir)).toEqual(['project.py', 'staged.py']);
  });

  it("keeps the replaced file's mode only when asked", async () => {
    const dir = await makeTempDir();
    const kept = path.join(dir, 'kept.sh');
    const reset = path.join(dir, 'reset.sh');
    for (const file of [kept, reset]) {
      await writeFile(file, 'echo 1\n');
      await chmod(file, 0o750);
    }
    await writeFileAtomic(kept, 'echo 2\n', { keepMode: true });
    await writeFileAtomic(reset, 'echo 2\n');
    expect((await stat(kept)).mode & 0o777).toBe(0o750);
    expect((await stat(reset)).mode & 0o111).toBe(0);
  });

  it('puts the temporary file in tempDir, and removes it when the rename fails', async () => {
    const dir = await makeTempDir();
    const temps = path.join(dir, 'temps');
    await mkdir(temps);
    // A non-empty directory cannot be renamed over: the write fails after the temp file exists.
    const target = path.join(dir, 'target');
    await mkdir(path.join(target, 'inside'), { recursive: true });
    const error = await writeFileAtomic(target, 'x', { tempDir: temps }).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toMatch(/^(EISDIR|ENOTEMPTY|EEXIST)$/);
    expect(await readdir(temps)).toEqual([]);
    expect(await readdir(dir)).toEqual(['target', 'temps']);
    await expect(writeFileAtomic(path.join(dir, 'f'), 'x', { tempDir: path.join(dir, 'missing') })).rejects.toThrow(
      /ENOENT/,
    );
  });
});
