import { appendFile, chmod, link, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedSince, markHooksStart } from '../../src/stage/changes.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';

describe('changedSince', () => {
  it('finds files written, added and deleted after the mark, however they were written', async () => {
    const root = await makeTempDir();
    const run = path.join(root, 'run');
    await writeTree(root, { 'project/linked.txt': 'shared\n' });
    await writeTree(run, { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'sub/d.txt': 'd', '.guild/attrs/id': 'x' });
    await link(path.join(root, 'project/linked.txt'), path.join(run, 'linked.txt'));
    await mkdir(path.join(run, '.git'));
    const copied = new Set(['a.txt', 'b.txt', 'c.txt', 'sub/d.txt', 'linked.txt']);
    // Files copied in the mark's own clock tick would count as changed (the engine then finds
    // their content equal); here the copy is a tick older so the result is exact.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const mark = await markHooksStart(run);
    // Right after the mark, in the same clock tick: in place, chmod'ed, added, deleted.
    await appendFile(path.join(run, 'a.txt'), 'more');
    await chmod(path.join(run, 'b.txt'), 0o755);
    await writeFile(path.join(run, 'sub/new.txt'), 'new');
    await rm(path.join(run, 'c.txt'));
    await writeFile(path.join(run, '.git/index'), 'not source');
    expect(await changedSince(run, copied, mark)).toEqual({
      modified: ['a.txt', 'b.txt'],
      added: ['sub/new.txt'],
      deleted: ['c.txt'],
    });
  });
});
