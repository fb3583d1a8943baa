/**
 * Seeded random draws for random search. Each flag draws from its own stream, derived from
 * the seed and the flag's name, so a flag's values depend only on the seed, its name, its
 * spec and the trial number: adding, removing or reordering other flags does not change them.
 */
import { randomInt } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { skipN } from 'pure-rand/utils/skipN';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { RandomDist } from './syntax.js';

export type { RandomGenerator };

/** A fresh seed when the user gave none; recorded so the batch can be repeated. */
export function newSeed(): number {
  return randomInt(2 ** 32);
}

/** murmur3's finalizer: spreads every input bit over the 32 output bits. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/**
 * Outputs dropped after seeding: pure-rand's xoroshiro128plus returns the (inverted) seed
 * as its first output and mixes the rest of its state in over its first few steps.
 */
const WARM_UP = 16;

/** The random stream of one flag; `seed` is any non-negative safe integer. */
export function flagStream(seed: number, name: string): RandomGenerator {
  const low = seed % 2 ** 32;
  const high = Math.floor(seed / 2 ** 32);
  const rng = xoroshiro128plus(mix32(mix32(hashName(name) ^ low) ^ high) | 0);
  skipN(rng, WARM_UP);
  return rng;
}

/** Bounds of a draw as numbers; `integer` draws whole numbers in [ceil(low), floor(high)]. */
export interface Draw {
  dist: RandomDist;
  low: number;
  high: number;
  integer: boolean;
}

/** One value from `draw`, within its bounds (both included for integers). */
export function drawValue(rng: RandomGenerator, draw: Draw): number {
  const { dist, integer } = draw;
  const low = integer ? Math.ceil(draw.low) : draw.low;
  const high = integer ? Math.floor(draw.high) : draw.high;
  if (integer && dist === 'uniform') return uniformInt(rng, low, high);
  const u = uniformFloat64(rng);
  const value =
    dist === 'uniform' ? low + (high - low) * u : Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * u);
  return clamp(integer ? Math.round(value) : value, low, high);
}

/** Float error in exp/log can step a hair outside the bounds the user asked for. */
function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** An index into `length` choices, drawn uniformly. */
export function drawIndex(rng: RandomGenerator, length: number): number {
  return uniformInt(rng, 0, length - 1);
}
