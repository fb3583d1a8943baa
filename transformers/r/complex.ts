/**
 * R's complex numbers as flag values. R has no complex literal, only imaginary ones (`2i`):
 * `2+2i` is a sum that R's parser leaves to evaluation, and a script's complex default is
 * the real part, a `+` or `-`, and the imaginary part, in that order. The value a flag holds
 * is text in the spelling of R's `as.character()` (`0+0i`, `1.5-2i`, `Inf+0i`), as guildai-r
 * records it, since YAML and Guild have no complex type.
 */
import { TransformError } from '../errors.js';
import type { FlagValue } from '../types.js';

export interface Complex {
  re: number;
  im: number;
}

const NUMBER = String.raw`(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|NaN)`;
/** `a`, `bi`, `a+bi`, `a-bi`, each part signed or not, spaces allowed around the operator. */
const COMPLEX = new RegExp(String.raw`^([+-]?${NUMBER})(?:\s*([+-])\s*(${NUMBER})i)?$|^([+-]?${NUMBER})i$`);

function part(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  const magnitude = body === 'Inf' ? Infinity : Number(body);
  return sign * magnitude;
}

/** A part as R's `as.character()` spells it: `Inf`, `NaN`, no negative zero. */
function showPart(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  return String(value + 0);
}

/** `2+2i`, `0-1i`, `Inf+0i`: the text a complex flag holds. */
export function formatComplex({ re, im }: Complex): string {
  const imText = showPart(Math.abs(im));
  return `${showPart(re)}${im < 0 ? '-' : '+'}${imText}i`;
}

/** The complex number a flag value stands for: a number, or text such as `2+2i`, `-1i` or `3`. */
export function complexOf(value: FlagValue): Complex {
  if (typeof value === 'number') return { re: value, im: 0 };
  const match = typeof value === 'string' ? COMPLEX.exec(value.trim()) : null;
  if (!match) {
    throw new TransformError('value', `cannot write ${JSON.stringify(value)} as an R complex (e.g. 2+2i, -1.5i, 3)`);
  }
  const [, re, op, im, imOnly] = match;
  if (imOnly !== undefined) return { re: 0, im: part(imOnly) };
  const imaginary = im === undefined ? 0 : part(im);
  return { re: part(re!), im: op === '-' ? -imaginary : imaginary };
}
