/**
 * Reads a declaration's initializer as a flag literal in TypeScript's own tree, by the rules
 * babel discovery applies to its tree (`transformers/javascript/literals.ts`): a number
 * (signed, with separators, hex/octal/binary), a string in any quote, a template without
 * substitutions, a boolean, `null`, or an array of those, seen through `as T`,
 * `satisfies T`, `<T>` and parentheses.
 *
 * The trees differ in one way that matters: babel keeps no node for parentheses, TypeScript
 * does. Parentheses are therefore looked through wherever babel would not see them, so
 * `(-1)`, `-(1)` and `[(1)]` read as babel reads them, and a literal's span never includes
 * its parentheses.
 */
import type { ts } from 'ts-morph';
import { isIntegerLiteral, type Read, readList } from '../javascript/literals.js';
import type { FlagType, FlagValue } from '../types.js';
import { loadMorph } from './morph.js';

/** A literal initializer: its value and the node whose text is the literal. */
export interface TsLiteral {
  type: FlagType;
  value: FlagValue;
  /** The quote of the string (for a list, of its first string), to write a new value alike. */
  quote?: string;
  /** The literal itself, wrappers such as `as const` and parentheses not included. */
  node: ts.Expression;
}

/** The literal in `declaration`'s initializer, or null when the initializer is not one. */
export function readTsInit(declaration: ts.VariableDeclaration, sourceFile: ts.SourceFile): TsLiteral | null {
  if (!declaration.initializer) return null;
  const node = unwrap(declaration.initializer);
  const read = readValue(node, sourceFile);
  return read === null ? null : { ...read, node };
}

/** The expression under any type wrappers and parentheses. */
function unwrap(expression: ts.Expression): ts.Expression {
  let node = expression;
  for (let inner = wrapped(node); inner; inner = wrapped(node)) node = inner;
  return node;
}

/** What `node` wraps when it only tells TypeScript about a value (or parenthesises it). */
function wrapped(node: ts.Expression): ts.Expression | undefined {
  const { SyntaxKind } = loadMorph().ts;
  switch (node.kind) {
    case SyntaxKind.AsExpression:
    case SyntaxKind.SatisfiesExpression:
    case SyntaxKind.TypeAssertionExpression:
    case SyntaxKind.ParenthesizedExpression:
      return (node as ts.AsExpression).expression;
    default:
      return undefined;
  }
}

function readValue(node: ts.Expression, sourceFile: ts.SourceFile): Read | null {
  const { SyntaxKind } = loadMorph().ts;
  switch (node.kind) {
    case SyntaxKind.NumericLiteral:
      return readNumber(node, sourceFile);
    case SyntaxKind.PrefixUnaryExpression:
      return readSigned(node as ts.PrefixUnaryExpression, sourceFile);
    case SyntaxKind.StringLiteral:
      return {
        type: 'string',
        value: (node as ts.StringLiteral).text,
        quote: sourceFile.text.charAt(node.getStart(sourceFile)),
      };
    case SyntaxKind.NoSubstitutionTemplateLiteral:
      return { type: 'string', value: (node as ts.NoSubstitutionTemplateLiteral).text, quote: '`' };
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
      return { type: 'boolean', value: node.kind === SyntaxKind.TrueKeyword };
    case SyntaxKind.NullKeyword:
      return { type: 'null', value: null };
    case SyntaxKind.ArrayLiteralExpression:
      return readArray(node as ts.ArrayLiteralExpression, sourceFile);
    default: {
      const inner = wrapped(node);
      return inner ? readValue(inner, sourceFile) : null;
    }
  }
}

/**
 * A number by its source text, as babel reads it: TypeScript's `text` is already
 * normalised (`0x1F` is `31`), which would hide that a hex literal is an integer.
 */
function readNumber(node: ts.Expression, sourceFile: ts.SourceFile): Read {
  const raw = sourceFile.text.slice(node.getStart(sourceFile), node.end);
  return { type: isIntegerLiteral(raw) ? 'int' : 'float', value: Number(raw.replaceAll('_', '')) };
}

/** `-1`, `+2.5`, `-(1)`: one sign on a number; `-x`, `- -1` and `-'1'` are expressions. */
function readSigned(node: ts.PrefixUnaryExpression, sourceFile: ts.SourceFile): Read | null {
  const { SyntaxKind } = loadMorph().ts;
  let operand: ts.Expression = node.operand;
  while (operand.kind === SyntaxKind.ParenthesizedExpression)
    operand = (operand as ts.ParenthesizedExpression).expression;
  const negative = node.operator === SyntaxKind.MinusToken;
  if ((!negative && node.operator !== SyntaxKind.PlusToken) || operand.kind !== SyntaxKind.NumericLiteral) return null;
  const number = readNumber(operand, sourceFile);
  return { type: number.type, value: negative ? -(number.value as number) : number.value };
}

function readArray(node: ts.ArrayLiteralExpression, sourceFile: ts.SourceFile): Read | null {
  const { SyntaxKind } = loadMorph().ts;
  return readList(node.elements, (element) =>
    element.kind === SyntaxKind.OmittedExpression || element.kind === SyntaxKind.SpreadElement
      ? null
      : readValue(element, sourceFile),
  );
}
