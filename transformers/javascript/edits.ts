/**
 * What both modes share: which flags a set of values rewrites and to what text. The modes
 * differ only in how the new text gets into the file.
 */
import { GuildStageError } from '../../src/errors.js';
import type { Edit, FlagValue } from '../types.js';
import type { JsFlag } from './discover.js';
import { renderJs } from './render.js';

/** The edits for `values` over `flags` (sorted by offset), and the names that are not flags. */
export function planEdits(source: string, flags: readonly JsFlag[], values: Record<string, FlagValue>): { edits: Edit[]; unused: string[] } {
  const byName = new Map(flags.map((flag) => [flag.name, flag]));
  const edits: Edit[] = [];
  const unused: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const flag = byName.get(name);
    if (flag === undefined) {
      unused.push(name);
      continue;
    }
    const before = source.slice(flag.start, flag.end);
    const after = literalFor(flag, value);
    if (after !== before) edits.push({ name, line: flag.line, start: flag.start, end: flag.end, before, after });
  }
  edits.sort((a, b) => a.start - b.start);
  return { edits, unused };
}

/** The literal for `value` at `flag`; NaN (which has none) is an error naming the flag. */
export function literalFor(flag: JsFlag, value: FlagValue): string {
  if (hasNaN(value)) {
    throw new GuildStageError('FLAG', `invalid value NaN for flag ${flag.name}: JavaScript has no NaN literal`, {
      file: flag.file,
      line: flag.line,
    });
  }
  return renderJs(value, flag.type, flag.quote);
}

function hasNaN(value: FlagValue): boolean {
  return Array.isArray(value) ? value.some(hasNaN) : Number.isNaN(value);
}

/** True when `source` contains none of `names`, so no parse can find one of them. */
export function mentionsNone(source: string, names: readonly string[]): boolean {
  return names.every((name) => !source.includes(name));
}

/** `source` with each edit's span replaced; the edits are sorted and do not overlap. */
export function splice(source: string, edits: readonly Edit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += source.slice(at, edit.start) + edit.after;
    at = edit.end;
  }
  return out + source.slice(at);
}
