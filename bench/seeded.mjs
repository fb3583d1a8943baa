/**
 * Seeded pseudo-random content, so every run of the benchmark measures the same bytes.
 */

/**
 * mulberry32: a tiny 32-bit generator. Statistical quality does not matter here, only that
 * the same seed gives the same files on every machine and Node.js version.
 * @param {number} seed
 * @returns {() => number} uniform floats in [0, 1)
 */
export function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'loss accuracy epoch batch layer tensor gradient weight bias dropout kernel stride ' +
  'padding optimizer schedule warmup decay momentum sample dataset split shuffle seed ' +
  'metric score label target feature embedding vector matrix norm scale shift mask ' +
  'attention head block residual output input hidden state cell gate forward backward'
).split(' ');

/**
 * @param {() => number} next
 * @param {number} lo
 * @param {number} hi
 * @returns {number} an integer in [lo, hi]
 */
export function int(next, lo, hi) {
  return lo + Math.floor(next() * (hi - lo + 1));
}

/**
 * @param {() => number} next
 * @param {number} count
 * @returns {string} `count` words separated by spaces
 */
export function words(next, count) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(WORDS[int(next, 0, WORDS.length - 1)]);
  return out.join(' ');
}
