/**
 * Renders flag values as JavaScript/TypeScript literals. Every value becomes one inert
 * literal on one line: a string can never close its quotes, open a `${` substitution or
 * span lines, so a flag value is always data.
 */
import { TransformError } from '../errors.js';
import { escapeString } from '../shared/escapes.js';
import type { FlagType, FlagValue } from '../types.js';

const DEFAULT_QUOTE = '"';

/**
 * A JS/TS literal for value by the site's type, keeping `quote` for strings (template
 * literals: escape backtick and `${`). JS has one number type, so a whole number on a
 * `float` flag stays `1`; an `int` flag never gets an exponent (`1e21` is written out).
 * Infinities are `1e999`/`-1e999` (`Infinity` is an identifier a script may shadow); NaN
 * has no literal and throws a `value` error.
 */
export function renderJs(value: FlagValue, type: FlagType, quote: string = DEFAULT_QUOTE): string {
  if (Array.isArray(value)) return `[${value.map((item) => renderJs(item, 'null', quote)).join(', ')}]`;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return renderString(value, quote);
  return renderNumber(value, type);
}

/** A number literal (with a leading `-` when negative) that JS reads back as exactly `value`. */
export function renderNumber(value: number, type: FlagType): string {
  if (Number.isNaN(value)) throw new TransformError('value', 'NaN cannot be written as a JavaScript literal');
  if (!Number.isFinite(value)) return value > 0 ? '1e999' : '-1e999';
  if (Object.is(value, -0)) return '-0';
  return type === 'int' && Number.isInteger(value) ? BigInt(value).toString() : String(value);
}

/** A single-line string literal in `quote` (`'`, `"` or a backtick) whose value is exactly `value`. */
export function renderString(value: string, quote: string = DEFAULT_QUOTE): string {
  const q = quote === "'" || quote === '`' ? quote : '"';
  let out = q + escapeString(value, q, astral);
  if (q === '`') out = out.replaceAll('${', '\\${');
  return out + q;
}

/** A character beyond the BMP as one escape, `\u{1f600}`, not a surrogate pair. */
function astral(code: number): string {
  return `\\u{${code.toString(16)}}`;
}
