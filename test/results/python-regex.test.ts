import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyPattern, PythonRegexError, translatePythonRegex } from '../../src/results/python-regex.js';
import { pythonHas, runPython } from '../helpers/python.js';

const HAS_PYTHON = pythonHas('re');

/** Python's finditer over each subject: per match its start (in code points), groups and text. */
type PyResult =
  | { error: string }
  | { groups: number; names: Array<[string, number]>; matches: Array<Array<[number, Array<string | null>, string]>> };

const PY_FINDITER = `
import json, re, sys, warnings
warnings.simplefilter("ignore")
out = []
for c in json.load(sys.stdin):
    try:
        p = re.compile(c["pattern"])
    except Exception as e:
        out.append({"error": str(e)})
        continue
    out.append({
        "groups": p.groups,
        "names": list(p.groupindex.items()),
        "matches": [[[m.start(), list(m.groups()), m.group(0)] for m in p.finditer(s)] for s in c["subjects"]],
    })
print(json.dumps(out))
`;

type Case = { pattern: string; subjects: string[] };

function ours(c: Case): PyResult & { invalid?: boolean } {
  let p: PyPattern;
  try {
    p = new PyPattern(c.pattern);
  } catch (error) {
    if (!(error instanceof PythonRegexError)) throw error;
    return { error: error.message, invalid: error.invalid };
  }
  return {
    groups: p.translated.groups,
    names: [...p.translated.groupNames],
    matches: c.subjects.map((s) => {
      const found: Array<[number, Array<string | null>, string]> = [];
      p.forEachMatch(
        s,
        (groups, index) => {
          const list = Array.from(groups, (g) => g ?? null);
          found.push([Array.from(s.slice(0, index)).length, list.slice(1), list[0]!]);
        },
        undefined,
      );
      return found;
    }),
  };
}

/**
 * Where JavaScript's matcher itself differs from Python's (documented in python-regex.ts):
 * a backreference, or a group inside a repeated group. Such patterns must still compile
 * alike; their matches may differ.
 */
function hasKnownMatchDifference(pattern: string): boolean {
  return /\\[1-9]|\(\?P=/.test(pattern) || /\([^)]*\([^)]*\)[^)]*\)[*+?{]|\)[^(]*\)[*+?{]/.test(pattern);
}

async function compareWithPython(cases: Case[]): Promise<string[]> {
  const expected = await runPython<PyResult[]>(PY_FINDITER, cases);
  const problems: string[] = [];
  cases.forEach((c, i) => {
    const want = expected[i]!;
    const got = ours(c);
    const label = JSON.stringify(c.pattern);
    if ('error' in want) {
      if (!('error' in got)) problems.push(`${label}: Python rejects it (${want.error}), we accept it`);
      else if (got.invalid && got.error !== want.error) problems.push(`${label}: ${got.error} != ${want.error}`);
      return;
    }
    if ('error' in got) {
      if (got.invalid) problems.push(`${label}: Python accepts it, we reject it: ${got.error}`);
      return;
    }
    if (got.groups !== want.groups || JSON.stringify(got.names) !== JSON.stringify(want.names)) {
      problems.push(`${label}: groups ${got.groups} ${JSON.stringify(got.names)} != ${want.groups}`);
    } else if (JSON.stringify(got.matches) !== JSON.stringify(want.matches) && !hasKnownMatchDifference(c.pattern)) {
      problems.push(
        `${label} on ${JSON.stringify(c.subjects)}: ${JSON.stringify(got.matches)} != ${JSON.stringify(want.matches)}`,
      );
    }
  });
  return problems;
}

