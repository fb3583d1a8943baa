import { describe, expect, it } from 'vitest';
import type { TransformError } from '../../../transformers/errors.js';
import { KIND_NAMES, tokenize, type TokenKind } from '../../../transformers/r/tokenizer.js';
import { bigScript } from './big-script.js';
import { transformError } from '../../helpers/errors.js';

/** Tokens as `kind text` strings, line breaks and all. */
function lex(source: string): string[] {
  const tokens = tokenize(source, 'test.R');
  return Array.from({ length: tokens.count }, (_, i) => `${KIND_NAMES[tokens.kinds[i]!]} ${tokens.text(i)}`);
}

function only(source: string, kind: TokenKind): string[] {
  return lex(source)
    .filter((token) => token.startsWith(`${kind} `))
    .map((token) => token.slice(kind.length + 1));
}

function tokenizeError(source: string, topLevelOnly = false): TransformError {
  return transformError(() => tokenize(source, 'bad.R', { topLevelOnly }));
}

/** Each token as `kind text line`, with a bracket's partner as `-> index` in the list. */
function described(tokens: ReturnType<typeof tokenize>, keep: (i: number) => boolean): string[] {
  const kept = Array.from({ length: tokens.count }, (_, i) => i).filter(keep);
  return kept.map((i) => {
    const partner = tokens.matches[i]! >= 0 ? ` -> ${kept.indexOf(tokens.matches[i]!)}` : '';
    return `${KIND_NAMES[tokens.kinds[i]!]} ${tokens.text(i)} ${tokens.lines[i]}${partner}`;
  });
}

/** The full token list's tokens outside every bracket, and the outermost brackets. */
function outermost(source: string): string[] {
  const tokens = tokenize(source, 't.R');
  const depth: number[] = [];
  let level = 0;
  for (let i = 0; i < tokens.count; i++) {
    if (KIND_NAMES[tokens.kinds[i]!] === 'close') level--;
    depth.push(level);
    if (KIND_NAMES[tokens.kinds[i]!] === 'open') level++;
  }
  return described(tokens, (i) => depth[i] === 0);
}

