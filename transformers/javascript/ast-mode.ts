/**
 * AST mode for JavaScript: the flags' literal nodes are replaced in a recast tree and the
 * tree is printed. Only the literal node is replaced, never its parent, so recast reuses
 * the original text of everything around it (declarations, `as const`, parentheses,
 * comments); the new node comes from parsing the rendered literal, so recast prints
 * exactly the text text mode would splice in.
 */
import type * as t from '@babel/types';
import type { ApplyResult, FlagValue } from '../types.js';
import { flagsOfProgram, type FoundFlag } from './discover.js';
import { mentionsNone, planJsEdits } from './edits.js';
import type { Holder } from './literals.js';
import { parseSource } from './parse.js';
import { loadRecast, parseFile, printFile } from './recast-tree.js';

/** A node as recast leaves it: with the node it was copied from, and the comments it attached. */
type RecastNode = t.Node & { original?: RecastNode; comments?: t.Comment[] };

/**
 * Rewrites the flags named in `values` through recast, with one parse of `source`. The
 * result (text, edits, unused) is the one text mode gives. Throws a `source` error naming
 * `file:line:column` when the source does not parse. (TypeScript's AST mode is ts-morph's;
 * `typescript` is here so the same recast path can be checked on TS syntax.)
 */
export function applyAst(
  source: string,
  values: Record<string, FlagValue>,
  file: string,
  opts: { typescript: boolean },
): ApplyResult {
  const names = Object.keys(values);
  if (mentionsNone(source, names)) return { text: source, edits: [], unused: names };
  const { tree, input, comments, offsets } = parseFile(source, file, opts);
  const found = flagsOfProgram(tree.program, comments, input, file).map(
    ({ flag, holder }): FoundFlag => ({
      flag: { ...flag, start: offsets.toOriginal(flag.start), end: offsets.toOriginal(flag.end) },
      holder,
    }),
  );
  const { edits, unused } = planJsEdits(
    source,
    found.map((f) => f.flag),
    values,
  );
  if (edits.length === 0) return { text: source, edits, unused };
  const holders = new Map(found.map((f) => [f.flag.name, f.holder]));
  for (const edit of edits) replaceLiteral(holders.get(edit.name)!, edit.after);
  return { text: printFile(tree), edits, unused };
}

/**
 * Puts the literal `text` where the holder's node is. Comments recast attached to the old
 * node move to the new one (on it and on its original), so they are neither lost nor
 * printed twice.
 */
function replaceLiteral(holder: Holder, text: string): void {
  const slot = holder.parent as Record<string, RecastNode>;
  const old = slot[holder.key]!;
  const replacement = literalNode(text);
  if (old.comments) {
    replacement.comments = old.comments;
    replacement.original!.comments = old.comments;
  }
  slot[holder.key] = replacement;
}

/** A recast node for a rendered literal, which prints back as exactly `text`. */
function literalNode(text: string): RecastNode {
  const parser = { parse: (code: string) => parseSource(code, '<literal>', { typescript: false, tokens: true }) };
  const tree = loadRecast().parse(`[${text}]`, { parser }) as t.File;
  const statement = tree.program.body[0] as t.ExpressionStatement;
  return (statement.expression as t.ArrayExpression).elements[0] as RecastNode;
}
