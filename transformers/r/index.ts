/**
 * The R flag transformer: text mode only. Each flag's literal is located by R's own
 * tokens and replaced in place; every other byte of the script stays as it was.
 */
import { isTransformError, TransformError } from '../errors.js';
import { sameValue, splice } from '../shared/edits.js';
import type { ApplyOptions, ApplyResult, Edit, FlagValue, Transformer } from '../types.js';
import { discoverR, scanFlags, type RFlag } from './discover.js';
import { renderR } from './render.js';

export { discoverR } from './discover.js';
export { renderR, renderString, type Quote } from './render.js';
export { renderDouble } from './double.js';
export { tokenize } from './tokenizer.js';

function render(flag: RFlag, value: FlagValue): string {
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
  const flags = scanFlags(source, opts.file);
  const names = new Set(flags.map((flag) => flag.site.name));
  const edits: Edit[] = [];
  for (const flag of flags) {
    const { name } = flag.site;
    if (!Object.hasOwn(values, name) || sameValue(values[name]!, flag.site.default)) continue;
    const before = source.slice(flag.start, flag.end);
    const after = render(flag, values[name]);
    if (after !== before) edits.push({ name, line: flag.line, start: flag.start, end: flag.end, before, after });
  }
  return { text: splice(source, edits), edits, unused: Object.keys(values).filter((name) => !names.has(name)) };
}

/** R scripts (`.R`, `.r`), discovered and rewritten as guildai-r does, in text mode. */
export const r: Transformer = {
  language: 'r',
  extensions: ['.R', '.r'],
  modes: ['text'],
  discover: discoverR,
  apply: applyR,
  // A syntactic R name: a letter, or a dot not followed by a digit, then letters, digits, `.` and `_`.
  isIdentifier: (name) => /^(?:[\p{L}]|\.(?![0-9]))[\p{L}\p{N}._]*$/u.test(name),
};
