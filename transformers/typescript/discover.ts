/**
 * Flag discovery in TypeScript's own tree, for AST mode: the tree ts-morph parsed is the
 * one it rewrites, so a second (babel) parse would double the cost of a call. The rules are
 * babel discovery's (`transformers/javascript/discover.ts`, the source of truth for text
 * mode and `discover`), applied node for node, so both find the same flags with the same
 * types, spans, lines and annotations.
 */
import type { ts } from 'ts-morph';
import { annotateSite, annotationAbove } from '../shared/annotations.js';
import type { JsFlag } from '../javascript/discover.js';
import { ANNOTATION_PREFIX, leadsLine, trailingComment } from '../javascript/annotations.js';
import { isDeclarationFile } from '../javascript/parse.js';
import { readTsInit } from './literals.js';
import { loadMorph } from './morph.js';

/** A flag (offsets into the tree's text) and its literal's node in the tree. */
export interface TsFlag {
  flag: JsFlag;
  node: ts.Expression;
}

/**
 * The flags of a parsed file: module-level `const|let|var NAME = literal` whose name does
 * not start with `_`, the first declaration of a name deciding; none in a declaration
 * file (`file` decides, as it does for babel). Offsets index the tree's text (a byte order
 * mark is not part of it). Throws a `source` error naming `file:line` when an annotation
 * is malformed.
 */
export function findTsFlags(sourceFile: ts.SourceFile, file: string): TsFlag[] {
  if (isDeclarationFile(file)) return [];
  const seen = new Set<string>();
  const found: TsFlag[] = [];
  for (const statement of sourceFile.statements) {
    const variables = flagStatement(statement);
    if (variables === null) continue;
    const declared = isDeclare(variables);
    variables.declarationList.declarations.forEach((declaration, index) => {
      if (!isIdentifier(declaration.name)) {
        for (const name of boundNames(declaration.name)) seen.add(name);
        return;
      }
      const name = declaration.name.text;
      if (seen.has(name)) return;
      seen.add(name);
      if (declared || name.startsWith('_')) return;
      const literal = readTsInit(declaration, sourceFile);
      if (literal === null) return;
      const { type, value, quote, node } = literal;
      const line = lineOf(sourceFile, declaration.getStart(sourceFile));
      const flag: JsFlag = { name, type, default: value, file, line, start: node.getStart(sourceFile), end: node.end };
      if (quote !== undefined) flag.quote = quote;
      annotate(flag, sourceFile, index === 0 ? statement : declaration, declaration.end);
      found.push({ flag, node });
    });
  }
  return found;
}

/**
 * The statement when it declares `const|let|var` variables (`export const` included;
 * `using` declares a resource, not a value).
 */
function flagStatement(statement: ts.Statement): ts.VariableStatement | null {
  const { SyntaxKind, NodeFlags } = loadMorph().ts;
  if (statement.kind !== SyntaxKind.VariableStatement) return null;
  const variables = statement as ts.VariableStatement;
  // var sets no flag bit, let and const one each; using and await using set others.
  const kind = variables.declarationList.flags & NodeFlags.BlockScoped;
  return kind === 0 || kind === NodeFlags.Let || kind === NodeFlags.Const ? variables : null;
}

function isDeclare(statement: ts.VariableStatement): boolean {
  const { SyntaxKind } = loadMorph().ts;
  return statement.modifiers?.some((modifier) => modifier.kind === SyntaxKind.DeclareKeyword) ?? false;
}

function isIdentifier(name: ts.BindingName): name is ts.Identifier {
  return name.kind === loadMorph().ts.SyntaxKind.Identifier;
}

/** The names a declaration binds: one for an identifier, each of a destructuring pattern's. */
function boundNames(name: ts.BindingName): string[] {
  if (isIdentifier(name)) return [name.text];
  return (name.elements as readonly (ts.BindingElement | ts.OmittedExpression)[]).flatMap((element) =>
    'name' in element ? boundNames(element.name) : [],
  );
}

function lineOf(sourceFile: ts.SourceFile, position: number): number {
  return sourceFile.getLineAndCharacterOfPosition(position).line + 1;
}

/**
 * Annotates `flag` from the `//|` block above `lead` (its statement, or its declarator
 * after the first) when `lead` starts its line, and from the comment after the
 * declarator's `end`.
 */
function annotate(flag: JsFlag, sourceFile: ts.SourceFile, lead: ts.Node, end: number): void {
  const { text } = sourceFile;
  const leadStart = lead.getStart(sourceFile);
  const above = leadsLine(text, leadStart) ? lineOf(sourceFile, leadStart) : null;
  const block = above === null ? null : annotationAbove(notesBefore(sourceFile, lead.pos, leadStart), above);
  const comment = trailingComment(plainAfter(sourceFile, end), text, end);
  if (block || comment !== undefined) annotateSite(flag, ANNOTATION_PREFIX, block, comment);
}

/**
 * The `//|` comments leading their line in the trivia from `pos` to `start`, by 1-based
 * line, as babel discovery indexes a whole file's: a block directly above a declarator
 * that starts its line can only lie there.
 */
function notesBefore(sourceFile: ts.SourceFile, pos: number, start: number): Map<number, string> {
  const { SyntaxKind } = loadMorph().ts;
  const notes = new Map<number, string>();
  const scanner = scannerAt(sourceFile, pos);
  for (let kind = scanner.scan(); scanner.getTokenStart() < start; kind = scanner.scan()) {
    const comment = scanner.getTokenText();
    const at = scanner.getTokenStart();
    if (
      kind === SyntaxKind.SingleLineCommentTrivia &&
      comment.startsWith(ANNOTATION_PREFIX) &&
      leadsLine(sourceFile.text, at)
    ) {
      notes.set(lineOf(sourceFile, at), comment);
    }
  }
  return notes;
}

/**
 * The first `//` comment (not `//|`) after `end` past only blanks, commas and semicolons,
 * by offset and without its `//`, as babel discovery indexes a whole file's: a trailing
 * comment can only lie there.
 */
function plainAfter(sourceFile: ts.SourceFile, end: number): Map<number, string> {
  const { SyntaxKind } = loadMorph().ts;
  const scanner = scannerAt(sourceFile, end);
  for (;;) {
    switch (scanner.scan()) {
      case SyntaxKind.WhitespaceTrivia:
      case SyntaxKind.CommaToken:
      case SyntaxKind.SemicolonToken:
        continue;
      case SyntaxKind.SingleLineCommentTrivia: {
        const value = scanner.getTokenText().slice(2);
        return new Map(value.startsWith('|') ? [] : [[scanner.getTokenStart(), value]]);
      }
      default:
        return new Map();
    }
  }
}

/** A scanner that keeps trivia, over the file's text from `pos`. */
function scannerAt(sourceFile: ts.SourceFile, pos: number): ts.Scanner {
  const { ts } = loadMorph();
  return ts.createScanner(
    sourceFile.languageVersion,
    false,
    sourceFile.languageVariant,
    sourceFile.text,
    undefined,
    pos,
  );
}
