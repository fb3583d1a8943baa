/**
 * The corpus runner: for each language, picks its files, checks each one in process and
 * then in batches with the language's own parser, and totals the results. It prints
 * nothing; `scripts/corpus.mjs` and the test suite format or assert what it returns.
 */
import { judgeBabel } from './babel.mjs';
import { checkFile } from './checks.mjs';
import { corpusFiles, readAsTypeScript, readText, sampleFiles, smallFiles } from './files.mjs';
import { judgePython, pythonTypeFor } from './python.mjs';
import { judgeR, rTypeFor } from './r.mjs';
import { sameValue, show } from './values.mjs';

/** Files per parser process: big enough to pay start-up rarely, small enough to stream. */
const BATCH = 250;

/**
 * How each language is checked: the modes its transformer must agree in, whether it has
 * one number type, the parser that judges it, and the type its literals must have there.
 */
const LANGUAGE = {
  py: { modes: ['text'], oneNumberType: false, judge: (items) => judgePython(items), typeFor: pythonTypeFor },
  r: { modes: ['text'], oneNumberType: false, judge: (items) => judgeR(items), typeFor: rTypeFor },
  js: {
    modes: ['text', 'ast'],
    oneNumberType: true,
    judge: (items) => judgeBabel(items, false),
    typeFor: () => undefined,
  },
  ts: {
    modes: ['text', 'ast'],
    oneNumberType: true,
    judge: (items) => judgeBabel(items, true),
    typeFor: () => undefined,
  },
};

/**
 * @typedef {import('./files.mjs').CorpusFile} CorpusFile
 * @typedef {{ file: string, reason: string }} Failure
 * @typedef {{ lang: string, files: number, readAsTypeScript: number, skipped: Failure[], flags: number, rewrites: number,
 *   rewrittenFiles: number, restoredIdentical: number, failures: Failure[], known: Failure[] }} LanguageResult
 * @typedef {{ langs: string[], limit?: number, sample?: number, maxBytes?: number, nodeModules: string,
 *   transformerFor: (file: string) => Promise<import('./checks.mjs').Transformer | undefined>,
 *   known?: Record<string, Record<string, string>> }} CorpusOptions
 */

/**
 * Runs the corpus for each of `opts.langs`. `known[lang]` maps the labels of files known
 * to fail to the reason; their failures are reported apart, as `known`.
 * @param {CorpusOptions} opts @returns {Promise<LanguageResult[]>}
 */
export async function runCorpus(opts) {
  const results = [];
  for (const lang of opts.langs) results.push(await runLanguage(lang, opts));
  return results;
}

/**
 * The files of `lang` a run reads: under the size cap, then the sample, then the limit.
 * @param {string} lang @param {CorpusOptions} opts @returns {CorpusFile[]}
 */
export function selectFiles(lang, opts) {
  let files = corpusFiles(lang, { nodeModules: opts.nodeModules });
  if (opts.maxBytes !== undefined) files = smallFiles(files, opts.maxBytes);
  if (opts.sample !== undefined) files = sampleFiles(files, opts.sample);
  return opts.limit === undefined ? files : files.slice(0, opts.limit);
}

/** @param {string} lang @param {CorpusOptions} opts @returns {Promise<LanguageResult>} */
async function runLanguage(lang, opts) {
  const files = selectFiles(lang, opts);
  /** @type {LanguageResult} */
  const result = {
    lang,
    files: files.length,
    readAsTypeScript: files.filter(readAsTypeScript).length,
    skipped: [],
    flags: 0,
    rewrites: 0,
    rewrittenFiles: 0,
    restoredIdentical: 0,
    failures: [],
    known: [],
  };
  for (let at = 0; at < files.length; at += BATCH) {
    await runBatch(lang, files.slice(at, at + BATCH), opts, result);
  }
  return result;
}

/**
 * Checks one batch of files: in process first, then one parser run for the batch, then
 * the verdicts merged into `result`. A file the parser rejects as it came is skipped.
 * @param {string} lang @param {CorpusFile[]} files @param {CorpusOptions} opts @param {LanguageResult} result
 */
async function runBatch(lang, files, opts, result) {
  const { judge, typeFor, ...checking } = LANGUAGE[lang];
  const checked = [];
  for (const file of files) {
    const source = readText(file.path);
    if (source === null) {
      result.skipped.push({ file: file.label, reason: 'not UTF-8' });
      continue;
    }
    const transformer = await opts.transformerFor(file.name);
    if (transformer === undefined) throw new Error(`no transformer for ${file.name}`);
    checked.push({ file, source, check: checkFile(transformer, source, file.name, checking) });
  }
  const verdicts = judge(
    checked.map(({ file, source, check }) => ({
      path: file.path,
      label: file.name,
      source,
      rewritten: check.rewritten,
      literals: check.literals.map((literal) => literal.text),
    })),
  );
  checked.forEach(({ file, check }, i) => {
    const verdict = verdicts[i];
    if (verdict.source !== null) {
      result.skipped.push({ file: file.label, reason: `does not parse: ${verdict.source}` });
      return;
    }
    result.flags += check.flags;
    result.rewrites += check.rewrites;
    if (check.rewritten !== null) result.rewrittenFiles++;
    if (check.rewritten !== null && check.restoredIdentical) result.restoredIdentical++;
    const bucket = opts.known?.[lang]?.[file.label] === undefined ? result.failures : result.known;
    const where = readAsTypeScript(file) ? `${file.label} (read as TypeScript)` : file.label;
    for (const reason of [...check.failures, ...parserFailures(check, verdict, typeFor)])
      bucket.push({ file: where, reason });
  });
}

/**
 * What the language's parser found wrong: a rewritten file that no longer parses, an
 * original literal it reads as another value than discovery did, a new literal it reads
 * as another value or type than was written, a new literal that spans lines.
 * @param {import('./checks.mjs').FileCheck} check
 * @param {{ rewritten: string | null, literals: { type: string, value: unknown, error?: string }[] }} verdict
 * @param {(flagType: string) => string | undefined} typeFor
 */
function parserFailures(check, verdict, typeFor) {
  const out = [];
  if (verdict.rewritten !== null) out.push(`the rewritten file does not parse: ${verdict.rewritten}`);
  check.literals.forEach((literal, j) => {
    const read = verdict.literals[j];
    const where = `${literal.name} = ${show(literal.text)}`;
    const wrote = literal.original ? 'discovery read' : 'wrote';
    if (!literal.original && /[\r\n]/.test(literal.text)) out.push(`${where}: the new literal spans lines`);
    if (read === undefined) return;
    if (read.error !== undefined) out.push(`${where}: the language cannot read the literal: ${read.error}`);
    else if (!literal.original && typeFor(literal.type) !== undefined && read.type !== typeFor(literal.type)) {
      out.push(`${where}: the language reads a ${read.type}, the flag is a ${literal.type}`);
    } else if (!sameValue(read.value, literal.value))
      out.push(`${where}: the language reads ${show(read.value)}, ${wrote} ${show(literal.value)}`);
  });
  return out;
}
