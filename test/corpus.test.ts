/**
 * The real-world corpus on a sample: a few hundred files per language that nobody here
 * wrote, read only (`npm run corpus` runs all of them, `npm run corpus -- --sample 250
 * --max-bytes 65536` this sample). Every flag of every file is rewritten and the result
 * judged by the language's own parser (python3, Rscript, @babel/parser). Files failing
 * for a reason outside transformers/javascript are listed in KNOWN with the reason; they
 * must keep failing, so the list never outlives the bug.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CorpusOptions, type LanguageResult, runCorpus, selectFiles } from '../scripts/corpus/run.mjs';
import { transformerFor } from '../transformers/index.js';
import { splice } from '../transformers/shared/edits.js';
import type { ApplyResult, Edit, FlagSite, FlagValue, Transformer, TransformMode } from '../transformers/types.js';
import { LONG, LONG_SKIP } from './helpers/long.js';

const NODE_MODULES = path.resolve(import.meta.dirname, '../node_modules');
const SAMPLE = 250;
/** Bundles of megabytes take seconds each; the full corpus (the script) reads them all. */
const MAX_BYTES = 64 * 1024;

/** By language, sampled files known to fail, and why. */
const KNOWN: Record<string, Record<string, string>> = {};

/** The least a sample must hold per language, so a corpus that went missing fails loudly. */
const FLOOR: Record<string, { files: number; flags: number }> = {
  py: { files: 250, flags: 100 },
  // A machine with only r-base-core has R's own demos (about 25 files), not MASS, nlme & co.
  r: { files: 20, flags: 10 },
  js: { files: 250, flags: 50 },
  ts: { files: 250, flags: 30 },
};

function options(langs: string[], extra: Partial<CorpusOptions> = {}): CorpusOptions {
  return {
    langs,
    sample: SAMPLE,
    maxBytes: MAX_BYTES,
    nodeModules: NODE_MODULES,
    transformerFor,
    known: KNOWN,
    ...extra,
  };
}

async function runOne(lang: string, extra: Partial<CorpusOptions> = {}): Promise<LanguageResult> {
  const [result] = await runCorpus(options([lang], extra));
  return result!;
}

describe.skipIf(!LONG)(`real-world corpus, a sample per language${LONG_SKIP}`, () => {
  it.each(['py', 'r', 'js', 'ts'])('%s: every flag rewrites, parses, reads back and restores', async (lang) => {
    const result = await runOne(lang);
    expect(result.failures).toEqual([]);
    expect(result.files).toBeGreaterThanOrEqual(FLOOR[lang]!.files);
    expect(result.flags).toBeGreaterThanOrEqual(FLOOR[lang]!.flags);
    expect(result.rewrites).toBe(result.flags);
    expect(result.skipped.length).toBeLessThan(result.files / 20);

    const sampled = new Set(selectFiles(lang, options([lang])).map((file) => file.label));
    const stillListed = Object.keys(KNOWN[lang] ?? {}).filter((label) => sampled.has(label));
    const stillFailing = new Set(result.known.map((failure) => failure.file));
    expect(
      stillListed.filter((label) => !stillFailing.has(label)),
      'fixed: remove from KNOWN',
    ).toEqual([]);
  });
});

/** A transformer that writes `respell(edit, value)` instead of the literal the real one renders. */
function respelling(real: Transformer, respell: (edit: Edit, value: FlagValue) => string): Transformer {
  return {
    ...real,
    apply(source, values, opts): ApplyResult {
      const result = real.apply(source, values, opts);
      const edits = result.edits.map((edit) => ({ ...edit, after: respell(edit, values[edit.name]!) }));
      return { ...result, text: splice(source, edits), edits };
    },
  };
}

/** A transformer whose applied text, when it changed anything, goes through `change`. */
function changingText(real: Transformer, change: (text: string, opts: { mode: TransformMode }) => string): Transformer {
  return {
    ...real,
    apply(source, values, opts): ApplyResult {
      const result = real.apply(source, values, opts);
      return result.edits.length === 0 ? result : { ...result, text: change(result.text, opts) };
    },
  };
}

/** Wrong transformers, each breaking one promise, and what the corpus must say about it. */
const BROKEN: [string, string, (real: Transformer) => Transformer, RegExp][] = [
  [
    'strings written unescaped',
    'py',
    (real) => respelling(real, (edit, value) => (typeof value === 'string' ? `'${value}'` : edit.after)),
    /the rewritten file does not parse: SyntaxError/,
  ],
  [
    'a byte changed outside the literals',
    'py',
    (real) => changingText(real, (text) => ` ${text}`),
    /text outside the rewritten literals changed near offset 0/,
  ],
  [
    'defaults misread by discovery',
    'py',
    (real) => ({
      ...real,
      discover: (source, file): FlagSite[] =>
        real
          .discover(source, file)
          .map((site) => (site.type === 'int' ? { ...site, default: (site.default as number) + 7 } : site)),
    }),
    /: the language reads -?\d+, discovery read -?\d+$/,
  ],
  [
    'doubles written as R integers',
    'r',
    (real) => respelling(real, (edit, value) => (typeof value === 'number' ? `${Math.round(value)}L` : edit.after)),
    /the language reads a integer, the flag is a float/,
  ],
  [
    'AST mode that disagrees with text mode',
    'js',
    (real) => changingText(real, (text, opts) => (opts.mode === 'ast' ? `${text};` : text)),
    /ast mode and text mode differ near offset \d+/,
  ],
];

describe.skipIf(!LONG)(`real-world corpus, against broken transformers${LONG_SKIP}`, () => {
  it.each(BROKEN)('reports %s', async (_label, lang, breakIt, reason) => {
    const broken = async (file: string) => {
      const real = await transformerFor(file);
      return real && breakIt(real);
    };
    const result = await runOne(lang, { sample: 40, transformerFor: broken, known: {} });
    expect(result.flags).toBeGreaterThan(0);
    expect(result.failures.map((failure) => failure.reason)).toContainEqual(expect.stringMatching(reason));
  });
});
