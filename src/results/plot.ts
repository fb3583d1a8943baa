/**
 * Plots of run results as self-contained SVG: scalar curves (step against value, a line per
 * run) and, for a batch, the objective against each flag that varies. Pure: data in, one SVG
 * string out, the same bytes for the same input; no script, no external font or resource, so
 * the file opens in a browser and embeds in a README. `renderHtml` puts several on one page.
 *
 * What tests and tools can read back: the root `<svg class="guild-stage-plot curves|scatter">`;
 * each run's curve `<g class="series" data-label="...">` holding one `<path class="line">`
 * (and a `<circle class="point">` for each point standing alone between gaps); legend rows
 * `<g class="legend-item" data-label>`; axes `<g class="axis x-axis|y-axis" data-scale>` with
 * `<text class="tick-label">` and `<text class="axis-label">`; scatter panels
 * `<g class="panel" data-flag data-scale>` with `<circle class="point" data-label>` points.
 */
import { esc } from './plot-svg.js';

export {
  type CurvePoint,
  type CurveSeries,
  type CurvesInput,
  CURVES_LOG_DECADES,
  renderCurves,
} from './plot-curves.js';
export type { ScaleChoice } from './plot-scale.js';
export {
  type FlagX,
  type ScatterFlag,
  type ScatterInput,
  type ScatterPoint,
  renderScatter,
  SCATTER_X_LOG_DECADES,
  SCATTER_Y_LOG_DECADES,
} from './plot-scatter.js';

/**
 * A self-contained HTML page holding `svgs` (as the render functions return them; they are
 * inserted as they are) under the heading `title`. It is also well-formed XML (XHTML
 * polyglot), so an XML parser reads it as a browser does.
 */
export function renderHtml(svgs: readonly string[], title: string): string {
  const heading = esc(title);
  const figures = svgs.map((svg) => `<figure>\n${svg.trim().replace(/^<\?xml[^>]*\?>\s*/, '')}\n</figure>\n`).join('');
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${heading}</title>
<style>
body { font-family: sans-serif; margin: 24px; color: #222222; background: #ffffff; }
figure { margin: 0 0 32px 0; }
figure svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${heading}</h1>
${figures}</body>
</html>
`;
}
