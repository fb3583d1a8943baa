import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmod,
  constants,
  copyFile,
  link,
  lstat,
  mkdir,
  readFile,
  readdir,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copySource } from '../../src/stage/copy.js';
import { selectSource, type Selection } from '../../src/stage/select.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';

const MiB = 1024 * 1024;

/** Whether the temp dirs' filesystem can reflink (btrfs, XFS): `--link` then clones rather than hard-links. */
async function reflinks(): Promise<boolean> {
  const dir = await makeTempDir();
  await writeFile(path.join(dir, 'a'), 'a');
  return copyFile(path.join(dir, 'a'), path.join(dir, 'b'), constants.COPYFILE_FICLONE_FORCE).then(
    () => true,
    () => false,
  );
}
const REFLINKS = await reflinks();

/** What copySource records of a file it hard-linked: the inode, mtime and size it shares. */
async function linkStamp(file: string) {
  if (REFLINKS) return {};
  const st = await lstat(file, { bigint: true });
  return { linked: { ino: st.ino, mtimeNs: st.mtimeNs, size: st.size } };
}

function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

async function modeOf(file: string): Promise<number> {
  return (await stat(file)).mode & 0o777;
}

/** Selects and copies `dir` into a fresh directory, checking that the project is left as it was. */
async function stage(dir: string, opts: { link?: boolean; select?: Parameters<typeof selectSource>[1] } = {}) {
  const before = await snapshotTree(dir);
  const selection = await selectSource(dir, opts.select);
  const dest = await makeTempDir('gs-dest-');
  const result = await copySource(dir, dest, selection, { link: opts.link });
  expect(await snapshotTree(dir)).toEqual(before);
  return { dest, selection, ...result };
}

