/**
 * The `--link` hash cache: a file whose stamp is unchanged is linked without being read, and
 * no change can hide behind it (the racy-git rule), on real files and real hard links.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySource } from '../../src/stage/copy.js';
import { HASH_CACHE_FILE, HashCache } from '../../src/stage/hash-cache.js';
import { selectSource } from '../../src/stage/select.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');

/** An hour ago: old enough for the cache to trust. */
const OLD = new Date(Date.now() - 3600_000);

/** Links the project's selection into a fresh directory with the runs dir's cache, as `stage --link` does. */
async function linkStage(project: string, runsDir: string) {
  const dest = await makeTempDir('gs-dest-');
  const hashes = await HashCache.open(runsDir);
  const { copied, skipped } = await copySource(project, dest, await selectSource(project), { link: true, hashes });
  return { sha1s: Object.fromEntries(copied.map((file) => [file.path, file.sha1])), skipped, dest };
}

/** Rewrites `file` in place with `content` (same size), then gives it back its mtime, to the nanosecond. */
async function rewriteKeepingStamp(file: string, content: string): Promise<void> {
  const before = await lstat(file, { bigint: true });
  const reference = `${file}.times`;
  execFileSync('touch', ['-r', file, reference]);
  await writeFile(file, content);
  execFileSync('touch', ['-r', reference, file]);
  await rm(reference);
  const after = await lstat(file, { bigint: true });
  expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
}

describe('the --link hash cache', () => {
  it('links a file it knows by its stamp without reading it, and reads a file whose stamp changed', async () => {
    const project = await makeTempDir();
    const runsDir = await makeTempDir();
    await writeTree(project, { 'train.py': 'lr = 0.1\n', 'data.txt': 'aaaa\n' });
    for (const name of ['train.py', 'data.txt']) await utimes(path.join(project, name), OLD, OLD);
    const first = await linkStage(project, runsDir);
    expect(first.sha1s).toEqual({ 'train.py': sha1('lr = 0.1\n'), 'data.txt': sha1('aaaa\n') });
    const cached = JSON.parse(await readFile(path.join(runsDir, HASH_CACHE_FILE), 'utf8'));
    expect(Object.keys(cached.files).sort()).toEqual([path.join(project, 'data.txt'), path.join(project, 'train.py')]);

    // Only a read could see this change: same inode, size and mtime. That it stays unseen
    // shows the file was not read (git's index has the same blind spot for such a rewrite).
    await rewriteKeepingStamp(path.join(project, 'data.txt'), 'bbbb\n');
    // A normal edit changes the mtime, and the file is read again.
    await writeFile(path.join(project, 'train.py'), 'lr = 0.2\n');
    const second = await linkStage(project, runsDir);
    expect(second.sha1s).toEqual({ 'train.py': sha1('lr = 0.2\n'), 'data.txt': sha1('aaaa\n') });
  });

  it('never trusts a stamp from the racy window: a same-size rewrite in the same clock tick still shows', async () => {
    const project = await makeTempDir();
    const runsDir = await makeTempDir();
    await writeTree(project, { 'train.py': 'lr = 0.1\n' });
    const first = await linkStage(project, runsDir);
    expect(first.sha1s['train.py']).toBe(sha1('lr = 0.1\n'));
    // As if written again within the tick of the first stage's stamp: nothing in the stamp changes.
    await rewriteKeepingStamp(path.join(project, 'train.py'), 'lr = 0.9\n');
    const second = await linkStage(project, runsDir);
    expect(second.sha1s['train.py']).toBe(sha1('lr = 0.9\n'));
  });

  it('keeps whether a file is binary, whatever its sha1 ends with, and forgets files the project lost', async () => {
    const project = await makeTempDir();
    const runsDir = await makeTempDir();
    // Text files whose sha1s end in b (a marker of binary content in the cache's entries).
    const texts = Array.from({ length: 200 }, (_, i) => `text ${i}\n`).filter((text) => sha1(text).endsWith('b'));
    expect(texts.length).toBeGreaterThan(3);
    const files: Record<string, string | Buffer> = { 'blob.dat': Buffer.from('a\0b\n') };
    texts.forEach((text, i) => {
      files[`t${i}.txt`] = text;
    });
    await writeTree(project, files);
    for (const name of Object.keys(files)) await utimes(path.join(project, name), OLD, OLD);
    const runs = [await linkStage(project, runsDir), await linkStage(project, runsDir)];
    for (const run of runs) {
      expect(run.skipped).toEqual([{ path: 'blob.dat', reason: 'binary' }]);
      expect(Object.keys(run.sha1s).sort()).toEqual(texts.map((_, i) => `t${i}.txt`).sort());
    }

    const hashes = await HashCache.open(runsDir);
    const stamp = await lstat(path.join(project, 't0.txt'), { bigint: true });
    expect(hashes.lookup(path.join(project, 't0.txt'), stamp)).toEqual({
      sha1: sha1(texts[0]!),
      size: texts[0]!.length,
      binary: false,
    });
    hashes.prune(project, new Set([path.join(project, 't0.txt')]));
    expect(
      hashes.lookup(path.join(project, 't1.txt'), await lstat(path.join(project, 't1.txt'), { bigint: true })),
    ).toBeUndefined();
    expect(hashes.lookup(path.join(project, 't0.txt'), stamp)).toBeDefined();
  });

  it('starts empty from a cache file that is not its own', async () => {
    const project = await makeTempDir();
    const runsDir = await makeTempDir();
    await writeTree(project, { 'train.py': 'lr = 0.1\n' });
    await utimes(path.join(project, 'train.py'), OLD, OLD);
    const stamp = await lstat(path.join(project, 'train.py'), { bigint: true });
    const key = `${stamp.dev}:${stamp.ino}:${stamp.size}:${stamp.mtimeNs}:`;
    for (const text of [
      '{',
      '[]',
      JSON.stringify({ version: 1, files: { [path.join(project, 'train.py')]: `${key}nothex` } }),
    ]) {
      await writeFile(path.join(runsDir, HASH_CACHE_FILE), text);
      const run = await linkStage(project, runsDir);
      expect(run.sha1s['train.py']).toBe(sha1('lr = 0.1\n'));
    }
  });
});

describe('the cache file in a project', () => {
  it('is never staged, even by an include rule that names it, like the compare index', async () => {
    const project = await makeTempDir();
    await writeTree(project, { 'train.py': 'x = 1\n', [HASH_CACHE_FILE]: '{}', 'old/.guild-stage-index.json': '{}' });
    const selection = await selectSource(project, {
      rules: {
        select: [
          { type: 'include', pattern: '**' },
          { type: 'include', pattern: '.*' },
        ],
      },
    });
    expect(selection.files.map((file) => file.path)).toEqual(['train.py']);
  });
});
