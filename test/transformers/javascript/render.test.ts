import { parseExpression } from '@babel/parser';
import { describe, expect, it } from 'vitest';
import { TransformError } from '../../../transformers/errors.js';
import { javascript, renderJs, renderString } from '../../../transformers/javascript/index.js';
import { transformError } from '../../helpers/errors.js';

/** The string value JS reads from a rendered string literal. */
function readBack(literal: string): unknown {
  const node = parseExpression(literal);
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]!.value.cooked;
  throw new Error(`not a string literal: ${literal}`);
}

describe('renderJs', () => {
  it.each([
    [0.1, 'float', '0.1'],
    [1, 'float', '1'],
    [1e-7, 'float', '1e-7'],
    [1e21, 'float', '1e+21'],
    [1e21, 'int', '1000000000000000000000'],
    [-3, 'int', '-3'],
    [-0, 'int', '-0'],
    [-0, 'float', '-0'],
    [2.5, 'int', '2.5'],
    [Infinity, 'float', '1e999'],
    [-Infinity, 'float', '-1e999'],
    [Number.MAX_SAFE_INTEGER, 'int', '9007199254740991'],
  ] as const)('number %s on a %s flag is %s', (value, type, text) => {
    expect(renderJs(value, type)).toBe(text);
  });

  it('renders booleans, null and lists (items by their own type)', () => {
    expect(renderJs(true, 'boolean')).toBe('true');
    expect(renderJs(false, 'boolean')).toBe('false');
    expect(renderJs(null, 'null')).toBe('null');
    expect(renderJs([1, 'a', null, [false, 2.5]], 'list', "'")).toBe("[1, 'a', null, [false, 2.5]]");
    expect(renderJs([], 'list')).toBe('[]');
  });

  it('keeps the quote it is given, escaping that quote only', () => {
    expect(renderJs(`it's "x"`, 'string', "'")).toBe(`'it\\'s "x"'`);
    expect(renderJs(`it's "x"`, 'string', '"')).toBe(`"it's \\"x\\""`);
    expect(renderJs('a`b', 'string', '`')).toBe('`a\\`b`');
    expect(renderJs('plain', 'string')).toBe('"plain"');
  });

  it('keeps a template literal inert: no ${ substitution survives', () => {
    const text = renderString('${process.exit(1)} $${x} \\${y} $', '`');
    expect(text).toBe('`\\${process.exit(1)} $\\${x} \\\\\\${y} $`');
    expect(readBack(text)).toBe('${process.exit(1)} $${x} \\${y} $');
  });

  it('escapes every character that could end the literal, its line, or hide', () => {
    const nasty = 'a\\b\nc\rd\te\u2028f\u2029g\0h\u0007i\u00a0j\ufeffk\u200bl\ud800m\udc00n😀o';
    for (const quote of ["'", '"', '`']) {
      const text = renderString(nasty, quote);
      expect(text.replaceAll(' ', '')).not.toMatch(/[\p{C}\p{Z}]/u);
      expect(text).toContain('😀');
      expect(readBack(text)).toBe(nasty);
    }
    expect(renderString('\0' + '1')).toBe('"\\x001"');
  });

  it('rejects NaN with a FLAG error, and apply names the flag and its line', () => {
    expect(() => renderJs(NaN, 'float')).toThrow(TransformError);
    const error = transformError(() =>
      javascript.apply('const a = 1;\nconst lr = 0.1;\n', { lr: NaN }, { mode: 'text', file: 'train.js' }),
    );
    expect(error).toMatchObject({
      kind: 'value',
      line: 2,
      message: 'invalid value NaN for flag lr: JavaScript has no NaN literal',
    });
    expect(() => javascript.apply('const xs = [1];\n', { xs: [1, NaN] }, { mode: 'ast', file: 'train.js' })).toThrow(
      /flag xs/,
    );
  });
});
