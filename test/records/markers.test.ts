/**
 * Claiming a staged run: one claimer wins, the LOCK holds its pid from its first moment, a
 * LOCK left by a claimer that died is taken over, and a run claimed before is never claimed again.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimMarker } from '../../src/records/markers.js';
import { makeTempDir } from '../helpers/fs.js';

async function stagedRunDir(lock?: string): Promise<string> {
  const dir = await makeTempDir();
  await mkdir(path.join(dir, '.guild'));
  await writeFile(path.join(dir, '.guild', 'STAGED'), '');
  if (lock !== undefined) await writeFile(path.join(dir, '.guild', 'LOCK'), lock);
  return dir;
}

/** A pid that was just in use and is no more. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
}

describe('claimMarker', () => {
  it('turns STAGED into a LOCK with the pid, leaving no other file', async () => {
    const dir = await stagedRunDir();
    expect(await claimMarker(dir, 'STAGED', process.pid)).toBe(true);
    expect(await readdir(path.join(dir, '.guild'))).toEqual(['LOCK']);
    expect(await readFile(path.join(dir, '.guild', 'LOCK'), 'utf8')).toBe(String(process.pid));
  });

  it('leaves a LOCK of a live process alone, and takes over one whose process is gone', async () => {
    const held = await stagedRunDir(String(process.ppid));
    expect(await claimMarker(held, 'STAGED', process.pid)).toBe(false);
    expect(await readFile(path.join(held, '.guild', 'LOCK'), 'utf8')).toBe(String(process.ppid));
    expect((await readdir(path.join(held, '.guild'))).sort()).toEqual(['LOCK', 'STAGED']);

    const stale = await stagedRunDir(String(deadPid()));
    expect(await claimMarker(stale, 'STAGED', process.pid)).toBe(true);
    expect(await readFile(path.join(stale, '.guild', 'LOCK'), 'utf8')).toBe(String(process.pid));
  });

  it('never claims a run claimed before, and leaves no LOCK behind trying', async () => {
    const dir = await stagedRunDir();
    expect(await claimMarker(dir, 'STAGED', process.pid)).toBe(true);
    // The run ran and ended: its LOCK is cleared.
    await rm(path.join(dir, '.guild', 'LOCK'));
    expect(await claimMarker(dir, 'STAGED', process.pid)).toBe(false);
    expect(await readdir(path.join(dir, '.guild'))).toEqual([]);
  });
});
