/**
 * Claiming a staged run: one claimer wins, the LOCK holds its pid from its first moment, a
 * LOCK left by a claimer that died is taken over, and a run claimed before is never claimed again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimMarker, setMarker } from '../../src/records/markers.js';
import { claimRestart } from '../../src/records/restart.js';
import type { Run } from '../../src/run.js';
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

describe('claimRestart', () => {
  it('of 8 restarts claiming a run at once, one gets it and the others are refused', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = await makeTempDir();
      await mkdir(path.join(dir, '.guild'));
      const run = { dir, shortId: path.basename(dir).slice(0, 8) } as Run;
      const claims = await Promise.allSettled(Array.from({ length: 8 }, () => claimRestart(run)));
      expect(claims.filter((claim) => claim.status === 'fulfilled')).toHaveLength(1);
      for (const claim of claims.filter((c) => c.status === 'rejected')) {
        expect((claim as PromiseRejectedResult).reason).toMatchObject({ code: 'RUN_STATE' });
      }
      expect(await readdir(path.join(dir, '.guild'))).toEqual(['LOCK']);
      expect(await readFile(path.join(dir, '.guild', 'LOCK'), 'utf8')).toBe(String(process.pid));
    }
  });

  it('takes over a LOCK whose process is gone, and leaves a live one alone', async () => {
    const stale = await stagedRunDir(String(deadPid()));
    await claimRestart({ dir: stale, shortId: 'stale' } as Run);
    expect(await readFile(path.join(stale, '.guild', 'LOCK'), 'utf8')).toBe(String(process.pid));
    const held = await stagedRunDir(String(process.ppid));
    await expect(claimRestart({ dir: held, shortId: 'held' } as Run)).rejects.toThrow(
      'run held is running: it can be restarted once it has stopped',
    );
    expect(await readFile(path.join(held, '.guild', 'LOCK'), 'utf8')).toBe(String(process.ppid));
  });
});

describe('setMarker', () => {
  it('replaces a LOCK whole: a reader polling it meanwhile never finds it empty', async () => {
    const dir = await stagedRunDir(String(process.pid));
    const lock = path.join(dir, '.guild', 'LOCK');
    // A reader in another process, polling as fast as it can until told to stop.
    const stop = path.join(dir, 'stop');
    const reader = spawn(
      'python3',
      [
        '-c',
        `import os, sys
lock, stop = sys.argv[1:]
reads = empty = 0
print("ready", flush=True)
while not os.path.exists(stop):
    try:
        with open(lock) as f:
            text = f.read()
    except FileNotFoundError:
        continue
    reads += 1
    empty += text == ""
print(reads, empty)`,
        lock,
        stop,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    const ready = new Promise<void>((resolve) => {
      reader.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        if (out.startsWith('ready\n')) resolve();
      });
    });
    const exited = new Promise((resolve) => reader.on('exit', resolve));
    // The writes start once the reader polls, and go on long enough for it to read many times
    // on a slow or busy machine too.
    await ready;
    const until = Date.now() + 300;
    for (let i = 0; i < 400 || Date.now() < until; i++) await setMarker(dir, 'LOCK', String(process.pid));
    await writeFile(stop, '');
    await exited;
    const [reads, empty] = out.slice('ready\n'.length).trim().split(' ').map(Number);
    expect(reads).toBeGreaterThan(100);
    expect(empty).toBe(0);
  });
});
