/**
 * What both modes share: which flags a set of values rewrites and to what text. The modes
 * differ only in how the new text gets into the file.
 */
import { TransformError } from '../errors.js';
import { type EditPlan, planEdits } from '../shared/edits.js';
import type { FlagSite, FlagValue } from '../types.js';
import type { JsFlag } from './discover.js';
import { renderJs } from './render.js';

/** The edits for `values` over `flags` (sorted by offset), and the names that are not flags. */
export function planJsEdits(source: string, flags: readonly JsFlag[], values: Record<string, FlagValue>): EditPlan {
  return planEdits(source, flags, values, (flag) => ({ ...flag, current: flag.default }), literalFor);
}

/** The literal for `value` at `flag`; NaN (which has none) is an error naming the flag. */
export function literalFor(flag: JsFlag, value: FlagValue): string {
  return renderJs(checkJsValue(flag, value), flag.type, flag.quote);
}

/**
 * `value` when JavaScript can hold it as a literal; NaN, alone or in a list, is a `value`
 * error naming the flag. The transformer's `normalizeValue`: so a NaN fails before a run
 * directory exists, for a single run and for every trial of a batch.
 */
export function checkJsValue(site: FlagSite, value: FlagValue): FlagValue {
  if (hasNaN(value)) {
    throw new TransformError('value', `invalid value NaN for flag ${site.name}: JavaScript has no NaN literal`, {
      file: site.file,
      line: site.line,
    });
  }
  return value;
}

function hasNaN(value: FlagValue): boolean {
  return Array.isArray(value) ? value.some(hasNaN) : Number.isNaN(value);
}

/** True when `source` contains none of `names`, so no parse can find one of them. */
export function mentionsNone(source: string, names: readonly string[]): boolean {
  return names.every((name) => !source.includes(name));
}
