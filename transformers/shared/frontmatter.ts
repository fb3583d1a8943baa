/**
 * Script frontmatter, as guildai-r defines it (`r_script_guild_data()` in its R/op.R): a
 * block of comment lines that start with a prefix (`#|` in Python and R, `//|` in
 * JavaScript and TypeScript), YAML once the prefix is taken off, holding the operation's
 * config (`output-scalars`, `flags-dest`, `echo`, `requires`, ...):
 *
 * ```
 * #!/usr/bin/env python3
 * #| output-scalars:
 * #|   loss: 'loss: (\value)'
 * #| flags-dest: globals
 * ```
 *
 * The block is the run of such lines that starts on the first line, or on the second when
 * the first is a shebang; a line that does not start with the prefix (a blank line too)
 * ends it. Leading spaces and tabs before the prefix are allowed, and one space after it is
 * taken off. The YAML is read as YAML 1.1 (R's yaml package and Guild's PyYAML both are),
 * so `echo: no` is false; `!expr` (R code, which guildai-r evaluates) is kept as an
 * FrontmatterExpr for the caller.
 *
 * Pure: text in, data out; errors are FrontmatterError (no engine types here), which the
 * caller turns into its own.
 */
import { TransformError } from '../errors.js';
import type { ScalarTag, Tags } from 'yaml';
import { yamlLib } from './yaml-lib.js';

/** Malformed frontmatter: the file and the 1-based line of the problem. */
export class FrontmatterError extends TransformError {
  override readonly file: string;
  override readonly line: number;
  constructor(
    file: string,
    line: number,
    readonly detail: string,
  ) {
    super('source', `${file}:${line}: malformed frontmatter: ${detail}`, { file, line });
    this.name = 'FrontmatterError';
    this.file = file;
    this.line = line;
  }
}

/** A `!expr` value: R code that guildai-r would evaluate, kept as written. */
export class FrontmatterExpr {
  constructor(readonly code: string) {}
}

/** Where the block is: 1-based first and last line, both inclusive. */
export interface FrontmatterBlock {
  start: number;
  end: number;
  /** The YAML text: each line with its prefix (and one space after it) taken off. */
  yaml: string;
}

export interface Frontmatter extends FrontmatterBlock {
  /** The parsed mapping; keys as written (`output-scalars`, `flags-dest`...). */
  data: Record<string, unknown>;
}

export interface FrontmatterOptions {
  /** The comment prefix that marks frontmatter lines: `#|` (Python, R) or `//|` (JavaScript, TypeScript). */
  prefix: string;
  /** The script's name for error messages. */
  file: string;
}

const EXPR_TAG: ScalarTag = {
  tag: '!expr',
  resolve: (text: string) => new FrontmatterExpr(text),
};

const numberTag = (tag: 'int' | 'float', test: RegExp, resolve: (text: string) => number): ScalarTag => ({
  tag: `tag:yaml.org,2002:${tag}`,
  default: true,
  identify: (value) => typeof value === 'number',
  test,
  resolve,
});

const signed = (text: string, digits: (unsigned: string) => number): number =>
  text.startsWith('-') ? -digits(text.slice(1)) : digits(text.replace(/^\+/, ''));

/**
 * Numbers as R's yaml package (guildai-r's parser) resolves them: YAML 1.1's forms without
 * its underscores, binary, sexagesimal and timestamps; a float needs a dot and a signed
 * exponent, so `1e-3` stays text (as in PyYAML). `.inf` and `.nan` are yaml's own tag.
 */
const R_NUMBERS: ScalarTag[] = [
  numberTag('int', /^[-+]?(?:0|[1-9][0-9]*)$/, Number),
  numberTag('int', /^[-+]?0[0-7]+$/, (text) => signed(text, (u) => Number.parseInt(u, 8))),
  numberTag('int', /^[-+]?0x[0-9a-fA-F]+$/, (text) => signed(text, (u) => Number.parseInt(u.slice(2), 16))),
  numberTag('float', /^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?$/, Number),
];

/** YAML 1.1's tags with R's numbers in place of the int, float and timestamp tags. */
function rTags(tags: Tags): Tags {
  const kept = tags.filter((tag) => {
    if (typeof tag === 'string' || !('test' in tag) || tag.test === undefined) return true;
    const name = tag.tag;
    if (name.endsWith(':timestamp') || name.endsWith(':int')) return false;
    return !name.endsWith(':float') || tag.test.test('.inf') || tag.test.test('.nan');
  });
  return [...kept, ...R_NUMBERS, EXPR_TAG];
}

/** R's trimws(which = "left"): spaces, tabs, CR and LF. */
const LEADING_SPACE = /^[ \t\r\n]*/;

function linesOf(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[0]?.startsWith('\ufeff')) lines[0] = lines[0].slice(1);
  return lines;
}

/** The frontmatter block of `text`, or null when the script has none. */
export function findFrontmatter(text: string, prefix: string): FrontmatterBlock | null {
  const lines = linesOf(text);
  const isAnnotation = (line: string | undefined): boolean =>
    line?.replace(LEADING_SPACE, '').startsWith(prefix) === true;
  let first: number;
  if (isAnnotation(lines[0])) first = 0;
  else if (lines[0]?.startsWith('#!') && isAnnotation(lines[1])) first = 1;
  else return null;
  let last = first;
  while (isAnnotation(lines[last + 1])) last++;
  const yaml = lines
    .slice(first, last + 1)
    .map((line) => {
      const rest = line.replace(LEADING_SPACE, '').slice(prefix.length);
      return rest.startsWith(' ') ? rest.slice(1) : rest;
    })
    .join('\n');
  return { start: first + 1, end: last + 1, yaml };
}

/**
 * The frontmatter of `text` (a script's source), or null when it has none. Throws
 * FrontmatterError, at the line of the problem, when the YAML is malformed or is not a
 * mapping. An empty block gives an empty mapping.
 */
export function readFrontmatter(text: string, options: FrontmatterOptions): Frontmatter | null {
  const block = findFrontmatter(text, options.prefix);
  if (block === null) return null;
  const doc = yamlLib().parseDocument(block.yaml, { prettyErrors: false, schema: 'yaml-1.1', customTags: rTags });
  const [error] = doc.errors;
  if (error) {
    const line = block.start + countLineBreaks(block.yaml.slice(0, error.pos[0]));
    throw new FrontmatterError(options.file, line, firstLine(error.message));
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) return { ...block, data: {} };
  if (typeof data !== 'object' || Array.isArray(data) || data instanceof FrontmatterExpr) {
    throw new FrontmatterError(options.file, block.start, 'expected YAML "key: value" lines');
  }
  return { ...block, data: data as Record<string, unknown> };
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.trim();
}
