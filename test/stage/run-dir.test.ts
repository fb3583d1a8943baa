import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import { cleanStaleStaging, createRunDir } from '../../src/stage/run-dir.js';
import { makeTempDir, snapshotTree } from '../helpers/fs.js';

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
    });
    expect(final).toBe(path.join(runsDir, ID));
    expect(path.dirname(seen!.tmp)).toBe(runsDir);
    expect(seen!.listing).toEqual([`.staging-${ID}-${process.pid}`]);
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

  it('wraps an fs error from populate as a STAGE error naming the path', async () => {
    const runsDir = await makeTempDir();
    const promise = createRunDir(runsDir, ID, async (tmp) => {
      await readFile(path.join(tmp, 'missing.txt'));
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
    await expect(createRunDir(runsDir, ID, async (tmp) => writeFile(path.join(tmp, 'a'), 'a'))).rejects.toMatchObject({
      code: 'STAGE',
      message: expect.stringContaining('already exists'),
    });
    expect(await snapshotTree(runsDir)).toEqual(before);
  });

  it('rejects an id that is not a plain directory name', async () => {
    const runsDir = await makeTempDir();
    for (const id of ['', '../escape', '.hidden', 'a/b']) {
      await expect(createRunDir(runsDir, id, async () => {})).rejects.toMatchObject({ code: 'STAGE' });
    }
    expect(await readdir(runsDir)).toEqual([]);
  });
});

describe('cleanStaleStaging', () => {
  it('removes staging dirs of dead processes and keeps those of live ones and everything else', async () => {
    const runsDir = await makeTempDir();
    const dead = await deadPid();
    const names = [
      `.staging-${ID}-${dead}`,
      `.staging-${ID}-${process.pid}`,
      `.staging-${ID}-${process.ppid}`,
      ID,
      '.staging-notes',
    ];
    for (const name of names) await mkdir(path.join(runsDir, name, 'sub'), { recursive: true });
    expect(await cleanStaleStaging(runsDir)).toEqual([path.join(runsDir, `.staging-${ID}-${dead}`)]);
    expect((await readdir(runsDir)).sort()).toEqual(names.slice(1).sort());
  });

  it('has nothing to clean in a runs dir that does not exist yet', async () => {
    expect(await cleanStaleStaging(path.join(await makeTempDir(), 'runs'))).toEqual([]);
  });
});