const CORPUS: Case[] = [
  { pattern: '^[_a-zA-Z]\\S*:\\s+([0-9.]+)$', subjects: ['loss: 0.5', 'loss:\u001c1', 'a\u0085b: 2', 'x:\ufeff3'] },
  { pattern: '(?P<a>x)(?P=a)', subjects: ['xx x'] },
  { pattern: '|a', subjects: ['a', 'ba'] },
  { pattern: 'x*', subjects: ['axxb'] },
  { pattern: '(?i)LOSS: (\\d+)', subjects: ['loss: 12 Loss: \u0663'] },
  { pattern: '\\bab\\b|\\B', subjects: ['ab cab ab', '', 'x_\u{1F600}'] },
  { pattern: 'a{,2}b{2,}c{1}d{}e{x', subjects: ['aabbbcd{}e{x'] },
  { pattern: '(?x) a b # comment\n c', subjects: ['abc'] },
  { pattern: '(?>a+)b|a++c', subjects: ['aaab aac'] },
  { pattern: '(?<=ab)c|(?<!x)d', subjects: ['abc d xd'] },
  { pattern: '(?<=a+)c', subjects: [] },
  { pattern: '[\\d-z]', subjects: [] },
  { pattern: '[]a-]', subjects: [']a-'] },
  { pattern: '[^\\S\\n]+', subjects: ['a \t\nb\u001c'] },
  { pattern: '\\x4', subjects: [] },
  { pattern: '\\q', subjects: [] },
  { pattern: '\\1(a)', subjects: [] },
  { pattern: '(a)\\141', subjects: ['aa'] },
  { pattern: 'a**', subjects: [] },
  { pattern: 'a(?i)b', subjects: [] },
  { pattern: '(?m)^x$', subjects: ['x\nx\r\nx'] },
  { pattern: 'x$', subjects: ['x\n', 'x\nx'] },
  { pattern: '.+', subjects: ['a\rb\u2028c\nd'] },
  { pattern: '(?=a)*b', subjects: ['ab'] },
  { pattern: '(?#comm\\)ent)a', subjects: ['a'] },
  { pattern: '(?P<1a>x)', subjects: [] },
  { pattern: '(?P<a>x)(?P<a>y)', subjects: [] },
  { pattern: '(?P<_key>\\w+)=(?P<_val>\\S+)', subjects: ['a=1 b=2'] },
  { pattern: '\\d+', subjects: ['12\u0663\u096a'] },
  { pattern: '\\w+', subjects: ['h\u00e9llo_1 \u00bd'] },
  { pattern: '(?a)\\w+\\s', subjects: ['h\u00e9llo_1\u00a0x '] },
  { pattern: '[^\\W\\d]+', subjects: ['ab12cd'] },
  { pattern: '(?s:.)(?m:^)a', subjects: ['\na'] },
  { pattern: '\\U0001F600+.', subjects: ['\u{1F600}\u{1F600}\u{1F601}'] },
  { pattern: '[\u{1F600}-\u{1F602}]', subjects: ['\u{1F601}'] },
  { pattern: '(?:)*', subjects: ['ab'] },
  { pattern: '/a/|[/&&--~~||]', subjects: ['/a/&-~|'] },
  { pattern: '\\-\\:\\ \\%\\/', subjects: ['-: %/'] },
  { pattern: '\\a\\0\\07\\377', subjects: ['\u0007\u0000\u0007\u00ff'] },
  { pattern: '\\400', subjects: [] },
  { pattern: '(?x)a{1, 2}', subjects: ['a{1,2}'] },
  { pattern: 'x{4294967295}', subjects: [] },
  { pattern: '(?L)a', subjects: [] },
  { pattern: '(?au)a', subjects: [] },
  { pattern: '(?a)(?u)a', subjects: [] },
  { pattern: 'a(?:b|c)(?=d)', subjects: ['abd acd'] },
  { pattern: '(?:(?>a|ab)c)|x++y', subjects: ['abc ac xxy'] },
  { pattern: '[\\s\\S]\\Z|\\A.', subjects: ['ab'] },
];

