import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filePatch } from '../src/diff.js';
import { readChangedRegion } from '../src/diff-region.js';
import { makeTempDir } from './helpers/fs.js';

describe('readChangedRegion', () => {
  it('gives the patch the whole texts give, whatever the block size', async () => {
    const dir = await makeTempDir();
    const [fileA, fileB] = [path.join(dir, 'a'), path.join(dir, 'b')];
    // Few distinct lines (some multibyte, one with a CR), so changes meet repeated lines and blank ends.
    const line = fc.constantFrom('a', 'b', '', 'lr = 0.1', 'x\r', 'é€', '😀 😀');
    const text = fc
      .array(line, { maxLength: 25 })
      .chain((lines) =>
        fc.boolean().map((newlineAtEnd) => lines.join('\n') + (newlineAtEnd && lines.length > 0 ? '\n' : '')),
      );
    await fc.assert(
      fc.asyncProperty(text, text, fc.integer({ min: 1, max: 9 }), async (before, after, block) => {
        await Promise.all([writeFile(fileA, before), writeFile(fileB, after)]);
        const region = await readChangedRegion(fileA, fileB, block);
        if (before === after) return region === null;
        expect(region).not.toBeNull();
        const { before: partBefore, after: partAfter, linesAbove } = region!;
        expect(filePatch({ path: 'f', before: partBefore, after: partAfter, linesAbove })).toBe(
          filePatch({ path: 'f', before, after }),
        );
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('reads only the changed lines and their context of a large file', async () => {
    const dir = await makeTempDir();
    const lines = Array.from({ length: 200_000 }, (_, i) => `x${i} = ${i}`);
    await writeFile(path.join(dir, 'a.py'), `${lines.join('\n')}\n`);
    lines[150_000] = 'x150000 = -1';
    await writeFile(path.join(dir, 'b.py'), `${lines.join('\n')}\n`);
    const region = await readChangedRegion(path.join(dir, 'a.py'), path.join(dir, 'b.py'));
    expect(region).toEqual({
      before:
        'x149997 = 149997\nx149998 = 149998\nx149999 = 149999\nx150000 = 150000\nx150001 = 150001\nx150002 = 150002\nx150003 = 150003\n',
      after:
        'x149997 = 149997\nx149998 = 149998\nx149999 = 149999\nx150000 = -1\nx150001 = 150001\nx150002 = 150002\nx150003 = 150003\n',
      linesAbove: 149_997,
    });
  });
});
