/**
 * Reading R literal tokens as values, with R's own rules: which numbers are integers,
 * what a string's escapes mean.
 */

/** An R scalar number: `int` for `10L`, `float` for every other real number. */
export interface RNumber {
  type: 'int' | 'float';
  value: number;
}

const MAX_INT = 2147483647;

/** `0x1.8p3` and friends: exact, since hex digits and powers of two are exact in binary. */
function hexValue(text: string): number {
  const match = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(text);
  if (!match) return NaN;
  const [, whole = '', fraction = '', exponent = '0'] = match;
  const digits = whole + fraction;
  if (digits === '') return NaN;
  return Number(BigInt(`0x${digits}`)) * 2 ** (Number(exponent) - 4 * fraction.length);
}

/**
 * The value of a number token, or undefined for one that is not a real scalar (`1i`).
 * As in R, `L` makes an integer only when the value is a whole number in int range
 * (`1.5L` and `3e9L` stay doubles).
 */
export function readNumber(text: string): RNumber | undefined {
  if (text.endsWith('i')) return undefined;
  const integer = text.endsWith('L');
  const body = integer ? text.slice(0, -1) : text;
  const value = /^0[xX]/.test(body) ? hexValue(body) : Number(body);
  if (Number.isNaN(value)) return undefined;
  const isInt = integer && Number.isInteger(value) && Math.abs(value) <= MAX_INT;
  return { type: isInt ? 'int' : 'float', value };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '`': '`',
  ' ': ' ',
  '\n': '\n',
};

/** `\x41`, `\101`, `\u00e9`, `\u{e9}`, `\U0001F600`, `\U{1F600}`: [code point, length] or undefined. */
function numericEscape(body: string, i: number): [number, number] | undefined {
  const kind = body[i]!;
  const rules: Record<string, [RegExp, number]> = {
    x: [/^x([0-9a-fA-F]{1,2})/, 16],
    u: [/^u(?:\{([0-9a-fA-F]{1,4})\}|([0-9a-fA-F]{1,4}))/, 16],
    U: [/^U(?:\{([0-9a-fA-F]{1,8})\}|([0-9a-fA-F]{1,8}))/, 16],
  };
  const [pattern, radix] = rules[kind] ?? [/^([0-7]{1,3})/, 8];
  const match = pattern.exec(body.slice(i, i + 11));
  if (!match) return undefined;
  return [parseInt(match[1] ?? match[2]!, radix), match[0].length];
}

/**
 * The value of a string token (`"..."`, `'...'` or a raw string). Throws an `Error` whose
 * message says what is wrong (an escape R does not accept); callers add the location.
 */
export function readString(text: string): string {
  const raw = /^[rR](["'])(-*)[([{]/.exec(text);
  if (raw) return text.slice(raw[0].length, text.length - raw[2]!.length - 2);
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[i + 1] ?? '';
    const simple = next === '\r' && body[i + 2] === '\n' ? '\n' : SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += next === '\r' ? 2 : 1;
      continue;
    }
    const numeric = numericEscape(body, i + 1);
    if (!numeric) throw new Error(`'\\${next}' is an unrecognized escape`);
    const [code, length] = numeric;
    if (code === 0) throw new Error('nul character not allowed');
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      throw new Error(`invalid escape '\\${body.slice(i + 1, i + 1 + length)}'`);
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}
