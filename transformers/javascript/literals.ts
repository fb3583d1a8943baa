/**
 * Reads the initializer of a declaration as a flag literal: a number (signed, with
 * separators, hex/octal/binary), a string in any quote, a template without expressions,
 * a boolean, `null`, or an array of those, seen through `as T`, `satisfies T`, `<T>` and
 * parentheses. Anything else (identifiers such as `undefined` or `Infinity`, bigints,
 * objects, calls) is not a flag value.
 */
import type * as t from '@babel/types';
import type { FlagType, FlagValue } from '../types.js';

/** Where a node sits in its parent, so AST mode can put another node there. */
export interface Holder {
  parent: object;
  key: string;
}

/** A literal initializer: its value, the exact span of its text, and where its node sits. */
export interface Literal {
  type: FlagType;
  value: FlagValue;
  start: number;
  end: number;
  /** The quote of the string (for a list, of its first string), to write a new value alike. */
  quote?: string;
  holder: Holder;
}

/** Expressions that only tell TypeScript about a value and leave the value as it is. */
const TYPE_WRAPPERS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSTypeAssertion',
  'ParenthesizedExpression',
]);

/** The literal in `declarator.init`, or null when the initializer is not one. */
export function readInit(declarator: t.VariableDeclarator): Literal | null {
  if (!declarator.init) return null;
  const holder = unwrap({ parent: declarator, key: 'init' });
  const node = nodeAt(holder);
  const read = readValue(node);
  if (read === null) return null;
  return { ...read, start: node.start!, end: node.end!, holder };
}

function nodeAt(holder: Holder): t.Node {
  return (holder.parent as Record<string, t.Node>)[holder.key]!;
}

/** The holder of the innermost expression under type wrappers. */
function unwrap(holder: Holder): Holder {
  let at = holder;
  for (let node = nodeAt(at); TYPE_WRAPPERS.has(node.type); node = nodeAt(at)) at = { parent: node, key: 'expression' };
  return at;
}

/** A literal's value, read from either language's tree. */
export interface Read {
  type: FlagType;
  value: FlagValue;
  quote?: string;
}

function readValue(node: t.Node): Read | null {
  switch (node.type) {
    case 'NumericLiteral':
      return { type: isIntegerLiteral(rawOf(node)) ? 'int' : 'float', value: node.value };
    case 'UnaryExpression':
      return readSigned(node);
    case 'StringLiteral':
      return { type: 'string', value: node.value, quote: rawOf(node).charAt(0) };
    case 'TemplateLiteral': {
      const cooked = node.quasis[0]?.value.cooked;
      return node.expressions.length === 0 && typeof cooked === 'string'
        ? { type: 'string', value: cooked, quote: '`' }
        : null;
    }
    case 'BooleanLiteral':
      return { type: 'boolean', value: node.value };
    case 'NullLiteral':
      return { type: 'null', value: null };
    case 'ArrayExpression':
      return readArray(node);
    default:
      return TYPE_WRAPPERS.has(node.type) ? readValue((node as t.TSAsExpression).expression) : null;
  }
}

/** `-1`, `+2.5`: one sign on a number; `-x`, `- -1` and `-'1'` are expressions. */
function readSigned(node: t.UnaryExpression): Read | null {
  if ((node.operator !== '-' && node.operator !== '+') || node.argument.type !== 'NumericLiteral') return null;
  const { value } = node.argument;
  return {
    type: isIntegerLiteral(rawOf(node.argument)) ? 'int' : 'float',
    value: node.operator === '-' ? -value : value,
  };
}

function readArray(node: t.ArrayExpression): Read | null {
  return readList(node.elements, (element) =>
    element === null || element.type === 'SpreadElement' ? null : readValue(element),
  );
}

/**
 * An array literal, from either language's tree: its elements as `read` reads them (null
 * for one that is no literal, a hole or a spread among them) and the quote of its first
 * string. Null when an element is no literal.
 */
export function readList<E>(elements: readonly E[], read: (element: E) => Read | null): Read | null {
  const value: FlagValue[] = [];
  let quote: string | undefined;
  for (const element of elements) {
    const item = read(element);
    if (item === null) return null;
    value.push(item.value);
    quote ??= item.quote;
  }
  return quote === undefined ? { type: 'list', value } : { type: 'list', value, quote };
}

/** Integer literals have no fraction or exponent; `0x1E` is hex, not an exponent. */
export function isIntegerLiteral(raw: string): boolean {
  return /^0[xob]/i.test(raw) || !/[.e]/i.test(raw);
}

function rawOf(node: t.NumericLiteral | t.StringLiteral): string {
  return (node.extra?.raw as string | undefined) ?? String(node.value);
}
