/**
 * Staging is atomic: a copy that fails part-way leaves nothing in the runs directory, and
 * what a killed guild-stage left behind is cleaned up. Project files that are no source
 * (a FIFO) are skipped, not read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { snapshotTree } from '../helpers/fs.js';
import { makeProject, onlyRun, readGuildFile, runsDirEntries, stderrLines } from './support.js';

const PATH_MAX = 4096;

/**
 * A file whose path fits PATH_MAX in the project but not under the (long) runs dir: the copy
 * of the other files goes through, this one's write fails with ENAMETOOLONG. As root no
 * permission can refuse a write; the kernel's path limit still does.
 */
async function deepFile(dir: string): Promise<string> {
  const segments: string[] = [];
  let length = dir.length + '/f.txt'.length;
  while (length + 201 < PATH_MAX - 100) {
    segments.push('d'.repeat(200));
    length += 201;
  }
  const rel = path.join(...segments, 'f.txt');
  await mkdir(path.join(dir, ...segments), { recursive: true });
  await writeFile(path.join(dir, rel), 'deep\n');
  return rel;
}

describe.concurrent('staging', () => {
  it('a copy failing part-way leaves no run and no staging dir behind', async ({ expect }) => {
    let deep = '';
    const project = await makeProject({ 'job.sh': 'echo job\n', 'a.txt': 'a\n', 'b/c.txt': 'c\n' }, async ({ dir }) => {
      deep = await deepFile(dir);
    });
    const runsDir = path.join(project.home, 'r'.repeat(200), 's'.repeat(200));
    const result = await project.gs(['run', 'job.sh', '--exec', 'sh job.sh', '--runs-dir', runsDir]);

    expect(result.code, result.stderr).toBe(1);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^guild-stage: cannot write .*: name too long \(ENAMETOOLONG\)$/);
    expect(lines[0]).toContain(path.dirname(deep).slice(-50));
    expect(existsSync(runsDir)).toBe(true);
    expect(await runsDirEntries(runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a binary script found while copying fails the staging, which leaves nothing behind', async ({ expect }) => {
    const project = await makeProject({ 'tool.sh': Buffer.from('#!/bin/sh\0\n'), 'a.txt': 'a\n', 'b/c.txt': 'c\n' });
    const result = await project.gs(['run', 'tool.sh', '--exec', 'sh tool.sh', '--runs-dir', project.runsDir]);

    expect(result.code, result.stderr).toBe(2);
    expect(stderrLines(result)).toEqual(['guild-stage: the script tool.sh is not part of the staged source (binary)']);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a FIFO in the project is skipped with a warning, not read (which would hang)', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': 'console.log("ran");\n', 'data/a.txt': 'a\n' });
    const fifo = path.join(project.dir, 'data', 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    const result = await project.gs(['run', 'train.mjs']);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('guild-stage: warning: skipped data/pipe.txt: unreadable');
    const runDir = await onlyRun(project.runsDir);
    const manifest = await readGuildFile(runDir, 'manifest');
    expect(
      manifest
        .split('\n')
        .map((line) => line.split(' ')[1])
        .filter(Boolean)
        .sort(),
    ).toEqual(['data/a.txt', 'train.mjs']);
    expect(existsSync(path.join(runDir, 'data', 'pipe.txt'))).toBe(false);
    expect(await readGuildFile(runDir, 'output')).toBe('ran\n');
    // snapshotTree would block reading the FIFO: check it apart, then the rest byte for byte.
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    await rm(fifo);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('runs removes the staging dir of a process that died mid-copy, and keeps a live one', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': '' });
    const deadPid = spawnSync('true').pid!;
    const dead = path.join(project.runsDir, `.staging-${'a'.repeat(32)}-${deadPid}`);
    const live = path.join(project.runsDir, `.staging-${'b'.repeat(32)}-${process.pid}`);
    for (const dir of [dead, live]) await mkdir(path.join(dir, '.guild'), { recursive: true });
    const before = await snapshotTree(live);

    const result = await project.gs(['runs']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(await runsDirEntries(project.runsDir)).toEqual([path.basename(live)]);
    expect(await snapshotTree(live)).toEqual(before);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
