/**
 * Text-mode rewriting of R flags: each flag's literal, located by R's own tokens, is
 * replaced in place and every other byte of the script stays as it was. A literal of
 * several tokens (`- 1L`, `0 +\n  0i # comment`) gets new tokens in the same places: what
 * lies between them, line breaks and comments included, is kept.
 */
import { isTransformError, TransformError } from '../errors.js';
import { type LiteralSpan, planEdits, splice } from '../shared/edits.js';
import type { ApplyOptions, ApplyResult, FlagSite, FlagValue } from '../types.js';
import { complexOf, formatComplex } from './complex.js';
import { type RFlag, scanFlags } from './discover.js';
import { complexPieces, renderR } from './render.js';

/** An edit reports the assignment's line, the one `flags` and every error show. */
function spanOf(flag: RFlag): LiteralSpan {
  const { parts, site } = flag;
  return { name: site.name, line: site.line, start: parts[0]!.start, end: parts.at(-1)!.end, current: site.default };
}

/** Runs `render`, naming the flag in the error when R cannot hold the value. */
function forFlag<T>(site: FlagSite, render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (!isTransformError(error)) throw error;
    throw new TransformError('value', `flag ${site.name}: ${error.message}`, {
      file: site.file,
      line: site.line,
      cause: error,
    });
  }
}

/** The text of each of the new literal's tokens, the sign left to `withSign`. */
function pieces(flag: RFlag, value: FlagValue, tokens: number): string[] {
  if (flag.site.type !== 'complex') return [renderR(value, flag.site.type, flag.quote)];
  const z = complexOf(value);
  const [re, op, im] = complexPieces(z);
  if (tokens === 3) return [re, op, im];
  // A lone imaginary literal keeps its form while the value has no real part.
  return Object.is(z.re, 0) ? [op === '-' ? `-${im}` : im] : [re + op + im];
}

const BLANKS = /^[ \t\f\v\u00a0]*$/;

/**
 * The new literal in the old one's places. With a sign token, a negative value's `-` goes
 * there and a positive value keeps a `+` or drops a `-` (with the blanks after it).
 */
function literalFor(source: string, flag: RFlag, value: FlagValue): string {
  const { parts } = flag;
  const texts = pieces(flag, value, parts.length - (flag.sign ? 1 : 0));
  const gaps = parts.slice(1).map((part, i) => source.slice(parts[i]!.end, part.start));
  if (flag.sign) {
    const first = texts[0]!;
    const negative = first.startsWith('-');
    if (negative) texts[0] = first.slice(1);
    const sign = negative ? '-' : flag.sign === '+' ? '+' : '';
    texts.unshift(sign);
    if (sign === '' && BLANKS.test(gaps[0]!)) gaps[0] = '';
  }
  return texts.map((text, i) => text + (gaps[i] ?? '')).join('');
}

/**
 * The value a flag will hold, checked before anything is staged: it must render, and a
 * complex comes back in the spelling of its default (`3` is `3+0i`).
 */
export function normalizeR(site: FlagSite, value: FlagValue): FlagValue {
  return forFlag(site, () => {
    renderR(value, site.type);
    return site.type === 'complex' ? formatComplex(complexOf(value)) : value;
  });
}

/**
 * Rewrites the flags named in `values` in one tokenize pass. Names that are not flags of
 * `source` come back in `unused`; a value equal to the flag's default keeps its literal as
 * written (`.1`, `1e-3`, a raw string).
 */
export function applyR(source: string, values: Record<string, FlagValue>, opts: ApplyOptions): ApplyResult {
  const render = (flag: RFlag, value: FlagValue): string => forFlag(flag.site, () => literalFor(source, flag, value));
  const { edits, unused } = planEdits(source, scanFlags(source, opts.file), values, spanOf, render);
  return { text: splice(source, edits), edits, unused };
}
