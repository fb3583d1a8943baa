/**
 * The shared conformance cases (copied to fixtures/conformance/) driven through the
 * TypeScript transformer in both modes: every `ts-*` case, and every `js-*` case read as
 * a `.ts` file (JavaScript is TypeScript). AST mode must give exactly text mode's bytes
 * and edits, and satisfy each case. `--flags` go through the engine's own resolver first,
 * as in a real run; the `error` cases fail there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../../src/errors.js';
import { parseFlagItems } from '../../../src/flags/parse.js';
import { resolveFlags } from '../../../src/flags/resolve.js';
import { typescript } from '../../../transformers/typescript/index.js';
import type { FlagSite, FlagValue } from '../../../transformers/types.js';
import { readLiterals, type ReadValue } from './read-literals.js';

const ROOT = path.resolve(import.meta.dirname, '../../../fixtures/conformance');

interface Case {
  flags?: string[];
  mode?: 'text' | 'ast';
  expect: {
    exact?: string;
    values?: Record<string, ReadValue>;
    changed_lines?: number[];
    same_line_count?: boolean;
    error?: string;
    discover?: Partial<FlagSite>[];
    not_flags?: string[];
  };
}

const cases = readdirSync(ROOT)
  .filter((name) => name.startsWith('ts-') || name.startsWith('js-'))
  .sort()
  .map((name) => {
    const dir = path.join(ROOT, name);
    const script = readdirSync(dir).find((file) => file.startsWith('train.'))!;
    return { name, dir, script, spec: JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case };
  });

function valuesFor(items: string[], sites: FlagSite[]): Record<string, FlagValue> {
  return resolveFlags(parseFlagItems(items), sites, { force: false, script: 'train.ts' }).apply;
}

function changedLines(before: string, after: string, sameCount: boolean): number[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (sameCount) expect(b.length).toBe(a.length);
  return b.flatMap((line, i) => (line === a[i] ? [] : [i + 1]));
}

describe('typescript conformance cases, both modes', () => {
  it('has the shared ts- and js- cases', () => {
    expect(cases.filter((c) => c.name.startsWith('ts-')).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.name.startsWith('js-')).length).toBeGreaterThanOrEqual(11);
  });

  it.each(cases)('$name', ({ dir, script, spec }) => {
    const source = readFileSync(path.join(dir, script), 'utf8');
    const sites = typescript.discover(source, 'train.ts');
    const { expect: want } = spec;

    if (want.discover) expect(sites).toMatchObject(want.discover.map((site) => ({ ...site, file: 'train.ts' })));
    for (const missing of want.not_flags ?? []) expect(sites.map((site) => site.name)).not.toContain(missing);
    if (!spec.flags) return;

    if (want.error !== undefined) {
      let caught: unknown;
      try {
        valuesFor(spec.flags, sites);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GuildStageError);
      expect((caught as GuildStageError).code).toBe('FLAG');
      expect((caught as Error).message).toContain(want.error);
      return;
    }

    const values = valuesFor(spec.flags, sites);
    const text = typescript.apply(source, values, { mode: 'text' });
    const ast = typescript.apply(source, values, { mode: 'ast' });
    expect(ast).toEqual(text);
    expect(ast.unused).toEqual([]);
    expect(ast.edits.length).toBeGreaterThan(0);

    if (want.exact) expect(ast.text).toBe(readFileSync(path.join(dir, want.exact), 'utf8'));
    if (want.changed_lines) expect(changedLines(source, ast.text, want.same_line_count !== false)).toEqual(want.changed_lines);
    if (want.values) {
      const read = readLiterals(ast.text);
      for (const [name, value] of Object.entries(want.values)) expect(read[name], name).toEqual(value);
    }
  });
});
