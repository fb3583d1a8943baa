/**
 * Text mode: babel finds each flag's literal span and the new literal is spliced in, so
 * every other byte of the file (comments, quotes, spacing, CRLF, BOM) stays as it was.
 */
import { splice } from '../shared/edits.js';
import type { ApplyResult, FlagValue } from '../types.js';
import { findFlags } from './discover.js';
import { mentionsNone, planJsEdits } from './edits.js';

/**
 * Rewrites the flags named in `values` with one parse of `source`; names that are not
 * flags are returned in `unused`. A value that renders to the literal already there makes
 * no edit. Throws a `source` error naming `file:line:column` when the source does not parse.
 */
export function applyText(
  source: string,
  values: Record<string, FlagValue>,
  file: string,
  opts: { typescript: boolean },
): ApplyResult {
  const names = Object.keys(values);
  if (mentionsNone(source, names)) return { text: source, edits: [], unused: names };
  const { edits, unused } = planJsEdits(source, findFlags(source, file, opts), values);
  return { text: splice(source, edits), edits, unused };
}
