/**
 * What the Python transformer knows of a flag beyond its site: where a new value goes.
 */
import type { FlagSite } from '../types.js';

/**
 * Where a new value is written: the span of the default's literal, or, for an option with
 * no `default=` yet, the span of its last option string, which then keeps its text as
 * `prefix` (`'--lr', default=`) before the new literal.
 */
export interface Target {
  start: number;
  end: number;
  /** The quote of the default's first string, so a new value is written in the same style. */
  quote?: '"' | "'";
  prefix?: string;
}

/** A flag with where its value is written; `target` is null when it cannot be (see `FlagOption`). */
export interface PythonFlag {
  site: FlagSite;
  target: Target | null;
}
