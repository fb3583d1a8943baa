import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CurveSeries,
  type CurvesInput,
  renderCurves,
  renderHtml,
  renderScatter,
  type ScatterInput,
} from '../../src/results/plot.js';
import { textWidth } from '../../src/results/plot-svg.js';
import { findAll, hasClass, parseXml, parseXmlAll, textOf, walk, type XmlNode } from '../helpers/xml.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const HOSTILE = `</text><script>alert("x")</script> & 'q' <b>`;

function curve(label: string, values: readonly number[], stepOf = (i: number) => i * 10): CurveSeries {
  return { label, points: values.map((value, i) => ({ step: stepOf(i), value })) };
}

function decay(n: number, rate: number): number[] {
  return Array.from({ length: n }, (_, i) => 2 * Math.exp(-i * rate) + 0.1);
}

/** The `(x, y)` points of a path's `d`, split at each `M` into subpaths. */
function subpaths(d: string): [number, number][][] {
  expect(d).toMatch(/^(M-?[\d.]+,-?[\d.]+L-?[\d.]+,-?[\d.]+( -?[\d.]+,-?[\d.]+)*)+$/);
  return d
    .split('M')
    .slice(1)
    .map((sub) =>
      sub
        .replace('L', ' ')
        .split(' ')
        .map((pair) => pair.split(',').map(Number) as [number, number]),
    );
}

const axisLabels = (svg: XmlNode) => findAll(svg, 'text', 'axis-label').map(textOf);
const tickLabels = (root: XmlNode, axis: 'x-axis' | 'y-axis') =>
  findAll(root, 'g', axis).flatMap((g) => findAll(g, 'text', 'tick-label').map(textOf));

/** Every attribute that is not user text holds only finite numbers (and words); no NaN, no Infinity. */
function expectFiniteAttributes(root: XmlNode): void {
  for (const node of walk(root)) {
    for (const [name, value] of Object.entries(node.attrib)) {
      if (name.startsWith('data-') && name !== 'data-index') continue;
      expect(value, `${node.tag} ${name}`).not.toMatch(/nan|infinity/i);
      for (const token of value.match(/-?[\d.]+(e[-+]?\d+)?/gi) ?? []) {
        expect(Number.isFinite(Number(token)), `${node.tag} ${name}="${value}"`).toBe(true);
      }
    }
  }
}

