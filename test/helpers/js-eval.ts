/**
 * Reads a script's top-level literal declarations back with `@babel/parser` alone, as the
 * shared conformance runner does: an evaluator independent of the transformer under test,
 * for JavaScript and TypeScript alike.
 */
import { parse } from '@babel/parser';
import type * as t from '@babel/types';

/** A literal's value and its conformance type. */
export interface JsValue {
  type: 'number' | 'str' | 'bool' | 'none' | 'list';
  value: unknown;
}

function literal(node: t.Node): JsValue | null {
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
      return literal(node.expression);
    case 'ArrayExpression': {
      const items = node.elements.map((e) => (e === null || e.type === 'SpreadElement' ? null : literal(e)));
      return items.every((i) => i !== null) ? { type: 'list', value: items.map((i) => i!.value) } : null;
    }
    default:
      return null;
  }
}

/** The first top-level literal declaration of each name in `source` (`export const` included). */
export function evalJs(source: string, typescript: boolean): Record<string, JsValue> {
  const tree = parse(source, { sourceType: 'module', plugins: typescript ? ['typescript'] : [] });
  const out: Record<string, JsValue> = {};
  for (const statement of tree.program.body) {
    const node =
      statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement;
    if (node.type !== 'VariableDeclaration') continue;
    for (const d of node.declarations) {
      if (d.id.type !== 'Identifier' || !d.init || d.id.name in out) continue;
      const value = literal(d.init);
      if (value) out[d.id.name] = value;
    }
  }
  return out;
}
