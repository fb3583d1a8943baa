import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shlexQuote, shlexSplit } from '../src/shlex.js';
import { pythonHas, runPython } from './helpers/python.js';

const HAS_PYTHON = pythonHas('shlex');

describe('shlexQuote', () => {
  it('leaves safe words alone and single-quotes the rest', () => {
    expect(shlexQuote('train.py')).toBe('train.py');
    expect(shlexQuote('/home/me/src-1,2:x=y@z%+')).toBe('/home/me/src-1,2:x=y@z%+');
    expect(shlexQuote('')).toBe("''");
    expect(shlexQuote('my file.py')).toBe("'my file.py'");
    expect(shlexQuote("it's")).toBe(`'it'"'"'s'`);
  });
});

describe('shlexSplit', () => {
  it('splits on whitespace and joins quoted and escaped parts into one word', () => {
    expect(shlexSplit(`s 'a b' c\\ d "e \\"f\\" \\g" ''`)).toEqual(['s', 'a b', 'c d', 'e "f" \\g', '']);
    expect(shlexSplit('  x\t y\n')).toEqual(['x', 'y']);
  });

  it('throws on an unclosed quote or a trailing escape, in one line naming the line', () => {
    expect(() => shlexSplit("a 'b")).toThrow(`no closing quotation in "a 'b"`);
    expect(() => shlexSplit('a "b\nc')).toThrow('no closing quotation in "a \\"b\\nc"');
    expect(() => shlexSplit('a b\\')).toThrow('no escaped character in "a b\\\\"');
  });

  it('splits an --exec command line as a POSIX shell splits words and quotes', () => {
    expect(shlexSplit(`python3 -u  train.py`)).toEqual(['python3', '-u', 'train.py']);
    expect(shlexSplit(`sh -c 'echo "$X" hi'`)).toEqual(['sh', '-c', 'echo "$X" hi']);
    expect(shlexSplit(`echo "a \\"b\\" c" d\\ e ''`)).toEqual(['echo', 'a "b" c', 'd e', '']);
  });

  it('keeps a backslash in double quotes unless it escapes " or \\, as Python does (unlike sh for $ and `)', () => {
    expect(shlexSplit(`echo "\\$HOME \\\`x\\\` \\\\"`)).toEqual(['echo', '\\$HOME \\`x\\` \\']);
  });

  it('inverts shlexQuote for any words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' })), (words) => {
        expect(shlexSplit(words.map(shlexQuote).join(' '))).toEqual(words);
      }),
    );
  });

  it.skipIf(!HAS_PYTHON)("agrees with Python's shlex.quote and shlex.split (skipped without python3)", async () => {
    const words = fc.sample(fc.string({ unit: 'binary-ascii', maxLength: 12 }), { numRuns: 300, seed: 5 });
    const piece = fc.constantFrom('a', ' ', "'", '"', '\\', 'b c', '\t', '#');
    const line = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    const lines = fc.sample(line, { numRuns: 300, seed: 9 });
    const script = `
import json, shlex, sys
words, lines = json.load(sys.stdin)
def split(line):
    try:
        return shlex.split(line)
    except ValueError:
        return None
print(json.dumps([[shlex.quote(w) for w in words], [split(l) for l in lines]]))`;
    const [quoted, split] = await runPython<[string[], Array<string[] | null>]>(script, [words, lines]);
    expect(words.map(shlexQuote)).toEqual(quoted);
    const ours = lines.map((line) => {
      try {
        return shlexSplit(line);
      } catch {
        return null;
      }
    });
    expect(ours).toEqual(split);
  });
});
