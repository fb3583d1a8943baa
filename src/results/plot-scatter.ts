/**
 * The objective of a batch against each flag that varies: one small scatter per flag, sharing
 * the objective's axis. Numeric flags on a linear or log axis, others as evenly spaced categories.
 */
import { drawAxes, drawGrid, type Rect, xAxisRoom, yAxisRoom } from './plot-axis.js';
import { type Axis, categoryAxis, decadesSpanned, linearAxis, logAxis, type ScaleChoice } from './plot-scale.js';
import { dimension, el, esc, formatValue, noData, num, POINT_COLOR, svgDocument, text } from './plot-svg.js';

export type FlagX = number | string | boolean;

export interface ScatterPoint {
  /** The run's value of the flag. */
  x: FlagX;
  /** The run's objective. */
  y: number;
  /** The run's label, shown in the point's tooltip. */
  label: string;
}

export interface ScatterFlag {
  name: string;
  points: readonly ScatterPoint[];
  /**
   * The x axis. `auto` (the default): categories when any value is not a number; else log when
   * every value is > 0 and they span 2 decades or more (max / min >= 100, as learning rates
   * do); else linear. On a log axis values <= 0 are left out.
   */
  xScale?: ScaleChoice | 'category';
}

export interface ScatterInput {
  title?: string;
  /** The objective's name, e.g. `loss`: every panel's y axis label. */
  objective: string;
  flags: readonly ScatterFlag[];
  /** The shared y axis, decided as for curves: log when all > 0 and spanning more than 3 decades. */
  yScale?: ScaleChoice;
  /** Panels per row (default: up to 3). */
  columns?: number;
  /** Size of one panel, px (default 320 x 260). */
  panelWidth?: number;
  panelHeight?: number;
}

/** Decades numeric flag values must span (at least) for `auto` to pick a log x axis. */
export const SCATTER_X_LOG_DECADES = 2;
/** Decades the objective must span (more than) for `auto` to pick a log y axis. */
export const SCATTER_Y_LOG_DECADES = 3;

const POINT_R = 4;
const PAD = 10;

/** Category order: false before true, then numbers ascending, then strings by code unit. */
function compareX(a: FlagX, b: FlagX): number {
  const rank = (v: FlagX) => (typeof v === 'boolean' ? 0 : typeof v === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'string' || typeof b === 'string') return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return Number(a) - Number(b);
}

function xText(v: FlagX): string {
  return typeof v === 'string' ? (v === '' ? '""' : v) : typeof v === 'number' ? formatValue(v) : String(v);
}

const keyOf = (v: FlagX) => `${typeof v}:${String(v)}`;

interface Panel {
  flag: ScatterFlag;
  x: (r: Rect) => Axis;
  /** The points this panel draws, with their x as a number for the axis (a category index for categories). */
  points: { p: ScatterPoint; xv: number }[];
}

function panelOf(flag: ScatterFlag, yDrawable: (y: number) => boolean): Panel {
  const usable = flag.points.filter((p) => yDrawable(p.y));
  const choice = flag.xScale ?? 'auto';
  const numeric = usable.every((p) => typeof p.x === 'number');
  if (choice === 'category' || !numeric) {
    const usableCat = usable.filter((p) => typeof p.x !== 'number' || !Number.isNaN(p.x));
    const categories: FlagX[] = [];
    const index = new Map<string, number>();
    for (const v of usableCat.map((p) => p.x).sort(compareX)) {
      if (index.has(keyOf(v))) continue;
      index.set(keyOf(v), categories.length);
      categories.push(v);
    }
    return {
      flag,
      x: (r) =>
        categoryAxis(
          categories.map(xText),
          { range: [r.left, r.left + r.width], orientation: 'x' },
          { leftRoom: r.left },
        ),
      points: usableCat.map((p) => ({ p, xv: index.get(keyOf(p.x))! })),
    };
  }
  const finite = usable.filter((p) => Number.isFinite(p.x));
  const xs = finite.map((p) => p.x as number);
  const log = choice === 'log' || (choice === 'auto' && (decadesSpanned(xs) ?? 0) >= SCATTER_X_LOG_DECADES);
  const drawn = log ? finite.filter((p) => (p.x as number) > 0) : finite;
  const values = drawn.map((p) => p.x as number);
  return {
    flag,
    x: (r) => {
      const space = { range: [r.left, r.left + r.width] as [number, number], orientation: 'x' as const };
      return log ? logAxis(values, space, { pad: PAD }) : linearAxis(values, space, { pad: PAD });
    },
    points: drawn.map((p) => ({ p, xv: p.x as number })),
  };
}