describe('R tokenizer', () => {
  it('reads strings with escapes, including an escaped quote and a #', () => {
    expect(lex(`x <- "a \\" # b"; y <- 'it\\'s'`)).toEqual([
      'name x',
      'op <-',
      'string "a \\" # b"',
      'semi ;',
      'name y',
      'op <-',
      "string 'it\\'s'",
    ]);
  });

  it('reads raw strings whose body holds quotes and closing brackets', () => {
    expect(only(`a <- r"(say "hi")"`, 'string')).toEqual([`r"(say "hi")"`]);
    expect(only(`a <- R"[x)]"`, 'string')).toEqual([`R"[x)]"`]);
    expect(only(`a <- r'{ } }'`, 'string')).toEqual([`r'{ } }'`]);
    expect(only(`a <- r"---(a)" )--" b)---"; z`, 'string')).toEqual([`r"---(a)" )--" b)---"`]);
    expect(only(`a <- r"---(a)" )--" b)---"; z`, 'name')).toEqual(['a', 'z']);
  });

  it('keeps a backtick name whole, spaces, operators and escaped backticks included', () => {
    expect(only('`my var` <- 1; `a <- b` = 2; `x\\`y` -> z', 'name')).toEqual(['`my var`', '`a <- b`', '`x\\`y`', 'z']);
  });

  it('reads every number form as one token', () => {
    const numbers = [
      '1',
      '1.5',
      '.5',
      '1e-3',
      '1E+10',
      '0x1F',
      '0XaBL',
      '10L',
      '1i',
      '2.5i',
      '0x1.8p3',
      '0x1p-2',
      '1.',
      '1e5L',
    ];
    expect(only(numbers.join(' ; '), 'number')).toEqual(numbers);
  });

  it('reads identifiers with dots, underscores and unicode letters', () => {
    expect(only('.n <- 1; ..x <- 2; a.b_c2 <- 3; größe <- 4; 変数 <- 5; _ <- 6', 'name')).toEqual([
      '.n',
      '..x',
      'a.b_c2',
      'größe',
      '変数',
      '_',
    ]);
  });

  it('takes the longest operator: <<- over <- over <, ->> over -> over -', () => {
    expect(only('a <<- b; c <- d; e < -1; f ->> g; h -> i; j - k; l <= m; n == o; p != q', 'op')).toEqual([
      '<<-',
      '<-',
      '<',
      '-',
      '->>',
      '->',
      '-',
      '<=',
      '==',
      '!=',
    ]);
    expect(only('x |> f(); a || b && c; a::b; a:::b; dt[, x := 1]; a %in% b; a %/% b; x**2; \\(x) x', 'op')).toEqual([
      '|>',
      '||',
      '&&',
      '::',
      ':::',
      ':=',
      '%in%',
      '%/%',
      '**',
      '\\',
    ]);
  });

  it('reads x<-1 as an assignment and x < -1 as a comparison', () => {
    expect(lex('x<-1')).toEqual(['name x', 'op <-', 'number 1']);
    expect(lex('x < -1')).toEqual(['name x', 'op <', 'op -', 'number 1']);
  });

  it('treats a comment as one token, even when it holds <- or a quote', () => {
    expect(lex('x <- 1 # y <- "2\nz')).toEqual([
      'name x',
      'op <-',
      'number 1',
      'comment # y <- "2',
      'newline \n',
      'name z',
    ]);
  });

  it('matches brackets, with [[ closed by ]] and nested [ ] inside', () => {
    const tokens = tokenize('a[[b[1]]](f(x), {y})', 't.R');
    const pairs: string[] = [];
    for (let i = 0; i < tokens.count; i++) {
      if (KIND_NAMES[tokens.kinds[i]!] === 'open') pairs.push(`${tokens.text(i)}${tokens.text(tokens.matches[i]!)}`);
    }
    expect(pairs).toEqual(['[[]]', '[]', '()', '()', '{}']);
    expect(tokens.matches[tokens.matches[1]!]).toBe(1);
  });

  it('counts lines across CRLF, lone CR and multi-line strings', () => {
    const tokens = tokenize('a <- "x\ny"\r\nb <- 1\rc <- r"(\n\n)"\nd', 't.R');
    const lines: Record<string, number> = {};
    for (let i = 0; i < tokens.count; i++) lines[tokens.text(i)] = tokens.lines[i]!;
    expect([lines.a, lines.b, lines.c, lines.d]).toEqual([1, 3, 4, 7]);
  });

  it('skips a UTF-8 byte order mark but keeps offsets in the original text', () => {
    const tokens = tokenize('\uFEFFlr <- 1', 't.R');
    expect(tokens.starts[0]).toBe(1);
    expect(tokens.text(0)).toBe('lr');
  });

  it.each([
    ['x <- "abc\n\n', 'bad.R:1: unterminated string', 1],
    ["x <- 1\ny <- 'abc", 'bad.R:2: unterminated string', 2],
    ['x <- 1\n\ny <- r"(abc)', 'bad.R:3: unterminated raw string', 3],
    ['y <- r"abc"', 'bad.R:1: malformed raw string literal', 1],
    ['`abc <- 1', 'bad.R:1: unterminated backtick name', 1],
    ['a %in b', 'bad.R:1: unterminated %operator%', 1],
    ['f <- function() {\n  x <- (1\n}', "bad.R:3: unexpected '}'", 3],
    ['x <- c(1, 2\ny <- 3\n', "bad.R:1: '(' is never closed", 1],
    ['x <- 1)\n', "bad.R:1: unexpected ')'", 1],
    ['x[[1]\n', "bad.R:1: unexpected ']'", 1],
    ['x[[1]]]\n', "bad.R:1: unexpected ']'", 1],
    ['x <- 1\ny <- 2 ¤ 3', 'bad.R:2: unexpected character "¤"', 2],
  ])('rejects %j with a message naming file and line', (source, message, line) => {
    const error = tokenizeError(source);
    expect(error.kind).toBe('source');
    expect(error.message.slice(0, message.length)).toBe(message);
    expect(error.file).toBe('bad.R');
    expect(error.line).toBe(line);
  });

  it('keeps only the outermost tokens and brackets, matched and on their lines, when asked', () => {
    const source = [
      '#| description: rate',
      'lr <- f(x[[1]], "a)\nb", r"-[ ) ]-", `c(`, 1r"(")", y %in(% z)  # (',
      'g <- function(a, b = c("}", \'{\')) {\r\n  café <- a[b]  # ]\r\n  \u00a0h(1e-3)\n}',
      'z <- { 1 }; w = 2',
    ].join('\n');
    const kept = tokenize(source, 't.R', { topLevelOnly: true });
    expect(described(kept, () => true)).toEqual(outermost(source));
    expect(kept.count).toBeLessThan(tokenize(source, 't.R').count - 20);
  });

  it.each([
    'f(\n  "open\n',
    'f(r"(open)",\n  r"abc")',
    'f({ `open )',
    'f(a %in b)',
    'f({\n  x <- (1\n})',
    'f(x[[1]\n)',
    'f(g(\n  h[1\n)',
    'f(x ¤ y)',
    'f(x \u0001 y)',
    'f(1\n',
    'f(\n  bar"(")")',
  ])('rejects %j inside a skimmed group as the token loop does', (source) => {
    const skimmed = tokenizeError(source, true);
    const full = tokenizeError(source);
    expect({ message: skimmed.message, line: skimmed.line }).toEqual({ message: full.message, line: full.line });
  });

  it('tokenizes a 10 MB script', () => {
    expect(tokenize(bigScript(), 'big.R').count).toBeGreaterThan(3_000_000);
  });
});
