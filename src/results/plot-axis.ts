/**
 * Drawing a pair of axes around a plot area: grid lines, axis lines, tick marks, tick labels
 * and the two axis labels (`<text class="axis-label">`).
 */
import { type Axis, TICK_FONT } from './plot-scale.js';
import { attrs, el, esc, num, text, textWidth, truncate } from './plot-svg.js';

/** The plot area, px. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Font size of axis labels, px. */
export const LABEL_FONT = 12;
const TICK = 5;
const AXIS_COLOR = '#444444';
const GRID_COLOR = '#e6e6e6';
const TEXT_COLOR = '#222222';

/** Room left of the plot area that the y axis needs: tick marks, the widest tick label, the rotated axis label. */
export function yAxisRoom(y: Axis): number {
  const widest = Math.max(0, ...y.ticks.map((t) => textWidth(t.label, TICK_FONT)));
  return TICK + 4 + widest + 10 + LABEL_FONT + 4;
}

/** Depth of the x tick labels below the tick marks, px. */
function tickLabelDepth(x: Axis): number {
  if (!x.rotated) return TICK_FONT;
  const widest = Math.max(0, ...x.ticks.map((t) => textWidth(t.label, TICK_FONT)));
  return (widest + TICK_FONT) / Math.SQRT2;
}

/** Room below the plot area that the x axis needs: tick marks, tick labels (maybe turned), the axis label. */
export function xAxisRoom(x?: Axis): number {
  return TICK + 4 + (x === undefined ? TICK_FONT : tickLabelDepth(x)) + 12 + LABEL_FONT + 6;
}

/** An axis label, cut to the length of its axis (the whole label then in a tooltip). */
function axisLabel(list: Record<string, string | number | undefined>, label: string, length: number): string {
  const shown = truncate(label, length, LABEL_FONT);
  return shown === label ? text(list, label) : `<text${attrs(list)}><title>${esc(label)}</title>${esc(shown)}</text>`;
}

function tickLabel(list: Record<string, string | number | undefined>, tick: Axis['ticks'][number]): string {
  if (tick.title === undefined) return text(list, tick.label);
  return `<text${attrs(list)}><title>${esc(tick.title)}</title>${esc(tick.label)}</text>`;
}

/** Grid lines behind the data, for the labelled ticks of both axes. */
export function drawGrid(x: Axis, y: Axis, r: Rect, opts: { vertical: boolean }): string {
  let out = '';
  for (const t of y.ticks) out += el('line', { x1: r.left, x2: r.left + r.width, y1: t.pos, y2: t.pos });
  if (opts.vertical)
    for (const t of x.ticks) out += el('line', { x1: t.pos, x2: t.pos, y1: r.top, y2: r.top + r.height });
  return el('g', { class: 'grid', stroke: GRID_COLOR, 'stroke-width': '1' }, out);
}

/** Both axes: lines along the left and bottom of `r`, ticks, tick labels and axis labels. */
export function drawAxes(x: Axis, y: Axis, r: Rect, labels: { x: string; y: string }): string {
  const bottom = r.top + r.height;
  const right = r.left + r.width;
  const lines = { stroke: AXIS_COLOR, 'stroke-width': '1' };
  const texts = { fill: TEXT_COLOR, 'font-size': TICK_FONT };

  let xLines = el('line', { class: 'domain', x1: r.left, x2: right, y1: bottom, y2: bottom });
  let xTexts = '';
  for (const pos of x.minor)
    xLines += el('line', { class: 'minor', x1: pos, x2: pos, y1: bottom, y2: bottom + TICK - 2 });
  for (const t of x.ticks) {
    xLines += el('line', { x1: t.pos, x2: t.pos, y1: bottom, y2: bottom + TICK });
    if (x.rotated) {
      const [lx, ly] = [t.pos + 3, bottom + TICK + 8];
      const transform = `rotate(-45 ${num(lx)} ${num(ly)})`;
      xTexts += tickLabel({ class: 'tick-label', x: lx, y: ly, transform, 'text-anchor': 'end' }, t);
    } else {
      const list = { class: 'tick-label', x: t.pos, y: bottom + TICK + 3 + TICK_FONT, 'text-anchor': 'middle' };
      xTexts += tickLabel(list, t);
    }
  }
  const xLabel = axisLabel(
    {
      class: 'axis-label',
      x: r.left + r.width / 2,
      y: bottom + xAxisRoom(x) - 6,
      'text-anchor': 'middle',
      'font-size': LABEL_FONT,
      fill: TEXT_COLOR,
    },
    labels.x,
    r.width,
  );

  let yLines = el('line', { class: 'domain', x1: r.left, x2: r.left, y1: r.top, y2: bottom });
  let yTexts = '';
  for (const pos of y.minor)
    yLines += el('line', { class: 'minor', x1: r.left - TICK + 2, x2: r.left, y1: pos, y2: pos });
  let widest = 0;
  for (const t of y.ticks) {
    widest = Math.max(widest, textWidth(t.label, TICK_FONT));
    yLines += el('line', { x1: r.left - TICK, x2: r.left, y1: t.pos, y2: t.pos });
    yTexts += tickLabel(
      { class: 'tick-label', x: r.left - TICK - 3, y: t.pos + TICK_FONT * 0.35, 'text-anchor': 'end' },
      t,
    );
  }
  const labelX = r.left - TICK - 4 - widest - 10;
  const labelY = r.top + r.height / 2;
  const yLabel = axisLabel(
    {
      class: 'axis-label',
      x: labelX,
      y: labelY,
      transform: `rotate(-90 ${num(labelX)} ${num(labelY)})`,
      'text-anchor': 'middle',
      'font-size': LABEL_FONT,
      fill: TEXT_COLOR,
    },
    labels.y,
    r.height,
  );

  return (
    el('g', { class: 'axis x-axis', 'data-scale': x.kind }, el('g', lines, xLines) + el('g', texts, xTexts) + xLabel) +
    el('g', { class: 'axis y-axis', 'data-scale': y.kind }, el('g', lines, yLines) + el('g', texts, yTexts) + yLabel)
  );
}
