import { describe, expect, it } from 'vitest';
import { joinLines, OffsetMap, restoreBreaks, splitLines } from '../../../transformers/javascript/line-breaks.js';

describe('recast line-break helpers', () => {
  it('splits at every JS line terminator and joins back to the same text', () => {
    const source = 'a\r\nb\nc\rd\u2028e\u2029f';
    const split = splitLines(source);
    expect(split).toEqual({ lines: ['a', 'b', 'c', 'd', 'e', 'f'], breaks: ['\r\n', '\n', '\r', '\u2028', '\u2029'] });
    expect(joinLines(split.lines, split.breaks)).toBe(source);
  });

  it('restores each unchanged line’s terminator and gives replacing lines those of the lines they replace', () => {
    const original = splitLines('x = [\r\n1,\n2];\r\ny = 1;\nz;\r\n');
    expect(restoreBreaks(original, 'x = [3];\ny = 1;\nz;\n')).toBe('x = [3];\r\ny = 1;\nz;\r\n');
    expect(restoreBreaks(original, 'w;\nx = [\n1,\n2];\ny = 1;\nz;\n')).toBe(
      'w;\r\nx = [\r\n1,\n2];\r\ny = 1;\nz;\r\n',
    );
  });

  it('joins uniform files with their one terminator and leaves LF files alone', () => {
    expect(restoreBreaks(splitLines('a\r\nb\r\n'), 'a\nnew\nb\n')).toBe('a\r\nnew\r\nb\r\n');
    expect(restoreBreaks(splitLines('a\nb'), 'a\nc')).toBe('a\nc');
    expect(restoreBreaks(splitLines('one line'), 'one\nline')).toBe('one\nline');
  });

  it('maps offsets of re-indented parser input back to the file', () => {
    const original = splitLines('\tab\r\n\ufeff\vcd\n  ef');
    const input = splitLines('    ab\r\ncd\n  ef');
    const map = new OffsetMap(original, input);
    expect([4, 5, 8, 9, 13].map((o) => map.toOriginal(o))).toEqual([1, 2, 7, 8, 12]);
  });
});
