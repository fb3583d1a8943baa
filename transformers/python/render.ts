/**
 * Renders flag values as Python literals. Pure and total: every value becomes one inert
 * literal (a string can never close its quotes, span lines or start code), so a flag
 * value is always data.
 */
import { escapeString, hex } from '../shared/escapes.js';
import type { FlagType, FlagValue } from '../types.js';

/**
 * The Python literal for `value` at a flag of type `type`. The type only decides how a
 * number looks: a `float` flag always gets a float literal (`1` -> `1.0`), an `int` flag
 * an int (when the number is whole); lists, `null` flags and mismatched values render by
 * their JS type. Strings use `quote` unless the value contains it and not the other quote;
 * with `ascii` they are pure ASCII (`\xe9`), for files in an encoding other than UTF-8.
 */
export function renderPython(
  value: FlagValue,
  type: FlagType,
  quote: '"' | "'" = '"',
  opts: { ascii?: boolean } = {},
): string {
  if (Array.isArray(value)) return `[${value.map((item) => renderPython(item, 'null', quote, opts)).join(', ')}]`;
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return renderString(value, quote, opts);
  return type !== 'float' && Number.isInteger(value) ? BigInt(value).toString() : renderFloat(value);
}

/**
 * A float literal that Python reads back as exactly `value` (`1e999` overflows to inf). NaN
 * has no literal; `(1e999-1e999)` is inf minus inf, literals only, where `float('nan')`
 * would call whatever the script has named `float`.
 */
export function renderFloat(value: number): string {
  if (Number.isNaN(value)) return '(1e999-1e999)';
  if (!Number.isFinite(value)) return value > 0 ? '1e999' : '-1e999';
  if (Object.is(value, -0)) return '-0.0';
  // JS's shortest round-trip form is valid Python (`1e-7`, `1e+21`); it only lacks the `.0` of whole numbers.
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** A single-line Python string literal whose value is exactly `value`. */
export function renderString(value: string, preferred: '"' | "'" = '"', opts: { ascii?: boolean } = {}): string {
  const other = preferred === '"' ? "'" : '"';
  const quote = value.includes(preferred) && !value.includes(other) ? other : preferred;
  return quote + escapeString(value, quote, astral, opts) + quote;
}

/** A character beyond the BMP: `\U0001f600`, as Python's `\u` takes four digits exactly. */
function astral(code: number): string {
  return `\\U${hex(code, 8)}`;
}
