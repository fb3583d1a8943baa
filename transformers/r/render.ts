/**
 * Flag values as R literals. Every output is a single inert literal, so no value, however
 * crafted, can become code in the staged script.
 */
import { TransformError } from '../errors.js';
import { escapeRuns, hex } from '../shared/escapes.js';
import type { FlagType, FlagValue } from '../types.js';
import { type Complex, complexOf } from './complex.js';
import { renderDouble } from './double.js';

export type Quote = '"' | "'";

const MAX_INT = 2147483647;

const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

function escapeChar(char: string, quote: Quote): string {
  const named = NAMED_ESCAPES[char];
  if (named !== undefined) return named;
  if (char === quote) return `\\${quote}`;
  const code = char.codePointAt(0)!;
  if (code === 0) throw new TransformError('value', 'R strings cannot hold a NUL character');
  if (code >= 0xd800 && code <= 0xdfff) {
    throw new TransformError('value', `a string with a lone surrogate \\u${hex(code, 4)} is not valid Unicode`);
  }
  // Control characters would be invisible or reflow the file. Always \u{}: R refuses a
  // string that mixes \u with \x escapes, and reads \x80 and above as bytes, not characters.
  // Bidi embeddings, overrides and isolates: R's parser refuses them raw ("bidi formatting
  // not allowed"), and they would reorder how the line reads.
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || BIDI.test(char)) return `\\u{${hex(code, 4)}}`;
  return char;
}

/**
 * An R string literal whose value is exactly `value`. It uses `quote` unless the value
 * holds that quote and not the other one, which saves escapes.
 */
export function renderString(value: string, quote: Quote = '"'): string {
  const other: Quote = quote === '"' ? "'" : '"';
  const use = value.includes(quote) && !value.includes(other) ? other : quote;
  return use + escapeRuns(value, (char) => escapeChar(char, use)) + use;
}

function mismatch(value: FlagValue, type: FlagType): TransformError {
  return new TransformError('value', `cannot write ${JSON.stringify(value)} as an R ${type}`);
}

function renderInt(value: FlagValue): string {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw mismatch(value, 'int');
  if (Math.abs(value) > MAX_INT) {
    throw new TransformError('value', `${value} is outside the range of R integers (±${MAX_INT})`);
  }
  return `${value + 0}L`;
}

/** An imaginary literal of magnitude `value`: `2i`, `0x1.8p+3i`, and `1e999i`, which R reads as infinite. */
function renderImaginary(value: number): string {
  if (Number.isNaN(value)) throw new TransformError('value', 'R has no literal for a NaN imaginary part');
  return `${Number.isFinite(value) ? renderDouble(value) : '1e999'}i`;
}

/**
 * The three pieces of an R complex: real part, operator, imaginary part (`2`, `+`, `2i`),
 * each a double that R reads back exactly.
 */
export function complexPieces({ re, im }: Complex): [string, string, string] {
  return [renderDouble(re), im < 0 ? '-' : '+', renderImaginary(Math.abs(im))];
}

/**
 * The R literal for `value` as a flag of `type`: `TRUE`/`FALSE`, `20L` for an int, a
 * double that R reads back exactly for a float, an escaped string (keeping `quote` where
 * it can), `re+imi` for a complex. Throws a `value` error when the value does not fit the
 * type or R cannot hold it (NUL in a string, an int beyond 32 bits); R flags are never
 * `null` or `list`.
 */
export function renderR(value: FlagValue, type: FlagType, quote?: Quote): string {
  switch (type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(value, type);
      return value ? 'TRUE' : 'FALSE';
    case 'int':
      return renderInt(value);
    case 'float':
      if (typeof value !== 'number') throw mismatch(value, type);
      return renderDouble(value);
    case 'string':
      if (typeof value !== 'string') throw mismatch(value, type);
      return renderString(value, quote);
    case 'complex':
      return complexPieces(complexOf(value)).join('');
    case 'null':
    case 'list':
      throw new TransformError('value', `R flags cannot be of type ${type}`);
  }
}
