/**
 * Scalar capture from output lines, as Guild AI 0.9.1's OutputScalars does it
 * (`guild/summary.py`, fed by `op_util.RunOutput`).
 *
 * Each line, as Guild sees it: characters U+0000..U+0008 dropped (Guild drops those bytes
 * while reading), U+FFFD dropped (Guild decodes with errors="ignore", so a byte that is not
 * UTF-8 vanishes rather than becoming U+FFFD), trailing whitespace stripped (`rstrip()`).
 * Every pattern is then matched all along the line (`finditer`); a later match of the same
 * name replaces an earlier one.
 *
 * Steps, Guild's rule:
 * - a scalar named `step` (from any pattern, such as `(step N)` in the defaults) is not a
 *   scalar: it sets the step of this line's scalars and of every line after it;
 * - until the output gives a step, the step is implied: 0, and one more each time a line
 *   repeats a name seen since the last increase;
 * - a step is written as an integer, truncated toward zero.
 *
 * One difference: Guild fails on a step that is not finite or does not fit 64 bits (`step:
 * nan`), and its capture then stops for the rest of the run. Here such a step is ignored.
 */
import { type OutputScalars, compileOutputScalars, type OutputScalarPattern } from './patterns.js';
import { comparePyStrings, parsePyFloat, pyRstrip } from './python-text.js';

export interface Scalar {
  tag: string;
  value: number;
  step: number;
}

export interface ScalarCaptureOptions {
  /**
   * The run's flag names. With the default patterns Guild records no scalar named like a
   * flag (a script that prints `lr: 0.1` has not measured it); they still count for the
   * implied step. With configured patterns every name is recorded.
   */
  flagNames?: Iterable<string>;
}

const NONE: readonly Scalar[] = Object.freeze([]);
const DROPPED = /[\0-\x08\uFFFD]/;
const DROPPED_ALL = /[\0-\x08\uFFFD]/g;
const INT64_LIMIT = 2 ** 63;

export class ScalarCapture {
  readonly config: OutputScalars;
  private readonly patterns: readonly OutputScalarPattern[];
  private readonly ignore: ReadonlySet<string>;
  private explicitStep: number | null = null;
  private impliedStep: number | null = null;
  private impliedKeys = new Set<string>();
  /** The line being read: its first `n` names and values, in first-seen order (reused). */
  private readonly names: string[] = [];
  private readonly values: number[] = [];
  private n = 0;
  /** The line's `step` value, which is not a scalar. */
  private lineStep: number | undefined = undefined;
  /** The pattern being matched. */
  private current: OutputScalarPattern | null = null;
  /** One match's scalars (Guild's `_try_apply_match`); one function for all calls. */
  private readonly collect = (groups: ArrayLike<string | undefined>): void => {
    const rule = this.current!.rule;
    if (rule.kind === 'pair') this.put(groups[rule.key], groups[rule.value]);
    else if (rule.kind === 'single') this.put(rule.name, groups[1]);
    else for (const [name, group] of rule.groups) this.put(name, groups[group]);
  };

  /** A capture with Guild's default patterns, or with compiled `config`. */
  constructor(config: OutputScalars = compileOutputScalars(undefined), options: ScalarCaptureOptions = {}) {
    this.config = config;
    this.patterns = this.config.enabled ? this.config.patterns : [];
    this.ignore = new Set(this.config.isDefault ? (options.flagNames ?? []) : []);
  }

  /**
   * A capture for an `output-scalars` config as written (see compileOutputScalars); throws
   * its USAGE error for an unusable pattern.
   */
  static fromConfig(config: unknown, options: ScalarCaptureOptions = {}): ScalarCapture {
    return new ScalarCapture(compileOutputScalars(config), options);
  }

  /** The step the output last set (truncated), or null while steps are implied. */
  get step(): number | null {
    return this.explicitStep === null ? null : toStep(this.explicitStep);
  }

  /**
   * Reads one output line (without its line ending) and returns the scalars it holds,
   * sorted by name as Guild writes them. Never throws.
   */
  push(line: string): readonly Scalar[] {
    const patterns = this.patterns;
    const count = patterns.length;
    // A pattern cannot match a line that lacks a character every match contains; cleaning
    // the line only removes characters, so the raw line tells first, and cheaply.
    let candidates = 0;
    for (let p = 0; p < count && p < 30; p++) if (mayMatch(patterns[p]!, line)) candidates |= 1 << p;
    if (candidates === 0 && count <= 30) return NONE;
    let text = DROPPED.test(line) ? line.replace(DROPPED_ALL, '') : line;
    text = pyRstrip(text);
    const cleaned = text !== line;
    this.n = 0;
    this.lineStep = undefined;
    for (let p = 0; p < count; p++) {
      const pattern = patterns[p]!;
      if (p < 30 && (candidates & (1 << p)) === 0) continue;
      if ((cleaned || p >= 30) && !mayMatch(pattern, text)) continue;
      this.current = pattern;
      pattern.regex.forEachMatch(text, this.collect, undefined);
    }
    const lineStep = this.lineStep;
    if (lineStep !== undefined && Number.isFinite(lineStep) && Math.abs(lineStep) < INT64_LIMIT) {
      this.explicitStep = lineStep;
    }
    const n = this.n;
    if (n === 0) return NONE;
    const step = this.explicitStep === null ? this.nextImpliedStep() : toStep(this.explicitStep);
    const out: Scalar[] = [];
    const { names, values, ignore } = this;
    for (let i = 0; i < n; i++) {
      const tag = names[i]!;
      if (ignore.size === 0 || !ignore.has(tag)) out.push({ tag, value: values[i]!, step });
    }
    if (out.length > 1) out.sort((a, b) => comparePyStrings(a.tag, b.tag));
    return out;
  }

  /** Guild's `_try_apply_conv`: a value that float() rejects, or a missing name, is no scalar. */
  private put(name: string | undefined, text: string | undefined): void {
    if (name === undefined || text === undefined) return;
    const value = parsePyFloat(text);
    if (value === null) return;
    if (name === 'step') {
      this.lineStep = value;
      return;
    }
    const { names, values } = this;
    for (let i = 0; i < this.n; i++) {
      if (names[i] === name) {
        values[i] = value;
        return;
      }
    }
    names[this.n] = name;
    values[this.n] = value;
    this.n++;
  }

  /** Guild's `_apply_implied_step`, for this line's names. */
  private nextImpliedStep(): number {
    const keys = this.names.slice(0, this.n);
    if (keys.some((key) => this.impliedKeys.has(key))) {
      // A name seen before: the next step, and start collecting names afresh.
      this.impliedStep = (this.impliedStep ?? 0) + 1;
      this.impliedKeys = new Set(keys);
    } else {
      this.impliedStep ??= 0;
      for (const key of keys) this.impliedKeys.add(key);
    }
    return this.impliedStep;
  }
}

/** False when `text` lacks a character that every match of the pattern contains. */
function mayMatch(pattern: OutputScalarPattern, text: string): boolean {
  const required = pattern.required;
  if (required.length === 0) return true;
  if (!text.includes(required[0]!)) return false;
  return required.length === 1 || text.includes(required[1]!);
}

function toStep(value: number): number {
  return Math.trunc(value) + 0;
}
