import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import { copySource } from '../../src/stage/copy.js';
import { cleanStaleStaging, createRunDir } from '../../src/stage/run-dir.js';
import { selectSource } from '../../src/stage/select.js';
import { namespaceTag, STALE_AFTER_MS } from '../../src/stage/staging-owner.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';

const ID = '0123456789abcdef0123456789abcdef';

/** The pid of a process that has exited: no process holds it now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('createRunDir', () => {
  it('populates a hidden temporary dir, then renames it into place', async () => {
    const runsDir = path.join(await makeTempDir(), 'home', 'runs');
    let seen: { tmp: string; listing: string[] } | undefined;
    const final = await createRunDir(runsDir, ID, async (tmp) => {
      await writeFile(path.join(tmp, 'train.py'), 'x = 1\n');
      seen = { tmp, listing: await readdir(runsDir) };
      return [{ path: 'train.py', size: 6 }];
    });
    expect(final).toBe(path.join(runsDir, ID));
    expect(path.dirname(seen!.tmp)).toBe(runsDir);
    expect(seen!.listing).toEqual([`.staging-${ID}-h${namespaceTag()}-${process.pid}`]);
    expect(await readdir(runsDir)).toEqual([ID]);
    expect(await readFile(path.join(final, 'train.py'), 'utf8')).toBe('x = 1\n');
  });

  it('leaves neither the run dir nor the temporary dir when populate throws, and rethrows its error', async () => {
    const runsDir = await makeTempDir();
    const failure = new GuildStageError('SOURCE', 'the script is binary');
    const thrown = await createRunDir(runsDir, ID, async (tmp) => {
      await writeFile(path.join(tmp, 'partial.py'), 'x');
      throw failure;
    }).catch((error: unknown) => error);
    expect(thrown).toBe(failure);
    expect(await readdir(runsDir)).toEqual([]);
  });

  it('says another process removed the staging dir when a directory in it vanished, though its root is there', async () => {
    const runsDir = await makeTempDir();
    const promise = createRunDir(runsDir, ID, async (tmp) => {
      await mkdir(path.join(tmp, 'd0005'));
      // As another process's recursive removal does, children first, the root still there.
      await rm(path.join(tmp, 'd0005'), { recursive: true });
      await writeFile(path.join(tmp, 'd0005', 'f.txt'), 'x');
      return [];
    });
    await expect(promise).rejects.toMatchObject({
      code: 'STAGE',
      message: expect.stringMatching(/^staging dir \S+ was removed by another process while the run was staged/),
    });
    expect(await readdir(runsDir)).toEqual([]);
  });

  it('wraps an fs error from populate as a STAGE error naming the path', async () => {
    const runsDir = await makeTempDir();
    const promise = createRunDir(runsDir, ID, async (tmp) => {
      await readFile(path.join(tmp, 'missing.txt'));
      return [];
    });
    await expect(promise).rejects.toMatchObject({
      code: 'STAGE',
      message: expect.stringMatching(/^cannot stage .*missing\.txt: no such file or directory \(ENOENT\)$/),
    });
    expect(await readdir(runsDir)).toEqual([]);
  });

  it('reports a runs dir that cannot be created', async () => {
    const base = await makeTempDir();
    await writeFile(path.join(base, 'file'), 'x');
    const runsDir = path.join(base, 'file', 'runs');
    let populated = false;
    const error = await createRunDir(runsDir, ID, async () => {
      populated = true;
      return [];
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect(error).toMatchObject({
      code: 'STAGE',
      message: `runs dir ${runsDir} is not writable: not a directory (ENOTDIR)`,
    });
    expect(populated).toBe(false);
  });

  it('refuses to replace an existing run dir, even an empty one', async () => {
    const runsDir = await makeTempDir();
    await mkdir(path.join(runsDir, ID));
    const before = await snapshotTree(runsDir);
    const populate = async (tmp: string) => {
      await writeFile(path.join(tmp, 'a'), 'a');
      return [];
    };
    await expect(createRunDir(runsDir, ID, populate)).rejects.toMatchObject({
      code: 'STAGE',
      message: expect.stringContaining('already exists'),
    });
    expect(await snapshotTree(runsDir)).toEqual(before);
  });

  it('never makes again a staging dir another process removed mid-copy: the run fails and nothing appears', async () => {
    const project = await makeTempDir();
    await writeTree(project, { 'train.py': 'x = 1\n', 'data/a.txt': 'a\n', 'data/deep/b.txt': 'b\n' });
    const selection = await selectSource(project);
    const runsDir = await makeTempDir();
    const error = await createRunDir(runsDir, ID, async (tmp) => {
      // What a cleaner on another host does when it takes this staging dir for abandoned.
      await rm(tmp, { recursive: true });
      return (await copySource(project, tmp, selection)).copied;
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'STAGE',
      message: expect.stringMatching(
        /^staging dir .*\.staging-.* was removed by another process while the run was staged/,
      ),
    });
    expect(await readdir(runsDir)).toEqual([]);
  });

  it('refuses a staging dir taken away (renamed) before it could be renamed into place', async () => {
    const runsDir = await makeTempDir();
    const elsewhere = path.join(await makeTempDir(), 'taken');
    const error = await createRunDir(runsDir, ID, async (tmp) => {
      await writeFile(path.join(tmp, 'train.py'), 'x');
      await rename(tmp, elsewhere);
      await mkdir(tmp);
      await writeFile(path.join(tmp, 'train.py'), 'x');
      return [{ path: 'train.py', size: 1 }];
    }).catch((e: unknown) => e);
    // A directory of the same name made by someone else is not ours to rename into place.
    expect(error).toMatchObject({ code: 'STAGE', message: expect.stringContaining('was removed by another process') });
    expect(await readdir(runsDir)).toEqual([]);
  });

  it('fails when files populate placed are missing or changed, naming one, and leaves nothing', async () => {
    const runsDir = await makeTempDir();
    const error = await createRunDir(runsDir, ID, async (tmp) => {
      await writeTree(tmp, { 'a.txt': 'a', 'sub/b.txt': 'bb', 'c.txt': 'ccc' });
      await rm(path.join(tmp, 'sub'), { recursive: true });
      await writeFile(path.join(tmp, 'c.txt'), 'changed');
      return [
        { path: 'a.txt', size: 1 },
        { path: 'sub/b.txt', size: 2 },
        { path: 'c.txt', size: 3 },
      ];
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'STAGE',
      message: 'the staged copy does not match its manifest: 2 of 3 files missing or changed while staging (sub/b.txt)',
    });
    expect(await readdir(runsDir)).toEqual([]);
  });

  it('rejects an id that is not a plain directory name', async () => {
    const runsDir = await makeTempDir();
    for (const id of ['', '../escape', '.hidden', 'a/b']) {
      await expect(createRunDir(runsDir, id, async () => [])).rejects.toMatchObject({ code: 'STAGE' });
    }
    expect(await readdir(runsDir)).toEqual([]);
  });
});

describe('cleanStaleStaging', () => {
  const OTHER_TAG = 'f'.repeat(12) === namespaceTag() ? 'e'.repeat(12) : 'f'.repeat(12);
  const STALE = (Date.now() - STALE_AFTER_MS - 60_000) / 1000;

  async function makeDirs(runsDir: string, dirs: Record<string, 'fresh' | 'stale'>): Promise<void> {
    for (const [name, age] of Object.entries(dirs)) {
      await mkdir(path.join(runsDir, name, 'sub'), { recursive: true });
      if (age === 'stale') await utimes(path.join(runsDir, name), STALE, STALE);
    }
  }

  it('in its own pid namespace, removes staging dirs of dead processes and keeps live ones, however old', async () => {
    const runsDir = await makeTempDir();
    const dead = await deadPid();
    const own = (pid: number, id = ID) => `.staging-${id}-h${namespaceTag()}-${pid}`;
    await makeDirs(runsDir, {
      [own(dead)]: 'fresh',
      [own(process.pid)]: 'stale',
      [own(process.ppid, 'b'.repeat(32))]: 'fresh',
      [ID]: 'stale',
      '.staging-notes': 'stale',
    });
    expect(await cleanStaleStaging(runsDir)).toEqual([path.join(runsDir, own(dead))]);
    expect((await readdir(runsDir)).sort()).toEqual(
      [own(process.pid), own(process.ppid, 'b'.repeat(32)), ID, '.staging-notes'].sort(),
    );
  });

  it("keeps another host's or container's staging dir while its heartbeat is fresh, whatever its pid here", async () => {
    const runsDir = await makeTempDir();
    const dead = await deadPid();
    const foreign = (id: string) => `.staging-${id}-h${OTHER_TAG}-${dead}`;
    await makeDirs(runsDir, { [foreign('a'.repeat(32))]: 'fresh', [foreign('b'.repeat(32))]: 'stale' });
    const kept = path.join(runsDir, foreign('a'.repeat(32)));
    const before = await snapshotTree(kept);
    expect(await cleanStaleStaging(runsDir)).toEqual([path.join(runsDir, foreign('b'.repeat(32)))]);
    expect(await readdir(runsDir)).toEqual([foreign('a'.repeat(32))]);
    expect(await snapshotTree(kept)).toEqual(before);
  });

  it('removes an untagged staging dir (older versions) only when its pid is dead and its heartbeat old', async () => {
    const runsDir = await makeTempDir();
    const dead = await deadPid();
    const untagged = (id: string, pid: number) => `.staging-${id}-${pid}`;
    await makeDirs(runsDir, {
      [untagged('a'.repeat(32), dead)]: 'fresh',
      [untagged('b'.repeat(32), dead)]: 'stale',
      [untagged('c'.repeat(32), process.pid)]: 'stale',
    });
    expect(await cleanStaleStaging(runsDir)).toEqual([path.join(runsDir, untagged('b'.repeat(32), dead))]);
    expect((await readdir(runsDir)).sort()).toEqual(
      [untagged('a'.repeat(32), dead), untagged('c'.repeat(32), process.pid)].sort(),
    );
  });

  it('finishes the removals a cleaner that died left under .removing-*', async () => {
    const runsDir = await makeTempDir();
    await makeDirs(runsDir, { [`.removing-0123456789ab.staging-${ID}-h${OTHER_TAG}-1`]: 'fresh', [ID]: 'fresh' });
    await cleanStaleStaging(runsDir);
    expect(await readdir(runsDir)).toEqual([ID]);
  });

  it('has nothing to clean in a runs dir that does not exist yet', async () => {
    expect(await cleanStaleStaging(path.join(await makeTempDir(), 'runs'))).toEqual([]);
  });
});
