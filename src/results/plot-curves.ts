/**
 * Scalar curves: step against value, one line per run, a legend of the runs' labels to the
 * right of the plot (never over the lines).
 */
import { drawAxes, drawGrid, type Rect, xAxisRoom, yAxisRoom } from './plot-axis.js';
import { type Axis, decadesSpanned, linearAxis, logAxis, type ScaleChoice } from './plot-scale.js';
import { dimension, el, esc, noData, num, seriesStyle, svgDocument, text, textWidth, truncate } from './plot-svg.js';

export interface CurvePoint {
  step: number;
  value: number;
}

export interface CurveSeries {
  /** The run's label, shown in the legend. */
  label: string;
  points: readonly CurvePoint[];
}

export interface CurvesInput {
  /** A heading above the plot. */
  title?: string;
  /** The scalar's name, e.g. `loss`: the y axis label. */
  scalar: string;
  series: readonly CurveSeries[];
  /**
   * The y axis. `auto` (the default) is log when every finite value is > 0 and they span more
   * than 3 decades (max / min > 1000), else linear. On a log axis values <= 0 are gaps.
   */
  yScale?: ScaleChoice;
  /** Size of the SVG, px (default 720 x 420); it grows taller when the legend needs it. */
  width?: number;
  height?: number;
}

/** Decades the values must span (more than) for `auto` to pick a log y axis. */
export const CURVES_LOG_DECADES = 3;

const LEGEND_FONT = 11;
const LEGEND_ROW = 18;
const SWATCH = 22;
const MARKER_R = 3;

