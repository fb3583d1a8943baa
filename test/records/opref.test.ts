import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import { formatOpref, parseOpref } from '../../src/records/opref.js';
import { pythonHas, runPython } from '../helpers/python.js';

describe('formatOpref', () => {
  it("writes Guild's script opref line", () => {
    expect(formatOpref('/abs/project', 'train.py')).toBe("script:/abs/project '' '' train.py\n");
  });

  it('quotes fields with spaces or quotes as Guild does', () => {
    expect(formatOpref('/home/me/my project', 'src/train model.py')).toBe(
      "script:'/home/me/my project' '' '' 'src/train model.py'\n",
    );
    expect(formatOpref("/p/it's", 'a.py')).toBe(`script:'/p/it'"'"'s' '' '' a.py\n`);
    expect(formatOpref('/p', "'quoted'")).toBe(`script:/p '' '' "'quoted'"\n`);
  });
});

describe('parseOpref', () => {
  it('reads back what formatOpref writes', () => {
    for (const [dir, spec] of [
      ['/abs/project', 'train.py'],
      ['/home/me/my project', 'sub dir/train.R'],
      ["/it's here", "x'.py"],
      ['/p', "'quoted'"],
    ]) {
      expect(parseOpref(formatOpref(dir, spec))).toEqual({ pkgType: 'script', projectDir: dir, opspec: spec });
    }
  });

  it("reads Guild's guildfile oprefs as model:op", () => {
    expect(parseOpref("guildfile:/proj/guild.yml 'abc123' mnist train")).toEqual({
      pkgType: 'guildfile',
      projectDir: '/proj/guild.yml',
      opspec: 'mnist:train',
    });
    expect(parseOpref("guildfile:/proj/guild.yml '' '' train").opspec).toBe('train');
  });

  it('rejects a line that is not an opref', () => {
    expect(() => parseOpref('train.py')).toThrow(GuildStageError);
    expect(() => parseOpref("script /p '' '' x")).toThrow(/invalid opref/);
    const unclosed = "script:/p '' '' 'x";
    expect(() => parseOpref(unclosed)).toThrow(GuildStageError);
    expect(() => parseOpref(unclosed)).toThrow(`invalid opref: no closing quotation in "${unclosed}"`);
  });

  it.skipIf(!pythonHas('shlex'))("is parsed by Guild's OpRef.parse logic (skipped without python3)", async () => {
    const line = formatOpref("/home/me/my 'odd' project", 'train v2.py');
    // guild/opref.py _opref_parse: shlex.split into 4 parts, then split the first on ':'.
    const script = `
import json, shlex, sys
parts = shlex.split(json.load(sys.stdin))
assert len(parts) == 4, parts
pkg_type, pkg_name = parts[0].split(':', 1)
print(json.dumps([pkg_type, pkg_name] + parts[1:]))`;
    expect(await runPython(script, line)).toEqual(['script', "/home/me/my 'odd' project", '', '', 'train v2.py']);
  });
});
