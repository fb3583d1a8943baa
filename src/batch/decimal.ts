/**
 * Exact decimal arithmetic for sequences: numbers as typed (`0.1`, `1e-3`) become BigInt
 * mantissas at a common scale, so `range[0.1:0.3:0.1]` steps by exactly one tenth and never
 * drifts the way repeated float addition does.
 */

/** `mantissa * 10 ** exponent`, exactly as the user typed it. */
export interface Decimal {
  mantissa: bigint;
  exponent: number;
}

const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const INTEGER = /^[+-]?[0-9]+$/;

/**
 * Exponents beyond this cannot be a double anyway, and bounding them keeps a typo like
 * `1e-999999` from building a million-digit BigInt.
 */
const MAX_EXPONENT = 400;

/** True for an integer literal such as `10` or `-3` (not `1.0`, not `1e2`). */
export function isIntegerLiteral(text: string): boolean {
  return INTEGER.test(text);
}

/** Parses a decimal literal; undefined for anything else (hex, `inf`, `nan`, empty). */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exp = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = Number(exp) - fraction.length;
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const mantissa = BigInt(`${sign}${whole}${fraction}` || '0');
  return { mantissa, exponent };
}

/** The smallest scale (count of decimal places) that holds every value as an integer. */
export function commonScale(values: readonly Decimal[]): number {
  return Math.max(0, ...values.map((d) => -d.exponent));
}

/** `d * 10 ** scale` as an exact integer; `scale` must be at least `commonScale([d])`. */
export function scaled(d: Decimal, scale: number): bigint {
  return d.mantissa * 10n ** BigInt(d.exponent + scale);
}

/** Significant digits kept when dividing: more than a double's 17, so rounding happens once, in `Number`. */
const QUOTIENT_DIGITS = 25;

/** `numerator / (denominator * 10 ** scale)` as the nearest double. */
export function ratioToNumber(numerator: bigint, denominator: bigint, scale = 0): number {
  if (numerator === 0n) return 0;
  const negative = numerator < 0n !== denominator < 0n;
  const num = numerator < 0n ? -numerator : numerator;
  const den = denominator < 0n ? -denominator : denominator;
  const shift = Math.max(0, QUOTIENT_DIGITS + den.toString().length - num.toString().length);
  const quotient = (num * 10n ** BigInt(shift)) / den;
  return Number(`${negative ? '-' : ''}${quotient}e-${shift + scale}`);
}

/** How a sequence value is shown: the integer itself, or the shortest text of the nearest double. */
export function renderScaled(value: bigint, scale: number): string {
  if (scale === 0) return value.toString();
  return String(ratioToNumber(value, 1n, scale));
}
