/**
 * The shared conformance cases for JavaScript and TypeScript (copied to
 * fixtures/conformance/js-* and ts-*), driven through discover/apply rather than the CLI.
 * Every js- case runs in both modes, which must agree byte for byte; ts- cases run in text
 * mode here (TypeScript's AST mode is ts-morph's, tested with it). `--flags` items go through
 * the engine's own resolver first, as in a real run; the `error` cases fail there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { babelTextTransformer, javascript } from '../../../transformers/javascript/index.js';
import type { FlagSite, Transformer, TransformMode } from '../../../transformers/types.js';
import { changedLines, expectDiscovery, expectFlagError, loadCases, resolveValues } from '../../helpers/conformance.js';
import { evalJs } from '../../helpers/js-eval.js';

const typescript = babelTextTransformer('typescript', ['.ts'], true);

const cases = loadCases((name) => /^(js|ts)-/.test(name)).flatMap((c) => {
  const ts = c.name.startsWith('ts-');
  const modes: TransformMode[] = ts ? ['text'] : ['text', 'ast'];
  return modes.map((mode) => ({ ...c, mode, ts }));
});

/** What each error case relies on from this transformer: the sites the engine checks against. */
const ERROR_SITES: Record<string, Partial<FlagSite>[]> = {
  'js-choices': [{ name: 'optimizer', type: 'string', default: 'adam', choices: ['adam', 'sgd'] }],
  'ts-declare-not-a-flag': [{ name: 'batch', type: 'int', default: 16 }],
};

describe('javascript and typescript conformance cases', () => {
  it('has every shared js- and ts- case and the expected sites of each error case', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(16);
    const errorCases = new Set(cases.filter((c) => c.spec.expect.error !== undefined).map((c) => c.name));
    expect([...errorCases].sort()).toEqual(Object.keys(ERROR_SITES).sort());
  });

  it.each(cases)('$name ($mode mode)', ({ name, mode, dir, spec, ts, script, source }) => {
    const transformer: Transformer = ts ? typescript : javascript;
    const sites = transformer.discover(source, script);
    const { flags, expect: want } = spec;

    expectDiscovery(sites, want, script);
    if (!flags) return;

    if (want.error !== undefined) {
      expect(sites).toEqual([expect.objectContaining(ERROR_SITES[name]![0])]);
      expectFlagError(
        () => transformer.apply(source, resolveValues(flags, sites, script), { mode, file: script }),
        want.error,
      );
      return;
    }

    const values = resolveValues(flags, sites, script);
    const result = transformer.apply(source, values, { mode, file: script });
    expect(result.unused).toEqual([]);
    expect(result.edits.length).toBeGreaterThan(0);
    if (!ts)
      expect(result).toEqual(
        javascript.apply(source, values, { mode: mode === 'text' ? 'ast' : 'text', file: script }),
      );
    if (want.exact) expect(result.text).toBe(readFileSync(path.join(dir, want.exact), 'utf8'));
    if (want.values) {
      const read = evalJs(result.text, ts);
      for (const [flag, value] of Object.entries(want.values)) expect(read[flag], flag).toEqual(value);
    }
    if (want.changed_lines)
      expect(changedLines(source, result.text, want.same_line_count !== false)).toEqual(want.changed_lines);
  });
});
