/**
 * Text-mode rewriting of R flags: each flag's literal, located by R's own tokens, is
 * replaced in place and every other byte of the script stays as it was.
 */
import { isTransformError, TransformError } from '../errors.js';
import { type LiteralSpan, planEdits, splice } from '../shared/edits.js';
import type { ApplyOptions, ApplyResult, FlagValue } from '../types.js';
import { type RFlag, scanFlags } from './discover.js';
import { renderR } from './render.js';

/** An edit reports the literal's own line, below the assignment's when it is split over lines. */
function spanOf(flag: RFlag): LiteralSpan {
  return { name: flag.site.name, line: flag.line, start: flag.start, end: flag.end, current: flag.site.default };
}

/** The R literal for `value`; a value R cannot hold is an error naming the flag. */
function literalFor(flag: RFlag, value: FlagValue): string {
  try {
    return renderR(value, flag.site.type, flag.quote);
  } catch (error) {
    if (!isTransformError(error)) throw error;
    throw new TransformError('value', `flag ${flag.site.name}: ${error.message}`, {
      file: flag.site.file,
      line: flag.site.line,
      cause: error,
    });
  }
}

/**
 * Rewrites the flags named in `values` in one tokenize pass. Names that are not flags of
 * `source` come back in `unused`; a value equal to the flag's default keeps its literal as
 * written (`.1`, `1e-3`, a raw string).
 */
export function applyR(source: string, values: Record<string, FlagValue>, opts: ApplyOptions): ApplyResult {
  const { edits, unused } = planEdits(source, scanFlags(source, opts.file), values, spanOf, literalFor);
  return { text: splice(source, edits), edits, unused };
}
