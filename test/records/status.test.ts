import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAttr } from '../../src/records/attrs.js';
import { clearMarker, pidExists, pidOfLock, readMarker, setMarker } from '../../src/records/markers.js';
import { readRun, statusOf } from '../../src/records/read-run.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid as number;
}

/** The status `readRun` gives, which `listRuns` and `guild-stage runs` show. */
async function runStatus(dir: string): Promise<string> {
  return (await readRun(dir)).status;
}

async function newRun(): Promise<string> {
  const dir = await makeTempDir();
  await writeAttr(dir, 'id', path.basename(dir));
  return dir;
}

describe("run status (Guild's rule)", () => {
  it('reads a LOCK with a live pid as running and with a dead pid as error', async () => {
    const live = await newRun();
    await setMarker(live, 'LOCK', String(process.pid));
    expect(await runStatus(live)).toBe('running');

    const dead = await newRun();
    await setMarker(dead, 'LOCK', String(deadPid()));
    expect(await runStatus(dead)).toBe('error');
  });

  it.each([
    [0, 'completed'],
    [1, 'error'],
    [2, 'error'],
    [-15, 'terminated'],
    [-9, 'terminated'],
  ])('reads exit_status %i as %s', async (exitStatus, status) => {
    const dir = await newRun();
    await writeAttr(dir, 'exit_status', exitStatus);
    expect(await runStatus(dir)).toBe(status);
  });

  it('lets exit_status win over a LOCK with a live pid, as Guild does', async () => {
    const dir = await newRun();
    await setMarker(dir, 'LOCK', String(process.pid));
    await writeAttr(dir, 'exit_status', 0);
    expect(await runStatus(dir)).toBe('completed');
  });

  it('reads a run that ended after a reader took its exit_status as absent by its end, not as error', async () => {
    // As a reader sees a run that ends between its reads: no exit_status, then no LOCK.
    const ended = await newRun();
    await writeAttr(ended, 'exit_status', 0);
    expect(statusOf(ended, undefined)).toBe('completed');
    const failed = await newRun();
    await writeAttr(failed, 'exit_status', -15);
    expect(statusOf(failed, undefined)).toBe('terminated');
    expect(statusOf(await newRun(), undefined)).toBe('error');
  });

  it('reads STAGED and PENDING as staged, before any exit status', async () => {
    const staged = await newRun();
    await setMarker(staged, 'STAGED');
    await writeAttr(staged, 'exit_status', 1);
    expect(await runStatus(staged)).toBe('staged');

    const pending = await newRun();
    await setMarker(pending, 'PENDING');
    expect(await runStatus(pending)).toBe('staged');
  });

  it('reads LOCK.remote as running before anything else', async () => {
    const dir = await newRun();
    await setMarker(dir, 'STAGED');
    await writeAttr(dir, 'exit_status', 1);
    await writeTree(dir, { '.guild/LOCK.remote': 'gpu-box\n' });
    expect(await runStatus(dir)).toBe('running');
  });

  it('reads a run with no exit status and no lock as error (it died unrecorded)', async () => {
    expect(await runStatus(await newRun())).toBe('error');
  });

  it('ignores a LOCK that holds no pid', async () => {
    const dir = await newRun();
    await setMarker(dir, 'LOCK', 'not a pid');
    expect(pidOfLock(await readMarker(dir, 'LOCK'))).toBeNull();
    expect(await runStatus(dir)).toBe('error');
    await setMarker(dir, 'LOCK', '0');
    expect(pidOfLock(await readMarker(dir, 'LOCK'))).toBeNull();
  });
});

describe('markers', () => {
  it('writes STAGED empty and LOCK with the pid as decimal text, and clears them', async () => {
    const dir = await makeTempDir();
    await setMarker(dir, 'STAGED');
    await setMarker(dir, 'LOCK', '4242');
    expect(await readFile(path.join(dir, '.guild', 'STAGED'), 'utf8')).toBe('');
    expect(await readFile(path.join(dir, '.guild', 'LOCK'), 'utf8')).toBe('4242');
    expect(pidOfLock(await readMarker(dir, 'LOCK'))).toBe(4242);
    await clearMarker(dir, 'STAGED');
    await clearMarker(dir, 'LOCK');
    await clearMarker(dir, 'PENDING');
    expect(await readdir(path.join(dir, '.guild'))).toEqual([]);
  });

  it('tells live pids from dead ones', () => {
    expect(pidExists(process.pid)).toBe(true);
    expect(pidExists(deadPid())).toBe(false);
  });
});
