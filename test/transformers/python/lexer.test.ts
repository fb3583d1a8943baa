import { describe, expect, it } from 'vitest';
import type { TransformError } from '../../../transformers/errors.js';
import { startsLine, tokenize } from '../../../transformers/python/lexer.js';
import { Tok } from '../../../transformers/python/tokens.js';
import { transformError } from '../../helpers/errors.js';

const NAMES = Object.fromEntries(Object.entries(Tok).map(([name, kind]) => [kind, name]));

/** The tokens of `source` as `KIND text` strings. */
function lex(source: string, topLevelOnly = false): string[] {
  const tokens = tokenize(source, 'train.py', { topLevelOnly });
  return Array.from({ length: tokens.count }, (_, i) => `${NAMES[tokens.kind(i)]} ${tokens.text(i)}`);
}

function strings(source: string): string[] {
  return lex(source)
    .filter((token) => token.startsWith('STRING '))
    .map((token) => token.slice('STRING '.length));
}

function lexError(source: string, topLevelOnly = false): TransformError {
  return transformError(() => tokenize(source, 'train.py', { topLevelOnly }));
}

describe('python lexer: strings', () => {
  it('keeps # and = inside a string out of comments and assignments', () => {
    expect(lex('x = "a # b = c"  # real\n')).toEqual([
      'NAME x',
      'EQUAL =',
      'STRING "a # b = c"',
      'COMMENT # real',
      'NEWLINE \n',
    ]);
  });

  it('spans newlines inside triple-quoted strings without ending the line', () => {
    const source = 'doc = """one\nlr = 0.1\n\'\'\' "" two"""\nx = 1\n';
    expect(lex(source)).toEqual([
      'NAME doc',
      'EQUAL =',
      'STRING """one\nlr = 0.1\n\'\'\' "" two"""',
      'NEWLINE \n',
      'NAME x',
      'EQUAL =',
      'NUMBER 1',
      'NEWLINE \n',
    ]);
  });

  it('knows every prefix in any case, and names that only look like prefixes', () => {
    const source = "a = Rb'x' BR\"y\" u'z' rB'''w''' Fr'{x}' f'' t\"{x}\" rb\nrb = 1\n";
    expect(strings(source)).toEqual(["Rb'x'", 'BR"y"', "u'z'", "rB'''w'''", "Fr'{x}'", "f''", 't"{x}"']);
    expect(lex('rb = 1\n')[0]).toBe('NAME rb');
    expect(lex('bar"x"\n').slice(0, 2)).toEqual(['NAME bar', 'STRING "x"']);
  });

  it('lets a backslash escape the quote in plain and raw strings', () => {
    expect(strings(`${String.raw`a = "x\"y" r'\'' 'q\\'`}\n`)).toEqual([
      String.raw`"x\"y"`,
      String.raw`r'\''`,
      String.raw`'q\\'`,
    ]);
  });

  it('lets a backslash escape a quote of a triple-quoted string', () => {
    expect(strings(`${String.raw`a = """x\"""y""" '''\\'''`}\n`)).toEqual([
      String.raw`"""x\"""y"""`,
      String.raw`'''\\'''`,
    ]);
  });

  it('continues a single-quoted string over a backslash-newline', () => {
    expect(strings('s = "a\\\nb"\n')).toEqual(['"a\\\nb"']);
  });

  it('reads f-strings with nested quotes, fields in format specs and literal braces', () => {
    const cases = [
      `f"{d['k']}"`,
      `f"{d["k"]}"`,
      `f'{x:{width}.{precision}f}'`,
      `f"{'}'}"`,
      `f"{{lr = 1}}"`,
      `f"{f'{a["b"]}'}"`,
      `f"""{x!r:>10}\n{"}"}"""`,
      `f"\\N{EM DASH} {x}"`,
      `rf"\\{x}"`,
      `f"{ {'a': 1}['a'] }"`,
      `f"{a != b}"`,
    ];
    for (const literal of cases) expect(strings(`v = ${literal}  # c\n`), literal).toEqual([literal]);
  });

  it('reports an unterminated string at the line where it starts', () => {
    const error = lexError('x = 1\ny = "abc\nz = 2\n');
    expect(error.kind).toBe('source');
    expect(error.message).toBe('train.py:2: unterminated string literal');
    expect(error.line).toBe(2);
    expect(error.file).toBe('train.py');
    expect(lexError('a = 1\nb = 2\ndoc = """never\nclosed\n').message).toBe(
      'train.py:3: unterminated triple-quoted string literal',
    );
    expect(lexError("s = f'{x'\n").kind).toBe('source');
    expect(lexError("s = f'{x:abc'\n").message).toBe("train.py:1: f-string: expecting '}'");
    const deep = (n: number) => `${'f"{'.repeat(n)}x${'}"'.repeat(n)}`;
    expect(strings(`s = ${deep(150)}\n`)).toHaveLength(1);
    expect(lexError(`s = ${deep(100_000)}\n`).message).toBe('train.py:1: too many nested f-strings');
  });
});

