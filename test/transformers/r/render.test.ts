import { describe, expect, it } from 'vitest';
import type { TransformError } from '../../../transformers/errors.js';
import { hexDouble, readsExactlyInR, renderDouble } from '../../../transformers/r/double.js';
import { renderR, renderString } from '../../../transformers/r/render.js';
import type { FlagType, FlagValue } from '../../../transformers/types.js';
import { transformError } from '../../helpers/errors.js';
import { codePoints, readVWithR } from './rscript.js';

function renderError(value: FlagValue, type: FlagType): TransformError {
  return transformError(() => renderR(value, type));
}

describe('renderR', () => {
  it('writes logicals and integers the R way', () => {
    expect(renderR(true, 'boolean')).toBe('TRUE');
    expect(renderR(false, 'boolean')).toBe('FALSE');
    expect(renderR(20, 'int')).toBe('20L');
    expect(renderR(-3, 'int')).toBe('-3L');
    expect(renderR(-0, 'int')).toBe('0L');
    expect(renderR(2147483647, 'int')).toBe('2147483647L');
  });

  it('writes doubles as short decimals, and Inf, -Inf, NaN by name', () => {
    expect([0.1, 1, -0.5, 1e-7, 1e21, 123456.789, -0].map((n) => renderR(n, 'float'))).toEqual([
      '0.1',
      '1',
      '-0.5',
      '1e-7',
      '1e+21',
      '123456.789',
      '-0',
    ]);
    expect([Infinity, -Infinity, NaN].map((n) => renderR(n, 'float'))).toEqual(['Inf', '-Inf', 'NaN']);
  });

  it('writes a hex double where R would misread the shortest decimal', () => {
    // R reads the text 0.6177990545 one ulp away from the double JavaScript reads.
    expect(readsExactlyInR('0.6177990545')).toBe(false);
    expect(renderDouble(0.6177990545)).toBe('0x1.3c50285d27899p-1');
    expect(renderDouble(-0.6177990545)).toBe('-0x1.3c50285d27899p-1');
    expect(readsExactlyInR('0.1')).toBe(true);
    expect(readsExactlyInR('1e+21')).toBe(true);
    expect(readsExactlyInR('1e+23')).toBe(false);
  });

  it('writes exact hex doubles, subnormals included', () => {
    expect(hexDouble(12)).toBe('0x1.8p+3');
    expect(hexDouble(1)).toBe('0x1p+0');
    expect(hexDouble(0.1)).toBe('0x1.999999999999ap-4');
    expect(hexDouble(5e-324)).toBe('0x0.0000000000001p-1022');
    expect(hexDouble(-Number.MAX_VALUE)).toBe('-0x1.fffffffffffffp+1023');
  });

  it('rejects values that do not fit the type or that R cannot hold', () => {
    expect(renderError(1.5, 'int').message).toBe('cannot write 1.5 as an R int');
    expect(renderError(2 ** 31, 'int').message).toBe('2147483648 is outside the range of R integers (±2147483647)');
    expect(renderError('0.1', 'float').message).toBe('cannot write "0.1" as an R float');
    expect(renderError(1, 'boolean').message).toBe('cannot write 1 as an R boolean');
    expect(renderError(true, 'string').message).toBe('cannot write true as an R string');
    expect(renderError([1, 2], 'list').message).toBe('R flags cannot be of type list');
    expect(renderError(null, 'null').kind).toBe('value');
  });
});

describe('renderString', () => {
  it('escapes backslashes, the quote, line breaks and tabs', () => {
    expect(renderString(`a\\b"c'\nd\re\tf`)).toBe(`"a\\\\b\\"c'\\nd\\re\\tf"`);
  });

  it('keeps the preferred quote, switching only when that saves escapes', () => {
    expect(renderString('vgg', "'")).toBe("'vgg'");
    expect(renderString("it's", "'")).toBe('"it\'s"');
    expect(renderString('say "hi"')).toBe(`'say "hi"'`);
    expect(renderString(`both ' and "`)).toBe(`"both ' and \\""`);
  });

  it('writes control characters as escapes and other characters as they are', () => {
    expect(renderString('\x01\x1b\x7f\u0085')).toBe('"\\u{0001}\\u{001b}\\u{007f}\\u{0085}"');
    expect(renderString('é 😀 # <- ) %in%')).toBe('"é 😀 # <- ) %in%"');
  });

  it('writes bidi controls as escapes, which R refuses raw, and reads them back', async () => {
    const value = 'a\u202ab\u202ec\u2066d\u2069e';
    expect(renderString(value)).toBe('"a\\u{202a}b\\u{202e}c\\u{2066}d\\u{2069}e"');
    const [read] = await readVWithR([`v <- ${renderString(value)}\n`]);
    expect(read).toEqual({ type: 'character', value: codePoints(value) });
  });

  it('keeps code out: a value that looks like R is still one string literal', () => {
    expect(renderString('"); system("rm -rf /"); x <- ("')).toBe(`'"); system("rm -rf /"); x <- ("'`);
  });

  it('rejects NUL and lone surrogates, which no R string can hold', () => {
    expect(() => renderString('a\0b')).toThrow('R strings cannot hold a NUL character');
    expect(() => renderString('a\ud800b')).toThrow('lone surrogate \\ud800');
  });
});
