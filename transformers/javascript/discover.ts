/**
 * Flag discovery for JavaScript and TypeScript: a flag is a module-level
 * `const|let|var NAME = literal` (exported or not) whose name does not start with `_`.
 * The first declaration of a name decides whether it is one, as Guild AI does for Python.
 */
import type * as t from '@babel/types';
import { annotateSite, annotationAbove } from '../shared/annotations.js';
import type { FlagSite } from '../types.js';
import { ANNOTATION_PREFIX, type CommentIndex, indexComments, leadsLine, trailingComment } from './annotations.js';
import { type Holder, readInit } from './literals.js';
import { isDeclarationFile, parseSource } from './parse.js';

/** A flag with the exact span of its literal, for rewriting. */
export interface JsFlag extends FlagSite {
  /** Offsets of the literal's text in the source (a sign included, wrappers such as `as const` not). */
  start: number;
  end: number;
  /** The quote of a string default: ' " or ` (for a list, of its first string). */
  quote?: string;
}

/** A flag and where its literal node sits in the tree it was found in. */
export interface FoundFlag {
  flag: JsFlag;
  holder: Holder;
}

/**
 * Flags with their literal's exact span (offsets into source; for a negative number the
 * span covers the minus; for `x as const`/`satisfies T`/parenthesised literals, the span is
 * the literal itself), in source order. Throws a `source` error naming `file:line:column`
 * when the source does not parse, or `file:line` when an annotation is malformed.
 */
export function findFlags(source: string, file: string, opts: { typescript: boolean }): JsFlag[] {
  const tree = parseSource(source, file, opts);
  return flagsOfProgram(tree.program, tree.comments ?? [], source, file).map((found) => found.flag);
}

/**
 * The flags of a parsed program (babel's, or recast's copy of it, which keeps offsets but
 * moves the comments onto nodes), with the source and comments its offsets refer to. A
 * declaration file has none: like `declare const`, its declarations hold no runtime value.
 */
export function flagsOfProgram(
  program: t.Program,
  allComments: readonly t.Comment[],
  source: string,
  file: string,
): FoundFlag[] {
  if (isDeclarationFile(file)) return [];
  const comments = indexComments(allComments, source);
  const seen = new Set<string>();
  const found: FoundFlag[] = [];
  for (const statement of program.body) {
    const declaration = variableDeclaration(statement);
    if (declaration === null) continue;
    declaration.declarations.forEach((declarator, index) => {
      if (declarator.id.type !== 'Identifier') {
        for (const name of boundNames(declarator.id)) seen.add(name);
        return;
      }
      const { name } = declarator.id;
      if (seen.has(name)) return;
      seen.add(name);
      if (declaration.declare || name.startsWith('_')) return;
      const literal = readInit(declarator);
      if (literal === null) return;
      const { type, value, start, end, quote, holder } = literal;
      const flag: JsFlag = { name, type, default: value, file, line: declarator.loc!.start.line, start, end };
      if (quote !== undefined) flag.quote = quote;
      const lead = index === 0 ? statement : declarator;
      const above = leadsLine(source, lead.start!) ? lead.loc!.start.line : null;
      annotate(flag, comments, source, { above, end: declarator.end! });
      found.push({ flag, holder });
    });
  }
  return found;
}

const FLAG_KINDS = new Set(['const', 'let', 'var']);

/**
 * The `const|let|var` declaration a top-level statement is, if any (`export const`
 * included; `using` declares a resource, not a value).
 */
function variableDeclaration(statement: t.Statement): t.VariableDeclaration | null {
  const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
  return declaration?.type === 'VariableDeclaration' && FLAG_KINDS.has(declaration.kind) ? declaration : null;
}

/**
 * Annotates `flag` from the `//|` block above line `above` (null when the declarator does
 * not lead its line) and the comment after its `end`.
 */
function annotate(
  flag: JsFlag,
  comments: CommentIndex,
  source: string,
  at: { above: number | null; end: number },
): void {
  const block = at.above === null ? null : annotationAbove(comments.notes, at.above);
  const comment = trailingComment(comments.plain, source, at.end);
  if (block || comment !== undefined) annotateSite(flag, ANNOTATION_PREFIX, block, comment);
}

/** The names a destructuring pattern declares: each is declared, none is a flag. */
function boundNames(pattern: t.LVal | t.Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => boundNames(p.type === 'RestElement' ? p : p.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e === null ? [] : boundNames(e)));
    case 'AssignmentPattern':
      return boundNames(pattern.left);
    case 'RestElement':
      return boundNames(pattern.argument);
    default:
      return [];
  }
}