describe('copySource', () => {
  it('copies every selected file byte for byte and reports its sha1 and size', async () => {
    const dir = await makeTempDir();
    const files = {
      'train.py': 'lr = 0.01\n',
      'with space/my file.py': 'a = 1\n',
      'ünïcödé/データ.R': 'x <- 1L\n',
      'deep/a/b/c/d.txt': 'deep\n',
    };
    await writeTree(dir, files);
    const { dest, copied, skipped } = await stage(dir);
    expect(skipped).toEqual([]);
    expect(copied).toEqual(
      Object.entries(files)
        .map(([file, text]) => ({ path: file, sha1: sha1(text), size: Buffer.byteLength(text) }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    for (const [file, text] of Object.entries(files)) expect(await readFile(path.join(dest, file), 'utf8')).toBe(text);
  });

  it('copies files of every size up to the streaming limit, small after large, each whole and its own', async () => {
    const dir = await makeTempDir();
    // Sizes around the 64 KiB read buffer it starts with and doubles; a later, smaller file must
    // not carry the end of a larger one.
    const sizes = [0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 200_000, 3 * MiB, 10, 70_000, 5];
    const files = Object.fromEntries(
      sizes.map((size, i) => {
        const data = Buffer.alloc(size);
        for (let at = 0; at < size; at++) data[at] = 32 + ((at * 7 + i * 13) % 90);
        return [`f${String(i).padStart(2, '0')}.txt`, data];
      }),
    );
    await writeTree(dir, files);
    const select = { rules: { maxFileSize: 4 * MiB } };
    const { dest, copied, skipped } = await stage(dir, { select });
    expect(skipped).toEqual([]);
    expect(copied).toEqual(
      Object.entries(files).map(([file, data]) => ({ path: file, sha1: sha1(data), size: data.length })),
    );
    for (const [file, data] of Object.entries(files)) {
      expect((await readFile(path.join(dest, file))).equals(data), file).toBe(true);
    }
  });

  it('preserves modes, even those the umask would strip, so an executable script still runs', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'run.sh': '#!/bin/sh\necho staged-ok\n', 'secret.cfg': 'k=v\n', 'shared.txt': 'x\n' });
    await chmod(path.join(dir, 'run.sh'), 0o755);
    await chmod(path.join(dir, 'secret.cfg'), 0o600);
    await chmod(path.join(dir, 'shared.txt'), 0o666);
    const saved = process.umask(0o077);
    try {
      for (const link of [false, true]) {
        const { dest } = await stage(dir, { link });
        expect(await modeOf(path.join(dest, 'run.sh'))).toBe(0o755);
        expect(await modeOf(path.join(dest, 'secret.cfg'))).toBe(0o600);
        expect(await modeOf(path.join(dest, 'shared.txt'))).toBe(0o666);
        expect(execFileSync(path.join(dest, 'run.sh'), { encoding: 'utf8' })).toBe('staged-ok\n');
      }
    } finally {
      process.umask(saved);
    }
  });

  it('skips binary files outside git, judging by a NUL byte in the first 8 KiB only', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      'train.py': 'x = 1\n',
      'model.pt': Buffer.from([0x80, 0x02, 0x00, 0x63]),
      'late-nul.txt': Buffer.concat([Buffer.alloc(8 * 1024, 'a'), Buffer.from([0])]),
      'forced.bin': Buffer.from([0, 0, 0]),
    });
    const { dest, copied, skipped } = await stage(dir, {
      select: { rules: { select: [{ type: 'include', pattern: 'forced.bin' }] } },
    });
    expect(skipped).toEqual([{ path: 'model.pt', reason: 'binary' }]);
    expect(copied.map((file) => file.path)).toEqual(['forced.bin', 'late-nul.txt', 'train.py']);
    expect((await readdir(dest)).sort()).toEqual(['forced.bin', 'late-nul.txt', 'train.py']);
  });

  it('hard-links with `link`, still hashing each file', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'train.py': 'x = 1\n', 'sub/b.txt': 'b\n' });
    const { dest, copied } = await stage(dir, { link: true });
    expect(copied).toEqual([
      { path: 'sub/b.txt', sha1: sha1('b\n'), size: 2, ...(await linkStamp(path.join(dir, 'sub/b.txt'))) },
      { path: 'train.py', sha1: sha1('x = 1\n'), size: 6, ...(await linkStamp(path.join(dir, 'train.py'))) },
    ]);
    const shared = (await stat(path.join(dest, 'train.py'))).ino === (await stat(path.join(dir, 'train.py'))).ino;
    expect(shared).toBe(!REFLINKS);
  });

  it.skipIf(!REFLINKS)(
    `reflinks with \`link\` where the filesystem can: nothing shared, nothing stamped${REFLINKS ? '' : ' (skipped: no reflinks in the temp dir)'}`,
    async () => {
      const dir = await makeTempDir();
      await writeTree(dir, { 'train.py': 'x = 1\n' });
      const { dest, copied } = await stage(dir, { link: true });
      expect(copied).toEqual([{ path: 'train.py', sha1: sha1('x = 1\n'), size: 6 }]);
      expect((await stat(path.join(dest, 'train.py'))).ino).not.toBe((await stat(path.join(dir, 'train.py'))).ino);
      await writeFile(path.join(dir, 'train.py'), 'x = 2\n');
      expect(await readFile(path.join(dest, 'train.py'), 'utf8')).toBe('x = 1\n');
    },
  );

  it('never makes again a destination that was removed: the copy fails', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'a/b/c.txt': 'c\n', 'train.py': 'x\n' });
    const selection = await selectSource(dir);
    const dest = path.join(await makeTempDir(), 'staging');
    await mkdir(dest);
    await rm(dest, { recursive: true });
    for (const link of [false, true]) {
      await expect(copySource(dir, dest, selection, { link })).rejects.toMatchObject({ code: 'STAGE' });
      await expect(lstat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('streams files too large to hold in memory, with or without links', async () => {
    const dir = await makeTempDir();
    const big = Buffer.alloc(5 * MiB, 'w');
    big.write('\0', 3 * MiB);
    await writeTree(dir, { 'weights.bin': big, 'zeros.txt': Buffer.alloc(5 * MiB) });
    await chmod(path.join(dir, 'weights.bin'), 0o640);
    const select = { rules: { maxFileSize: 64 * MiB, select: [{ type: 'include' as const, pattern: '*.bin' }] } };
    for (const link of [false, true]) {
      const { dest, copied, skipped } = await stage(dir, { link, select });
      const stamp = link ? await linkStamp(path.join(dir, 'weights.bin')) : {};
      expect(copied).toEqual([{ path: 'weights.bin', sha1: sha1(big), size: big.length, ...stamp }]);
      expect(skipped).toEqual([{ path: 'zeros.txt', reason: 'binary' }]);
      expect(sha1(await readFile(path.join(dest, 'weights.bin')))).toBe(sha1(big));
      expect(await modeOf(path.join(dest, 'weights.bin'))).toBe(0o640);
    }
  });

  it('fails with a STAGE error naming the destination it cannot write', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'sub/train.py': 'x\n' });
    const notADir = path.join(await makeTempDir(), 'file');
    await writeFile(notADir, 'x');
    await expect(copySource(dir, notADir, await selectSource(dir))).rejects.toMatchObject({
      code: 'STAGE',
      message: expect.stringMatching(/^cannot write .*file\/sub: .*ENOTDIR/),
    });
  });

  it('never writes through a file already in the destination (it may be a link into the project)', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'train.py': 'lr = 0.01\n' });
    const dest = await makeTempDir();
    await link(path.join(dir, 'train.py'), path.join(dest, 'train.py'));
    const before = await snapshotTree(dir);
    await expect(copySource(dir, dest, await selectSource(dir))).rejects.toMatchObject({
      code: 'STAGE',
      message: expect.stringContaining('EEXIST'),
    });
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('round-trips arbitrary file names and text', async () => {
    const name = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      .filter((s) => !s.includes('/') && !s.includes('\0') && s !== '.' && s !== '..' && Buffer.byteLength(s) < 200);
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0'));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, text, { minKeys: 1, maxKeys: 6 }), async (files) => {
        const dir = await makeTempDir();
        await writeTree(dir, files);
        const { dest, copied, skipped } = await stage(dir);
        expect(skipped).toEqual([]);
        expect(copied.map((file) => file.path)).toEqual(Object.keys(files).sort((a, b) => (a < b ? -1 : 1)));
        for (const [file, content] of Object.entries(files)) {
          expect(await readFile(path.join(dest, file), 'utf8')).toBe(content);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('unreadable source files', () => {
  /**
   * Root reads mode-000 files anyway, so as root the selection and copy run in a child
   * process as `nobody`, where permissions apply.
   */
  it('are skipped as unreadable, files and directories alike, without failing the copy', async () => {
    const base = await makeTempDir();
    const dir = path.join(base, 'project');
    const dest = path.join(base, 'dest');
    await writeTree(dir, { 'train.py': 'x = 1\n', 'locked.py': 'secret\n', 'closed/inner.py': 'y\n' });
    await mkdir(dest);
    await chmod(path.join(dir, 'locked.py'), 0o000);
    await chmod(path.join(dir, 'closed'), 0o000);
    const result = process.getuid?.() === 0 ? await stageAsNobody(base, dir, dest) : await stageHere(dir, dest);
    expect(result.selected).toEqual(['locked.py', 'train.py']);
    expect(result.copied).toEqual(['train.py']);
    expect(result.skipped).toEqual([
      { path: 'closed/', reason: 'unreadable', detail: 'permission denied (EACCES)' },
      { path: 'locked.py', reason: 'unreadable', detail: 'permission denied (EACCES)' },
    ]);
  });
});

interface StageSummary {
  selected: string[];
  copied: string[];
  skipped: Selection['skipped'];
}

async function stageHere(dir: string, dest: string): Promise<StageSummary> {
  const selection = await selectSource(dir);
  const { copied, skipped } = await copySource(dir, dest, selection);
  return {
    selected: selection.files.map((f) => f.path),
    copied: copied.map((f) => f.path),
    skipped: [...selection.skipped, ...skipped],
  };
}

async function stageAsNobody(base: string, dir: string, dest: string): Promise<StageSummary> {
  // The child's code goes in a world-readable temp dir, bundled: nobody may not be able to
  // reach the checkout (a clone under /root, or under a private mktemp -d directory).
  const code = await makeTempDir('gs-nobody-code-');
  const entry = path.join(code, 'child.ts');
  const src = (file: string) => fileURLToPath(new URL(`../../src/stage/${file}`, import.meta.url));
  await writeFile(
    entry,
    `import { selectSource } from ${JSON.stringify(src('select.ts'))};
import { copySource } from ${JSON.stringify(src('copy.ts'))};
const [dir, dest] = process.argv.slice(2);
const selection = await selectSource(dir);
const { copied, skipped } = await copySource(dir, dest, selection);
console.log(JSON.stringify({ selected: selection.files.map((f) => f.path), copied: copied.map((f) => f.path), skipped: [...selection.skipped, ...skipped] }));
`,
  );
  const child = path.join(code, 'child.mjs');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
  });
  await chmod(code, 0o755);
  await chmod(child, 0o644);
  await chmod(base, 0o755);
  await chmod(dest, 0o777);
  const out = execFileSync(process.execPath, [child, dir, dest], { uid: 65534, gid: 65534, encoding: 'utf8' });
  return JSON.parse(out) as StageSummary;
}
