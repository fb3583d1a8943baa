/**
 * Flag discovery for R, following guildai-r: a flag is a top-level `name <- literal`,
 * `name = literal` or `literal -> name` whose statement is the first top-level
 * assignment of that name. Every name counts, `.n` and backtick names included.
 */
import { annotateSite, annotationAbove } from '../shared/annotations.js';
import type { TokenBuffer } from '../shared/token-buffer.js';
import type { FlagSite, FlagType, FlagValue } from '../types.js';
import { formatComplex } from './complex.js';
import { readNumber, readString } from './literals.js';
import { assignedNames, isAny, isFreeName, topLevelStatements, type Statement } from './statements.js';
import { K, sourceError, tokenize } from './tokenizer.js';

/** A token's UTF-16 span. */
export interface Span {
  start: number;
  end: number;
}

/** A discovered flag and where its literal sits, for text-mode rewriting. */
export interface RFlag {
  site: FlagSite;
  /**
   * The spans of the literal's tokens, in order: the sign when there is one, then the
   * literal (`1L`, `"a"`, `TRUE`, `2i`), or a complex's real part, operator and imaginary
   * part. What lies between them (blanks, line breaks, comments) is not the literal's.
   */
  parts: Span[];
  /** The unary `-` or `+` in front of the literal, when there is one. */
  sign?: '-' | '+';
  /** The quote of a string default, so that a new value can keep it. */
  quote?: '"' | "'";
}

interface Literal {
  type: FlagType;
  value: FlagValue;
  sign?: '-' | '+';
  quote?: '"' | "'";
}

/** The span of the assignment's target and literal within a statement, when it is a flag form. */
interface FlagForm {
  target: number;
  literal: number[];
}

const LEFT_FLAG_OPS = ['<-', '='];

/** What starts an annotation line, as in guildai-r. */
const ANNOTATION_PREFIX = '#|';

/** A string or backtick token's value; a bad escape is reported at the token's line. */
function decode(tokens: TokenBuffer, i: number, file: string): string {
  try {
    return readString(tokens.text(i));
  } catch (error) {
    throw sourceError(file, tokens.lines[i]!, (error as Error).message);
  }
}

/** The variable name a target token stands for: backticks and quotes removed. */
function nameOf(tokens: TokenBuffer, i: number, file: string): string {
  const text = tokens.text(i);
  return tokens.is(i, K.name) && !text.startsWith('`') ? text : decode(tokens, i, file);
}

function isSign(tokens: TokenBuffer, i: number): boolean {
  return tokens.is(i, K.op, '-') || tokens.is(i, K.op, '+');
}

function isImaginaryText(text: string): boolean {
  return text.charCodeAt(text.length - 1) === 0x69;
}

/** Whether token `i` is a number R reads as a real scalar (`1`, `10L`, `0x1p3`) or, with `imaginary`, as `2i`. */
function isNumber(tokens: TokenBuffer, i: number, imaginary: boolean): boolean {
  if (!tokens.is(i, K.number)) return false;
  const text = tokens.text(i);
  if (isImaginaryText(text) !== imaginary) return false;
  return readNumber(imaginary ? text.slice(0, -1) : text) !== undefined;
}

/** A number token's value, the `i` of an imaginary one left out. */
function numberValue(tokens: TokenBuffer, i: number): { type: 'int' | 'float'; value: number } {
  const text = tokens.text(i);
  return readNumber(isImaginaryText(text) ? text.slice(0, -1) : text)!;
}

/**
 * Whether `items[from..to)` is a string, `TRUE`, `FALSE`, or a number with an optional
 * unary `-` or `+` in front: a real, an imaginary (`2i`), or a complex written as real
 * part, `+` or `-`, imaginary part (`2+2i`), which R evaluates but guildai-r takes as a flag.
 */
function isLiteral(tokens: TokenBuffer, items: Statement, from: number, to: number): boolean {
  const first = items[from]!;
  if (to - from === 1 && !tokens.is(first, K.number)) {
    return tokens.is(first, K.string) || tokens.is(first, K.name, 'TRUE') || tokens.is(first, K.name, 'FALSE');
  }
  const at = isSign(tokens, first) ? from + 1 : from;
  if (to - at === 1) return isNumber(tokens, items[at]!, false) || isNumber(tokens, items[at]!, true);
  return (
    to - at === 3 &&
    isNumber(tokens, items[at]!, false) &&
    isSign(tokens, items[at + 1]!) &&
    isNumber(tokens, items[at + 2]!, true)
  );
}

/** `name <- literal`, `name = literal` or `literal -> name`, and nothing else. */
function flagForm(tokens: TokenBuffer, items: Statement): FlagForm | undefined {
  const count = items.length;
  // A literal is one to four tokens (`- 1 + 2i`), beside a name and an arrow.
  if (count < 3 || count > 6) return undefined;
  // A literal of several tokens ends in a number, so the statement or its part before
  // `-> name` does: one kind each tells most statements this long (`x <- f(a)`) apart.
  const { kinds } = tokens;
  if (count > 3 && kinds[items[count - 1]!] !== K.number && kinds[items[count - 3]!] !== K.number) return undefined;
  if (
    isFreeName(tokens, items[0]!) &&
    isAny(tokens, items[1]!, K.op, LEFT_FLAG_OPS) &&
    isLiteral(tokens, items, 2, count)
  ) {
    return { target: items[0]!, literal: items.slice(2) };
  }
  if (
    isFreeName(tokens, items[count - 1]!) &&
    tokens.is(items[count - 2]!, K.op, '->') &&
    isLiteral(tokens, items, 0, count - 2)
  ) {
    return { target: items[count - 1]!, literal: items.slice(0, -2) };
  }
  return undefined;
}

