/**
 * Python flags as Guild AI's own discovery reads them (its `python_util.Script(...).params`,
 * run from the reference checkout when GUILD_STAGE_REFERENCE is set): literals in
 * parentheses, non-ASCII names (NFKC-normalized, as Python binds them), and values that must
 * be written as escapes, checked with the real python3.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { python } from '../../../transformers/python/index.js';
import { transformError } from '../../helpers/errors.js';
import { makeTempDir } from '../../helpers/fs.js';
import { REFERENCE, REFERENCE_SKIP } from '../../helpers/reference.js';

const SOURCE = `lr = (0.01)
x = -(1)
y = ((-2.5))  # a comment
z = (1,)
empty = ()
s = ("a")
nested = [(1), (-(2))]
twice = -(-1)
\ufb01le = 3
\u03bb = 0.5
\u5b66\u4e60\u7387 = 0.1
na\u0308ive = True
_hidden = 1
`;

function defaults(source: string): Record<string, unknown> {
  return Object.fromEntries(python.discover(source, 'train.py').map((site) => [site.name, site.default]));
}

/** The values python3 binds to `names` when it runs `source`. */
async function pythonValues(source: string, names: string[]): Promise<Record<string, unknown>> {
  const program = `${source}\nimport json\nprint(json.dumps({n: globals()[n] for n in ${JSON.stringify(names)}}))\n`;
  const { stdout } = await execa('python3', ['-c', program]);
  return JSON.parse(stdout);
}

describe('Python flags as Python and Guild AI read them', () => {
  it('a literal in parentheses is a literal; a tuple or an expression is not', () => {
    expect(defaults(SOURCE)).toEqual({
      lr: 0.01,
      x: -1,
      y: -2.5,
      s: 'a',
      nested: [1, -2],
      file: 3,
      λ: 0.5,
      学习率: 0.1,
      ['na\u0308ive'.normalize('NFKC')]: true,
    });
  });

  it('a new value goes inside the parentheses, and python3 reads it', async () => {
    const values = { lr: 0.5, x: 3, y: 1, s: 'b', file: 4, λ: 0.25, 学习率: 0.2 };
    const { text, edits } = python.apply(SOURCE, values, { mode: 'text', file: 'train.py' });
    expect(text.split('\n').slice(0, 3)).toEqual(['lr = (0.5)', 'x = 3', 'y = ((1.0))  # a comment']);
    expect(edits.map((edit) => edit.name)).toEqual(Object.keys(values));
    expect(await pythonValues(text, ['lr', 'x', 'y', 's', 'file', 'λ', '学习率'])).toEqual(values);
  });

  it('a name with a character Python rejects fails as Python does', async () => {
    const error = transformError(() => python.discover('ok = 1\nx\u20ac = 1\n', 'train.py'));
    expect(error.message).toBe("train.py:2: invalid character '\u20ac' (U+20AC) in x\u20ac");
    expect(error.line).toBe(2);
    const python3 = await execa('python3', ['-c', 'x\u20ac = 1'], { reject: false });
    expect(python3.stderr).toContain("invalid character '\u20ac' (U+20AC)");
  });

  it('values with bidi controls, NUL and other invisible characters are written as escapes', async () => {
    const value = 'a\u202eb\u2066c\u2069\u200f\0d\u2028e\ufeff\u00a0';
    const { text } = python.apply('tag = ""\n', { tag: value }, { mode: 'text', file: 'train.py' });
    expect(text).toMatch(/^tag = "[\x20-\x7e]+"\n$/);
    expect(await pythonValues(text, ['tag'])).toEqual({ tag: value });
  });
});

describe(`Python flags against Guild AI's own discovery${REFERENCE_SKIP}`, () => {
  it.skipIf(!REFERENCE)('finds the names and defaults Guild finds', async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, 'train.py');
    await writeFile(file, SOURCE);
    const { stdout } = await execa(
      '/usr/bin/python3',
      [
        '-c',
        'import json, sys\nfrom guild import python_util\nprint(json.dumps(python_util.Script(sys.argv[1]).params))',
        file,
      ],
      { env: { PYTHONPATH: path.join(REFERENCE!, 'guildai') } },
    );
    const guild = Object.fromEntries(Object.entries(JSON.parse(stdout)).filter(([name]) => !name.startsWith('_')));
    expect(defaults(SOURCE)).toEqual(guild);
  });
});
