/**
 * Reads back what a rewritten script says, independently of the transformer: the value of
 * each name's first top-level literal declaration, as `@babel/parser` parses it (the
 * evaluator of the shared conformance runner, in TypeScript).
 */
import { parse } from '@babel/parser';
import type * as t from '@babel/types';

/** A literal's value and its conformance type: number, str, bool, none or list. */
export interface ReadValue {
  type: 'number' | 'str' | 'bool' | 'none' | 'list';
  value: unknown;
}

/** The top-level literal declarations of `source`, first declaration of a name only. */
export function readLiterals(source: string, opts: { jsx?: boolean } = {}): Record<string, ReadValue> {
  const plugins: ('typescript' | 'jsx')[] = opts.jsx ? ['typescript', 'jsx'] : ['typescript'];
  const tree = parse(source, { sourceType: 'module', plugins });
  const out: Record<string, ReadValue> = {};
  for (const statement of tree.program.body) {
    const node = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (node?.type !== 'VariableDeclaration') continue;
    for (const declarator of node.declarations) {
      if (declarator.id.type !== 'Identifier' || !declarator.init || declarator.id.name in out) continue;
      const value = literal(declarator.init);
      if (value) out[declarator.id.name] = value;
    }
  }
  return out;
}

function literal(node: t.Node): ReadValue | null {
  switch (node.type) {
    case 'NumericLiteral':
      return { type: 'number', value: node.value };
    case 'StringLiteral':
      return { type: 'str', value: node.value };
    case 'BooleanLiteral':
      return { type: 'bool', value: node.value };
    case 'NullLiteral':
      return { type: 'none', value: null };
    case 'TemplateLiteral':
      return node.expressions.length === 0 ? { type: 'str', value: node.quasis[0]!.value.cooked } : null;
    case 'UnaryExpression': {
      const inner = literal(node.argument);
      if (inner?.type !== 'number' || (node.operator !== '-' && node.operator !== '+')) return null;
      return { type: 'number', value: node.operator === '-' ? -(inner.value as number) : inner.value };
    }
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'ParenthesizedExpression':
      return literal(node.expression);
    case 'ArrayExpression': {
      const items = node.elements.map((item) => (item === null ? null : literal(item)));
      if (!items.every((item): item is ReadValue => item !== null)) return null;
      return { type: 'list', value: items.map((item) => item.value) };
    }
    default:
      return null;
  }
}