/** The value of a literal that `isLiteral` accepted. */
function readLiteral(tokens: TokenBuffer, items: number[], file: string): Literal {
  const first = items[0]!;
  const sign = isSign(tokens, first) ? (tokens.text(first) as '-' | '+') : undefined;
  const body = sign ? items.slice(1) : items;
  const i = body[0]!;
  if (tokens.is(i, K.name)) return { type: 'boolean', value: tokens.text(i) === 'TRUE' };
  if (tokens.is(i, K.string)) {
    const text = tokens.text(i);
    const quote = text[0] === "'" || text[0] === '"' ? text[0] : undefined;
    return { type: 'string', value: decode(tokens, i, file), ...(quote && { quote }) };
  }
  const { type, value } = numberValue(tokens, i);
  // R integers have no negative zero, so `-0L` is plain 0.
  const signed = sign !== '-' ? value : type === 'int' ? 0 - value : -value;
  const extra = sign && { sign };
  if (body.length === 1 && !isImaginaryText(tokens.text(i))) return { type, value: signed, ...extra };
  let z = { re: 0, im: signed };
  if (body.length === 3) {
    const im = numberValue(tokens, body[2]!).value;
    z = { re: signed, im: tokens.is(body[1]!, K.op, '-') ? -im : im };
  }
  return { type: 'complex', value: formatComplex(z), ...extra };
}

/** The `#|` comments that are alone on their line, by 1-based line. */
function annotationLines(tokens: TokenBuffer): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < tokens.count; i++) {
    if (tokens.kinds[i] !== K.comment || (i > 0 && tokens.kinds[i - 1] !== K.newline)) continue;
    if (tokens.source.startsWith(ANNOTATION_PREFIX, tokens.starts[i])) out.set(tokens.lines[i]!, tokens.text(i));
  }
  return out;
}

/** The text of a `# comment` right after token `last`, on the same line, without its `#`s. */
function trailingComment(tokens: TokenBuffer, last: number): string | undefined {
  return tokens.is(last + 1, K.comment) ? tokens.text(last + 1).replace(/^#+/, '') : undefined;
}

function buildFlag(
  tokens: TokenBuffer,
  items: Statement,
  form: FlagForm,
  notes: ReadonlyMap<number, string>,
  file: string,
): RFlag {
  const literal = readLiteral(tokens, form.literal, file);
  const first = items[0]!;
  const site: FlagSite = {
    name: nameOf(tokens, form.target, file),
    type: literal.type,
    default: literal.value,
    file,
    line: tokens.lines[first]!,
  };
  const startsLine = first === 0 || tokens.is(first - 1, K.newline);
  const block = startsLine ? annotationAbove(notes, site.line) : null;
  const comment = trailingComment(tokens, items[items.length - 1]!);
  if (block || comment !== undefined) annotateSite(site, ANNOTATION_PREFIX, block, comment);
  return {
    site,
    parts: form.literal.map((i) => ({ start: tokens.starts[i]!, end: tokens.ends[i]! })),
    ...(literal.sign && { sign: literal.sign }),
    ...(literal.quote && { quote: literal.quote }),
  };
}

/** Records `name` as assigned; true when this is its first assignment. */
function claim(seen: Set<string>, name: string): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  return true;
}

/** A plain name's length and first character, which tell most names apart without their text. */
function nameKey(tokens: TokenBuffer, i: number): number {
  return ((tokens.ends[i]! - tokens.starts[i]!) << 16) | tokens.source.charCodeAt(tokens.starts[i]!);
}

function isPlainName(tokens: TokenBuffer, i: number): boolean {
  return tokens.is(i, K.name) && tokens.source.charCodeAt(tokens.starts[i]!) !== 0x60;
}

/**
 * The keys (see `nameKey`) of the names whose first assignment can decide a flag: the
 * targets of the statements that have a flag's form. Undefined when one of those is a
 * backtick name, whose text says nothing about the name it stands for: then every name
 * is tracked.
 */
function flagTargetKeys(tokens: TokenBuffer, forms: readonly (FlagForm | undefined)[]): Set<number> | undefined {
  const keys = new Set<number>();
  for (const form of forms) {
    if (form === undefined) continue;
    if (!isPlainName(tokens, form.target)) return undefined;
    keys.add(nameKey(tokens, form.target));
  }
  return keys;
}

/**
 * The flags of an R script with their literal spans, in source order, from one tokenize
 * pass. Throws a `source` error naming `file:line` when the source does not tokenize or an
 * annotation is malformed.
 */
export function scanFlags(source: string, file: string): RFlag[] {
  const tokens = tokenize(source, file, { topLevelOnly: true });
  const statements = topLevelStatements(tokens);
  const forms = statements.map((items) => flagForm(tokens, items));
  // Only the first assignments of flag names matter; most names need no text and no lookup.
  // Quoted and backtick targets are still read, as one with a bad escape is an error.
  const keys = flagTargetKeys(tokens, forms);
  const notes = annotationLines(tokens);
  const seen = new Set<string>();
  const flags: RFlag[] = [];
  statements.forEach((items, k) => {
    const form = forms[k];
    let firstOfForm = false;
    for (const target of assignedNames(tokens, items)) {
      if (keys !== undefined && isPlainName(tokens, target) && !keys.has(nameKey(tokens, target))) continue;
      if (claim(seen, nameOf(tokens, target, file)) && target === form?.target) firstOfForm = true;
    }
    if (form !== undefined && firstOfForm) flags.push(buildFlag(tokens, items, form, notes, file));
  });
  return flags;
}

/** The flags of an R script, as the engine lists them. */
export function discoverR(source: string, file: string): FlagSite[] {
  return scanFlags(source, file).map((flag) => flag.site);
}
