/**
 * Axes of the plots: a domain from data, "nice" ticks (1, 2 or 5 times a power of ten) that
 * fit the space without their labels overlapping, and a map from value to pixel. Linear, log
 * (in exponent space, so no value overflows) and categorical. Pure: numbers in, numbers out.
 */
import { textWidth, truncateMiddle } from './plot-svg.js';

/** How an axis is scaled: `auto` decides from the data (each plot says how). */
export type ScaleChoice = 'auto' | 'linear' | 'log';

/** A labelled tick: where it is (px) and what it says. */
export interface Tick {
  pos: number;
  label: string;
  /** The whole label, when `label` had to be shortened. */
  title?: string;
}

export interface Axis {
  kind: 'linear' | 'log' | 'category';
  /** Pixel position of a value; finite for every finite value (and every positive one on a log axis). */
  map(value: number): number;
  ticks: Tick[];
  /** Unlabelled tick positions (px), e.g. 2..9 within a decade. */
  minor: number[];
  /** Tick labels turned 45 degrees (long category names); they then hang down and to the left of their tick. */
  rotated?: boolean;
}

/** Font size of tick labels, px. */
export const TICK_FONT = 11;
/** Least vertical room a y tick label needs, px. */
const Y_TICK_SPACING = 22;
/** Room kept between two x tick labels, px. */
const X_LABEL_GAP = 10;

/**
 * How many powers of ten `values` span (log10(max / min)), or null when one is not positive
 * (no log axis then). Values must be finite; an empty list spans 0.
 */
export function decadesSpanned(values: readonly number[]): number | null {
  if (values.length === 0) return 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const v of values) {
    if (!(v > 0)) return null;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Math.log10(max) - Math.log10(min);
}