/** Renders the objective against each flag as a self-contained SVG document. */
export function renderScatter(input: ScatterInput): string {
  const objective = String(input.objective ?? '');
  const title = input.title === undefined ? '' : String(input.title);
  const flags = input.flags ?? [];
  const panelWidth = dimension(input.panelWidth, 320);
  const panelHeight = dimension(input.panelHeight, 260);
  const requested = input.columns !== undefined && Number.isFinite(input.columns) ? Math.floor(input.columns) : 3;
  const cols = Math.max(1, Math.min(Math.max(1, flags.length), requested));
  const rows = Math.max(1, Math.ceil(flags.length / cols));

  const finiteY = flags.flatMap((f) => f.points.map((p) => p.y).filter(Number.isFinite));
  const choice = input.yScale ?? 'auto';
  const logY = choice === 'log' || (choice === 'auto' && (decadesSpanned(finiteY) ?? 0) > SCATTER_Y_LOG_DECADES);
  const yDrawable = (y: number) => Number.isFinite(y) && (!logY || y > 0);
  const panels = flags.map((f) => panelOf(f, yDrawable));

  // Layout: the shared y axis sets the plot's left edge, the x axes (turned category labels
  // need more room below) its height; a second pass settles both, and a row grows if it must.
  const top = title === '' ? 8 : 36;
  const plotTop = 12;
  const yValues = panels.flatMap((p) => p.points.map(({ p: q }) => q.y));
  const layout = (room: number) => {
    const plotHeight = Math.max(60, panelHeight - plotTop - room - 6);
    const ySpace = { range: [plotTop + plotHeight, plotTop] as [number, number], orientation: 'y' as const };
    const y = logY ? logAxis(yValues, ySpace, { pad: PAD }) : linearAxis(yValues, ySpace, { pad: PAD });
    const left = yAxisRoom(y) + 4;
    const rect: Rect = { left, top: plotTop, width: Math.max(40, panelWidth - left - 16), height: plotHeight };
    const xs = panels.map((p) => p.x(rect));
    return { y, rect, xs, room: Math.max(xAxisRoom(), ...xs.map(xAxisRoom)) };
  };
  const first = layout(xAxisRoom());
  const { y, rect, xs, room } = first.room > xAxisRoom() ? layout(first.room) : first;
  const rowHeight = Math.max(panelHeight, plotTop + rect.height + room + 6);
  const width = cols * panelWidth;
  const height = top + rows * rowHeight;

  let body = '';
  if (title !== '') body += text({ class: 'title', x: 16, y: 24, 'font-size': 14, 'font-weight': 'bold' }, title);
  panels.forEach((panel, i) => {
    const x = xs[i]!;
    const name = String(panel.flag.name ?? '');
    let circles = '';
    for (const { p, xv } of panel.points) {
      const tip = `${String(p.label ?? '')}\n${name} = ${xText(p.x)}\n${objective} = ${formatValue(p.y)}`;
      circles += el(
        'circle',
        { class: 'point', 'data-label': String(p.label ?? ''), cx: x.map(xv), cy: y.map(p.y), r: POINT_R },
        `<title>${esc(tip)}</title>`,
      );
    }
    let inner = drawGrid(x, y, rect, { vertical: x.kind !== 'category' });
    inner += el(
      'g',
      { class: 'points', fill: POINT_COLOR, 'fill-opacity': '0.7', stroke: '#ffffff', 'stroke-width': '0.75' },
      circles,
    );
    inner += drawAxes(x, y, rect, { x: name, y: objective });
    if (panel.points.length === 0) {
      inner += noData(rect, 12);
    }
    const tx = (i % cols) * panelWidth;
    const ty = top + Math.floor(i / cols) * rowHeight;
    body += el(
      'g',
      { class: 'panel', 'data-flag': name, 'data-scale': x.kind, transform: `translate(${num(tx)} ${num(ty)})` },
      inner,
    );
  });
  if (flags.length === 0) {
    body += text(
      {
        class: 'no-data',
        x: width / 2,
        y: top + panelHeight / 2,
        'text-anchor': 'middle',
        'font-size': 12,
        fill: '#777777',
      },
      'no flags vary',
    );
  }
  return svgDocument('scatter', width, height, { 'data-objective': objective }, body);
}
