/**
 * The shared conformance cases for JavaScript and TypeScript (copied to
 * fixtures/conformance/js-* and ts-*), driven through discover/apply rather than the CLI.
 * Every js- case runs in both modes, which must agree byte for byte; ts- cases run in text
 * mode here (TypeScript's AST mode is ts-morph's, tested with it). `--flags` items go through
 * the engine's own resolver first, as in a real run; the `error` cases fail there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../../src/errors.js';
import { parseFlagItems } from '../../../src/flags/parse.js';
import { resolveFlags } from '../../../src/flags/resolve.js';
import { babelTextTransformer, javascript } from '../../../transformers/javascript/index.js';
import type { FlagSite, FlagValue, Transformer, TransformMode } from '../../../transformers/types.js';
import { evalJs, type JsValue } from '../../helpers/js-eval.js';

const ROOT = path.resolve(import.meta.dirname, '../../../fixtures/conformance');

interface Case {
  flags?: string[];
  mode?: TransformMode;
  expect: {
    exact?: string;
    values?: Record<string, JsValue>;
    changed_lines?: number[];
    same_line_count?: boolean;
    error?: string;
    discover?: Partial<FlagSite>[];
    not_flags?: string[];
  };
}

const typescript = babelTextTransformer('typescript', ['.ts'], true);

const cases = readdirSync(ROOT)
  .filter((name) => /^(js|ts)-/.test(name))
  .sort()
  .flatMap((name) => {
    const dir = path.join(ROOT, name);
    const spec = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case;
    const ts = name.startsWith('ts-');
    const modes: TransformMode[] = ts ? ['text'] : ['text', 'ast'];
    return modes.map((mode) => ({ name, mode, dir, spec, ts, script: ts ? 'train.ts' : 'train.js' }));
  });

/** What each error case relies on from this transformer: the sites the engine checks against. */
const ERROR_SITES: Record<string, Partial<FlagSite>[]> = {
  'js-choices': [{ name: 'optimizer', type: 'string', default: 'adam', choices: ['adam', 'sgd'] }],
  'ts-declare-not-a-flag': [{ name: 'batch', type: 'int', default: 16 }],
};

function valuesFor(items: string[], sites: FlagSite[], script: string): Record<string, FlagValue> {
  return resolveFlags(parseFlagItems(items), sites, { force: false, script }).apply;
}

describe('javascript and typescript conformance cases', () => {
  it('has every shared js- and ts- case and the expected sites of each error case', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(16);
    const errorCases = new Set(cases.filter((c) => c.spec.expect.error !== undefined).map((c) => c.name));
    expect([...errorCases].sort()).toEqual(Object.keys(ERROR_SITES).sort());
  });

  it.each(cases)('$name ($mode mode)', ({ name, mode, dir, spec, ts, script }) => {
    const transformer: Transformer = ts ? typescript : javascript;
    const source = readFileSync(path.join(dir, script), 'utf8');
    const sites = transformer.discover(source, script);
    const { expect: want } = spec;

    if (want.discover) expect(sites).toMatchObject(want.discover.map((site) => ({ ...site, file: script })));
    for (const missing of want.not_flags ?? []) expect(sites.map((site) => site.name)).not.toContain(missing);
    if (!spec.flags) return;

    if (want.error !== undefined) {
      expect(sites).toEqual([expect.objectContaining(ERROR_SITES[name]![0])]);
      let caught: unknown;
      try {
        transformer.apply(source, valuesFor(spec.flags, sites, script), { mode });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GuildStageError);
      expect((caught as GuildStageError).code).toBe('FLAG');
      expect((caught as Error).message).toContain(want.error);
      return;
    }

    const values = valuesFor(spec.flags, sites, script);
    const result = transformer.apply(source, values, { mode });
    expect(result.unused).toEqual([]);
    expect(result.edits.length).toBeGreaterThan(0);
    if (!ts) expect(result).toEqual(javascript.apply(source, values, { mode: mode === 'text' ? 'ast' : 'text' }));
    if (want.exact) expect(result.text).toBe(readFileSync(path.join(dir, want.exact), 'utf8'));
    if (want.values) {
      const read = evalJs(result.text, ts);
      for (const [flag, value] of Object.entries(want.values)) expect(read[flag], flag).toEqual(value);
    }
    if (want.changed_lines) {
      const before = source.split('\n');
      const after = result.text.split('\n');
      if (want.same_line_count !== false) expect(after.length).toBe(before.length);
      const changed = after.flatMap((line, i) => (line === before[i] ? [] : [i + 1]));
      expect(changed).toEqual(want.changed_lines);
    }
  });
});
