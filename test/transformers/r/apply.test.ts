import { describe, expect, it } from 'vitest';
import { r } from '../../../transformers/r/index.js';
import type { ApplyResult, FlagValue } from '../../../transformers/types.js';
import { transformError } from '../../helpers/errors.js';

function apply(source: string, values: Record<string, FlagValue>): ApplyResult {
  return r.apply(source, values, { mode: 'text', file: 'train.R' });
}

describe('R apply, text mode', () => {
  it('declares text mode only', () => {
    expect(r.modes).toEqual(['text']);
  });

  it('changes only the literals: BOM, CRLF, comments and spacing stay byte for byte', () => {
    const source =
      "\uFEFF# lr <- 99 in a comment\r\nlr   <-  0.01   # rate\r\n\r\nname = 'resnet'\r\nf <- function(lr = 2) lr\r\n";
    const { text } = apply(source, { lr: 0.5, name: 'vgg' });
    expect(text).toBe(
      "\uFEFF# lr <- 99 in a comment\r\nlr   <-  0.5   # rate\r\n\r\nname = 'vgg'\r\nf <- function(lr = 2) lr\r\n",
    );
  });

  it("reports each edit with its name, the assignment's line, original offsets and texts", () => {
    const source = 'a <- 1; b <- "x"\nc <-\n  # later\n  10L\n';
    const result = apply(source, { a: 2, b: 'y', c: 20 });
    expect(result.edits).toEqual([
      { name: 'a', line: 1, start: 5, end: 6, before: '1', after: '2' },
      { name: 'b', line: 1, start: 13, end: 16, before: '"x"', after: '"y"' },
      { name: 'c', line: 2, start: 34, end: 37, before: '10L', after: '20L' },
    ]);
    for (const edit of result.edits) expect(source.slice(edit.start, edit.end)).toBe(edit.before);
    expect(result.text).toBe('a <- 2; b <- "y"\nc <-\n  # later\n  20L\n');
  });

  it('keeps the direction of -> and rewrites a literal split over lines in place', () => {
    expect(apply('0.01 ->\n  lr\n', { lr: 0.2 }).text).toBe('0.2 ->\n  lr\n');
  });

  it('replaces a negative literal minus sign included, and writes negative values', () => {
    expect(apply('shift <- -1\n', { shift: 2 }).text).toBe('shift <- 2\n');
    expect(apply('shift <- - 1\n', { shift: 3 }).text).toBe('shift <- 3\n');
    expect(apply('x<-5\n', { x: -3 }).text).toBe('x<--3\n');
    expect(r.discover('x<--3\n', 't.R')[0]!.default).toBe(-3);
  });

  it('keeps int flags integers and lets a float flag take a whole number', () => {
    expect(apply('epochs <- 10L\nlr <- 0.5', { epochs: 20, lr: 1 }).text).toBe('epochs <- 20L\nlr <- 1');
  });

  it('replaces a raw string default with an ordinary string literal', () => {
    expect(apply('path <- r"(C:\\data)"\n', { path: 'D:\\x "y"' }).text).toBe(`path <- 'D:\\\\x "y"'\n`);
  });

  it('makes no edit when the value renders as the current literal', () => {
    const source = 'lr <- 0.01\nn <- 10L\nok <- TRUE\ns <- "a"\n';
    const result = apply(source, { lr: 0.01, n: 10, ok: true, s: 'a' });
    expect(result).toEqual({ text: source, edits: [], unused: [] });
  });

  it('returns names that are not flags of the script as unused, and leaves them alone', () => {
    const source = 'lr <- 0.01\nf <- function() { inner <- 1 }\nv <- c(1, 2)\n';
    const result = apply(source, { inner: 2, v: 3, learning_rate: 0.1, lr: 0.02 });
    expect(result.unused).toEqual(['inner', 'v', 'learning_rate']);
    expect(result.text).toBe('lr <- 0.02\nf <- function() { inner <- 1 }\nv <- c(1, 2)\n');
  });

  it('rewrites only the first assignment of a flag', () => {
    expect(apply('lr <- 0.01\nlr <- lr * 2\nlr <- 0.5\n', { lr: 0.1 }).text).toBe(
      'lr <- 0.1\nlr <- lr * 2\nlr <- 0.5\n',
    );
  });

  it('renders a string value as data, never code, and the result still has the flag', () => {
    const value = '"); unlink("~", recursive = TRUE); x <- ("\n# \\';
    const { text } = apply('msg <- "hi"\nprint(msg)\n', { msg: value });
    expect(r.discover(text, 't.R')).toEqual([{ name: 'msg', type: 'string', default: value, file: 't.R', line: 1 }]);
    expect(text.split('\n')).toHaveLength(3);
  });

  it('rewrites a complex token by token: spacing, line breaks and comments between them stay', () => {
    const source = 'a <- 2+2i\nb <- 3 + 3i\nc <- 0 +\n      0i\nd <- 1 + # comment\n      1i   # comment\n';
    const { text, edits } = apply(source, { a: '1.5-2i', b: '-3', c: '0.1+1e-7i', d: '-2-0.5i' });
    expect(text).toBe(
      'a <- 1.5-2i\nb <- -3 + 0i\nc <- 0.1 +\n      1e-7i\nd <- -2 - # comment\n      0.5i   # comment\n',
    );
    expect(edits.map((edit) => [edit.name, edit.line, edit.before])).toEqual([
      ['a', 1, '2+2i'],
      ['b', 2, '3 + 3i'],
      ['c', 3, '0 +\n      0i'],
      ['d', 5, '1 + # comment\n      1i'],
    ]);
  });

  it('keeps a lone imaginary literal while the value has no real part, and adds one when it has', () => {
    expect(apply('z <- 1i\n', { z: '0-4i' }).text).toBe('z <- -4i\n');
    expect(apply('z <- -1i\n', { z: '0+4i' }).text).toBe('z <- 4i\n');
    expect(apply('z <- 1i\n', { z: '2+3i' }).text).toBe('z <- 2+3i\n');
    expect(apply('z <- - 1i\n', { z: '-2+3i' }).text).toBe('z <- - 2+3i\n');
  });

  it('takes a number or any spelling of a complex for a complex flag, and writes its default back unchanged', () => {
    expect(apply('z <- 2+2i\n', { z: 5 }).text).toBe('z <- 5+0i\n');
    expect(apply('z <- 2 + 2i\n', { z: ' 2 + 2i ' }).text).toBe('z <- 2 + 2i\n');
    expect(apply('z <- 2+2i\n', { z: 'Inf-2.5i' }).text).toBe('z <- Inf-2.5i\n');
    expect(() => apply('z <- 2+2i\n', { z: 'two' })).toThrow(
      'flag z: cannot write "two" as an R complex (e.g. 2+2i, -1.5i, 3)',
    );
    expect(() => apply('z <- 2+2i\n', { z: '1+NaNi' })).toThrow('flag z: R has no literal for a NaN imaginary part');
  });

  it('keeps a unary + for a positive value, and moves the sign of a negative one into place', () => {
    expect(apply('i <- + 123L\n', { i: 7 }).text).toBe('i <- + 7L\n');
    expect(apply('i <- + 123L\n', { i: -7 }).text).toBe('i <- - 7L\n');
    expect(apply('i <- - 123L\n', { i: -7 }).text).toBe('i <- - 7L\n');
    expect(apply('f <- -\n  # why\n  1.5\n', { f: 2.5 }).text).toBe('f <- \n  # why\n  2.5\n');
  });

  it('reports a flag split over lines at its assignment line: in discovery, edits and value errors', () => {
    const source = 'x <- 1\nbig <-\n  # later\n  1L\nz <- 0 +\n  0i\n';
    const [, big, z] = r.discover(source, 'train.R');
    expect([big!.line, z!.line]).toEqual([2, 5]);
    expect(apply(source, { big: 2, z: '1+1i' }).edits.map((edit) => edit.line)).toEqual([2, 5]);
    const errors = [
      transformError(() => r.normalizeValue!(big!, 3e9)),
      transformError(() => apply(source, { big: 3e9 })),
      transformError(() => r.normalizeValue!(z!, 'z')),
    ];
    expect(errors.map((error) => [error.kind, error.file, error.line])).toEqual([
      ['value', 'train.R', 2],
      ['value', 'train.R', 2],
      ['value', 'train.R', 5],
    ]);
    expect(errors[0]!.message).toBe('flag big: 3000000000 is outside the range of R integers (±2147483647)');
  });

  it('normalizes a value before staging: a complex in the spelling of its default, anything else as given', () => {
    const [z, n, s] = r.discover('z <- 1i\nn <- 1L\ns <- "a"\n', 'train.R');
    expect([r.normalizeValue!(z!, 3), r.normalizeValue!(z!, ' -2 - 0.5i '), r.normalizeValue!(z!, '1e3i')]).toEqual([
      '3+0i',
      '-2-0.5i',
      '0+1000i',
    ]);
    expect([r.normalizeValue!(n!, 5), r.normalizeValue!(s!, 'b\u202ec')]).toEqual([5, 'b\u202ec']);
    expect(transformError(() => r.normalizeValue!(s!, 'a\0b')).message).toBe(
      'flag s: R strings cannot hold a NUL character',
    );
  });

  it('names the flag when a value does not fit its type', () => {
    expect(() => apply('x <- 1\nepochs <- 10L', { epochs: 2.5 })).toThrow('flag epochs: cannot write 2.5 as an R int');
  });
});
