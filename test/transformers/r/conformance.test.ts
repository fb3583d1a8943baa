/**
 * The shared conformance cases for R (`fixtures/conformance/r-*`), driven through the
 * transformer's discover/apply rather than the CLI. Values are decoded and validated as the
 * engine does; staged files are evaluated by the real Rscript with `eval_r.R`, as the
 * reference runner `conformance.mjs` does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAs, validateValue } from '../../../src/flags/decode.js';
import { r } from '../../../transformers/r/index.js';
import type { FlagSite, FlagValue } from '../../../transformers/types.js';
import { changedLines, evaluateText, expectValues, loadCases } from '../../helpers/conformance.js';

const cases = loadCases((name) => name.startsWith('r-'));

/**
 * Decodes `name=value` items by the discovered flag types, as the engine does. Returns the
 * values, or the message of the first error the engine would report.
 */
function decodeFlags(
  source: string,
  sites: FlagSite[],
  items: string[],
): { values: Record<string, FlagValue>; error?: string } {
  const values: Record<string, FlagValue> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    const [name, raw] = [item.slice(0, at), item.slice(at + 1)];
    const site = sites.find((flag) => flag.name === name);
    if (!site) {
      // The engine reports names the transformer leaves unused; check they come back so.
      expect(r.apply(source, { [name]: raw }, { mode: 'text', file: 'train.R' })).toEqual({
        text: source,
        edits: [],
        unused: [name],
      });
      return { values, error: `unknown flag ${name}` };
    }
    try {
      values[name] = decodeAs(name, site.type, raw);
      validateValue(site, values[name]);
    } catch (error) {
      return { values, error: (error as Error).message };
    }
  }
  return { values };
}

describe('R conformance cases', () => {
  it('has the R cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const { name, dir, spec, script, source } of cases) {
    it(name, async () => {
      const want = spec.expect;
      const sites = r.discover(source, script);
      for (const flag of want.discover ?? []) {
        const got = sites.find((site) => site.name === flag.name);
        expect(got, `flag ${flag.name}`).toBeDefined();
        expect(got).toMatchObject(flag);
      }
      for (const other of want.not_flags ?? []) expect(sites.map((site) => site.name)).not.toContain(other);
      if (!spec.flags) return;

      const { values, error } = decodeFlags(source, sites, spec.flags);
      if (want.error !== undefined) {
        expect(error?.toLowerCase()).toContain(want.error.toLowerCase());
        return;
      }
      expect(error).toBeUndefined();
      const { text } = r.apply(source, values, { mode: spec.mode ?? 'text', file: 'train.R' });
      if (want.exact) expect(text).toBe(readFileSync(path.join(dir, want.exact), 'utf8'));
      if (want.changed_lines) {
        const allowed = want.changed_lines;
        for (const line of changedLines(source, text, true)) expect(allowed, `line ${line}`).toContain(line);
      }
      if (want.values) expectValues(await evaluateText(text, script), want.values);
    });
  }
});
