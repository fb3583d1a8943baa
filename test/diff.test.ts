import { execFileSync } from 'node:child_process';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyPatch, structuredPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPatch, filePatch, gitFileMode, type FileChange } from '../src/diff.js';
import { makeTempDir, writeTree } from './helpers/fs.js';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

describe('createPatch', () => {
  it('is empty when nothing changed', () => {
    expect(createPatch([{ path: 'a.py', before: 'x\n', after: 'x\n' }])).toBe('');
  });

  it('writes git headers with a/ and b/ prefixes', () => {
    expect(filePatch({ path: 'train.py', before: 'lr = 0.01\nprint(lr)\n', after: 'lr = 0.1\nprint(lr)\n' })).toBe(
      'diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n-lr = 0.01\n+lr = 0.1\n print(lr)\n',
    );
  });

  it('applies with git apply to the original, covering edits, new files, deletions, CRLF and odd names', async () => {
    const dir = await makeTempDir();
    const files = {
      'train.py': 'import os\r\nlr = 0.01\r\nepochs = 10\r\n',
      'sub dir/ü name.txt': 'one\ntwo',
      'gone.txt': 'bye\n',
      'tab\tname.txt': 'x\n',
    };
    await writeTree(dir, files);
    const changes = [
      { path: 'train.py', before: files['train.py'], after: 'import os\r\nlr = 0.1\r\nepochs = 10\r\n' },
      { path: 'sub dir/ü name.txt', before: files['sub dir/ü name.txt'], after: 'one\nthree' },
      { path: 'gone.txt', before: files['gone.txt'], after: null },
      { path: 'new/file.py', before: null, after: 'print(1)\n' },
      { path: 'tab\tname.txt', before: 'x\n', after: 'y\n' },
    ];
    const patch = createPatch(changes);
    await writeFile(path.join(dir, 'staged.patch'), patch);
    git(dir, 'init', '-q');
    git(dir, 'apply', '--check', 'staged.patch');
    git(dir, 'apply', 'staged.patch');
    for (const change of changes) {
      const content = await readFile(path.join(dir, change.path), 'utf8').catch(() => null);
      expect(content).toBe(change.after);
    }
    git(dir, 'apply', '-R', 'staged.patch');
    for (const [name, content] of Object.entries(files))
      expect(await readFile(path.join(dir, name), 'utf8')).toBe(content);
  });

  it('writes modes as git does, and git apply sets them', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { 'run.sh': 'echo run\n', 'old.sh': 'echo old\n', 'both.sh': 'echo 1\n' });
    await chmod(path.join(dir, 'old.sh'), 0o755);
    const changes: FileChange[] = [
      { path: 'run.sh', before: 'echo run\n', after: 'echo run\n', oldMode: '100644', newMode: '100755' },
      { path: 'both.sh', before: 'echo 1\n', after: 'echo 2\n', oldMode: '100644', newMode: '100755' },
      { path: 'tool.sh', before: null, after: 'echo tool\n', newMode: '100755' },
      { path: 'old.sh', before: 'echo old\n', after: null, oldMode: '100755' },
    ];
    const patch = createPatch(changes);
    expect(patch.split('\n').filter((line) => /mode|^diff|^@@/.test(line))).toEqual([
      'diff --git a/both.sh b/both.sh',
      'old mode 100644',
      'new mode 100755',
      '@@ -1 +1 @@',
      'diff --git a/old.sh b/old.sh',
      'deleted file mode 100755',
      '@@ -1 +0,0 @@',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/tool.sh b/tool.sh',
      'new file mode 100755',
      '@@ -0,0 +1 @@',
    ]);
    await writeFile(path.join(dir, 'staged.patch'), patch);
    git(dir, 'init', '-q');
    git(dir, 'apply', 'staged.patch');
    for (const file of ['run.sh', 'both.sh', 'tool.sh'])
      expect((await stat(path.join(dir, file))).mode & 0o111).not.toBe(0);
    expect(await readFile(path.join(dir, 'both.sh'), 'utf8')).toBe('echo 2\n');
    git(dir, 'apply', '-R', 'staged.patch');
    expect((await stat(path.join(dir, 'run.sh'))).mode & 0o111).toBe(0);
    expect((await stat(path.join(dir, 'old.sh'))).mode & 0o111).not.toBe(0);
  });

  it('is empty for a change of neither content nor git mode', () => {
    expect(filePatch({ path: 'a.sh', before: 'x\n', after: 'x\n', oldMode: '100755', newMode: '100755' })).toBe('');
    expect(gitFileMode(0o744)).toBe('100755');
    expect(gitFileMode(0o677)).toBe('100644');
  });

  it('orders files by path, so the same changes give the same bytes', () => {
    const a = { path: 'a.py', before: '1\n', after: '2\n' };
    const b = { path: 'b.py', before: '1\n', after: '2\n' };
    expect(createPatch([b, a])).toBe(createPatch([a, b]));
    expect(createPatch([b, a]).indexOf('a/a.py')).toBeLessThan(createPatch([b, a]).indexOf('a/b.py'));
  });

  it('diffs only the changed lines and their context, as small a change as a whole-text diff gives', () => {
    // Few distinct lines, so that changes meet repeated lines and blank ends, where a window cut wrong shows.
    const line = fc.constantFrom('a', 'b', '', 'lr = 0.1', 'x\r');
    const text = fc
      .array(line, { maxLength: 30 })
      .chain((lines) =>
        fc.boolean().map((newlineAtEnd) => lines.join('\n') + (newlineAtEnd && lines.length > 0 ? '\n' : '')),
      );
    fc.assert(
      fc.property(text, text, (before, after) => {
        const patch = filePatch({ path: 'f', before, after });
        if (before === after) return patch === '';
        const whole = structuredPatch('f', 'f', before, after, '', '', { context: 3 });
        const body = patch.slice(patch.indexOf('\n@@') + 1);
        // Trimming shared ends keeps the edit minimal, though ties may align elsewhere than in the whole diff.
        const changed = (lines: string[]) => lines.filter((l) => /^[-+]/.test(l)).length;
        expect(changed(body.split('\n'))).toBe(changed(whole.hunks.flatMap((h) => h.lines)));
        expect(applyPatch(before, `--- a/f\n+++ b/f\n${body}`)).toBe(after);
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it('numbers hunks by their lines in the whole file when the change is deep inside it', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `x${i} = ${i}`);
    const before = `${lines.join('\n')}\n`;
    lines[70_000] = 'x70000 = -1';
    const patch = filePatch({ path: 'big.py', before, after: `${lines.join('\n')}\n` });
    expect(patch.split('\n').slice(3)).toEqual([
      '@@ -69998,7 +69998,7 @@',
      ' x69997 = 69997',
      ' x69998 = 69998',
      ' x69999 = 69999',
      '-x70000 = 70000',
      '+x70000 = -1',
      ' x70001 = 70001',
      ' x70002 = 70002',
      ' x70003 = 70003',
      '',
    ]);
  });
});
