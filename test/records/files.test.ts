import { chmod, link, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAttr } from '../../src/records/attrs.js';
import { makeRunSubdir, writeFileAtomic } from '../../src/records/files.js';
import { writeInitialRecords } from '../../src/records/lifecycle.js';
import { setMarker } from '../../src/records/markers.js';
import { OutputWriter } from '../../src/records/output.js';
import { writeScalarSummary } from '../../src/records/scalar-summary.js';
import { EventFileWriter } from '../../src/records/tfevents.js';
import { stagedRun } from '../helpers/run.js';
import { makeTempDir } from '../helpers/fs.js';

describe('writeFileAtomic', () => {
  it('writes large text in its encoding, a surrogate pair across a slice boundary kept whole', async () => {
    const dir = await makeTempDir();
    // The emoji's first half is the last character of the first 1 MiB slice.
    const text = `${'a'.repeat((1 << 20) - 1)}😀${'é'.repeat(1 << 20)}`;
    await writeFileAtomic(path.join(dir, 'u.txt'), text);
    expect((await readFile(path.join(dir, 'u.txt'))).equals(Buffer.from(text, 'utf8'))).toBe(true);
    const latin = `${'é'.repeat(3 << 19)}\xff`;
    await writeFileAtomic(path.join(dir, 'l.txt'), latin, { encoding: 'latin1' });
    expect((await readFile(path.join(dir, 'l.txt'))).equals(Buffer.from(latin, 'latin1'))).toBe(true);
  });

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

describe('makeRunSubdir', () => {
  it('makes the missing directories below the run dir', async () => {
    const run = await makeTempDir();
    await makeRunSubdir(run, path.join(run, '.guild', 'attrs'));
    await makeRunSubdir(run, path.join(run, '.guild', 'attrs'));
    expect((await stat(path.join(run, '.guild', 'attrs'))).isDirectory()).toBe(true);
  });

  it('never makes a run dir that is gone, nor its runs dir: every record writer fails naming it', async () => {
    const runsDir = path.join(await makeTempDir(), 'runs');
    const run = path.join(runsDir, 'b'.repeat(32));
    const gone = `run directory ${run} no longer exists: it was removed while guild-stage was writing it`;
    const staged = stagedRun(run, runsDir, 'b'.repeat(32));
    const writers: Array<[string, () => Promise<unknown>]> = [
      ['attr', () => writeAttr(run, 'stopped', 1)],
      ['marker', () => setMarker(run, 'LOCK', '1')],
      ['scalars', () => writeScalarSummary(run, { origin: 'captured', sources: [], scalars: {} })],
      ['output', () => OutputWriter.open(run)],
      ['events', () => EventFileWriter.open(run)],
      [
        'initial records',
        () =>
          writeInitialRecords(run, {
            run: staged,
            userFlags: {},
            env: {},
            copied: [],
            plugins: [],
            vcsCommit: null,
            version: '0',
            initialized: new Date(),
          }),
      ],
    ];
    for (const [what, write] of writers) {
      await expect(write(), what).rejects.toMatchObject({ message: expect.stringContaining(gone) });
    }
    await expect(stat(runsDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
