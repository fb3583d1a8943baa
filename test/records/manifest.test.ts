import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourcecodeDigest, writeManifest } from '../../src/records/manifest.js';
import { shlexSplit } from '../../src/shlex.js';
import { makeTempDir } from '../helpers/fs.js';
import { pythonHas, runPython } from '../helpers/python.js';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

describe('manifest', () => {
  it('writes one s line per file, fields shell-quoted, paths with spaces included', async () => {
    const dir = await makeTempDir();
    await writeManifest(dir, [
      { path: 'train.py', sha1: SHA_A },
      { path: 'data dir/my file.csv', sha1: SHA_B, sourcePath: 'data dir/my file.csv' },
    ]);
    const text = await readFile(path.join(dir, '.guild', 'manifest'), 'utf8');
    expect(text).toBe(`s train.py ${SHA_A} train.py\ns 'data dir/my file.csv' ${SHA_B} 'data dir/my file.csv'\n`);
    expect(text.trimEnd().split('\n').map(shlexSplit)).toEqual([
      ['s', 'train.py', SHA_A, 'train.py'],
      ['s', 'data dir/my file.csv', SHA_B, 'data dir/my file.csv'],
    ]);
  });

  it('replaces an earlier manifest whole', async () => {
    const dir = await makeTempDir();
    await writeManifest(dir, [{ path: 'old.py', sha1: SHA_B }]);
    await writeManifest(dir, [{ path: 'a.py', sha1: SHA_A }]);
    expect(await readFile(path.join(dir, '.guild', 'manifest'), 'utf8')).toBe(`s a.py ${SHA_A} a.py\n`);
  });

  it.skipIf(!pythonHas('shlex'))("is read by Guild's manifest decoding (skipped without python3)", async () => {
    const dir = await makeTempDir();
    await writeManifest(dir, [{ path: "it's a file.py", sha1: SHA_A }]);
    // guild/manifest.py _decode_line: shlex.split of each line.
    const script = `
import json, shlex, sys
print(json.dumps([shlex.split(l.decode('utf-8')) for l in open(json.load(sys.stdin), 'rb')]))`;
    expect(await runPython(script, path.join(dir, '.guild', 'manifest'))).toEqual([
      ['s', "it's a file.py", SHA_A, "it's a file.py"],
    ]);
  });
});

describe('sourcecodeDigest', () => {
  it('depends on paths and hashes, not on order', () => {
    const a = { path: 'a.py', sha1: SHA_A };
    const b = { path: 'b.py', sha1: SHA_B };
    expect(sourcecodeDigest([a, b])).toBe(sourcecodeDigest([b, a]));
    expect(sourcecodeDigest([a, b])).toMatch(/^[0-9a-f]{32}$/);
    expect(sourcecodeDigest([a, { ...b, sha1: SHA_A }])).not.toBe(sourcecodeDigest([a, b]));
    expect(sourcecodeDigest([a, { ...b, path: 'c.py' }])).not.toBe(sourcecodeDigest([a, b]));
  });
});
