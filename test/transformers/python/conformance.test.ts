/**
 * The shared conformance cases for Python (copied to fixtures/conformance/py-*), driven
 * through discover/apply rather than the CLI. `--flags` items go through the engine's own
 * flag resolver (decode by the default's type, validate choices and names) first, as they
 * do before `apply` in a real run; the `error` cases fail there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../../src/errors.js';
import { parseFlagItems } from '../../../src/flags/parse.js';
import { resolveFlags } from '../../../src/flags/resolve.js';
import { python } from '../../../transformers/python/index.js';
import type { FlagSite, FlagValue } from '../../../transformers/types.js';
import { makeTempDir } from '../../helpers/fs.js';

const ROOT = path.resolve(import.meta.dirname, '../../../fixtures/conformance');

interface Case {
  flags?: string[];
  mode?: 'text' | 'ast';
  expect: {
    exact?: string;
    values?: Record<string, { type: string; value: unknown }>;
    changed_lines?: number[];
    same_line_count?: boolean;
    error?: string;
    discover?: Partial<FlagSite>[];
    not_flags?: string[];
  };
}

const cases = readdirSync(ROOT)
  .filter((name) => name.startsWith('py-'))
  .sort()
  .map((name) => {
    const dir = path.join(ROOT, name);
    return { name, dir, spec: JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case };
  });

function valuesFor(items: string[], sites: FlagSite[]): Record<string, FlagValue> {
  return resolveFlags(parseFlagItems(items), sites, { force: false, script: 'train.py' }).apply;
}

async function evalPy(text: string): Promise<Record<string, { type: string; value: unknown }>> {
  const file = path.join(await makeTempDir('gs-py-conf-'), 'train.py');
  await writeFile(file, text);
  const { stdout } = await execa('python3', [path.join(ROOT, 'eval_py.py'), file]);
  return JSON.parse(stdout) as Record<string, { type: string; value: unknown }>;
}

/** What each error case relies on from this transformer: the sites the engine checks against. */
const ERROR_SITES: Record<string, Partial<FlagSite>[]> = {
  'py-bad-int-value': [{ name: 'epochs', type: 'int', default: 10 }],
  'py-hashpipe-choices': [{ name: 'optimizer', type: 'string', default: 'adam', choices: ['adam', 'sgd'] }],
  'py-underscore-not-a-flag': [{ name: 'lr', type: 'float', default: 0.1 }],
  'py-unknown-flag': [{ name: 'lr', type: 'float' }, { name: 'epochs', type: 'int' }],
};

describe('python conformance cases', () => {
  it('has every shared py- case and the expected sites of each error case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const errorCases = cases.filter((c) => c.spec.expect.error !== undefined).map((c) => c.name);
    expect(errorCases.sort()).toEqual(Object.keys(ERROR_SITES).sort());
  });

  it.each(cases)('$name', async ({ name, dir, spec }) => {
    const source = readFileSync(path.join(dir, 'train.py'), 'utf8');
    const sites = python.discover(source, 'train.py');
    const { expect: want } = spec;

    if (want.discover) expect(sites).toMatchObject(want.discover.map((site) => ({ ...site, file: 'train.py' })));
    for (const missing of want.not_flags ?? []) expect(sites.map((site) => site.name)).not.toContain(missing);
    if (!spec.flags) return;

    if (want.error !== undefined) {
      expect(sites).toMatchObject(ERROR_SITES[name]!);
      let caught: unknown;
      try {
        python.apply(source, valuesFor(spec.flags, sites), { mode: 'text' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GuildStageError);
      expect((caught as GuildStageError).code).toBe('FLAG');
      expect((caught as Error).message).toContain(want.error);
      return;
    }

    const result = python.apply(source, valuesFor(spec.flags, sites), { mode: spec.mode ?? 'text' });
    expect(result.unused).toEqual([]);
    if (want.exact) expect(result.text).toBe(readFileSync(path.join(dir, want.exact), 'utf8'));
    if (want.values) {
      const read = await evalPy(result.text);
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
