/**
 * The shared conformance cases (fixtures/conformance/<case>/: `case.json`, the script
 * `train.*`, an expected file), for every driver: the transformer tests and the CLI test.
 * Evaluators read a rewritten script back with the language's own interpreter, as the
 * reference runner does, so no driver trusts the transformer it checks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { callTransformer } from '../../src/errors.js';
import { parseFlagItems } from '../../src/flags/parse.js';
import { resolveFlags } from '../../src/flags/resolve.js';
import type { FlagSite, FlagValue, TransformMode } from '../../transformers/types.js';
import { guildError } from './errors.js';
import { makeTempDir } from './fs.js';
import { evalJs } from './js-eval.js';

/** Where the cases and the evaluators `eval_py.py` and `eval_r.R` are. */
export const CONFORMANCE_DIR = path.resolve(import.meta.dirname, '../../fixtures/conformance');

/** A value as an evaluator reads it back: the runner's type name (`int`, `str`, `number`...) and the value. */
export interface ReadValue {
  type: string;
  value: unknown;
}

/** What a case's `case.json` says: the flags to pass, and what must come of them. */
export interface CaseSpec {
  flags?: string[];
  mode?: TransformMode;
  /** The script, when the case names it; else its one `train.*` file. */
  script?: string;
  expect: {
    /** A file of the case holding the rewritten script byte for byte. */
    exact?: string;
    /** What the evaluator must read back; a case may leave `type` out. */
    values?: Record<string, { type?: string; value: unknown }>;
    /** 1-based lines the rewrite may change. */
    changed_lines?: number[];
    same_line_count?: boolean;
    /** Part of the message the flags must fail with. */
    error?: string;
    discover?: Array<Partial<FlagSite> & { name: string }>;
    not_flags?: string[];
  };
}

/** One case folder, read. */
export interface ConformanceCase {
  name: string;
  dir: string;
  spec: CaseSpec;
  /** The script's file name, e.g. `train.py`. */
  script: string;
  source: string;
}

/** The cases whose folder name passes `match`, sorted by name. */
export function loadCases(match: (name: string) => boolean): ConformanceCase[] {
  return readdirSync(CONFORMANCE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && match(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map(loadCase);
}

function loadCase(name: string): ConformanceCase {
  const dir = path.join(CONFORMANCE_DIR, name);
  const spec = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseSpec;
  const script = spec.script ?? readdirSync(dir).find((file) => file.startsWith('train.'))!;
  return { name, dir, spec, script, source: readFileSync(path.join(dir, script), 'utf8') };
}

/** `--flags` items decoded and validated by the engine's own resolver, as before `apply` in a real run. */
export function resolveValues(items: string[], sites: FlagSite[], script: string): Record<string, FlagValue> {
  return resolveFlags(parseFlagItems(items), sites, { force: false, script }).apply;
}

/** Checks the sites a transformer found against the case's `discover` (in order) and `not_flags`. */
export function expectDiscovery(sites: FlagSite[], want: CaseSpec['expect'], file: string): void {
  if (want.discover) expect(sites).toMatchObject(want.discover.map((site) => ({ ...site, file })));
  for (const missing of want.not_flags ?? []) expect(sites.map((site) => site.name)).not.toContain(missing);
}

/**
 * Expects `run` (the engine's resolver, then a transformer's `apply`) to throw what the
 * engine reports as a `FLAG` error, with a message that contains `message`.
 */
export function expectFlagError(run: () => unknown, message: string): void {
  const error = guildError(() => callTransformer(run));
  expect(error.code).toBe('FLAG');
  expect(error.message).toContain(message);
}

/** The 1-based lines of `after` that differ from `before`; with `sameCount`, expects as many lines in both. */
export function changedLines(before: string, after: string, sameCount: boolean): number[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (sameCount) expect(b.length).toBe(a.length);
  return b.flatMap((line, i) => (line === a[i] ? [] : [i + 1]));
}

/** What the script's own interpreter reads from `file`: the first top-level literal of each name. */
export async function evaluateFile(file: string): Promise<Record<string, ReadValue>> {
  const ext = path.extname(file);
  if (ext === '.py') {
    const { stdout } = await execa('python3', [path.join(CONFORMANCE_DIR, 'eval_py.py'), file]);
    return JSON.parse(stdout) as Record<string, ReadValue>;
  }
  if (ext === '.R' || ext === '.r') {
    const { stdout } = await execa('Rscript', ['--vanilla', path.join(CONFORMANCE_DIR, 'eval_r.R'), file]);
    return decodeEvalR(stdout);
  }
  if (['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'].includes(ext))
    return evalJs(await readFile(file, 'utf8'), ext.includes('t'));
  throw new Error(`no evaluator for ${ext}`);
}

/** `evaluateFile` for `text` saved as `name` in a fresh temp dir. */
export async function evaluateText(text: string, name: string): Promise<Record<string, ReadValue>> {
  const file = path.join(await makeTempDir('gs-conf-'), name);
  await writeFile(file, text);
  return evaluateFile(file);
}

/** eval_r.R's `name<TAB>type<TAB>value` lines, decoded as the reference runner does. */
function decodeEvalR(stdout: string): Record<string, ReadValue> {
  const out: Record<string, ReadValue> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [name = '', type = '', raw = ''] = line.split('\t');
    let value: unknown = raw;
    if (type === 'int' || type === 'float') value = Number(raw);
    else if (type === 'bool') value = raw === 'true';
    else if (type === 'str')
      value = raw.replace(/\\(\\|n|t)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
    out[name] = { type, value };
  }
  return out;
}

/**
 * Checks what an evaluator read against the case's `values`: numbers to 12 digits, as the
 * reference runner compares them (R prints doubles in decimal), everything else exactly.
 */
export function expectValues(read: Record<string, ReadValue>, want: NonNullable<CaseSpec['expect']['values']>): void {
  for (const [flag, expected] of Object.entries(want)) {
    expect(read[flag], `${flag} is a top-level literal`).toBeDefined();
    if (expected.type !== undefined) expect(read[flag]!.type, `${flag} type`).toBe(expected.type);
    if (typeof expected.value === 'number') expect(read[flag]!.value as number).toBeCloseTo(expected.value, 12);
    else expect(read[flag]!.value).toEqual(expected.value);
  }
}
