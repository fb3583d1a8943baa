/**
 * Python source encodings (PEP 263) through the real CLI: a flag value stays data whatever
 * codec the script's coding cookie names. Scripts guild-stage can write into run and print
 * `repr` of the value Python read; the rest are refused before any run directory exists.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'vitest';
import { makeProject, runsDirEntries } from './support.js';

/** Values that turn into code when written for a UTF-8 reading into a file read in another codec. */
const HOSTILE = [
  `Á"; __import__('os').system('touch pwned') #`,
  `+ACI-; __import__('os').system('touch pwned') #`,
  `\\"; __import__('os').system('touch pwned') #`,
  `é € 😀 ÿ \u0080 \u00a0 ' " \\`,
];

/** A script in `codec` whose flag `msg` Python prints with `repr` to `out`. */
function script(codec: string, comment: string): Buffer {
  const text = `# -*- coding: ${codec} -*-\n# ${comment}\nmsg = "default"\nopen("out", "w", encoding="utf-8").write(repr(msg))\n`;
  return Buffer.from(text, 'latin1');
}

async function pythonRepr(value: string): Promise<string> {
  const { stdout } = await execa('python3', ['-c', 'import sys, json; print(repr(json.load(sys.stdin)), end="")'], {
    input: JSON.stringify(value),
  });
  return stdout;
}

describe.concurrent('python source encodings', () => {
  // The comment holds bytes the codec reads as non-ASCII letters: they must come through untouched.
  for (const codec of ['latin-1', 'iso-8859-15', 'cp1252', 'koi8-r']) {
    it(`write values into a ${codec} script as data, keeping its other bytes`, async ({ expect }) => {
      const source = script(codec, 'caf\xe9 \xc1\xff');
      const project = await makeProject({ 'train.py': source });
      for (const value of HOSTILE) {
        const result = await project.gs(['run', 'train.py', '--flags', `msg=${value}`, '-q']);
        expect(result.code, result.stderr).toBe(0);
        const dir = (JSON.parse((await project.gs(['runs', '--json'])).stdout) as Array<{ runDir: string }>)[0]!.runDir;
        expect(await readFile(path.join(dir, 'out'), 'utf8')).toBe(await pythonRepr(value));
        expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
        const staged = await readFile(path.join(dir, 'train.py'));
        // Every byte but the new literal's is the project's; the literal is pure ASCII.
        const [head, tail] = [source.indexOf('msg = '), source.indexOf('\nopen(')];
        expect(staged.subarray(0, head).equals(source.subarray(0, head))).toBe(true);
        expect(staged.subarray(staged.length - (source.length - tail)).equals(source.subarray(tail))).toBe(true);
        expect(staged.every((byte, i) => i < head || byte < 0x80 || i >= staged.length - (source.length - tail))).toBe(
          true,
        );
      }
      expect(await project.snapshot()).toEqual(project.before);
    });
  }

  for (const codec of ['utf-7', 'shift_jis', 'gbk', 'big5', 'euc-jp', 'iso-2022-jp', 'unicode_escape', 'utf-16']) {
    it(`refuse a ${codec} script before staging it`, async ({ expect }) => {
      const project = await makeProject({ 'train.py': script(codec, 'plain') });
      const result = await project.gs(['run', 'train.py', '--flags', `msg=${HOSTILE[0]}`, '-q']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`train.py declares source encoding ${codec}, which guild-stage refuses`);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(await runsDirEntries(project.runsDir)).toEqual([]);
      expect(await project.snapshot()).toEqual(project.before);
    });
  }

  it('refuses a UTF-8 BOM before another codec, as Python does', async ({ expect }) => {
    const project = await makeProject({
      'train.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), script('latin-1', 'x')]),
    });
    const result = await project.gs(['run', 'train.py', '--flags', 'msg=x', '-q']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('after a UTF-8 BOM');
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
  });

  it('writes NaN so that no name the script defines is called', async ({ expect }) => {
    const source = 'float = lambda *a: "shadowed"\nx = 1.0\nopen("out", "w").write(repr(x))\n';
    const project = await makeProject({ 'train.py': source });
    const result = await project.gs(['run', 'train.py', '--flags', 'x=nan', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const dir = (JSON.parse((await project.gs(['runs', '--json'])).stdout) as Array<{ runDir: string }>)[0]!.runDir;
    expect(await readFile(path.join(dir, 'out'), 'utf8')).toBe('nan');
  });
});
