/**
 * Syntax trees of TypeScript files for plugins (`staged.ast(file)`): a ts-morph
 * `SourceFile`, edited with ts-morph's own API and printed back as its full text, so code
 * nobody touched keeps every byte.
 */
import type { SourceFile } from 'ts-morph';
import { TransformError } from '../errors.js';
import type { AstSupport } from '../types.js';
import { createProject, firstSyntaxError, fullText, hasBom, parseInto, stripBom } from './morph.js';

/** Trees parsed from a source with a byte order mark, which ts-morph keeps out of the text. */
const withBom = new WeakSet<SourceFile>();

/**
 * Parses `source` into a ts-morph `SourceFile` named after `file` (its extension picks the
 * grammar). Throws a `source` error at the first syntax error: ts-morph itself accepts
 * broken code and would print it back as it was.
 */
export function parseTypeScript(source: string, file: string): SourceFile {
  const text = stripBom(source);
  // A project per tree: each tree stays valid while others are parsed, and new code
  // follows its own file's line breaks.
  const sourceFile = parseInto(createProject(text), file, text);
  const error = firstSyntaxError(sourceFile);
  if (error) {
    const { line, column } = sourceFile.getLineAndColumnAtPos(error.start);
    throw new TransformError('source', `${file}:${line}:${column}: ${error.message}`, { file, line });
  }
  if (hasBom(source)) withBom.add(sourceFile);
  return sourceFile;
}

/** The tree's text, byte order mark included when the parsed source had one. */
export function printTypeScript(sourceFile: SourceFile): string {
  return fullText(sourceFile, withBom.has(sourceFile));
}

/** What `staged.ast(file)` uses for `.ts`, `.mts`, `.cts` and `.tsx` files. */
export const typescriptAst: AstSupport<SourceFile> = {
  parse: parseTypeScript,
  print: printTypeScript,
};
