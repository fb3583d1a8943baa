/**
 * Text-mode rewriting as every language does it: which flags a set of values changes and
 * to what text, then the new literals spliced into the source. Languages differ only in
 * how they find a flag's literal and render a value.
 */
import type { Edit, FlagValue } from '../types.js';

/** Where a flag's literal sits: what an `Edit` records about it. */
export interface LiteralSpan {
  name: string;
  /** 1-based line reported with the edit. */
  line: number;
  /** UTF-16 offsets of the literal in the source. */
  start: number;
  end: number;
  /** The value the literal holds now. */
  current: FlagValue;
}

/** The edits a set of values makes (sorted by offset), and the names that are not flags. */
export interface EditPlan {
  edits: Edit[];
  unused: string[];
}

/**
 * Plans the edits for `values` over `flags`. `span` says where a flag's literal is and
 * `render` writes a value as a literal for that flag. A value equal to the flag's current
 * one keeps its literal as written (`0x10`, `0.020`, `1_000`, a triple-quoted or raw string,
 * a list over several lines), so writing a script's own defaults changes no byte; so does a
 * value that renders to the literal already there.
 */
export function planEdits<F>(
  source: string,
  flags: readonly F[],
  values: Record<string, FlagValue>,
  span: (flag: F) => LiteralSpan,
  render: (flag: F, value: FlagValue) => string,
): EditPlan {
  const byName = new Map(flags.map((flag) => [span(flag).name, flag]));
  const edits: Edit[] = [];
  const unused: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const flag = byName.get(name);
    if (flag === undefined) {
      unused.push(name);
      continue;
    }
    const { line, start, end, current } = span(flag);
    if (sameValue(value, current)) continue;
    const before = source.slice(start, end);
    const after = render(flag, value);
    if (after !== before) edits.push({ name, line, start, end, before, after });
  }
  edits.sort((a, b) => a.start - b.start);
  return { edits, unused };
}

/** Deep equality of flag values; numbers by `Object.is`, so `-0` is not `0`. */
function sameValue(a: FlagValue, b: FlagValue): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]!));
  return Object.is(a, b);
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
