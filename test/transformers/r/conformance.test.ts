/**
 * The shared conformance cases for R (`fixtures/conformance/r-*`), driven through the
 * transformer's discover/apply rather than the CLI. Values are decoded and validated as the
 * engine does; staged files are evaluated by the real Rscript with `eval_r.R`, as the
 * reference runner `conformance.mjs` does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { decodeAs, validateValue } from '../../../src/flags/decode.js';
import { r } from '../../../transformers/r/index.js';
import type { FlagSite, FlagValue, TransformMode } from '../../../transformers/types.js';
import { makeTempDir } from '../../helpers/fs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/conformance');
const evalR = path.join(root, 'eval_r.R');

interface CaseSpec {
  flags?: string[];
  mode?: TransformMode;
  expect: {
    exact?: string;
    values?: Record<string, { type: string; value: unknown }>;
    changed_lines?: number[];
    same_line_count?: boolean;
    error?: string;
    discover?: Array<Partial<FlagSite> & { name: string }>;
    not_flags?: string[];
  };
}

const cases = readdirSync(root)
  .filter((name) => name.startsWith('r-'))
  .sort();

function load(name: string): { spec: CaseSpec; source: string; dir: string } {
  const dir = path.join(root, name);
  const spec = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseSpec;
  return { spec, source: readFileSync(path.join(dir, 'train.R'), 'utf8'), dir };
}

/**
 * Decodes `name=value` items by the discovered flag types, as the engine does. Returns the
 * values, or the message of the first error the engine would report.
 */
function decodeFlags(source: string, sites: FlagSite[], items: string[]): { values: Record<string, FlagValue>; error?: string } {
  const values: Record<string, FlagValue> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    const [name, raw] = [item.slice(0, at), item.slice(at + 1)];
    const site = sites.find((flag) => flag.name === name);
    if (!site) {
      // The engine reports names the transformer leaves unused; check they come back so.
      expect(r.apply(source, { [name]: raw }, { mode: 'text' })).toEqual({ text: source, edits: [], unused: [name] });
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

/** What eval_r.R reports for each first top-level assignment, decoded as conformance.mjs does. */
async function evaluate(text: string): Promise<Record<string, { type: string; value: unknown }>> {
  const dir = await makeTempDir('gs-r-conf-');
  const file = path.join(dir, 'train.R');
  await writeFile(file, text);
  const { stdout } = await execa('Rscript', ['--vanilla', evalR, file]);
  const out: Record<string, { type: string; value: unknown }> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [name = '', type = '', raw = ''] = line.split('\t');
    let value: unknown = raw;
    if (type === 'int' || type === 'float') value = Number(raw);
    else if (type === 'bool') value = raw === 'true';
    else if (type === 'str') value = raw.replace(/\\(\\|n|t)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
    out[name] = { type, value };
  }
  return out;
}

function checkChangedLines(before: string, after: string, spec: CaseSpec['expect']): void {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  a.forEach((line, i) => {
    if (!spec.changed_lines!.includes(i + 1)) expect(b[i], `line ${i + 1}`).toBe(line);
  });
}

describe('R conformance cases', () => {
  it('has the R cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases)('%s', async (name) => {
    const { spec, source, dir } = load(name);
    const want = spec.expect;
    const sites = r.discover(source, 'train.R');
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
    const { text } = r.apply(source, values, { mode: spec.mode ?? 'text' });
    if (want.exact) expect(text).toBe(readFileSync(path.join(dir, want.exact), 'utf8'));
    if (want.changed_lines) checkChangedLines(source, text, want);
    if (want.values) {
      const got = await evaluate(text);
      for (const [flag, expected] of Object.entries(want.values)) {
        expect(got[flag], `${flag} in the staged file`).toBeDefined();
        expect(got[flag]!.type).toBe(expected.type);
        if (typeof expected.value === 'number') expect(got[flag]!.value as number).toBeCloseTo(expected.value, 12);
        else expect(got[flag]!.value).toEqual(expected.value);
      }
    }
  });
});
