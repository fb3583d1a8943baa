/**
 * Text-mode rewriting of Python flags: the new literal replaces the old one's exact span
 * (or joins an option that has no `default=` yet) and every other byte of the source
 * stays as it was.
 */
import { type LiteralSpan, planEdits, splice } from '../shared/edits.js';
import type { ApplyOptions, ApplyResult, FlagValue } from '../types.js';
import { findFlags, type PythonFlag } from './discover.js';
import { needsAsciiValues } from './encoding.js';
import { renderPython } from './render.js';

/** A flag's edits report the flag's line and replace exactly its target. */
function spanOf({ site, target }: PythonFlag): LiteralSpan {
  return { name: site.name, line: site.line, start: target!.start, end: target!.end, current: site.default };
}

/**
 * Rewrites the flags named in `values`; names that are not flags of `source` are returned
 * in `unused`. A value equal to the flag's default keeps its literal as written.
 */
export function applyPython(source: string, values: Record<string, FlagValue>, opts: ApplyOptions): ApplyResult {
  // In a file that declares another encoding than UTF-8, only ASCII means the same to Python as to us.
  const ascii = needsAsciiValues(source);
  // The Python literal for a value, in the quote the default was written with.
  const literalFor = ({ site, target }: PythonFlag, value: FlagValue) =>
    (target!.prefix ?? '') + renderPython(value, site.type, target!.quote, { ascii });
  // A flag whose value cannot be written (its default is code) is not one `apply` can set.
  const writable = findFlags(source, opts.file).filter((flag) => flag.target !== null);
  const { edits, unused } = planEdits(source, writable, values, spanOf, literalFor);
  return { text: splice(source, edits), edits, unused };
}
