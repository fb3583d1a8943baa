/**
 * JavaScript trees for AST mode and for plugins (`staged.ast(file)`): recast over
 * `@babel/parser`, with recast's line-break and indentation normalisation undone so that
 * whatever nobody changed prints byte-identical.
 */
import type * as t from '@babel/types';
import { createRequire } from 'node:module';
import type * as Recast from 'recast';
import type { AstSupport } from '../types.js';
import { joinLines, OffsetMap, restoreBreaks, type SplitSource, splitLines } from './line-breaks.js';
import { parseSource } from './parse.js';
import { ChangeTracker } from './recast-originals.js';

const require = createRequire(import.meta.url);
let loaded: typeof Recast | undefined;

/** recast, loaded on first use: text mode, the default, never needs it. */
export function loadRecast(): typeof Recast {
  loaded ??= require('recast') as typeof Recast;
  return loaded;
}

/** A recast tree (babel nodes, each with its `.original`) of one file. */
export type RecastFile = t.File;

/** A parsed file with what AST mode needs to relate the tree to the file's text. */
export interface ParsedFile {
  tree: RecastFile;
  /** The text the tree's offsets refer to. */
  input: string;
  /** All comments (recast moves them onto nodes, so the tree alone no longer lists them). */
  comments: t.Comment[];
  /** Maps tree offsets to offsets in the file. */
  offsets: OffsetMap;
}

/** The file each tree was parsed from: untouched trees print as it, printed lines get its terminators. */
const sources = new WeakMap<object, { text: string; split: SplitSource }>();

// One convention for parse and print, whatever the host OS's EOL: restoreBreaks expects `\n`.
const RECAST_OPTIONS = { lineTerminator: '\n' } as const;

/**
 * Parses `source` into a recast tree (module first, then script; `typescript` adds the
 * TypeScript syntax). Throws a `source` error naming `file:line:column` when it does not parse.
 */
export function parseFile(source: string, file: string, opts: { typescript: boolean }): ParsedFile {
  const original = splitLines(source);
  let parsed: { input: string; comments: t.Comment[] } | undefined;
  const parser = {
    parse(normalized: string): t.File {
      const input = joinLines(normalized.split('\n'), original.breaks);
      const tree = parseSource(input, file, { typescript: opts.typescript, tokens: true });
      parsed = { input, comments: tree.comments ?? [] };
      return tree;
    },
  };
  const tree = loadRecast().parse(source, { ...RECAST_OPTIONS, parser }) as RecastFile;
  sources.set(tree, { text: source, split: original });
  const { input, comments } = parsed!;
  return { tree, input, comments, offsets: new OffsetMap(original, splitLines(input)) };
}

/** Prints a recast tree; code nobody changed comes out byte-identical, terminators included. */
export function printFile(tree: RecastFile): string {
  const source = sources.get(tree);
  const copy = tree as RecastFile & { original?: object };
  const recast = loadRecast();
  const changes = new ChangeTracker(recast.types.getFieldValue);
  if (source !== undefined && changes.unchanged(copy, copy.original)) return source.text;
  const printable = copy.original === undefined ? tree : changes.forPrinting(copy as never);
  const code = recast.print(printable as never, RECAST_OPTIONS).code;
  return source === undefined ? code : restoreBreaks(source.split, code);
}

/** Plugins' access to JavaScript trees: recast `File` nodes, edited with recast's API. */
export const recastAst: AstSupport<RecastFile> = {
  parse: (source, file) => parseFile(source, file, { typescript: false }).tree,
  print: printFile,
};
