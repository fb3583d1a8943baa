/**
 * The shared conformance cases (copied to fixtures/conformance/) driven through the
 * TypeScript transformer in both modes: every `ts-*` case, and every `js-*` case read as
 * a `.ts` file (JavaScript is TypeScript). AST mode must give exactly text mode's bytes
 * and edits, and satisfy each case. `--flags` go through the engine's own resolver first,
 * as in a real run; the `error` cases fail there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescript } from '../../../transformers/typescript/index.js';
import { changedLines, expectDiscovery, expectFlagError, loadCases, resolveValues } from '../../helpers/conformance.js';
import { evalJs } from '../../helpers/js-eval.js';

/** Every case is read as this file, whatever its script's extension. */
const FILE = 'train.ts';

const cases = loadCases((name) => name.startsWith('ts-') || name.startsWith('js-'));

describe('typescript conformance cases, both modes', () => {
  it('has the shared ts- and js- cases', () => {
    expect(cases.filter((c) => c.name.startsWith('ts-')).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.name.startsWith('js-')).length).toBeGreaterThanOrEqual(11);
  });

  it.each(cases)('$name', ({ dir, spec, source }) => {
    const sites = typescript.discover(source, FILE);
    const { flags, expect: want } = spec;

    expectDiscovery(sites, want, FILE);
    if (!flags) return;

    if (want.error !== undefined) {
      expectFlagError(() => resolveValues(flags, sites, FILE), want.error);
      return;
    }

    const values = resolveValues(flags, sites, FILE);
    const text = typescript.apply(source, values, { mode: 'text', file: FILE });
    const ast = typescript.apply(source, values, { mode: 'ast', file: FILE });
    expect(ast).toEqual(text);
    expect(ast.unused).toEqual([]);
    expect(ast.edits.length).toBeGreaterThan(0);

    if (want.exact) expect(ast.text).toBe(readFileSync(path.join(dir, want.exact), 'utf8'));
    if (want.changed_lines)
      expect(changedLines(source, ast.text, want.same_line_count !== false)).toEqual(want.changed_lines);
    if (want.values) {
      const read = evalJs(ast.text, true);
      for (const [name, value] of Object.entries(want.values)) expect(read[name], name).toEqual(value);
    }
  });
});
