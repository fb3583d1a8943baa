/**
 * AST mode for TypeScript: babel discovery says which literals change and to what (the
 * same plan as text mode); ts-morph finds each literal's node in its own tree, replaces
 * the node and prints the tree. ts-morph re-parses around each replacement and prints
 * the rest of the file from its original text, so untouched code keeps every byte.
 */
import type { Node, Project, SourceFile } from 'ts-morph';
import { GuildStageError } from '../../src/errors.js';
import { findFlags } from '../javascript/discover.js';
import { mentionsNone, planEdits } from '../javascript/edits.js';
import type { ApplyResult, Edit, FlagValue } from '../types.js';
import { createProject, firstSyntaxError, fullText, hasBom, manipulationSettingsFor, parseInto, stripBom } from './morph.js';

/** How errors name a source that `apply` got without a path. */
const UNNAMED = '<typescript source>';

/** One project for every AST-mode apply: a file is parsed in, rewritten and removed. */
let shared: Project | undefined;

/**
 * Rewrites the flags named in `values` through a ts-morph tree; names that are not flags
 * of `source` are returned in `unused`. Gives the same text and edits as text mode.
 * Throws a `SOURCE` error naming `file:line:column` when the source does not parse.
 */
export function applyTypeScriptAst(source: string, values: Record<string, FlagValue>, file = UNNAMED): ApplyResult {
  const names = Object.keys(values);
  if (mentionsNone(source, names)) return { text: source, edits: [], unused: names };
  const { edits, unused } = planEdits(source, findFlags(source, file, { typescript: true }), values);
  if (edits.length === 0) return { text: source, edits, unused };
  return { text: rewrite(source, edits, file), edits, unused };
}

/** `source` with every edit made on one ts-morph tree of it. */
function rewrite(source: string, edits: readonly Edit[], file: string): string {
  const text = stripBom(source);
  // Edit offsets index the source; ts-morph's tree never holds the byte order mark.
  const shift = source.length - text.length;
  const project = sharedProject(text);
  const sourceFile = parseTree(project, text, file);
  try {
    // Last to first, so each replacement leaves the offsets of the ones before it valid.
    for (const edit of [...edits].reverse()) {
      literalNode(sourceFile, edit.start - shift, edit.end - shift, edit, file).replaceWithText(edit.after);
    }
    return fullText(sourceFile, hasBom(source));
  } finally {
    project.removeSourceFile(sourceFile);
  }
}

function sharedProject(text: string): Project {
  shared ??= createProject(text);
  // Replacements add no line breaks; matching the file anyway keeps ts-morph from ever
  // writing an LF into a CRLF file.
  shared.manipulationSettings.set(manipulationSettingsFor(text));
  return shared;
}

/**
 * The file parsed as TypeScript, or as TSX when only that parses (`apply` gets no file
 * extension, so babel discovery made the same choice in the same order).
 */
function parseTree(project: Project, text: string, file: string): SourceFile {
  const asTs = parseInto(project, 'apply.ts', text);
  const tsError = firstSyntaxError(asTs);
  if (!tsError) return asTs;
  const { line, column } = asTs.getLineAndColumnAtPos(tsError.start);
  project.removeSourceFile(asTs);
  const asTsx = parseInto(project, 'apply.tsx', text);
  if (!firstSyntaxError(asTsx)) return asTsx;
  project.removeSourceFile(asTsx);
  throw new GuildStageError('SOURCE', `${file}:${line}:${column}: ${tsError.message}`, { file, line });
}

/** The innermost node spanning exactly [start, end): the token at `start`, or an ancestor of it. */
function literalNode(sourceFile: SourceFile, start: number, end: number, edit: Edit, file: string): Node {
  for (let node: Node | undefined = sourceFile.getDescendantAtPos(start); node; node = node.getParent()) {
    if (node.getStart() === start && node.getEnd() === end) return node;
    if (node.getStart() < start || node.getEnd() > end) break;
  }
  throw new GuildStageError('SOURCE', `${file}:${edit.line}: TypeScript finds no expression at flag ${edit.name}'s literal ${edit.before}`, {
    file,
    line: edit.line,
  });
}
