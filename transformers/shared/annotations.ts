/**
 * Flag annotations: the YAML written in comment lines directly above an assignment
 * (`#| choices: [adam, sgd]` in Python and R, `//|` in JavaScript), as guildai-r does.
 *
 * Language-neutral: a transformer finds the comment lines and hands them here with its
 * own prefix.
 */
import { yamlLib } from './yaml-lib.js';
import { TransformError } from '../errors.js';
import type { FlagSite, FlagType, FlagValue } from '../types.js';

/** What an annotation may say about a flag. Keys it does not know are ignored. */
export interface Annotation {
  description?: string;
  choices?: FlagValue[];
  min?: number;
  max?: number;
  /** Overrides the type inferred from the default. */
  type?: FlagType;
}

/** Where the annotation starts, for error messages. */
export interface AnnotationSource {
  file: string;
  /** 1-based line of the first annotation line. */
  line: number;
}

/** Contiguous annotation lines as written (prefix included), and the first one's 1-based line. */
export interface AnnotationBlock {
  text: string[];
  line: number;
}

/** The type names an annotation accepts, the six flag types plus common aliases. */
export const ANNOTATION_TYPES: Readonly<Record<string, FlagType>> = {
  int: 'int',
  float: 'float',
  string: 'string',
  boolean: 'boolean',
  null: 'null',
  list: 'list',
  str: 'string',
  bool: 'boolean',
  number: 'float',
};

/**
 * Strips `prefix` and at most one space after it from each line, so that `#|a: 1` and
 * `#| b: 2` sit at the same YAML indentation.
 */
export function stripAnnotationPrefix(lines: readonly string[], prefix: string): string[] {
  return lines.map((line) => {
    const rest = line.startsWith(prefix) ? line.slice(prefix.length) : line;
    return rest.startsWith(' ') ? rest.slice(1) : rest;
  });
}

/**
 * Parses annotation lines (prefix already stripped). A YAML mapping gives the fields; a
 * plain string is taken as the description. Throws a `source` error naming `file:line`
 * when the YAML is malformed or a field has the wrong shape.
 */
export function parseAnnotation(lines: readonly string[], where: AnnotationSource): Annotation {
  const text = lines.join('\n');
  const doc = yamlLib().parseDocument(text, { prettyErrors: false });
  const [error] = doc.errors;
  if (error) {
    const line = where.line + countLineBreaks(text.slice(0, error.pos[0]));
    throw annotationError(where.file, line, error.message);
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return {};
  if (typeof data === 'string') return { description: data };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw annotationError(where.file, where.line, 'expected a YAML mapping such as "description: ..."');
  }
  return readFields(data as Record<string, unknown>, where);
}

/** The contiguous annotation lines ending right above `line`, from `notes` (by 1-based line). */
export function annotationAbove(notes: ReadonlyMap<number, string>, line: number): AnnotationBlock | null {
  let first = line;
  while (notes.has(first - 1)) first--;
  if (first === line) return null;
  const text: string[] = [];
  for (let l = first; l < line; l++) text.push(notes.get(l)!);
  return { text, line: first };
}

/**
 * Completes `site` in place with its annotation block (lines starting with `prefix`, such
 * as `#|` or `//|`) and trailing comment, which describes the flag when the annotation
 * does not. Throws a `source` error at the annotation's line when it is malformed or its
 * `type` cannot hold the default.
 */
export function annotateSite(site: FlagSite, prefix: string, block: AnnotationBlock | null, comment?: string): void {
  const where = { file: site.file, line: block?.line ?? site.line };
  const note: Annotation = block ? parseAnnotation(stripAnnotationPrefix(block.text, prefix), where) : {};
  const description = note.description ?? comment?.trim();
  if (description) site.description = description;
  if (note.choices) site.choices = note.choices;
  if (note.min !== undefined) site.min = note.min;
  if (note.max !== undefined) site.max = note.max;
  if (note.type) site.type = overrideType(site, note.type, where.line);
}

/** The annotated type, when the default is a value of it (a null default fits any type). */
function overrideType(site: FlagSite, declared: FlagType, line: number): FlagType {
  const value = site.default;
  const numeric =
    typeof value === 'number' && (declared === 'float' || (declared === 'int' && Number.isInteger(value)));
  if (declared === site.type || value === null || numeric) return declared;
  throw new TransformError(
    'source',
    `${site.file}:${line}: flag ${site.name}: annotation type ${declared} does not fit its default ${JSON.stringify(value)}`,
    { file: site.file, line },
  );
}

function readFields(data: Record<string, unknown>, where: AnnotationSource): Annotation {
  const fail = (message: string): never => {
    throw annotationError(where.file, where.line, message);
  };
  const out: Annotation = {};
  const { description, choices, min, max, type } = data;
  if (description !== undefined && description !== null) {
    if (typeof description === 'object') fail('description must be text');
    out.description = String(description);
  }
  if (choices !== undefined) {
    if (!Array.isArray(choices) || !choices.every(isScalar)) fail('choices must be a list of values');
    out.choices = choices as FlagValue[];
  }
  if (min !== undefined) out.min = typeof min === 'number' ? min : fail('min must be a number');
  if (max !== undefined) out.max = typeof max === 'number' ? max : fail('max must be a number');
  if (type !== undefined) {
    const known =
      typeof type === 'string' && Object.hasOwn(ANNOTATION_TYPES, type) ? ANNOTATION_TYPES[type] : undefined;
    out.type =
      known ?? fail(`unknown type ${JSON.stringify(type)}; use one of ${Object.keys(ANNOTATION_TYPES).join(', ')}`);
  }
  return out;
}

function countLineBreaks(text: string): number {
  return text.split('\n').length - 1;
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function annotationError(file: string, line: number, message: string): TransformError {
  return new TransformError('source', `${file}:${line}: malformed flag annotation: ${message}`, { file, line });
}
