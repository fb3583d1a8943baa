/**
 * Walks the top-level simple statements of a token stream and reports the ones that
 * assign names. Top-level means the logical line starts at column 0 and does not open a
 * compound statement (`if x: y = 1` assigns inside the `if`); statements after `;` on
 * such a line count too.
 */
import type { TokenBuffer } from '../shared/token-buffer.js';
import { startsLine } from './lexer.js';
import { type Literal, parseLiteral } from './literals.js';
import { opensBlock, skipComments, Tok } from './tokens.js';

/** A top-level statement that binds names with `=`, `: T =` or an augmented assignment. */
export interface Assignment {
  /** The names it binds, in source order. */
  names: string[];
  /** 1-based line of its first token. */
  line: number;
  /** The value, when the statement is `NAME = literal` or `NAME: T = literal`. */
  literal: Literal | null;
  /** Whether it is the first statement of its logical line. */
  leadsLine: boolean;
  /** The text of a `#` comment that directly follows it on its line, without the `#`. */
  comment?: string;
}

const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

/**
 * Calls `visit` for each assignment among the top-level simple statements, in source
 * order. A visitor rather than a list, so a file of a million assignments keeps none.
 */
export function forEachTopLevelAssignment(
  tokens: TokenBuffer,
  file: string,
  visit: (assignment: Assignment) => void,
): void {
  let at = 0;
  while (at < tokens.count) {
    const first = skipComments(tokens, at, tokens.count);
    let newline = first;
    while (newline < tokens.count && tokens.kind(newline) !== Tok.NEWLINE) newline++;
    if (first < newline && startsLine(tokens.source, tokens.start(first)) && !opensCompound(tokens, first)) {
      let from = first;
      for (let i = first; i <= newline; i++) {
        if (i < newline && tokens.kind(i) !== Tok.SEMI) continue;
        const start = skipComments(tokens, from, i);
        const assignment = start < i ? readStatement(tokens, start, i, file, start === first) : null;
        if (assignment) visit(assignment);
        from = i + 1;
      }
    }
    at = newline + 1;
  }
}

function opensCompound(tokens: TokenBuffer, first: number): boolean {
  return opensBlock(tokens.kind(first), tokens.source, tokens.start(first), tokens.end(first));
}

/** The assignment made by the statement `[from, to)`, or null when it assigns nothing. */
function readStatement(
  tokens: TokenBuffer,
  from: number,
  to: number,
  file: string,
  leadsLine: boolean,
): Assignment | null {
  const { equals, augmented } = assignmentOperators(tokens, from, to);
  const second = skipComments(tokens, from + 1, to);
  let names: string[];
  let literal: Literal | null = null;
  if (isName(tokens, from) && second < to && tokens.kind(second) === Tok.COLON) {
    // `NAME: T = v` is one assignment whatever T is; a bare `NAME: T` assigns nothing.
    if (equals.length === 0) return null;
    names = [tokens.text(from)];
    literal = parseLiteral(tokens, equals[0]! + 1, to, file);
  } else if (equals.length === 0) {
    if (augmented === undefined || !isName(tokens, from) || second !== augmented) return null;
    names = [tokens.text(from)];
  } else if (equals.length === 1 && isName(tokens, from) && second === equals[0]) {
    names = [tokens.text(from)];
    literal = parseLiteral(tokens, second + 1, to, file);
  } else {
    names = [];
    let target = from;
    for (const equal of equals) {
      names.push(...targetNames(tokens, target, equal));
      target = equal + 1;
    }
  }
  const assignment: Assignment = { names, line: tokens.line(from), literal, leadsLine };
  if (tokens.kind(to - 1) === Tok.COMMENT) assignment.comment = tokens.text(to - 1).slice(1);
  return assignment;
}

/** Offsets of the `=` tokens outside brackets, and of the first augmented assignment. */
function assignmentOperators(
  tokens: TokenBuffer,
  from: number,
  to: number,
): { equals: number[]; augmented: number | undefined } {
  const equals: number[] = [];
  let augmented: number | undefined;
  let depth = 0;
  for (let i = from; i < to; i++) {
    const kind = tokens.kind(i);
    if (kind === Tok.LPAR || kind === Tok.LSQB || kind === Tok.LBRACE) depth++;
    else if (kind === Tok.RPAR || kind === Tok.RSQB || kind === Tok.RBRACE) depth--;
    else if (depth === 0 && kind === Tok.EQUAL) equals.push(i);
    else if (depth === 0 && kind === Tok.AUGASSIGN) augmented ??= i;
  }
  return { equals, augmented };
}

/**
 * The names a target binds: `a`, `a, b`, `(a, [b, *c])`. Attributes and subscripts
 * (`a.b`, `a[i]`) bind none of the names they mention, and neither does a run of names
 * that is no target at all (`type X = int`).
 */
function targetNames(tokens: TokenBuffer, from: number, to: number): string[] {
  const names: string[] = [];
  const accessors: boolean[] = [];
  let inAccessor = 0;
  let previous: number = Tok.OP;
  for (let i = skipComments(tokens, from, to); i < to; i = skipComments(tokens, i + 1, to)) {
    const kind = tokens.kind(i);
    if (kind === Tok.LPAR || kind === Tok.LSQB || kind === Tok.LBRACE) {
      const accessor =
        previous === Tok.NAME || previous === Tok.RPAR || previous === Tok.RSQB || previous === Tok.STRING;
      accessors.push(accessor);
      if (accessor) inAccessor++;
    } else if (kind === Tok.RPAR || kind === Tok.RSQB || kind === Tok.RBRACE) {
      if (accessors.pop()) inAccessor--;
    } else if (
      kind === Tok.NAME &&
      inAccessor === 0 &&
      previous !== Tok.DOT &&
      previous !== Tok.NAME &&
      isName(tokens, i)
    ) {
      const next = skipComments(tokens, i + 1, to);
      const followed = next < to ? tokens.kind(next) : Tok.OP;
      if (followed !== Tok.DOT && followed !== Tok.LPAR && followed !== Tok.LSQB && followed !== Tok.NAME)
        names.push(tokens.text(i));
    }
    previous = kind;
  }
  return names;
}

function isName(tokens: TokenBuffer, i: number): boolean {
  return tokens.kind(i) === Tok.NAME && !KEYWORDS.has(tokens.text(i));
}