/** Runs of consecutive drawable points, sorted by step; a NaN, an infinity (or <= 0 on log) breaks a run. */
function segments(points: readonly CurvePoint[], log: boolean): CurvePoint[][] {
  const sorted = points
    .filter((p) => Number.isFinite(p.step))
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.step - b.p.step || a.i - b.i)
    .map(({ p }) => p);
  const out: CurvePoint[][] = [];
  let current: CurvePoint[] = [];
  for (const p of sorted) {
    if (Number.isFinite(p.value) && (!log || p.value > 0)) current.push(p);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Pixel points of a segment, at most four per pixel column (the first, lowest, highest and
 * last point falling in it, in step order), so a long curve stays small yet keeps its envelope.
 */
function decimate(px: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  while (i < px.length) {
    const column = Math.floor(px[i]![0]);
    let j = i + 1;
    let lo = i;
    let hi = i;
    while (j < px.length && Math.floor(px[j]![0]) === column) {
      if (px[j]![1] < px[lo]![1]) lo = j;
      if (px[j]![1] > px[hi]![1]) hi = j;
      j++;
    }
    for (const k of [...new Set([i, lo, hi, j - 1])].sort((a, b) => a - b)) out.push(px[k]!);
    i = j;
  }
  return out;
}

/** The `d` of one path: `M x,y L x,y x,y ...` per segment, repeated points (after rounding) left out. */
function pathData(segmentsPx: readonly [number, number][][]): string {
  const parts: string[] = [];
  for (const seg of segmentsPx) {
    const coords: string[] = [];
    for (const [x, y] of seg) {
      const c = `${num(x)},${num(y)}`;
      if (coords.at(-1) !== c) coords.push(c);
    }
    if (coords.length < 2) continue;
    parts.push(`M${coords[0]}L${coords.slice(1).join(' ')}`);
  }
  return parts.join('');
}

/** Renders scalar curves as a self-contained SVG document. */
export function renderCurves(input: CurvesInput): string {
  const width = dimension(input.width, 720);
  let height = dimension(input.height, 420);
  const scalar = String(input.scalar ?? '');
  const title = input.title === undefined ? '' : String(input.title);
  const series = input.series ?? [];

  const finiteValues = series.flatMap((s) => s.points.map((p) => p.value).filter(Number.isFinite));
  const choice = input.yScale ?? 'auto';
  const log = choice === 'log' || (choice === 'auto' && (decadesSpanned(finiteValues) ?? 0) > CURVES_LOG_DECADES);
  const segs = series.map((s) => segments(s.points, log));
  const drawnValues = segs.flat(2).map((p) => p.value);
  const steps = series.flatMap((s) => s.points.map((p) => p.step).filter(Number.isFinite));

  // The legend: one row per series, right of the plot, labels cut to at most 40% of the width.
  const labels = series.map((s) => String(s.label ?? ''));
  const shown = labels.map((l) => truncate(l === '' ? '(no label)' : l, width * 0.4 - SWATCH - 8, LEGEND_FONT));
  const legendWidth = series.length === 0 ? 0 : SWATCH + 8 + Math.max(...shown.map((l) => textWidth(l, LEGEND_FONT)));

  const top = title === '' ? 16 : 40;
  const bottom = xAxisRoom() + 8;
  height = Math.max(height, top + bottom + series.length * LEGEND_ROW);
  const plotHeight = height - top - bottom;

  const y: Axis = log
    ? logAxis(drawnValues, { range: [top + plotHeight, top], orientation: 'y' })
    : linearAxis(drawnValues, { range: [top + plotHeight, top], orientation: 'y' });
  const left = yAxisRoom(y) + 6;
  const right = legendWidth === 0 ? 20 : legendWidth + 40;
  const rect: Rect = { left, top, width: Math.max(40, width - left - right), height: plotHeight };
  const x = linearAxis(steps, { range: [rect.left, rect.left + rect.width], orientation: 'x' }, { integer: true });

  let body = '';
  if (title !== '')
    body += text({ class: 'title', x: rect.left, y: 24, 'font-size': 14, 'font-weight': 'bold' }, title);
  body += drawGrid(x, y, rect, { vertical: true });

  let lines = '';
  series.forEach((_, i) => {
    const { color, dash } = seriesStyle(i);
    const px = segs[i]!.map((seg) => seg.map((p): [number, number] => [x.map(p.step), y.map(p.value)]));
    const d = pathData(px.filter((seg) => seg.length > 1).map(decimate));
    let inner = `<title>${esc(labels[i])}</title>`;
    if (d !== '') {
      inner += el('path', {
        class: 'line',
        d,
        fill: 'none',
        stroke: color,
        'stroke-width': '1.5',
        'stroke-dasharray': dash,
        'stroke-linejoin': 'round',
        'stroke-linecap': 'round',
      });
    }
    for (const seg of px) {
      if (seg.length === 1)
        inner += el('circle', { class: 'point', cx: seg[0]![0], cy: seg[0]![1], r: MARKER_R, fill: color });
    }
    lines += el('g', { class: 'series', 'data-label': labels[i], 'data-index': String(i) }, inner);
  });
  body += el('g', { class: 'plot-area' }, lines);
  body += drawAxes(x, y, rect, { x: 'step', y: scalar });

  if (drawnValues.length === 0) {
    body += noData(rect, 13);
  }

  let legend = '';
  const legendX = rect.left + rect.width + 28;
  series.forEach((_, i) => {
    const { color, dash } = seriesStyle(i);
    const rowY = rect.top + 6 + i * LEGEND_ROW;
    let item = el('line', {
      x1: legendX,
      x2: legendX + SWATCH,
      y1: rowY,
      y2: rowY,
      stroke: color,
      'stroke-width': '2',
      'stroke-dasharray': dash,
    });
    item += text(
      { class: 'legend-label', x: legendX + SWATCH + 6, y: rowY + LEGEND_FONT * 0.35, 'font-size': LEGEND_FONT },
      shown[i]!,
    );
    if (shown[i] !== labels[i] && labels[i] !== '') item = `<title>${esc(labels[i])}</title>${item}`;
    legend += el('g', { class: 'legend-item', 'data-label': labels[i] }, item);
  });
  if (legend !== '') body += el('g', { class: 'legend', fill: '#222222' }, legend);

  return svgDocument('curves', width, height, { 'data-scalar': scalar }, body);
}
