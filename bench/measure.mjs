/**
 * The measuring discipline every pair shares: warm up, then A B A B ..., and ratios taken
 * pair by pair, so a machine that speeds up or slows down during the run moves A and B
 * together rather than the ratio.
 */

/**
 * @typedef {{ samples: number[], median: number, min: number, max: number }} Summary
 * @typedef {{ a: Summary, b: Summary, ratios: number[], ratio: number }} PairResult
 */

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * @param {number[]} samples
 * @returns {Summary}
 */
export function summarize(samples) {
  return { samples, median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

/**
 * Runs `warmup` untimed rounds of A then B, then `runs` timed rounds, alternating.
 * Each callback returns the sample it measured (milliseconds, or whatever unit the pair uses).
 * @param {{ a: () => number, b: () => number, runs: number, warmup: number }} opts
 * @returns {PairResult}
 */
export function alternate({ a, b, runs, warmup }) {
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const as = [];
  const bs = [];
  for (let i = 0; i < runs; i++) {
    as.push(a());
    bs.push(b());
  }
  return pairResult(as, bs);
}

/**
 * @param {number[]} as
 * @param {number[]} bs
 * @returns {PairResult}
 */
export function pairResult(as, bs) {
  const ratios = as.map((x, i) => x / bs[i]);
  return { a: summarize(as), b: summarize(bs), ratios, ratio: median(ratios) };
}
