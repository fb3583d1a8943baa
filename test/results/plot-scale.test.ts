import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decadesSpanned, formatTicks, linearAxis, logAxis, niceStep } from '../../src/results/plot-scale.js';
import { esc, num } from '../../src/results/plot-svg.js';

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0.7, 1, 1.3, 2, 3, 7, 0.013, 4200].map(niceStep)).toEqual([1, 1, 2, 2, 5, 10, 0.02, 5000]);
  });
});

describe('formatTicks', () => {
  it('formats ticks alike, without float noise or -0', () => {
    expect(formatTicks([0, 0.1, 0.2, 0.30000000000000004], 0.1)).toEqual(['0.0', '0.1', '0.2', '0.3']);
    expect(formatTicks([-0.5, -0, 0.5], 0.5)).toEqual(['-0.5', '0.0', '0.5']);
    expect(formatTicks([0, 2e-5, 4e-5], 2e-5)).toEqual(['0', '2e-5', '4e-5']);
    expect(formatTicks([1e-5, 1.5e-5, 2e-5], 5e-6)).toEqual(
      ['1.0e-5', '1.5e-5', '2.0e-5'].map((l) => l.replace('.0e', 'e')),
    );
    expect(formatTicks([0, 5000, 10000, 15000], 5000)).toEqual(['0', '5k', '10k', '15k']);
    expect(formatTicks([0, 2500, 12500], 500)).toEqual(['0', '2.5k', '12.5k']);
    expect(formatTicks([0, 5e14, 1e15], 5e14)).toEqual(['0', '5e14', '1e15']);
  });
});

describe('axes', () => {
  const y = { range: [300, 0] as [number, number], orientation: 'y' as const };
  const x = { range: [0, 600] as [number, number], orientation: 'x' as const };

  it('spans the data with evenly stepped ticks, the domain widened to whole ticks', () => {
    const axis = linearAxis([0.12, 0.93], y);
    const pos = axis.ticks.map((t) => t.pos);
    expect(pos[0]).toBe(300);
    expect(pos.at(-1)).toBe(0);
    const gaps = pos.slice(1).map((p, i) => p - pos[i]!);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0]!, 6);
    expect(axis.map(0.12)).toBeLessThanOrEqual(300);
    expect(axis.map(0.93)).toBeGreaterThanOrEqual(0);
  });

  it('keeps integer steps for training steps, and centres a single step', () => {
    const axis = linearAxis([7], x, { integer: true });
    expect(axis.ticks.map((t) => t.label)).toEqual(['6', '7', '8']);
    expect(axis.map(7)).toBe(300);
  });

  it('labels every decade, or every k-th one when they do not fit', () => {
    expect(logAxis([1e-4, 1e-1], x).ticks.map((t) => t.label)).toEqual(['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹']);
    expect(logAxis([0.01, 10], x).ticks.map((t) => t.label)).toEqual(['0.01', '0.1', '1', '10']);
    const wide = logAxis([1e-300, 1e300], { range: [0, 300], orientation: 'x' });
    expect(wide.ticks.length).toBeLessThan(10);
    expect(wide.ticks.length).toBeGreaterThanOrEqual(2);
    expect(logAxis([0.2, 0.7], y).ticks.map((t) => t.label)).toEqual(['0.1', '0.2', '0.5', '1']);
  });

  it('gives a finite position for any finite value of its data', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 8 }), fc.boolean(), (values, integer) => {
        const axis = linearAxis(values, x, { integer });
        for (const v of values) expect(Number.isFinite(axis.map(v))).toBe(true);
        for (const t of axis.ticks) expect(Number.isFinite(t.pos)).toBe(true);
        const positive = values.map(Math.abs).filter((v) => v > 0);
        if (positive.length === 0) return;
        const log = logAxis(positive, y);
        for (const v of positive) expect(Number.isFinite(log.map(v))).toBe(true);
      }),
      { seed: 3, numRuns: 500 },
    );
  });

  it('counts decades only for positive values', () => {
    expect(decadesSpanned([1e-4, 1e-1])).toBeCloseTo(3, 12);
    expect(decadesSpanned([0, 1])).toBeNull();
    expect(decadesSpanned([])).toBe(0);
  });
});

describe('svg text', () => {
  it('escapes markup and quotes, and rounds coordinates to one decimal', () => {
    expect(esc(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    expect([1.26, -0.04, 1e5 / 3].map(num)).toEqual(['1.3', '0', '33333.3']);
    expect(() => num(Number.NaN)).toThrow();
  });
});
