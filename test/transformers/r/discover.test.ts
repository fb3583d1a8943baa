import { describe, expect, it } from 'vitest';
import type { TransformError } from '../../../transformers/errors.js';
import { r } from '../../../transformers/r/index.js';
import type { FlagSite } from '../../../transformers/types.js';
import { bigScript } from './big-script.js';
import { transformError } from '../../helpers/errors.js';

function flags(source: string): FlagSite[] {
  return r.discover(source, 'train.R');
}

function names(source: string): string[] {
  return flags(source).map((flag) => flag.name);
}

/** name -> [type, default] of every flag. */
function typed(source: string): Record<string, [string, unknown]> {
  return Object.fromEntries(flags(source).map((flag) => [flag.name, [flag.type, flag.default]]));
}

function discoverError(source: string): TransformError {
  return transformError(() => r.discover(source, 'train.R'));
}

describe('R flag discovery: literals and types', () => {
  it('types numbers as R does: L makes an int, everything else is a double', () => {
    expect(
      typed('a <- 0.1\nb <- 1e-3\nc <- 10\nd <- 0x10\ne <- 10L\nf <- 0x10L\ng <- 1e3L\nh <- 1.5L\ni <- .5'),
    ).toEqual({
      a: ['float', 0.1],
      b: ['float', 0.001],
      c: ['float', 10],
      d: ['float', 16],
      e: ['int', 10],
      f: ['int', 16],
      g: ['int', 1000],
      h: ['float', 1.5],
      i: ['float', 0.5],
    });
  });

  it('reads hex floats and integers beyond int range as doubles', () => {
    expect(typed('a <- 0x1.8p3\nb <- 0x1p-2\nc <- 3000000000L')).toEqual({
      a: ['float', 12],
      b: ['float', 0.25],
      c: ['float', 3000000000],
    });
  });

  it('reads negative numbers, strings with escapes, raw strings and logicals', () => {
    expect(
      typed(
        `a <- -0.5\nb <- -10L\nc <- - 2\nd <- "x\\ty\\u00e9\\x41"\ne <- 'it\\'s'\nf <- r"(C:\\path "q")"\ng <- TRUE\nh <- FALSE`,
      ),
    ).toEqual({
      a: ['float', -0.5],
      b: ['int', -10],
      c: ['float', -2],
      d: ['string', 'x\tyéA'],
      e: ['string', "it's"],
      f: ['string', 'C:\\path "q"'],
      g: ['boolean', true],
      h: ['boolean', false],
    });
  });

  it('reads complex literals as guildai-r does: real part, + or -, imaginary part, split over lines', () => {
    const source = [
      'a <- 2+2i',
      'b <- 3 + 3i',
      'c <- 0 +',
      '      0i',
      'd <- 1 + # comment',
      '  # a whole comment line',
      '      1i   # comment',
      'e <- -1.5 - 0.25i',
      'f <- 1i',
      'g <- - 2i',
      'h <- 1e3L + 0x10i',
      'k <- 1e999 - 1i',
      '-1 + 2i -> m',
    ].join('\n');
    expect(flags(source).map((flag) => [flag.name, flag.type, flag.default, flag.line])).toEqual([
      ['a', 'complex', '2+2i', 1],
      ['b', 'complex', '3+3i', 2],
      ['c', 'complex', '0+0i', 3],
      ['d', 'complex', '1+1i', 5],
      ['e', 'complex', '-1.5-0.25i', 8],
      ['f', 'complex', '0+1i', 9],
      ['g', 'complex', '0-2i', 10],
      ['h', 'complex', '1000+16i', 11],
      ['k', 'complex', 'Inf-1i', 12],
      ['m', 'complex', '-1+2i', 13],
    ]);
  });

  it('reads a unary + or - in front of any number, spaces or a line break between', () => {
    expect(typed('i <- +123L\nj <- + 123L\nf <- +\n  1.5\ng <- -0x10\nh <- - 0L')).toEqual({
      i: ['int', 123],
      j: ['int', 123],
      f: ['float', 1.5],
      g: ['float', -16],
      h: ['int', 0],
    });
  });

  it('does not take NULL, NA, T, F, Inf, vectors or expressions as flags', () => {
    const source = [
      'a <- NULL',
      'b <- NA',
      'c <- T',
      'd <- F',
      'e <- Inf',
      'f <- 1i + 2',
      'g <- c(1, 2)',
      'h <- 1 + 2',
      'i <- x',
      'j <- -x',
      'k <- !TRUE',
      'l <- - -1',
      'm <- 1:3',
      'n <- -TRUE',
      'o <- 1 + 2i + 3',
      'p <- 2i - 1',
    ];
    expect(names(source.join('\n'))).toEqual([]);
  });

  it('keeps every name: dotted, double-dotted and backtick names, the latter without backticks', () => {
    expect(names('.n <- 1\n..x <- 2\n`_x` <- 3\n`my var` = 4\n5 -> `odd name`\ngröße <- 6')).toEqual([
      '.n',
      '..x',
      '_x',
      'my var',
      'odd name',
      'größe',
    ]);
  });

  it('reports name, type, default, file and line in source order', () => {
    expect(flags('library(stats)\n\nlr <- 0.01\nepochs = 10L\n"adam" -> optimizer\n')).toEqual([
      { name: 'lr', type: 'float', default: 0.01, file: 'train.R', line: 3 },
      { name: 'epochs', type: 'int', default: 10, file: 'train.R', line: 4 },
      { name: 'optimizer', type: 'string', default: 'adam', file: 'train.R', line: 5 },
    ]);
  });
});

