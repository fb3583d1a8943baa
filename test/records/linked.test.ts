import { appendFile, link, lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedLinkedFiles, writeLinked } from '../../src/records/linked.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';

/** A project and a run sharing `names` by hard links, stamped as copySource stamps them. */
async function linkedRun(names: readonly string[]) {
  const project = await makeTempDir();
  const run = await makeTempDir();
  await mkdir(path.join(run, '.guild'));
  await writeTree(project, Object.fromEntries(names.map((name) => [name, `${name}\n`])));
  const files = [];
  for (const name of names) {
    await mkdir(path.dirname(path.join(run, name)), { recursive: true });
    await link(path.join(project, name), path.join(run, name));
    const st = await lstat(path.join(run, name), { bigint: true });
    files.push({ path: name, linked: { ino: st.ino, mtimeNs: st.mtimeNs, size: st.size } });
  }
  await writeLinked(run, [...files, { path: 'copied.txt' }]);
  return { project, run };
}

describe('linked files', () => {
  it('reports the files edited in place since they were linked, whatever their names', async () => {
    const names = ['a.txt', 'with space/b.txt', "quote'd\nnewline.txt", 'c.txt', 'gone.txt'];
    const { project, run } = await linkedRun(names);
    expect(await changedLinkedFiles(run)).toEqual([]);
    await appendFile(path.join(project, 'with space/b.txt'), 'more\n');
    await appendFile(path.join(project, "quote'd\nnewline.txt"), 'more\n');
    // Replaced in the project (an editor writing a new file and renaming it): the run keeps its own.
    await writeFile(path.join(project, 'c.new'), 'new\n');
    await rename(path.join(project, 'c.new'), path.join(project, 'c.txt'));
    // Replaced in the run (a plugin's edit) or deleted there: it shares nothing any more.
    await rm(path.join(run, 'a.txt'));
    await writeFile(path.join(run, 'a.txt'), 'edited by a plugin\n');
    await appendFile(path.join(project, 'a.txt'), 'more\n');
    await rm(path.join(run, 'gone.txt'));
    expect(await changedLinkedFiles(run)).toEqual(['with space/b.txt', "quote'd\nnewline.txt"]);
  });

  it('has nothing to report for a run without linked files', async () => {
    const run = await makeTempDir();
    await writeLinked(run, [{ path: 'copied.txt' }]);
    expect(await changedLinkedFiles(run)).toEqual([]);
  });
});
