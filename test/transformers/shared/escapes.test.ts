/**
 * String bodies are escaped a run at a time (escapeRuns); they must read exactly as escaping
 * each character on its own does, for any text: astral characters, lone surrogates, quotes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeChar, escapeRuns, escapeString } from '../../../transformers/shared/escapes.js';

/** Any text, lone surrogates included, with the characters escaping treats apart made likely. */
const text = fc.array(
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom(
      '"',
      "'",
      '`',
      '\\',
      ' ',
      '\n',
      '\t',
      '\u00a0',
      '\u2028',
      '\ud800',
      '\udfff',
      '😀',
      'é',
      '~',
      '\x7f',
    ),
  ),
  { maxLength: 12 },
);

const astral = (code: number) => `\\U${code.toString(16).padStart(8, '0')}`;
const isPlain = (char: string) => char >= ' ' && char <= '~' && !`"'\`\\`.includes(char);

describe('escaping a string a run at a time', () => {
  it('hands every character but plain printable ASCII to the escape, one code point at a time', () => {
    fc.assert(
      fc.property(text, (parts) => {
        const value = parts.join('');
        const expected = [...value].map((char) => (isPlain(char) ? char : `<${char}>`)).join('');
        expect(escapeRuns(value, (char) => `<${char}>`)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('gives what escaping each character on its own gives, for every quote, with and without ascii', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('"', "'", '`'), fc.boolean(), (parts, quote, ascii) => {
        const value = parts.join('');
        const oneByOne = [...value].map((char) => escapeChar(char, quote, astral, { ascii })).join('');
        expect(escapeString(value, quote, astral, { ascii })).toBe(oneByOne);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a plain character as it is in every language: no escape of it is ever asked for', () => {
    for (let code = 0x20; code < 0x7f; code++) {
      const char = String.fromCharCode(code);
      if (isPlain(char)) expect(escapeChar(char, '"', astral, { ascii: true })).toBe(char);
    }
  });
});
