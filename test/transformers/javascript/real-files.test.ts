/**
 * Real JavaScript from node_modules (read only, the packages test/helpers/real-files.ts
 * lists): a deterministic selection of a few hundred files that parse. AST mode must print each untouched file byte-identical, and
 * rewriting every discovered flag must keep the file parseable, agree between modes, and
 * change nothing outside the literals.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as t from '@babel/types';
import recast from 'recast';
import { describe, expect, it } from 'vitest';
import { isTransformError } from '../../../transformers/errors.js';
import { findFlags, javascript, type JsFlag, parseSource } from '../../../transformers/javascript/index.js';
import type { FlagValue } from '../../../transformers/types.js';
import { NODE_MODULES, packageFiles, spread } from '../../helpers/real-files.js';

const MAX_BYTES = 300 * 1024;
const WANTED = 300;

/** JavaScript files spread evenly over the packages, in path order. */
function selection(): string[] {
  return spread(
    packageFiles(MAX_BYTES).filter((file) => /\.(c|m)?js$/.test(file)),
    WANTED,
  );
}

/** The flags of a file, or null when it parses as neither module nor script. */
function flagsOf(source: string, file: string): JsFlag[] | null {
  try {
    return findFlags(source, file, { typescript: false });
  } catch (error) {
    if (isTransformError(error) && error.kind === 'source') return null;
    throw error;
  }
}

/**
 * Replaces the file's last string or number literal with a fresh node parsed from the
 * same text, so printing walks the whole tree and reprints one node, yet must give back
 * the very same file. Returns false when the file has no such literal. Literals inside a
 * `return` are left out: recast reprints a whole return statement when anything in it
 * changes (its guard against ASI), which only plugin edits inside functions can meet. So
 * are literals with a comment attached (`/*limit*\/ 5`): the fresh node has none.
 */
function reprintsItself(source: string, label: string): boolean {
  const tree = javascript.ast!.parse(source, label);
  let last: { replace(node: unknown): unknown; node: t.Node } | undefined;
  recast.types.visit(tree as never, {
    visitReturnStatement() {
      return false;
    },
    visitLiteral(path) {
      const node = path.node as unknown as t.Node & { comments?: unknown[] };
      if ((node.type === 'StringLiteral' || node.type === 'NumericLiteral') && !node.comments)
        last = { replace: (n) => path.replace(n as never), node };
      this.traverse(path);
    },
  });
  if (last === undefined) return false;
  // The tree's offsets are recast's (re-indented) parser input, so take babel's raw text.
  const raw = (last.node as t.StringLiteral).extra!.raw as string;
  const fresh = (javascript.ast!.parse(`[${raw}]`, 'literal.js') as t.File).program.body[0] as t.ExpressionStatement;
  last.replace((fresh.expression as t.ArrayExpression).elements[0]);
  expect(javascript.ast!.print(tree), label).toBe(source);
  return true;
}

/** Another value of the flag's type, with characters a string literal must escape. */
function otherValue(flag: JsFlag): FlagValue {
  const value = flag.default;
  switch (flag.type) {
    case 'int':
      return (value as number) + 1;
    case 'float':
      return (value as number) * 2 + 0.5;
    case 'string':
      return `${value as string}'"\`\${x}\\\n\u2028`;
    case 'boolean':
      return !value;
    case 'null':
      return 'was null';
    case 'list':
      return [...(value as FlagValue[]), -1, 'x'];
    case 'complex':
      throw new Error('complex flags are R only');
  }
}

describe('javascript transformer on real files from node_modules', () => {
  it('prints untouched files byte-identical and rewrites every flag in place', () => {
    let parsed = 0;
    let rewritten = 0;
    let reprinted = 0;
    for (const file of selection()) {
      const source = readFileSync(file, 'utf8');
      const label = path.relative(NODE_MODULES, file);
      const flags = flagsOf(source, label);
      if (flags === null) continue;
      parsed++;
      expect(javascript.ast!.print(javascript.ast!.parse(source, label)), label).toBe(source);
      if (reprintsItself(source, label)) reprinted++;
      if (flags.length === 0) continue;

      const values = Object.fromEntries(flags.map((flag) => [flag.name, otherValue(flag)]));
      const result = javascript.apply(source, values, { mode: 'text', file: label });
      expect(javascript.apply(source, values, { mode: 'ast', file: label }), label).toEqual(result);
      expect(
        result.edits.map((e) => e.name),
        label,
      ).toEqual(flags.map((f) => f.name));
      let at = 0;
      let out = 0;
      for (const [i, edit] of result.edits.entries()) {
        expect(edit.before, label).toBe(source.slice(flags[i]!.start, flags[i]!.end));
        const outside = source.slice(at, edit.start);
        expect(result.text.slice(out, out + outside.length), label).toBe(outside);
        out += outside.length;
        expect(result.text.slice(out, out + edit.after.length), label).toBe(edit.after);
        out += edit.after.length;
        at = edit.end;
      }
      expect(result.text.slice(out), label).toBe(source.slice(at));
      expect(() => parseSource(result.text, label, { typescript: false }), label).not.toThrow();
      const reread = new Map(findFlags(result.text, label, { typescript: false }).map((f) => [f.name, f.default]));
      for (const flag of flags) expect(reread.get(flag.name), `${label} ${flag.name}`).toEqual(values[flag.name]);
      rewritten += flags.length;
    }
    expect(parsed).toBeGreaterThanOrEqual(250);
    expect(rewritten).toBeGreaterThanOrEqual(100);
    expect(reprinted).toBeGreaterThanOrEqual(200);
  });
});
