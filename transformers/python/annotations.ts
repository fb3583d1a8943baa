/**
 * Python flag metadata: `#|` YAML lines directly above an assignment, and a trailing
 * `# comment` on its line as the description when the annotation gives none.
 */
import { GuildStageError } from '../../src/errors.js';
import { type Annotation, parseAnnotation, stripAnnotationPrefix } from '../shared/annotations.js';
import type { LineIndex } from '../shared/line-index.js';
import type { FlagSite, FlagType } from '../types.js';
import { startsLine } from './lexer.js';
import { Tok, type TokenList } from './tokens.js';

const PREFIX = '#|';

/** The `#|` comments that start at column 0, by 1-based line. */
export function annotationLines(tokens: TokenList, lines: LineIndex): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < tokens.count; i++) {
    if (tokens.kind(i) !== Tok.COMMENT || !startsLine(tokens.source, tokens.start(i))) continue;
    const text = tokens.text(i);
    if (text.startsWith(PREFIX)) out.set(lines.lineOf(tokens.start(i)), text);
  }
  return out;
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
 * Completes `site` in place with its annotation (lines above) and trailing comment.
 * Throws a `SOURCE` error at the annotation's line when it is malformed or its `type`
 * cannot hold the default.
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

/** The annotated type, when the default is a value of it (None fits any type). */
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
