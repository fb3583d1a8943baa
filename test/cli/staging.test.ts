/**
 * Staging is atomic: a copy that fails part-way leaves nothing in the runs directory, and
 * what a killed guild-stage left behind is cleaned up. Project files that are no source
 * (a FIFO) are skipped, not read.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { namespaceTag } from '../../src/stage/staging-owner.js';
import { snapshotTree } from '../helpers/fs.js';
import {
  makeProject,
  manifestPaths,
  onlyRun,
  readGuildFile,
  runsDirEntries,
  stderrLines,
  waitForFile,
} from './support.js';

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
    expect(await manifestPaths(runDir)).toEqual(['data/a.txt', 'train.mjs']);
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
    const dead = path.join(project.runsDir, `.staging-${'a'.repeat(32)}-h${namespaceTag()}-${deadPid}`);
    const live = path.join(project.runsDir, `.staging-${'b'.repeat(32)}-h${namespaceTag()}-${process.pid}`);
    for (const dir of [dead, live]) await mkdir(path.join(dir, '.guild'), { recursive: true });
    const before = await snapshotTree(live);

    const result = await project.gs(['runs']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(await runsDirEntries(project.runsDir)).toEqual([path.basename(live)]);
    expect(await snapshotTree(live)).toEqual(before);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a staging dir another process removes mid-copy fails the run: no run is recorded, nothing made again', async ({
    expect,
  }) => {
    // One file per directory: every file after the removal needs a new directory, which a
    // stager that makes directories with mkdir -p would make again, under a vanished root.
    const files: Record<string, string> = { 'train.py': 'print(1)\n' };
    for (let i = 0; i < 2000; i++) files[`d${String(i).padStart(4, '0')}/f.txt`] = 'x'.repeat(100);
    const project = await makeProject(files);
    await mkdir(project.runsDir, { recursive: true });
    // A cleaner that takes the first staging dir it sees for abandoned, as one in another pid
    // namespace judging by pid would, and removes it.
    const cleaner = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'), path = require('path');
      for (;;) {
        const name = fs.readdirSync(process.argv[1]).find((n) => n.startsWith('.staging-'));
        if (name && fs.readdirSync(path.join(process.argv[1], name)).length > 0) {
          fs.rmSync(path.join(process.argv[1], name), { recursive: true, force: true });
          break;
        }
      }`,
      project.runsDir,
    ]);
    const cleaned = new Promise((resolve) => cleaner.on('exit', resolve));
    const result = await project.gs(['run', 'train.py']);
    cleaner.kill();
    await cleaned;
    expect(result.code, result.stderr).toBe(1);
    expect(stderrLines(result).at(-1)).toMatch(
      /^guild-stage: (staging dir \S+ was removed by another process while the run was staged; nothing was recorded|the staged copy does not match its manifest: .*)/,
    );
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a runs directory deleted while the script runs is not made again as a skeleton run', async ({ expect }) => {
    const script = `import os, time
open(os.environ["SCRATCH"] + "/started", "w").write("1")
while not os.path.exists(os.environ["SCRATCH"] + "/go"):
    time.sleep(0.02)
print("done")
`;
    const project = await makeProject({ 'train.py': script });
    const running = project.gs(['run', 'train.py']);
    await waitForFile(path.join(project.scratch, 'started'));
    await rm(project.runsDir, { recursive: true });
    await writeFile(path.join(project.scratch, 'go'), '1');
    const result = await running;
    expect(result.code, result.stderr).toBe(1);
    expect(stderrLines(result).at(-1)).toMatch(
      /^guild-stage: cannot write run attr \S+\/stopped: run directory \S+ no longer exists: it was removed while guild-stage was writing it$/,
    );
    expect(existsSync(project.runsDir)).toBe(false);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