describe('R flag discovery: top level only', () => {
  it('ignores assignments inside function bodies, calls and if blocks', () => {
    const source = [
      'f <- function(a = 1) {',
      '  inner <- 2',
      '}',
      'cfg <- list(width = 3)',
      'if (TRUE) { y <- 4 }',
      'while (FALSE) { w <- 5 }',
      'g <- function(x) x',
      'h <- \\(x) x',
    ].join('\n');
    expect(names(source)).toEqual([]);
  });

  it('treats a body on the line after function(...) or else as part of that statement', () => {
    const source = [
      'f <- function(x)',
      '  q <- 3',
      'if (a) {',
      '} else',
      '  z <- 1',
      'q <- 4',
      'z <- 5',
      'lr <- 0.1',
    ].join('\n');
    // q <- 3 is local to f, so q <- 4 is q's first top-level assignment; z <- 1 runs at
    // the top level (in the else branch), so it decides z, which is then not a flag.
    expect(flags(source).map((flag) => [flag.name, flag.default, flag.line])).toEqual([
      ['q', 4, 6],
      ['lr', 0.1, 8],
    ]);
  });

  it('lets the first top-level assignment decide: a later literal does not make a flag', () => {
    expect(names('x <- compute()\nx <- 1\ny <- 2\ny <- compute()\n')).toEqual(['y']);
    expect(typed('y <- 2\ny <- 3')).toEqual({ y: ['float', 2] });
  });

  it('counts <<-, ->>, member and index assignments as first assignments, but never as flags', () => {
    expect(names('a <<- 1\nb <- 2\n1 ->> c\nd$x <- 1\nd <- 2\ne[1] <- 3\ne <- 4\nb$x <- 5')).toEqual(['b']);
  });

  it('takes no flag from a chained assignment x <- y <- 1', () => {
    expect(names('x <- y <- 1\nx <- 2\ny <- 3')).toEqual([]);
  });

  it('counts an assignment to a quoted name, which R makes to the bare name', () => {
    expect(names('"x" <- compute()\nx <- 1')).toEqual([]);
  });

  it('tells a backtick flag name from an earlier plain assignment of the same name', () => {
    expect(names('lr <- compute()\n`lr` <- 1\n`l\\x72` <- 2\nb <- 3')).toEqual(['b']);
    expect(names('`lr` <- 1\nlr <- 2')).toEqual(['lr']);
  });

  it('finds several flags on one line separated by semicolons', () => {
    expect(typed('a <- 1; b <- "x";c = TRUE')).toEqual({ a: ['float', 1], b: ['string', 'x'], c: ['boolean', true] });
  });
});