describe('translatePythonRegex', () => {
  it("keeps Guild's default patterns readable and equivalent", () => {
    const t = translatePythonRegex('^([_a-zA-Z]\\S*):\\s+(\\d+)$');
    expect(t.flags).toBe('v');
    expect(t.groups).toBe(2);
    expect(t.source.startsWith('^([_a-zA-Z][[^')).toBe(true);
    expect(t.requiredChars).toEqual([':']);
  });

  it('numbers named groups as Python does and reports them by name', () => {
    const t = translatePythonRegex('(?P<loss>\\d+) (x) (?P<acc>\\d+)');
    expect([...t.groupNames]).toEqual([
      ['loss', 1],
      ['acc', 3],
    ]);
  });

  it("rejects what Python rejects, with Python's message", () => {
    const cases: Array<[string, string]> = [
      ['loss=(', 'missing ), unterminated subpattern at position 5'],
      ['a)', 'unbalanced parenthesis at position 1'],
      ['*a', 'nothing to repeat at position 0'],
      ['[a', 'unterminated character set at position 0'],
      ['\\k', 'bad escape \\k at position 0'],
      ['(?P<x>a)(?P=y)', "unknown group name 'y' at position 12"],
      ['a\n(', 'missing ), unterminated subpattern at position 2 (line 2, column 1)'],
      ['(?<=a+)b', 'look-behind requires fixed-width pattern'],
    ];
    for (const [pattern, message] of cases) {
      expect(() => translatePythonRegex(pattern), pattern).toThrow(message);
    }
  });

  it('refuses valid Python it does not carry over, saying so', () => {
    for (const pattern of ['(a)?(?(1)b|c)', '\\N{EM DASH}', '(?i:a)b', '(?i)a(?-i:b)', '(?<=(?>a))b']) {
      let error: unknown;
      try {
        translatePythonRegex(pattern);
      } catch (e) {
        error = e;
      }
      expect(error, pattern).toBeInstanceOf(PythonRegexError);
      expect((error as PythonRegexError).invalid, pattern).toBe(false);
      expect((error as PythonRegexError).message, pattern).toMatch(/not supported/);
    }
  });

  it('finds a non-empty match where an empty one was, as finditer does', () => {
    const found: string[] = [];
    new PyPattern('|a').forEachMatch('a', (g) => found.push(g[0]!), undefined);
    expect(found).toEqual(['', 'a', '']);
  });
});

describe.skipIf(!HAS_PYTHON)('python-regex against Python re (skipped without python3)', () => {
  it('matches like re.finditer on a corpus of tricky patterns', async () => {
    expect(await compareWithPython(CORPUS)).toEqual([]);
  });

  it('gives \\d, \\s and \\w the characters Python gives them (all assigned code points)', async () => {
    const sets = await runPython<Record<string, number[]>>(
      `
import json, re, sys, unicodedata
json.load(sys.stdin)
assigned = [c for c in range(0x110000) if unicodedata.category(chr(c)) != "Cn"]
out = {"assigned": assigned}
for name in ("d", "s", "w"):
    r = re.compile("\\\\" + name)
    out[name] = [c for c in assigned if r.match(chr(c))]
print(json.dumps(out))
`,
      null,
    );
    const unassignedHere = /^\p{Cn}$/u;
    for (const name of ['d', 's', 'w']) {
      const single = new PyPattern(`\\${name}`);
      const ours = sets.assigned!.filter((c) => {
        const ch = String.fromCodePoint(c);
        let hit = false;
        single.forEachMatch(ch, () => (hit = true), undefined);
        return hit;
      });
      // Characters this Node's Unicode does not know yet cannot be compared.
      const known = (c: number) => !unassignedHere.test(String.fromCodePoint(c));
      expect(sets[name]!.length, name).toBeGreaterThan(name === 'w' ? 100_000 : 20);
      expect(ours.filter(known), name).toEqual(sets[name]!.filter(known));
    }
  });

  it('agrees with re on random patterns: compile errors, groups and every match', async () => {
    const tokens = [
      ...'abc.^$|*+?:-# 1\n\u00e9',
      '\u{1F600}',
      '\\d',
      '\\w',
      '\\s',
      '\\S',
      '\\W',
      '\\b',
      '\\B',
      '\\A',
      '\\Z',
      '\\',
      '[ab]',
      '[^a]',
      '[a-c\\d]',
      '[\\s:]',
      '(',
      ')',
      '(?:',
      '(?P<n',
      '>',
      '(?P=n)',
      '(?=',
      '(?!',
      '(?<=',
      '(?<!',
      '(?>',
      '*?',
      '+?',
      '*+',
      '{2}',
      '{1,2}',
      '{,2}',
      '{',
      '}',
      '\\1',
      '(?i)',
      '(?m)',
      '(?s)',
      '(?x)',
      '(?#x)',
      '(?s:',
      '(?a:',
    ];
    const subject = fc.array(fc.constantFrom(...'abc 1\n_-:x\u00e9\u0663', '\u{1F600}'), { maxLength: 8 });
    const cases = fc.sample(
      fc.record({
        pattern: fc.array(fc.constantFrom(...tokens), { minLength: 1, maxLength: 8 }).map((t) => t.join('')),
        subjects: fc.array(
          subject.map((s) => s.join('')),
          { minLength: 3, maxLength: 3 },
        ),
      }),
      { numRuns: 3000, seed: 20240601 },
    );
    expect(await compareWithPython(cases)).toEqual([]);
  });
});
