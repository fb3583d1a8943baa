/**
 * The shared conformance cases for Python (copied to fixtures/conformance/py-*), driven
 * through discover/apply rather than the CLI. `--flags` items go through the engine's own
 * flag resolver (decode by the default's type, validate choices and names) first, as they
 * do before `apply` in a real run; the `error` cases fail there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { python } from '../../../transformers/python/index.js';
import type { FlagSite } from '../../../transformers/types.js';
import {
  changedLines,
  evaluateText,
  expectDiscovery,
  expectFlagError,
  loadCases,
  resolveValues,
} from '../../helpers/conformance.js';

const cases = loadCases((name) => name.startsWith('py-'));

/** What each error case relies on from this transformer: the sites the engine checks against. */
const ERROR_SITES: Record<string, Partial<FlagSite>[]> = {
  'py-bad-int-value': [{ name: 'epochs', type: 'int', default: 10 }],
  'py-hashpipe-choices': [{ name: 'optimizer', type: 'string', default: 'adam', choices: ['adam', 'sgd'] }],
  'py-underscore-not-a-flag': [{ name: 'lr', type: 'float', default: 0.1 }],
  'py-unknown-flag': [
    { name: 'lr', type: 'float' },
    { name: 'epochs', type: 'int' },
  ],
};

describe('python conformance cases', () => {
  it('has every shared py- case and the expected sites of each error case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const errorCases = cases.filter((c) => c.spec.expect.error !== undefined).map((c) => c.name);
    expect(errorCases.sort()).toEqual(Object.keys(ERROR_SITES).sort());
  });

  it.each(cases)('$name', async ({ name, dir, spec, script, source }) => {
    const sites = python.discover(source, script);
    const { flags, expect: want } = spec;

    expectDiscovery(sites, want, script);
    if (!flags) return;

    if (want.error !== undefined) {
      expect(sites).toMatchObject(ERROR_SITES[name]!);
      expectFlagError(
        () => python.apply(source, resolveValues(flags, sites, script), { mode: 'text', file: script }),
        want.error,
      );
      return;
    }

    const result = python.apply(source, resolveValues(flags, sites, script), {
      mode: spec.mode ?? 'text',
      file: script,
    });
    expect(result.unused).toEqual([]);
    if (want.exact) expect(result.text).toBe(readFileSync(path.join(dir, want.exact), 'utf8'));
    if (want.values) {
      const read = await evaluateText(result.text, script);
      for (const [flag, value] of Object.entries(want.values)) expect(read[flag], flag).toEqual(value);
    }
    if (want.changed_lines)
      expect(changedLines(source, result.text, want.same_line_count !== false)).toEqual(want.changed_lines);
  });
});
