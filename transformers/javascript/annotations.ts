/**
 * JavaScript/TypeScript flag metadata: `//|` YAML lines directly above a declaration (the
 * shared annotation format, as guildai-r writes it with `#|`), and a trailing `// comment`
 * after a declarator as its description when the annotation gives none.
 */
import type * as t from '@babel/types';
import { GuildStageError } from '../../src/errors.js';
import { type Annotation, parseAnnotation, stripAnnotationPrefix } from '../shared/annotations.js';
import type { FlagSite, FlagType } from '../types.js';

const PREFIX = '//|';

/** The comments of a file, indexed for the two lookups discovery makes. */
export interface CommentIndex {
  /** `//|` comments alone on their line, by 1-based line, with their `//`. */
  notes: Map<number, string>;
  /** Other `//` comments by start offset, without the `//`. */
  plain: Map<number, string>;
}

/** Indexes the line comments of `source` that can annotate a flag. */
export function indexComments(comments: readonly t.Comment[], source: string): CommentIndex {
  const notes = new Map<number, string>();
  const plain = new Map<number, string>();
  for (const comment of comments) {
    if (comment.type !== 'CommentLine') continue;
    if (!comment.value.startsWith('|')) plain.set(comment.start!, comment.value);
    else if (leadsLine(source, comment.start!)) notes.set(comment.loc!.start.line, `//${comment.value}`);
  }
  return { notes, plain };
}

/** True when only spaces and tabs (or a BOM) stand between `offset` and the start of its line. */
export function leadsLine(source: string, offset: number): boolean {
  let at = offset;
  while (at > 0 && ' \t\ufeff'.includes(source.charAt(at - 1))) at--;
  return at === 0 || '\n\r\u2028\u2029'.includes(source.charAt(at - 1));
}

/** The contiguous annotation lines ending right above `line`, and the first one's line. */
export function annotationAbove(notes: Map<number, string>, line: number): { text: string[]; line: number } | null {
  let first = line;
  while (notes.has(first - 1)) first--;
  if (first === line) return null;
  const text: string[] = [];
  for (let l = first; l < line; l++) text.push(notes.get(l)!);
  return { text, line: first };
}

/**
 * The `// comment` that closes the line of a declarator ending at `end`: only `,`, `;`
 * and blanks may stand between them, so in `a = 1, b = 2; // c` the comment is b's.
 */
export function trailingComment(plain: Map<number, string>, source: string, end: number): string | undefined {
  let at = end;
  while (at < source.length && ' \t,;'.includes(source.charAt(at))) at++;
  return plain.get(at);
}

/**
 * Completes `site` in place with its annotation block and trailing comment. Throws a
 * `SOURCE` error at the annotation's line when it is malformed or its `type` cannot hold
 * the default.
 */
export function annotateSite(site: FlagSite, block: { text: string[]; line: number } | null, comment?: string): void {
  const where = { file: site.file, line: block?.line ?? site.line };
  const note: Annotation = block ? parseAnnotation(stripAnnotationPrefix(block.text, PREFIX), where) : {};
  const description = note.description ?? comment?.trim();
  if (description) site.description = description;
  if (note.choices) site.choices = note.choices;
  if (note.min !== undefined) site.min = note.min;
  if (note.max !== undefined) site.max = note.max;
  if (note.type) site.type = overrideType(site, note.type, where.line);
}

/** The annotated type, when the default is a value of it (`null` fits any type). */
function overrideType(site: FlagSite, declared: FlagType, line: number): FlagType {
  const value = site.default;
  const numeric = typeof value === 'number' && (declared === 'float' || (declared === 'int' && Number.isInteger(value)));
  if (declared === site.type || value === null || numeric) return declared;
  throw new GuildStageError(
    'SOURCE',
    `${site.file}:${line}: flag ${site.name}: annotation type ${declared} does not fit its default ${JSON.stringify(value)}`,
    { file: site.file, line },
  );
}
