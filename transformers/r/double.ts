/**
 * Writing a double as an R literal that R reads back to exactly the same double.
 *
 * R's parser does not round decimals correctly: it builds the digits in a `long double`
 * and divides or multiplies by a power of ten there, then rounds again to a double. The
 * second rounding is off by one ulp for about one decimal in 15,000 (`0.6177990545`). So
 * the shortest round-trip decimal is used when R is known to read it exactly, and a hex
 * literal (`0x1.3c502855d278ap-1`), which R reads exactly everywhere, otherwise.
 */

interface Ratio {
  num: bigint;
  den: bigint;
}

function bitLength(value: bigint): number {
  return value.toString(2).length;
}

/** `value` rounded to `bits` significant bits, ties to even (an IEEE rounding). */
function roundToBits({ num, den }: Ratio, bits: number): Ratio {
  let exponent = bitLength(num) - bitLength(den) - bits;
  const n = exponent < 0 ? num << BigInt(-exponent) : num;
  let d = exponent > 0 ? den << BigInt(exponent) : den;
  if (n / d >= 1n << BigInt(bits)) {
    exponent++;
    d <<= 1n;
  }
  let mantissa = n / d;
  const twiceRest = (n - mantissa * d) * 2n;
  if (twiceRest > d || (twiceRest === d && (mantissa & 1n) === 1n)) mantissa++;
  return exponent >= 0
    ? { num: mantissa << BigInt(exponent), den: 1n }
    : { num: mantissa, den: 1n << BigInt(-exponent) };
}

function sameRatio(a: Ratio, b: Ratio): boolean {
  return a.num * b.den === b.num * a.den;
}

const MAX_EXACT_POWER_80 = 27n;
const MAX_EXACT_POWER_64 = 22n;
const MAX_SAFE = 2n ** 53n;

/**
 * Whether R reads the decimal `text` (digits, optional fraction and exponent, no sign)
 * as the correctly rounded double: with an 80-bit `long double` (x86-64) the one
 * rounding of digits / 10^k to 64 bits must not move the final rounding to 53 bits; with
 * `long double` = double (some ARM builds) digits and 10^k must both be exact doubles.
 */
export function readsExactlyInR(text: string): boolean {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
  if (!match) return false;
  const [, whole, fraction = '', exp = '0'] = match;
  const digits = BigInt(whole! + fraction);
  const power = BigInt(exp) - BigInt(fraction.length);
  const magnitude = power < 0n ? -power : power;
  if (magnitude > MAX_EXACT_POWER_80 || digits === 0n) return digits === 0n;
  const scale = 10n ** magnitude;
  const exact: Ratio = power < 0n ? { num: digits, den: scale } : { num: digits * scale, den: 1n };
  const viaLongDouble = roundToBits(roundToBits(exact, 64), 53);
  const doubleOnlyExact = digits <= MAX_SAFE && magnitude <= MAX_EXACT_POWER_64;
  return doubleOnlyExact && sameRatio(viaLongDouble, roundToBits(exact, 53));
}

/** `0x1.8p+3` for 12: the exact binary value, which R's parser reads without rounding. */
export function hexDouble(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0').replace(/0+$/, '');
  const lead = biased === 0 ? '0' : '1';
  const exponent = biased === 0 ? -1022 : biased - 1023;
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  return `${sign}0x${lead}${fraction ? `.${fraction}` : ''}p${exponent >= 0 ? '+' : ''}${exponent}`;
}

/** An R double literal for `value`: `0.1`, `1e-7`, `-3`, `Inf`, `NaN`, or a hex literal. */
export function renderDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const decimal = String(Math.abs(value));
  return readsExactlyInR(decimal) ? sign + decimal : hexDouble(value);
}
