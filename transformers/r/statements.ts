/**
 * Top-level statements of an R script and the names each one assigns.
 *
 * Only tokens outside every bracket matter here: a bracketed group (a call's arguments, a
 * function body, an `if` block) is kept as its opening and closing tokens, side by side.
 */
import type { TokenBuffer } from '../shared/token-buffer.js';
import { K } from './tokenizer.js';

/** One top-level statement: token indices, comments and line breaks left out. */
export type Statement = number[];

/** Keywords after which R keeps reading on the next line. */
const OPEN_ENDED = ['else', 'repeat'];
/** Keywords whose `(...)` header needs a body, so a line break after `)` continues. */
const HEADERS = ['if', 'for', 'while', 'function'];

/** Names that cannot be assigned to: R's reserved words. */
const RESERVED = [
  'if',
  'else',
  'repeat',
  'while',
  'function',
  'for',
  'next',
  'break',
  'in',
  'TRUE',
  'FALSE',
  'NULL',
  'Inf',
  'NaN',
  'NA',
  'NA_integer_',
  'NA_real_',
  'NA_character_',
  'NA_complex_',
];

/** The reserved words by length, so that telling a name from them needs no substring. */
const RESERVED_BY_LENGTH: string[][] = [];
for (const word of RESERVED) (RESERVED_BY_LENGTH[word.length] ??= []).push(word);

const LEFT_ASSIGN = ['<-', '<<-', '='];
const RIGHT_ASSIGN = ['->', '->>'];
const MEMBER = ['$', '@'];

/** Whether token `i` is of `kind` and reads one of `texts`. */
export function isAny(tokens: TokenBuffer, i: number, kind: number, texts: readonly string[]): boolean {
  if (!tokens.is(i, kind)) return false;
  for (const text of texts) if (tokens.is(i, kind, text)) return true;
  return false;
}

function isLambda(tokens: TokenBuffer, i: number): boolean {
  return tokens.is(i, K.name, 'function') || tokens.is(i, K.op, '\\');
}

/** Whether the `(` at `open` is the header of `if`, `for`, `while`, `function` or `\`. */
function isHeader(tokens: TokenBuffer, open: number, items: Statement): boolean {
  if (!tokens.is(open, K.open, '(') || items.length === 0) return false;
  const before = items[items.length - 1]!;
  return isAny(tokens, before, K.name, HEADERS) || tokens.is(before, K.op, '\\');
}

/**
 * Splits the top level into statements. A line break ends a statement unless the line
 * ends in an operator, `else`, `repeat`, or the `(...)` of `if`, `for`, `while`,
 * `function` or `\`, as in R's parser; `;` always ends one.
 */
export function topLevelStatements(tokens: TokenBuffer): Statement[] {
  const statements: Statement[] = [];
  const { kinds, matches } = tokens;
  let items: Statement = [];
  let continues = false;
  for (let i = 0; i < tokens.count; i++) {
    const kind = kinds[i];
    if (kind === K.comment) continue;
    if ((kind === K.newline && !continues) || kind === K.semi) {
      if (items.length > 0) statements.push(items);
      items = [];
      continues = false;
    } else if (kind === K.open) {
      continues = isHeader(tokens, i, items);
      items.push(i, matches[i]!);
      i = matches[i]!;
    } else if (kind !== K.newline) {
      items.push(i);
      continues = kind === K.op || (kind === K.name && isAny(tokens, i, K.name, OPEN_ENDED));
    }
  }
  if (items.length > 0) statements.push(items);
  return statements;
}

/** Whether token `i` is a name other than a reserved word (a backtick name never is one). */
export function isFreeName(tokens: TokenBuffer, i: number): boolean {
  if (!tokens.is(i, K.name)) return false;
  const words = RESERVED_BY_LENGTH[tokens.ends[i]! - tokens.starts[i]!];
  return words === undefined || !words.some((word) => tokens.source.startsWith(word, tokens.starts[i]));
}

function isTarget(tokens: TokenBuffer, i: number): boolean {
  return tokens.is(i, K.string) || isFreeName(tokens, i);
}

/** The variable a left assignment at `items[at]` modifies: `x` in `x$a[1] <- ...`. */
function leftTarget(tokens: TokenBuffer, items: Statement, at: number): number | undefined {
  let j = at - 1;
  while (j >= 0) {
    const i = items[j]!;
    if (tokens.is(i, K.close)) j -= 2;
    else if (!isTarget(tokens, i)) return undefined;
    else if (isAny(tokens, items[j - 1] ?? -1, K.op, MEMBER)) j -= 2;
    else return i;
  }
  return undefined;
}

/**
 * Token indices of the names a statement assigns with `<-`, `<<-`, `=`, `->` or `->>`, in
 * source order, for "the first assignment of a name decides". A string target (`"x" <- 1`)
 * counts too, since R assigns `x`. Assignments after `function` or a `\(x)` lambda are in a
 * function body, not at the top level, and are left out.
 */
export function assignedNames(tokens: TokenBuffer, items: Statement): number[] {
  const out: number[] = [];
  for (let at = 0; at < items.length; at++) {
    const i = items[at]!;
    if (isLambda(tokens, i)) break;
    if (isAny(tokens, i, K.op, LEFT_ASSIGN)) {
      const target = leftTarget(tokens, items, at);
      if (target !== undefined) out.push(target);
    } else if (isAny(tokens, i, K.op, RIGHT_ASSIGN) && isTarget(tokens, items[at + 1] ?? -1)) {
      out.push(items[at + 1]!);
    }
  }
  return out.sort((a, b) => a - b);
}
