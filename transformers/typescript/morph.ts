/**
 * ts-morph, loaded on first use, and the in-memory projects the TypeScript transformer
 * parses into.
 *
 * ts-morph bundles a whole TypeScript compiler (about a third of a second to load), so
 * discovery and text mode must never pay for it. `Transformer.apply` and
 * `AstSupport.parse` are synchronous, which rules out `await import()`; ts-morph ships
 * CommonJS only, so a `require` made for this module loads it synchronously on demand.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TsMorph from 'ts-morph';

/** The ts-morph module's namespace; types only, so importing it loads nothing. */
type Morph = typeof TsMorph;

const requireHere = createRequire(import.meta.url);
let morph: Morph | undefined;

/** ts-morph, required on the first call. */
export function loadMorph(): Morph {
  morph ??= requireHere('ts-morph') as Morph;
  return morph;
}

const BOM = '\uFEFF';

/** Where parsed files live in the in-memory file system. */
const ROOT = '/guild-stage';

/**
 * A project that can only parse and manipulate: an in-memory file system, no lib files,
 * no imports followed, so its cost is that of the one file parsed into it. Code ts-morph
 * writes follows `source`'s line breaks and indentation (its defaults when none is given).
 */
export function createProject(source = ''): TsMorph.Project {
  const { Project } = loadMorph();
  return new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    manipulationSettings: manipulationSettingsFor(source),
  });
}

/**
 * The settings ts-morph writes new code with, taken from the source, so code a plugin
 * inserts follows the file's own line breaks (a CRLF file stays CRLF) and indentation.
 */
export function manipulationSettingsFor(source: string): Partial<TsMorph.ManipulationSettings> {
  const { IndentationText, NewLineKind } = loadMorph();
  const firstBreak = source.indexOf('\n');
  const crlf = firstBreak > 0 && source[firstBreak - 1] === '\r';
  // The first indented code line; a block comment's ` * ` lines say nothing about indentation.
  const indent = /^([ \t]+)[^\s*]/m.exec(source)?.[1] ?? '';
  let indentationText = IndentationText.FourSpaces;
  if (indent.startsWith('\t')) indentationText = IndentationText.Tab;
  else if (indent.length === 2) indentationText = IndentationText.TwoSpaces;
  else if (indent.length === 8) indentationText = IndentationText.EightSpaces;
  return {
    newLineKind: crlf ? NewLineKind.CarriageReturnLineFeed : NewLineKind.LineFeed,
    indentationText,
  };
}

/** Whether `source` starts with a byte order mark, which ts-morph strips from the tree's text. */
export function hasBom(source: string): boolean {
  return source.startsWith(BOM);
}

/** `source` without its byte order mark, so tree offsets and source offsets agree. */
export function stripBom(source: string): string {
  return hasBom(source) ? source.slice(BOM.length) : source;
}

/** The tree's text, with the byte order mark put back when the source had one. */
export function fullText(sourceFile: TsMorph.SourceFile, bom: boolean): string {
  return bom ? BOM + sourceFile.getFullText() : sourceFile.getFullText();
}

/**
 * Parses `source` (BOM already stripped) into `project` as `file`; the extension picks the
 * grammar (`.tsx` parses JSX). Replaces any earlier file of that name in the project.
 */
export function parseInto(project: TsMorph.Project, file: string, source: string): TsMorph.SourceFile {
  return project.createSourceFile(path.posix.join(ROOT, file), source, { overwrite: true });
}

/** The first syntax error TypeScript's parser recorded for `sourceFile`, if any. */
export function firstSyntaxError(sourceFile: TsMorph.SourceFile): { start: number; message: string } | undefined {
  // The parser keeps its errors on the compiler node; reading them costs nothing, where
  // any public diagnostics API would build a program for the whole project.
  const node = sourceFile.compilerNode as unknown as { parseDiagnostics?: readonly TsMorph.ts.Diagnostic[] };
  const diagnostic = node.parseDiagnostics?.[0];
  if (!diagnostic) return undefined;
  const { ts } = loadMorph();
  return { start: diagnostic.start ?? 0, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ') };
}