describe('python lexer: lines', () => {
  it('joins lines after a backslash continuation', () => {
    expect(lex('x = 1 + \\\n    2\ny = 3\n').filter((t) => t.startsWith('NEWLINE'))).toHaveLength(2);
  });

  it('does not end a statement at a newline inside brackets', () => {
    expect(lex('x = [1,\n  2,  # two\n]\n')).toEqual([
      'NAME x',
      'EQUAL =',
      'LSQB [',
      'NUMBER 1',
      'COMMA ,',
      'NUMBER 2',
      'COMMA ,',
      'COMMENT # two',
      'RSQB ]',
      'NEWLINE \n',
    ]);
  });

  it('treats CRLF and lone CR as one line break each, and keeps \\r out of comments', () => {
    expect(lex('x = 1  # one\r\ny = 2\rz = 3')).toEqual([
      'NAME x',
      'EQUAL =',
      'NUMBER 1',
      'COMMENT # one',
      'NEWLINE \r\n',
      'NAME y',
      'EQUAL =',
      'NUMBER 2',
      'NEWLINE \r',
      'NAME z',
      'EQUAL =',
      'NUMBER 3',
      'NEWLINE ',
    ]);
  });

  it('emits no NEWLINE for blank or comment-only lines', () => {
    expect(lex('\n\n# only a comment\n   \nx = 1\n')).toEqual([
      'COMMENT # only a comment',
      'NAME x',
      'EQUAL =',
      'NUMBER 1',
      'NEWLINE \n',
    ]);
  });

  it('keeps only top-level simple statements and column-0 comments when asked, still scanning the rest', () => {
    const source = 'def f():\n    x = """a\n#| not a comment"""  # inner\n    # indented\n#| top\nlr = 1  # trailing\n';
    expect(lex(source, true)).toEqual([
      'COMMENT #| top',
      'NAME lr',
      'EQUAL =',
      'NUMBER 1',
      'COMMENT # trailing',
      'NEWLINE \n',
    ]);
    expect(() => tokenize('def f():\n    x = "open\n', 'train.py', { topLevelOnly: true })).toThrow(
      'train.py:2: unterminated string literal',
    );
  });

  it('keeps of a compound statement only its column-0 comments, which may annotate what follows', () => {
    const source =
      'if x: y = 1 \\\n#| min: 1\n@decorator  # not kept\nclass C(Base,\n#| kept\n  ):  # not kept\n    pass\nlr = 1\n';
    expect(lex(source, true)).toEqual([
      'COMMENT #| min: 1',
      'COMMENT #| kept',
      'NAME lr',
      'EQUAL =',
      'NUMBER 1',
      'NEWLINE \n',
    ]);
    expect(lex(source).filter((token) => token.startsWith('COMMENT'))).toHaveLength(4);
  });

  it('skips a leading BOM and counts the token after it as column 0', () => {
    const source = '\uFEFFx = 1\n';
    const tokens = tokenize(source, 'train.py');
    expect(tokens.start(0)).toBe(1);
    expect(startsLine(source, 1)).toBe(true);
    expect(startsLine('  x = 1', 2)).toBe(false);
    expect(startsLine('a\r\nx', 3)).toBe(true);
  });

  it('reports brackets that are never closed, unmatched or mismatched', () => {
    expect(lexError('x = 1\ny = (1,\n 2\n').message).toBe("train.py:2: '(' was never closed");
    expect(lexError('x = 1)\n').message).toBe("train.py:1: unmatched ')'");
    expect(lexError('x = [1,\n2)\n').message).toBe("train.py:2: closing ')' does not match '['");
    expect(lexError(`x = 1\ny = ${'['.repeat(201)}${']'.repeat(201)}\n`).message).toBe(
      'train.py:2: too many nested parentheses',
    );
    expect(lex(`y = ${'('.repeat(200)}${')'.repeat(200)}\n`)).toHaveLength(403);
  });

  it('rejects characters Python does not know and a backslash not ending a line', () => {
    expect(lexError('x = 1\ny = $\n').message).toBe("train.py:2: invalid character '$'");
    expect(lexError('x = 1 \\ 2\n').message).toBe('train.py:1: unexpected character after line continuation character');
  });
});

