/**
 * Text-mode rewriting of Python flags: the new literal replaces the old one's exact span
 * and every other byte of the source stays as it was.
 */
import { GuildStageError } from '../../src/errors.js';
import type { ApplyResult, Edit, FlagValue, TransformMode } from '../types.js';
import { findFlags } from './discover.js';
import { renderPython } from './render.js';

/** How errors name a source that `apply` got without a path. */
const UNNAMED = '<python source>';

/**
 * Rewrites the flags named in `values`; names that are not flags of `source` are returned
 * in `unused`. A value that renders to the literal already there makes no edit.
 */
export function applyPython(source: string, values: Record<string, FlagValue>, opts: { mode: TransformMode }): ApplyResult {
  if (opts.mode === 'ast') throw new GuildStageError('USAGE', 'AST mode is not available for Python; use --mode text');
  const flags = new Map(findFlags(source, UNNAMED).map((flag) => [flag.site.name, flag]));
  const edits: Edit[] = [];
  const unused: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const flag = flags.get(name);
    if (flag === undefined) {
      unused.push(name);
      continue;
    }
    const { start, end, quote } = flag.literal;
    const before = source.slice(start, end);
    const after = renderPython(value, flag.site.type, quote);
    if (after !== before) edits.push({ name, line: flag.site.line, start, end, before, after });
  }
  edits.sort((a, b) => a.start - b.start);
  return { text: splice(source, edits), edits, unused };
}

/** `source` with each edit's span replaced; the edits are sorted and do not overlap. */
function splice(source: string, edits: readonly Edit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += source.slice(at, edit.start) + edit.after;
    at = edit.end;
  }
  return out + source.slice(at);
}
