/**
 * AST mode for TypeScript: one ts-morph parse gives the tree that says which literals are
 * flags (by babel discovery's rules, so the plan is text mode's) and where each literal
 * node sits; every replacement is then made in one update of that tree, and the tree is
 * printed. ts-morph prints the rest of the file from its original text, so untouched code
 * keeps every byte.
 *
 * Cost, for a large file: the parse, and what ts-morph does on any update, once whatever
 * the number of flags: it indexes the comments between top-level statements, then
 * re-parses the whole file. Nothing type-checks.
 */
import path from 'node:path';
import type { Project, SourceFile, ts } from 'ts-morph';
import { TransformError } from '../errors.js';
import { mentionsNone, planJsEdits } from '../javascript/edits.js';
import { isDeclarationFile } from '../javascript/parse.js';
import type { ApplyResult, Edit, FlagValue } from '../types.js';
import { findTsFlags } from './discover.js';
import { createProject, firstSyntaxError, fullText, hasBom, parseInto, stripBom } from './morph.js';

/**
 * Rewrites the flags named in `values` through a ts-morph tree; names that are not flags
 * of `source` are returned in `unused`. Gives the same text and edits as text mode.
 * Throws a `source` error naming `file:line:column` when the source does not parse.
 */
export function applyTypeScriptAst(source: string, values: Record<string, FlagValue>, file: string): ApplyResult {
  const names = Object.keys(values);
  if (mentionsNone(source, names)) return { text: source, edits: [], unused: names };
  const text = stripBom(source);
  // Offsets in the tree index `text`; edits report offsets in `source`.
  const shift = source.length - text.length;
  // A project per call, dropped with its tree: removing a file from a shared one would
  // make ts-morph index the new tree's comments only to forget it.
  const sourceFile = parseTree(createProject(), text, file);
  const found = findTsFlags(sourceFile.compilerNode, file);
  const { edits, unused } = planJsEdits(
    text,
    found.map(({ flag }) => flag),
    values,
  );
  if (edits.length === 0) return { text: source, edits, unused };
  const literals = new Map(found.map(({ flag, node }) => [flag.name, node]));
  sourceFile.applyTextChanges(
    edits.map((edit) => replacement(sourceFile.compilerNode, literals.get(edit.name)!, edit)),
  );
  return { text: fullText(sourceFile, hasBom(source)), edits: edits.map((edit) => shifted(edit, shift)), unused };
}

/** The change that puts `edit`'s new literal in place of the literal node. */
function replacement(tree: ts.SourceFile, literal: ts.Node, edit: Edit): ts.TextChange {
  const start = literal.getStart(tree);
  return { span: { start, length: literal.end - start }, newText: edit.after };
}

function shifted(edit: Edit, shift: number): Edit {
  return shift === 0 ? edit : { ...edit, start: edit.start + shift, end: edit.end + shift };
}

/**
 * The file parsed by the grammar its extension names, as babel discovery parses it: a
 * declaration file as one, `.tsx` with JSX, `.ts`, `.mts` and `.cts` without. A name with
 * none of these is tried as TypeScript, then as TSX, in babel's order too.
 */
function parseTree(project: Project, text: string, file: string): SourceFile {
  const [first, ...others] = treeNames(file);
  const tree = parseInto(project, first!, text);
  const error = firstSyntaxError(tree);
  if (!error) return tree;
  for (const name of others) {
    const other = parseInto(project, name, text);
    if (!firstSyntaxError(other)) return other;
  }
  const { line, column } = tree.getLineAndColumnAtPos(error.start);
  throw new TransformError('source', `${file}:${line}:${column}: ${error.message}`, { file, line });
}

function treeNames(file: string): string[] {
  if (isDeclarationFile(file)) return ['apply.d.ts'];
  const ext = path.extname(file).toLowerCase();
  if (ext === '.tsx') return ['apply.tsx'];
  return ['.ts', '.mts', '.cts'].includes(ext) ? ['apply.ts'] : ['apply.ts', 'apply.tsx'];
}