describe('python lexer: numbers and operators', () => {
  it('reads every number form as one token', () => {
    const numbers = ['0x1F', '0o17', '0b1010', '1_000', '1e-4', '1E+5', '.5', '1.', '1.5e10', '3j', '1_0.0_1'];
    expect(lex(`x = [${numbers.join(', ')}]\n`).filter((t) => t.startsWith('NUMBER'))).toEqual(
      numbers.map((n) => `NUMBER ${n}`),
    );
  });

  it('takes the longest operator and tells assignments from comparisons', () => {
    const ops = lex('a **= b //= c >>= d <<= e -> f := g == h != i <= j >= k += l ... m @ n\n').filter(
      (t) => !t.startsWith('NAME'),
    );
    expect(ops).toEqual([
      'AUGASSIGN **=',
      'AUGASSIGN //=',
      'AUGASSIGN >>=',
      'AUGASSIGN <<=',
      'OP ->',
      'OP :=',
      'OP ==',
      'OP !=',
      'OP <=',
      'OP >=',
      'AUGASSIGN +=',
      'OP ...',
      'AT @',
      'NEWLINE \n',
    ]);
  });

  it('takes non-ASCII letters as identifiers', () => {
    expect(lex('größe = 1\n')[0]).toBe('NAME größe');
  });
});

describe('python lexer: skimming the lines it does not keep', () => {
  const TOP = ['NAME lr', 'EQUAL =', 'NUMBER 1', 'NEWLINE \n'];

  it.each(['1f"{"}"}"', '1._f"{"}"}"', '1.e5f"{"}"}"', '...5f"{"}"}"', 'x.f"{"}"}"', 'rb"\\"" + Rb"x"'])(
    'finds the string prefix in %j as the token loop does',
    (code) => {
      const source = `def g():\n    s = ${code}\nlr = 1\n`;
      expect(lex(source, true)).toEqual(TOP);
      expect(lex(source).slice(-4)).toEqual(TOP);
    },
  );

  it('reads a name that only ends like a prefix as a name', () => {
    const source = 'def g():\n    s = x1f"{"}"}"\nlr = 1\n';
    expect(lexError(source, true).message).toBe("train.py:2: unmatched '}'");
    expect(lexError(source).message).toBe("train.py:2: unmatched '}'");
  });

  it.each(['$', '?', '`', '!', '\x01', '(', ')', '[1)', '"open', 'a \\ b', 'f"{x:abc"', '"""open'])(
    'rejects %j in indented code as the token loop does',
    (code) => {
      const source = `x = 1\ndef g():\n    s = ${code}\n    t = 2\n`;
      const skimmed = lexError(source, true);
      expect({ message: skimmed.message, line: skimmed.line }).toEqual({
        message: lexError(source).message,
        line: lexError(source).line,
      });
    },
  );

  it('numbers lines across skimmed strings, continuations and every kind of line break', () => {
    const source = 'def f():\r\n    x = """a\r\nb\rc"""\r\n    y = (1,\n 2) + \\\r\n 3\n#| d\rlr = 1\n';
    for (const topLevelOnly of [true, false]) {
      const tokens = tokenize(source, 'train.py', { topLevelOnly });
      const lines = Array.from({ length: tokens.count }, (_, i) => `${tokens.text(i)}@${tokens.line(i)}`);
      expect(lines).toEqual(expect.arrayContaining(['#| d@8', 'lr@9', '1@9']));
    }
  });
});