describe('renderCurves', () => {
  const input: CurvesInput = {
    title: 'loss by run',
    scalar: 'loss',
    series: [curve('lr=0.1', decay(50, 0.1)), curve('lr=0.01', decay(50, 0.01)), curve('lr=0.001', decay(50, 0.001))],
  };

  it('draws one series per run, each one path, with the run labels in the legend', async () => {
    const svg = await parseXml(renderCurves(input));
    expect(svg.tag).toBe('svg');
    expect(svg.ns).toBe(SVG_NS);
    const series = findAll(svg, 'g', 'series');
    expect(series.map((g) => g.attrib['data-label'])).toEqual(['lr=0.1', 'lr=0.01', 'lr=0.001']);
    for (const g of series) expect(findAll(g, 'path')).toHaveLength(1);
    const legend = findAll(svg, 'g', 'legend-item');
    expect(legend.map((g) => textOf(findAll(g, 'text', 'legend-label')[0]!))).toEqual([
      'lr=0.1',
      'lr=0.01',
      'lr=0.001',
    ]);
    // Distinct strokes for distinct runs.
    const strokes = series.map((g) => findAll(g, 'path')[0]!.attrib.stroke);
    expect(new Set(strokes).size).toBe(3);
    expect(findAll(svg, 'text', 'title').map(textOf)).toEqual(['loss by run']);
  });

  it('labels the x axis "step" and the y axis with the scalar', async () => {
    const svg = await parseXml(renderCurves(input));
    expect(axisLabels(svg)).toEqual(['step', 'loss']);
    expect(tickLabels(svg, 'x-axis').length).toBeGreaterThanOrEqual(3);
    expect(tickLabels(svg, 'y-axis').length).toBeGreaterThanOrEqual(3);
  });

  it('writes only finite numbers in attributes, whatever the values', async () => {
    const wild = [
      0,
      -0,
      1e308,
      -1e308,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      5e-324,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ];
    const svgs = await parseXmlAll([
      renderCurves({ scalar: 'x', series: [curve('wild', wild)] }),
      renderCurves({ scalar: 'x', series: [curve('huge steps', [1, 2, 3], (i) => (i - 1) * Number.MAX_VALUE)] }),
      renderCurves({ scalar: 'x', series: [curve('all nan', [Number.NaN, Number.NaN])] }),
      renderCurves({ scalar: 'x', series: [] }),
      renderCurves({ scalar: 'x', series: [curve('forced log, non-positive', [0, -1, 1, 10])], yScale: 'log' }),
      renderCurves({ scalar: 'x', series: [curve('tiny', [5e-324, 1e-323, 2e-323])] }),
      renderCurves({ scalar: 'x', series: [curve('flat', [0.5, 0.5, 0.5])], width: Number.NaN, height: -1 }),
    ]);
    for (const svg of svgs) expectFiniteAttributes(svg);
  });

  it('draws each curve monotone in x, sorting steps given out of order', async () => {
    const shuffled: CurveSeries = {
      label: 'shuffled',
      points: [5, 1, 4, 2, 3, 0].map((step) => ({ step: step * 100, value: Math.sin(step) })),
    };
    const svg = await parseXml(renderCurves({ scalar: 'acc', series: [shuffled, curve('ordered', decay(200, 0.02))] }));
    for (const path of findAll(svg, 'path', 'line')) {
      const xs = subpaths(path.attrib.d!)
        .flat()
        .map(([x]) => x);
      for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThanOrEqual(xs[i - 1]!);
    }
  });

  it('keeps a hostile label as text', async () => {
    const out = renderCurves({ title: HOSTILE, scalar: HOSTILE, series: [curve(HOSTILE, [1, 2, 3])], width: 1200 });
    const svg = await parseXml(out);
    expect(walk(svg).some((n) => n.tag === 'script')).toBe(false);
    expect(findAll(svg, 'g', 'series')[0]!.attrib['data-label']).toBe(HOSTILE);
    const legend = findAll(svg, 'g', 'legend-item')[0]!;
    expect(legend.attrib['data-label']).toBe(HOSTILE);
    expect(textOf(findAll(legend, 'text')[0]!)).toBe(HOSTILE);
    expect(axisLabels(svg)).toEqual(['step', HOSTILE]);
    expect(out).not.toContain('<script');
  });

  it('makes characters XML cannot hold into U+FFFD, so the file still parses', async () => {
    const svg = await parseXml(renderCurves({ scalar: 'x', series: [curve('a\u0001b\ud800c\ufffe', [1, 2])] }));
    expect(findAll(svg, 'g', 'series')[0]!.attrib['data-label']).toBe('a\ufffdb\ufffdc\ufffd');
  });

  it('leaves a gap at NaN and infinite values, and a marker for a point standing alone', async () => {
    const values = [1, 2, 3, Number.NaN, 4, 5, Number.POSITIVE_INFINITY, 6, Number.NEGATIVE_INFINITY, 7, 8];
    const svg = await parseXml(renderCurves({ scalar: 'loss', series: [curve('gappy', values)] }));
    const series = findAll(svg, 'g', 'series')[0]!;
    const parts = subpaths(findAll(series, 'path')[0]!.attrib.d!);
    expect(parts.map((p) => p.length)).toEqual([3, 2, 2]);
    expect(parts[0]!.at(-1)![0]).toBeLessThan(parts[1]![0]![0]);
    // 6 stands alone between two gaps: a marker, between the second and the third subpath.
    const markers = findAll(series, 'circle', 'point');
    expect(markers).toHaveLength(1);
    const cx = Number(markers[0]!.attrib.cx);
    expect(cx).toBeGreaterThan(parts[1]!.at(-1)![0]);
    expect(cx).toBeLessThan(parts[2]![0]![0]);
  });

  it('draws a run of one step as a marker, in the legend like any run', async () => {
    const svg = await parseXml(
      renderCurves({
        scalar: 'loss',
        series: [curve('one step', [0.5]), curve('long', decay(20, 0.1)), curve('no data', [])],
      }),
    );
    const [one, long, empty] = findAll(svg, 'g', 'series');
    expect(findAll(one!, 'path')).toHaveLength(0);
    expect(findAll(one!, 'circle', 'point')).toHaveLength(1);
    expect(findAll(long!, 'path')).toHaveLength(1);
    expect(findAll(empty!, 'path')).toHaveLength(0);
    expect(findAll(svg, 'g', 'legend-item')).toHaveLength(3);
    expectFiniteAttributes(svg);
  });

  it('picks a log y axis when all values are positive and span more than 3 decades', async () => {
    const scaleOf = async (values: number[], yScale?: CurvesInput['yScale']) => {
      const svg = await parseXml(renderCurves({ scalar: 'loss', series: [curve('r', values)], yScale }));
      return findAll(svg, 'g', 'y-axis')[0]!.attrib['data-scale'];
    };
    expect(await scaleOf([1e-5, 1e-3, 1e-1])).toBe('log');
    expect(await scaleOf([1e-4, 1e-2, 1e-1])).toBe('linear'); // exactly 3 decades: not more than 3
    expect(await scaleOf([1e-4, 1e-2, 1e-1], 'log')).toBe('log');
    expect(await scaleOf([-1, 1e-5, 1e-1])).toBe('linear');
    expect(await scaleOf([1e-5, Number.NaN, 1e-1])).toBe('log');
    const svg = await parseXml(renderCurves({ scalar: 'loss', series: [curve('r', [1e-6, 1e-3, 1])] }));
    expect(tickLabels(svg, 'y-axis')).toEqual(['10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '10⁰']);
  });

  it('writes nice tick labels: 1, 2 or 5 times a power of ten, formatted alike', async () => {
    const ticksOf = async (series: CurveSeries) => {
      const svg = await parseXml(renderCurves({ scalar: 'v', series: [series] }));
      return { x: tickLabels(svg, 'x-axis'), y: tickLabels(svg, 'y-axis') };
    };
    const a = await ticksOf(curve('a', [0.12, 0.31, 0.93], (i) => i * 500));
    expect(a.x).toEqual(['0', '200', '400', '600', '800', '1000']);
    expect(a.y).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    const b = await ticksOf(curve('b', [2e-5, 7e-5], (i) => i * 1_000_000));
    expect(b.x).toEqual(['0', '200k', '400k', '600k', '800k', '1M']);
    expect(b.y.every((l) => /^(0|\de-5)$/.test(l))).toBe(true);
    const c = await ticksOf(curve('c', [-3, 4]));
    expect(c.y).toContain('0');
    expect(c.y.some((l) => l.startsWith('-0'))).toBe(false);
  });

  it('keeps x tick labels apart and the legend inside the picture', async () => {
    const long = 'a very long label for a run, '.repeat(6);
    const out = renderCurves({
      scalar: 'loss',
      series: [curve(long, [1, 2, 3], (i) => 123_456_789 + i * 7_654_321)],
    });
    const svg = await parseXml(out);
    const width = Number(svg.attrib.width);
    const ticks = findAll(findAll(svg, 'g', 'x-axis')[0]!, 'text', 'tick-label');
    for (let i = 1; i < ticks.length; i++) {
      const gap = Number(ticks[i]!.attrib.x) - Number(ticks[i - 1]!.attrib.x);
      expect(gap).toBeGreaterThan(0.6 * 11 * Math.max(textOf(ticks[i]!).length, textOf(ticks[i - 1]!).length));
    }
    const item = findAll(svg, 'g', 'legend-item')[0]!;
    const label = findAll(item, 'text', 'legend-label')[0]!;
    expect(textOf(label).endsWith('…')).toBe(true);
    // By the renderer's own width estimate (the Chromium check confirmed it overestimates DejaVu Sans).
    expect(Number(label.attrib.x) + textWidth(textOf(label), 11)).toBeLessThanOrEqual(width);
    expect(item.attrib['data-label']).toBe(long);
    expect(findAll(item, 'title').map(textOf)).toEqual([long]);
  });

  it('grows taller when the legend needs it', async () => {
    const many = Array.from({ length: 40 }, (_, i) => curve(`run ${i}`, decay(10, i / 40)));
    const svg = await parseXml(renderCurves({ scalar: 'loss', series: many }));
    const height = Number(svg.attrib.height);
    for (const text of findAll(svg, 'text', 'legend-label')) expect(Number(text.attrib.y)).toBeLessThan(height);
    expect(
      new Set(findAll(svg, 'path', 'line').map((p) => `${p.attrib.stroke} ${p.attrib['stroke-dasharray']}`)).size,
    ).toBe(36);
  });

  it('is deterministic and small: a 2,000-point curve is tens of kilobytes, a 200,000-point one too', () => {
    const noisy = (n: number) => Array.from({ length: n }, (_, i) => Math.exp(-i / n) + 0.05 * Math.sin(i * 1.7));
    const input2k: CurvesInput = { scalar: 'loss', series: [curve('2k', noisy(2000))] };
    const out = renderCurves(input2k);
    expect(renderCurves(structuredClone(input2k))).toBe(out);
    expect(out.length).toBeLessThan(60_000);
    const big = renderCurves({ scalar: 'loss', series: [curve('200k', noisy(200_000))] });
    expect(big.length).toBeLessThan(60_000);
    expect(big.match(/<path/g)).toHaveLength(1);
  });

  it('writes well-formed SVG with finite attributes for arbitrary numbers and labels', async () => {
    const value = fc.oneof(
      fc.double(),
      fc.constantFrom(0, -0, 1e-300, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE),
      fc.double({ min: 1e-8, max: 1e8, noNaN: true }),
    );
    const series = fc.record({
      label: fc.string({ unit: 'binary' }),
      points: fc.array(fc.record({ step: fc.oneof(fc.integer(), fc.double()), value }), { maxLength: 30 }),
    });
    const inputs = fc.record({
      scalar: fc.string(),
      series: fc.array(series, { maxLength: 10 }),
      yScale: fc.constantFrom('auto' as const, 'linear' as const, 'log' as const),
    });
    fc.assert(
      fc.property(inputs, (input) => {
        const out = renderCurves(input);
        expect(out).toBe(renderCurves(input));
        for (const [, attr] of out.matchAll(/ (?!data-)[\w-]+="([^"]*)"/g)) expect(attr).not.toMatch(/NaN|Infinity/);
      }),
      { seed: 1, numRuns: 200 },
    );
    const svgs = await parseXmlAll(fc.sample(inputs, { seed: 2, numRuns: 60 }).map(renderCurves));
    for (const svg of svgs) {
      expectFiniteAttributes(svg);
      for (const path of findAll(svg, 'path', 'line')) {
        const xs = subpaths(path.attrib.d!)
          .flat()
          .map(([x]) => x);
        for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThanOrEqual(xs[i - 1]!);
      }
    }
  });
});

describe('renderScatter', () => {
  const trials = [
    { label: 'trial 1', lr: 1e-4, optimizer: 'sgd', batch: 32, y: 0.9 },
    { label: 'trial 2', lr: 1e-3, optimizer: 'adam', batch: 64, y: 0.4 },
    { label: 'trial 3', lr: 1e-2, optimizer: 'sgd', batch: 32, y: 0.3 },
    { label: 'trial 4', lr: 1e-1, optimizer: 'adam', batch: 128, y: 0.7 },
  ];
  const input: ScatterInput = {
    objective: 'loss',
    flags: [
      { name: 'lr', points: trials.map((t) => ({ x: t.lr, y: t.y, label: t.label })) },
      { name: 'optimizer', points: trials.map((t) => ({ x: t.optimizer, y: t.y, label: t.label })) },
      { name: 'batch', points: trials.map((t) => ({ x: t.batch, y: t.y, label: t.label })) },
    ],
  };

  it('draws a panel per flag, x the flag and y the objective, a point per run with its tooltip', async () => {
    const svg = await parseXml(renderScatter(input));
    const panels = findAll(svg, 'g', 'panel');
    expect(panels.map((p) => p.attrib['data-flag'])).toEqual(['lr', 'optimizer', 'batch']);
    for (const [i, panel] of panels.entries()) {
      expect(axisLabels(panel)).toEqual([input.flags[i]!.name, 'loss']);
      const points = findAll(panel, 'circle', 'point');
      expect(points.map((p) => p.attrib['data-label'])).toEqual(['trial 1', 'trial 2', 'trial 3', 'trial 4']);
      for (const point of points) {
        const tip = textOf(findAll(point, 'title')[0]!);
        const trial = trials.find((t) => t.label === point.attrib['data-label'])!;
        expect(tip).toContain(trial.label);
        expect(tip).toContain(`loss = ${trial.y}`);
      }
    }
    // The objective's axis is shared: a run sits at the same height in every panel.
    const cy = (panel: XmlNode) => findAll(panel, 'circle', 'point').map((p) => p.attrib.cy);
    expect(cy(panels[1]!)).toEqual(cy(panels[0]!));
    expectFiniteAttributes(svg);
  });

  it('puts a learning rate (1e-4..1e-1) on a log axis, evenly spaced by decade', async () => {
    const svg = await parseXml(renderScatter(input));
    const [lr, , batch] = findAll(svg, 'g', 'panel');
    expect(lr!.attrib['data-scale']).toBe('log');
    expect(tickLabels(lr!, 'x-axis')).toEqual(['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹']);
    const cx = findAll(lr!, 'circle', 'point').map((p) => Number(p.attrib.cx));
    const gaps = cx.slice(1).map((x, i) => x - cx[i]!);
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0]!, 0);
    // 32..128 spans less than 2 decades: linear.
    expect(batch!.attrib['data-scale']).toBe('linear');
  });

  it('spaces categories evenly, in order, one x per category', async () => {
    const svg = await parseXml(renderScatter(input));
    const optimizer = findAll(svg, 'g', 'panel')[1]!;
    expect(optimizer.attrib['data-scale']).toBe('category');
    expect(tickLabels(optimizer, 'x-axis')).toEqual(['adam', 'sgd']);
    const cx = Object.fromEntries(
      findAll(optimizer, 'circle', 'point').map((p) => [p.attrib['data-label'], p.attrib.cx]),
    );
    expect(cx['trial 1']).toBe(cx['trial 3']);
    expect(cx['trial 2']).toBe(cx['trial 4']);
    expect(cx['trial 1']).not.toBe(cx['trial 2']);
  });

  it('treats booleans and mixed values as categories, and numbers too when asked', async () => {
    const svg = await parseXml(
      renderScatter({
        objective: 'acc',
        flags: [
          { name: 'shuffle', points: [true, false, true].map((x, i) => ({ x, y: i, label: `r${i}` })) },
          { name: 'mixed', points: ['b', 2, 'a', 10].map((x, i) => ({ x, y: i, label: `r${i}` })) },
          { name: 'epochs', xScale: 'category', points: [10, 3, 5].map((x, i) => ({ x, y: i, label: `r${i}` })) },
        ],
      }),
    );
    const panels = findAll(svg, 'g', 'panel');
    expect(panels.map((p) => p.attrib['data-scale'])).toEqual(['category', 'category', 'category']);
    expect(panels.map((p) => tickLabels(p, 'x-axis'))).toEqual([
      ['false', 'true'],
      ['2', '10', 'a', 'b'],
      ['3', '5', '10'],
    ]);
  });

  it('turns long category names 45 degrees, cut in the middle, inside the picture', async () => {
    const names = Array.from({ length: 14 }, (_, i) => `architecture_variant_${i}`);
    const svg = await parseXml(
      renderScatter({
        objective: 'loss',
        flags: [{ name: 'model', points: names.map((x, i) => ({ x, y: i, label: `r${i}` })) }],
      }),
    );
    const height = Number(svg.attrib.height);
    const [tx, ty] = findAll(svg, 'g', 'panel')[0]!
      .attrib.transform!.match(/[\d.]+/g)!
      .map(Number) as [number, number];
    const ticks = findAll(findAll(svg, 'g', 'x-axis')[0]!, 'text', 'tick-label');
    expect(ticks).toHaveLength(14);
    for (const tick of ticks) {
      expect(tick.attrib.transform).toMatch(/^rotate\(-45 /);
      const shown = textOf(tick);
      const whole = findAll(tick, 'title').map(textOf)[0] ?? shown;
      expect(names).toContain(whole);
      // Cut in the middle: the start and the end of the name show, so variants stay apart.
      const [head, tail] = shown.split('…') as [string, string | undefined];
      expect(whole.startsWith(head)).toBe(true);
      if (tail !== undefined) expect(whole.endsWith(tail)).toBe(true);
      const reach = textWidth(shown, 11) / Math.SQRT2;
      expect(tx + Number(tick.attrib.x) - reach).toBeGreaterThanOrEqual(0);
      expect(ty + Number(tick.attrib.y) + reach).toBeLessThanOrEqual(height);
    }
    const [label] = findAll(findAll(svg, 'g', 'x-axis')[0]!, 'text', 'axis-label');
    expect(ty + Number(label!.attrib.y)).toBeLessThanOrEqual(height);
  });

  it('keeps hostile flag names and labels as text, and leaves out runs with no finite objective', async () => {
    const out = renderScatter({
      title: HOSTILE,
      objective: HOSTILE,
      flags: [
        {
          name: HOSTILE,
          points: [
            { x: HOSTILE, y: 1, label: HOSTILE },
            { x: 'ok', y: Number.NaN, label: 'nan' },
            { x: 'ok', y: 2, label: 'two' },
          ],
        },
        { name: 'x', points: [{ x: Number.POSITIVE_INFINITY, y: 1, label: 'inf x' }] },
      ],
    });
    const svg = await parseXml(out);
    expect(walk(svg).some((n) => n.tag === 'script')).toBe(false);
    expect(out).not.toContain('<script');
    const [panel, empty] = findAll(svg, 'g', 'panel');
    expect(panel!.attrib['data-flag']).toBe(HOSTILE);
    expect(findAll(panel!, 'circle', 'point').map((p) => p.attrib['data-label'])).toEqual([HOSTILE, 'two']);
    // The category label is cut to fit; its whole text is the tick's tooltip.
    const tick = findAll(findAll(panel!, 'g', 'x-axis')[0]!, 'text', 'tick-label')[0]!;
    expect(textOf(tick)).toMatch(/^<\/text>.*….*<b>$/);
    expect(findAll(tick, 'title').map(textOf)).toEqual([HOSTILE]);
    expect(findAll(empty!, 'circle', 'point')).toHaveLength(0);
    expectFiniteAttributes(svg);
  });

  it('is deterministic and well-formed with no flags at all', async () => {
    expect(renderScatter(input)).toBe(renderScatter(structuredClone(input)));
    const svg = await parseXml(renderScatter({ objective: 'loss', flags: [] }));
    expect(findAll(svg, 'g', 'panel')).toHaveLength(0);
    expectFiniteAttributes(svg);
  });
});

describe('renderHtml', () => {
  it('holds the SVGs in one self-contained page under an escaped title', async () => {
    const curves = renderCurves({ scalar: 'loss', series: [curve('a', [1, 2])] });
    const scatter = renderScatter({
      objective: 'loss',
      flags: [{ name: 'lr', points: [{ x: 0.1, y: 1, label: 'a' }] }],
    });
    const page = renderHtml([curves, scatter], HOSTILE);
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).not.toMatch(/<script|src=|href=|url\(/);
    const html = await parseXml(page);
    expect(
      findAll(html, 'title')
        .filter((t) => t.ns !== SVG_NS)
        .map(textOf),
    ).toEqual([HOSTILE]);
    expect(findAll(html, 'h1').map(textOf)).toEqual([HOSTILE]);
    const svgs = findAll(html, 'svg');
    expect(svgs.map((s) => s.attrib.class)).toEqual(['guild-stage-plot curves', 'guild-stage-plot scatter']);
    expect(svgs.every((s) => s.ns === SVG_NS)).toBe(true);
  });
});

describe('the structure tools read', () => {
  it('marks the series, legend, axes and panels with classes', async () => {
    const svg = await parseXml(renderCurves({ scalar: 'loss', series: [curve('a', [1, 2, 3])] }));
    expect(hasClass(svg, 'guild-stage-plot')).toBe(true);
    expect(svg.attrib['data-scalar']).toBe('loss');
    expect(findAll(svg, 'g', 'legend')).toHaveLength(1);
    expect(findAll(svg, 'g', 'x-axis')).toHaveLength(1);
    expect(findAll(svg, 'g', 'y-axis')).toHaveLength(1);
    expect(walk(svg).some((n) => 'id' in n.attrib)).toBe(false);
  });
});
