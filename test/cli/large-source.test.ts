/**
 * A 50 MB flags file, staged through the real CLI: its peak memory stays a few times the
 * file's size (the copy streams, the patch reads only the changed lines, text is written a
 * slice at a time), and what it records is still exact.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { LONG, LONG_SKIP } from '../helpers/long.js';
import { makeProject, onlyRun, readGuildFile } from './support.js';

const ROW = `        [${Array(60).fill('1.0').join(', ')}],\n`;

/** A script with one flag above a data literal of about `bytes` bytes: lines 1-4, then the rows. */
function largeScript(bytes: number): string {
  return `lr = 0.01\n\ndef data():\n    return [\n${ROW.repeat(Math.ceil(bytes / ROW.length))}    ]\n\nprint(lr)\n`;
}

/** Writes the process's peak resident set size, in bytes, to $MAXRSS_FILE when it exits. */
const PRELOAD = `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.MAXRSS_FILE, String(process.resourceUsage().maxRSS * 1024)));
`;

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');

describe.skipIf(!LONG)(`a 50 MB flags file${LONG_SKIP}`, () => {
  it('is staged in memory a few times its size, its patch the one line that changed', async ({ expect }) => {
    const source = largeScript(50_000_000);
    const project = await makeProject({
      'train.py': source,
      'guild-stage.config.json': JSON.stringify({ source: { include: 'train.py' } }),
    });
    const preload = path.join(project.scratch, 'maxrss.mjs');
    await writeFile(preload, PRELOAD);
    const measured = (name: string) => ({
      NODE_OPTIONS: `--import ${preload}`,
      MAXRSS_FILE: path.join(project.scratch, name),
    });
    spawnSync(process.execPath, ['-e', '0'], { env: { ...process.env, ...measured('floor') } });
    const result = await project.gs(['stage', 'train.py', '--flags', 'lr=0.1', '-q'], {
      env: measured('stage'),
    });
    expect(result.code, result.stderr).toBe(0);

    const runDir = await onlyRun(project.runsDir);
    const staged = await readFile(path.join(runDir, 'train.py'));
    expect(sha1(staged)).toBe(sha1(source.replace('lr = 0.01', 'lr = 0.1')));
    expect(await readGuildFile(runDir, 'staged.patch')).toBe(
      [
        'diff --git a/train.py b/train.py',
        '--- a/train.py',
        '+++ b/train.py',
        '@@ -1,4 +1,4 @@',
        '-lr = 0.01',
        '+lr = 0.1',
        ' ',
        ' def data():',
        '     return [',
        '',
      ].join('\n'),
    );
    expect(await project.snapshot()).toEqual(project.before);

    const [floor, peak] = await Promise.all(
      ['floor', 'stage'].map(async (name) => Number(await readFile(path.join(project.scratch, name), 'utf8'))),
    );
    // Held at once: the text read, the text written and one buffer of bytes, beside Node's own floor.
    expect(peak - floor).toBeLessThan(4.5 * source.length);
  });
});