function extent(values: readonly number[]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** The nice step (1, 2 or 5 times 10^k) at or above `raw`. */
export function niceStep(raw: number): number {
  const e = Math.floor(Math.log10(raw));
  const base = 10 ** e;
  if (!(base > 0) || !Number.isFinite(base)) return raw;
  const f = raw / base;
  const m = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
  return m * base;
}

/** Digits after the point that a multiple of `step` needs. */
function decimalsFor(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

function stripMantissa(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

const SUFFIXES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * Labels for ticks that are multiples of `step` (a nice step, see {@link niceStep}), formatted alike: plain decimals; when a tick
 * reaches 10,000, each tick with the largest of the suffixes k, M, G, T it reaches (`500`,
 * `200k`, `1M`); exponents when every tick is below 0.001 or one reaches 10^15. Never `-0`,
 * never float noise.
 */
export function formatTicks(values: readonly number[], step: number): string[] {
  const largest = Math.max(...values.map(Math.abs));
  if (largest >= 1e15 || (largest > 0 && largest < 1e-3)) {
    const stepExp = Math.floor(Math.log10(step) + 1e-9);
    return values.map((v) => {
      if (v === 0 || Math.abs(v) < step / 2) return '0';
      const digits = Math.min(20, Math.max(0, Math.floor(Math.log10(Math.abs(v)) + 1e-9) - stepExp));
      const [m, e] = v.toExponential(digits).split('e') as [string, string];
      return `${stripMantissa(m)}e${e.replace('+', '')}`;
    });
  }
  if (largest >= 1e4) {
    return values.map((v) => {
      if (Math.abs(v) < step / 2) return '0';
      const found = SUFFIXES.find(([d]) => Math.abs(v) >= d);
      if (found === undefined) return v.toFixed(Math.min(20, decimalsFor(step)));
      const [div, suffix] = found;
      return `${stripMantissa((v / div).toFixed(Math.min(20, decimalsFor(step / div))))}${suffix}`;
    });
  }
  const decimals = Math.min(20, decimalsFor(step));
  return values.map((v) => {
    const s = v.toFixed(decimals);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
  });
}

interface AxisSpace {
  /** Pixel range, from the domain's low end to its high end (y runs downwards, so start > end there). */
  range: [number, number];
  orientation: 'x' | 'y';
}

/** Whether ticks at `positions` with `labels` have room on the axis. */
function fits(positions: readonly number[], labels: readonly string[], space: AxisSpace): boolean {
  let need = Y_TICK_SPACING;
  if (space.orientation === 'x') need = Math.max(...labels.map((l) => textWidth(l, TICK_FONT))) + X_LABEL_GAP;
  for (let i = 1; i < positions.length; i++) if (Math.abs(positions[i]! - positions[i - 1]!) < need) return false;
  return true;
}

/** How many ticks to try first: about one per 50 px of y, or per 70 px of x. */
function firstTarget(space: AxisSpace): number {
  const length = Math.abs(space.range[1] - space.range[0]);
  return Math.max(2, Math.min(12, Math.round(length / (space.orientation === 'y' ? 50 : 70))));
}

function linearMap(lo: number, hi: number, [r0, r1]: [number, number]): (v: number) => number {
  // Halves throughout, so that hi - lo cannot overflow for values near the largest double.
  const span = hi / 2 - lo / 2;
  if (!(span > 0) || !Number.isFinite(span)) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v / 2 - lo / 2) / span) * (r1 - r0);
}

/**
 * A linear axis over `values` (finite numbers; an empty list gives 0..1). The domain is
 * widened to whole ticks; `integer` keeps the tick step at 1 or more (training steps); `pad`
 * insets the data from both ends of the pixel range.
 */
export function linearAxis(
  values: readonly number[],
  space: AxisSpace,
  opts: { integer?: boolean; pad?: number } = {},
): Axis {
  let [min, max] = values.length > 0 ? extent(values) : [0, 1];
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  if (max - min <= magnitude * 1e-9) {
    // One value (or noise around it): centre it in a domain around it, within the doubles.
    const half = Math.max(opts.integer ? 1 : 0, Math.abs(min) * 0.1) || 1;
    min = Math.max(-Number.MAX_VALUE, min - half);
    max = Math.min(Number.MAX_VALUE, max + half);
  }
  const pad = opts.pad ?? 0;
  const dir = Math.sign(space.range[1] - space.range[0]) || 1;
  const inner: [number, number] = [space.range[0] + dir * pad, space.range[1] - dir * pad];
  let fallback: Axis | undefined;
  for (let target = firstTarget(space); target >= 1; target--) {
    let step = niceStep(((max / 2 - min / 2) / target) * 2);
    if (opts.integer) step = Math.max(1, step);
    if (!(step > 0) || !Number.isFinite(step)) break;
    let lo = Math.floor(min / step) * step;
    let hi = Math.ceil(max / step) * step;
    if (!Number.isFinite(lo)) lo = min;
    if (!Number.isFinite(hi)) hi = max;
    const kLo = Math.ceil(lo / step - 1e-9);
    const kHi = Math.floor(hi / step + 1e-9);
    if (kHi - kLo > 100) continue;
    const map = linearMap(lo, hi, inner);
    const values: number[] = [];
    for (let k = kLo; k <= kHi; k++) {
      const v = k * step;
      if (Number.isFinite(v) && v >= lo - step * 1e-9 && v <= hi + step * 1e-9) values.push(v);
    }
    const labels = formatTicks(values, step);
    const axis: Axis = {
      kind: 'linear',
      map,
      ticks: values.map((v, i) => ({ pos: map(v), label: labels[i]! })),
      minor: [],
    };
    fallback = axis;
    if (
      fits(
        axis.ticks.map((t) => t.pos),
        labels,
        space,
      )
    )
      return axis;
  }
  if (fallback) {
    // Nothing fits (a very narrow axis): keep the two ends.
    return { ...fallback, ticks: [fallback.ticks[0]!, fallback.ticks.at(-1)!] };
  }
  const map = linearMap(min, max, inner);
  return { kind: 'linear', map, ticks: [], minor: [] };
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/**
 * The label of m x 10^e on a log axis: plain (`0.001`, `100`) when every tick of the axis is
 * between 0.001 and 10,000, else a power of ten with a superscript exponent (`10⁻⁵`, `2×10⁻⁵`).
 */
function logLabel(m: number, e: number, plain: boolean): string {
  if (plain) return e >= 0 ? String(m * 10 ** e) : (m * 10 ** e).toFixed(-e);
  const power = `10${[...String(e)].map((c) => SUPERSCRIPT[c]).join('')}`;
  return m === 1 ? power : `${m}×${power}`;
}

/**
 * A log axis over `values` (all positive and finite), widened to whole decades. Ticks are 1, 2
 * and 5 in each decade when the domain is short and they fit, else every decade, else every 2nd, 3rd, 5th... decade;
 * the decades (or 2..9 within them) not labelled become minor ticks.
 */
export function logAxis(values: readonly number[], space: AxisSpace, opts: { pad?: number } = {}): Axis {
  const [min, max] = values.length > 0 ? extent(values) : [1, 10];
  let eLo = Math.floor(Math.log10(min) + 1e-9);
  let eHi = Math.ceil(Math.log10(max) - 1e-9);
  if (eHi <= eLo) {
    eLo -= 1;
    eHi += 1;
  }
  const pad = opts.pad ?? 0;
  const dir = Math.sign(space.range[1] - space.range[0]) || 1;
  const [r0, r1] = [space.range[0] + dir * pad, space.range[1] - dir * pad];
  const toPx = (exp: number) => r0 + ((exp - eLo) / (eHi - eLo)) * (r1 - r0);
  const map = (v: number) => toPx(Math.log10(v));
  const decades = eHi - eLo;

  const candidates: { marks: [number, number][]; minor: number[] }[] = [];
  const within = (ms: number[]) => {
    const marks: [number, number][] = [];
    for (let e = eLo; e <= eHi; e++) for (const m of ms) if (e < eHi || m === 1) marks.push([m, e]);
    return marks;
  };
  const subDecade = (skip: number[]) => {
    const minor: number[] = [];
    if (decades > 8) return minor;
    for (let e = eLo; e < eHi; e++)
      for (let m = 2; m <= 9; m++) if (!skip.includes(m)) minor.push(toPx(e + Math.log10(m)));
    return minor;
  };
  // 1, 2 and 5 in each decade only over a short domain, and for a short one only with plain labels ("2×10⁻⁴" clutters).
  const plainDomain = eLo >= -3 && eHi <= 4;
  if (decades <= 1 || (decades <= 2 && plainDomain))
    candidates.push({ marks: within([1, 2, 5]), minor: subDecade([2, 5]) });
  candidates.push({ marks: within([1]), minor: subDecade([]) });
  for (const stride of [2, 3, 5, 10, 20, 50, 100]) {
    if (stride >= decades) break;
    const marks: [number, number][] = [];
    const minor: number[] = [];
    for (let e = eLo; e <= eHi; e++) {
      if (e % stride === 0) marks.push([1, e]);
      else minor.push(toPx(e));
    }
    candidates.push({ marks, minor });
  }

  let chosen: Axis | undefined;
  for (const { marks, minor } of candidates) {
    const plain = marks.every(([, e]) => e >= -3 && e <= 4);
    const ticks = marks.map(([m, e]) => ({ pos: toPx(e + Math.log10(m)), label: logLabel(m, e, plain) }));
    chosen = { kind: 'log', map, ticks, minor };
    if (
      fits(
        ticks.map((t) => t.pos),
        ticks.map((t) => t.label),
        space,
      )
    )
      return chosen;
  }
  return chosen!;
}

/** Longest a turned category label may be, px. */
const ROTATED_MAX = 90;
/** Least distance between two turned labels, px (measured along the axis). */
const ROTATED_SPACING = 16;

/**
 * A categorical axis: one evenly spaced band per category, ticks at the band centres. When a
 * label does not fit its band the labels turn 45 degrees, cut in the middle to 90 px (or to
 * `leftRoom`, the room left of the axis for the first one), and when even turned labels
 * crowd, only every k-th band is labelled.
 */
export function categoryAxis(labels: readonly string[], space: AxisSpace, opts: { leftRoom?: number } = {}): Axis {
  const [r0, r1] = space.range;
  const n = Math.max(1, labels.length);
  const band = (r1 - r0) / n;
  const map = (i: number) => r0 + (i + 0.5) * band;
  const ticks: Tick[] = [];
  if (labels.every((l) => textWidth(l, TICK_FONT) + 8 <= Math.abs(band))) {
    for (const [i, label] of labels.entries()) ticks.push({ pos: map(i), label });
    return { kind: 'category', map, ticks, minor: [] };
  }
  const stride = Math.max(1, Math.ceil(ROTATED_SPACING / Math.max(1, Math.abs(band))));
  const leftRoom = opts.leftRoom ?? ROTATED_MAX;
  // A label turned 45 degrees reaches 1/sqrt(2) of its length to the left: the first must stay in the picture.
  const maxWidth = Math.max(
    textWidth('ab…yz', TICK_FONT),
    Math.min(ROTATED_MAX, (leftRoom + Math.abs(band) / 2) * Math.SQRT2 - 4),
  );
  for (let i = 0; i < labels.length; i += stride) {
    const label = truncateMiddle(labels[i]!, maxWidth, TICK_FONT);
    ticks.push(label === labels[i] ? { pos: map(i), label } : { pos: map(i), label, title: labels[i]! });
  }
  return { kind: 'category', map, ticks, minor: [], rotated: true };
}
