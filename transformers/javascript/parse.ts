/**
 * Parsing JavaScript and TypeScript with `@babel/parser`, the one parser behind discovery,
 * text mode and (through recast) AST mode, so all three agree on what a file says.
 */
import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';
import path from 'node:path';
import { TransformError } from '../errors.js';

/** What the parser must understand in a file. */
export interface ParseOptions {
  typescript: boolean;
  /** Keep the token list, which recast needs to reprint a tree. */
  tokens?: boolean;
}

/** The error babel throws: a SyntaxError with the position it gave up at. */
interface BabelSyntaxError extends SyntaxError {
  loc?: { line: number; column: number; index: number };
}

/** Declaration files, where every top-level declaration is ambient (`export const x: T;`). */
const DECLARATION_FILE = /\.d\.[mc]?ts$/i;

/** Whether `file` is a TypeScript declaration file (`.d.ts`, `.d.mts`, `.d.cts`). */
export function isDeclarationFile(file: string): boolean {
  return DECLARATION_FILE.test(file);
}

/**
 * The plugin sets to try for `file`, in order. JSX is on for all JavaScript, since React
 * projects write it in `.js` files and plain code parses the same with it; TypeScript gets
 * it only for `.tsx`, since `<T>x` casts mean something else there. A name with no such
 * extension tries TypeScript without JSX first. Legacy decorators, common in TypeScript
 * code, parse either way. A declaration file is read as one, or its `const` declarations
 * without initializers would be syntax errors.
 */
function pluginSets(file: string, typescript: boolean): ParserPlugin[][] {
  if (!typescript) return [['jsx']];
  if (isDeclarationFile(file)) return [[['typescript', { dts: true }], 'decorators-legacy']];
  const ts: ParserPlugin[] = ['typescript', 'decorators-legacy'];
  const ext = path.extname(file).toLowerCase();
  if (ext === '.tsx') return [[...ts, 'jsx']];
  if (['.ts', '.mts', '.cts'].includes(ext)) return [ts];
  return [ts, [...ts, 'jsx']];
}

/**
 * Parses `source` as an ES module, and failing that as a script (CommonJS code may use
 * `with`, legacy octals or a top-level `return`). Throws a `source` error naming
 * `file:line:column` of the attempt that got furthest.
 */
export function parseSource(source: string, file: string, opts: ParseOptions): File {
  const text = hideBomShebang(source);
  let furthest: BabelSyntaxError | undefined;
  for (const plugins of pluginSets(file, opts.typescript)) {
    for (const sourceType of ['module', 'script'] as const) {
      const options: ParserOptions = {
        sourceType,
        plugins,
        tokens: opts.tokens ?? false,
        allowReturnOutsideFunction: sourceType === 'script',
      };
      try {
        return parse(text, options) as File;
      } catch (error) {
        const syntax = error as BabelSyntaxError;
        if (!(syntax instanceof SyntaxError)) throw error;
        if (!furthest || (syntax.loc?.index ?? 0) > (furthest.loc?.index ?? 0)) furthest = syntax;
      }
    }
  }
  throw sourceError(file, furthest!);
}

/**
 * Node runs a file that starts with a BOM and then `#!`, but babel takes `#!` only at
 * offset 0. The line becomes a `//` comment of the same length, so offsets stay the file's.
 */
function hideBomShebang(source: string): string {
  return source.startsWith('\ufeff#!') ? `//${source.slice(2)}` : source;
}

function sourceError(file: string, error: BabelSyntaxError): TransformError {
  const line = error.loc?.line ?? 1;
  const column = (error.loc?.column ?? 0) + 1;
  const message = error.message.replace(/ \(\d+:\d+\)$/, '');
  return new TransformError('source', `${file}:${line}:${column}: ${message}`, { file, line, cause: error });
}