describe('R flag discovery: statements over several lines', () => {
  it('reads name <- literal split after the operator, with comments and blank lines between', () => {
    const found = flags('lr <-\n  # the rate\n\n  0.01\nn =\n  5L\nprint(lr)');
    expect(found.map((flag) => [flag.name, flag.default, flag.line])).toEqual([
      ['lr', 0.01, 1],
      ['n', 5, 5],
    ]);
  });

  it('reads literal -> name split after the arrow', () => {
    expect(flags('0.01 ->\n  # comment\n  lr')).toEqual([
      { name: 'lr', type: 'float', default: 0.01, file: 'train.R', line: 1 },
    ]);
  });

  it('ends a statement at a line break when the line is complete, as R does', () => {
    expect(typed('x <- 1\n+ 2\ny <- 1 +\n  2')).toEqual({ x: ['float', 1] });
  });
});

describe('R flag discovery: annotations and descriptions', () => {
  it('reads #| YAML lines directly above the assignment', () => {
    const source = [
      '#| description: Optimizer',
      '#| choices: [adam, sgd]',
      'opt <- "adam"',
      '#| min: 0',
      '#| max: 1',
      'p <- 0.5',
    ].join('\n');
    expect(flags(source)).toEqual([
      {
        name: 'opt',
        type: 'string',
        default: 'adam',
        file: 'train.R',
        line: 3,
        description: 'Optimizer',
        choices: ['adam', 'sgd'],
      },
      { name: 'p', type: 'float', default: 0.5, file: 'train.R', line: 6, min: 0, max: 1 },
    ]);
  });

  it('lets a type annotation make an R double an int flag', () => {
    expect(typed('#| type: int\nepochs <- 10')).toEqual({ epochs: ['int', 10] });
  });

  it('ignores #| lines separated from the assignment by a blank line or another comment', () => {
    const source = '#| description: far\n\nlr <- 0.1\n#| description: also far\n# plain\nn <- 1';
    expect(flags(source).map((flag) => flag.description)).toEqual([undefined, undefined]);
  });

  it('applies an annotation only to the first statement of its line', () => {
    expect(flags('#| description: first\na <- 1; b <- 2').map((flag) => flag.description)).toEqual([
      'first',
      undefined,
    ]);
  });

  it('takes a trailing comment as the description unless an annotation gives one', () => {
    const source = 'lr <- 0.1  # learning rate\r\n#| description: from yaml\r\nn <- 5L # ignored\r\nm <- 2 #\r\n';
    expect(flags(source).map((flag) => flag.description)).toEqual(['learning rate', 'from yaml', undefined]);
  });

  it('reports a malformed annotation at its own line', () => {
    const error = discoverError('x <- 1\n\n#| choices: [a, b\nopt <- "a"');
    expect(error.kind).toBe('source');
    expect(error.message).toMatch(/^train\.R:3: malformed flag annotation: /);
    expect(error.line).toBe(3);
  });

  it('rejects a type that does not fit the default, at the annotation line, as the other languages do', () => {
    expect(discoverError('#| type: list\nx <- 1').message).toBe(
      'train.R:1: flag x: annotation type list does not fit its default 1',
    );
    const error = discoverError('y <- 2\n#| type: int\nx <- 0.5');
    expect(error).toMatchObject({ kind: 'source', file: 'train.R', line: 2 });
    expect(error.message).toBe('train.R:2: flag x: annotation type int does not fit its default 0.5');
  });
});

describe('R flag discovery: sources', () => {
  it('accepts a UTF-8 BOM and CRLF line ends', () => {
    expect(flags('\uFEFFlr <- 0.1\r\nn <- 2L\r\n').map((flag) => [flag.name, flag.line])).toEqual([
      ['lr', 1],
      ['n', 2],
    ]);
  });

  it('throws a SOURCE error naming file and line for a source that does not tokenize', () => {
    const error = discoverError('lr <- 0.1\nname <- "unterminated\n');
    expect(error).toMatchObject({ kind: 'source', file: 'train.R', line: 2 });
    expect(error.message).toBe('train.R:2: unterminated string');
  });

  it('reports an escape R rejects in a flag default at its line', () => {
    expect(discoverError('a <- 1\nb <- "\\q"').message).toBe("train.R:2: '\\q' is an unrecognized escape");
  });

  // Speed is measured by the benchmark, not asserted here; this checks a 10 MB script works.
  it('discovers the flags of a 10 MB script', () => {
    const found = r.discover(bigScript(), 'big.R');
    expect(found.map((flag) => [flag.name, flag.line])).toEqual([
      ['lr', 6],
      ['epochs', 6],
    ]);
  });
});
