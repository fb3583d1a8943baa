/**
 * `npm run corpus`: rewrites every flag of real files nobody here wrote (the Python
 * standard library, the R files R ships, JavaScript and TypeScript from node_modules) and
 * checks each result with the language's own parser. Reads the built transformers (dist/),
 * building them first when they are missing or older than their sources.
 *
 *   node scripts/corpus.mjs [--lang py,r,js,ts] [--limit N] [--sample N] [--max-bytes N]
 *
 * --lang       languages to run (default all)
 * --limit      at most N files per language, the first in path order
 * --sample     a deterministic sample of N files per language (before --limit)
 * --max-bytes  only files of at most N bytes (before --sample)
 *
 * Exits 1 when any file fails, 2 on bad options.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LANGUAGES } from './corpus/files.mjs';
import { formatReport } from './corpus/report.mjs';
import { runCorpus } from './corpus/run.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const REGISTRY = path.join(ROOT, 'dist/transformers/index.js');

/** Whether some TypeScript source the transformers build from is newer than `than` (ms). @param {number} than */
function sourcesNewerThan(than) {
  return ['src', 'transformers'].some((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' }).some(
      (file) => file.endsWith('.ts') && statSync(path.join(ROOT, dir, file)).mtimeMs > than,
    ),
  );
}

/** Builds dist/ when it is missing or stale, so the corpus never judges yesterday's code. */
function ensureBuilt() {
  if (existsSync(REGISTRY) && !sourcesNewerThan(statSync(REGISTRY).mtimeMs)) return;
  process.stderr.write('corpus: building dist/ (npm run build)\n');
  // tsc emits even when some file has type errors; only a missing registry is fatal.
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
}

/** @param {string | undefined} value @param {string} name */
function count(value, name) {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`--${name} expects a whole number of at least 1, got '${value}'`);
  return Number(value);
}

/** @param {string} value */
function languages(value) {
  const langs = value
    .split(',')
    .map((lang) => lang.trim().toLowerCase())
    .filter(Boolean);
  const unknown = langs.filter((lang) => !LANGUAGES.includes(lang));
  if (unknown.length > 0 || langs.length === 0)
    throw new Error(`--lang: no language '${unknown.join(',')}' (languages: ${LANGUAGES.join(',')})`);
  return LANGUAGES.filter((lang) => langs.includes(lang));
}

function options() {
  const { values } = parseArgs({
    options: {
      lang: { type: 'string', default: LANGUAGES.join(',') },
      limit: { type: 'string' },
      sample: { type: 'string' },
      'max-bytes': { type: 'string' },
    },
  });
  return {
    langs: languages(values.lang),
    limit: count(values.limit, 'limit'),
    sample: count(values.sample, 'sample'),
    maxBytes: count(values['max-bytes'], 'max-bytes'),
  };
}

async function main() {
  let opts;
  try {
    opts = options();
  } catch (error) {
    process.stderr.write(`corpus: ${error.message}\n`);
    return 2;
  }
  ensureBuilt();
  if (!existsSync(REGISTRY)) {
    process.stderr.write('corpus: the build wrote no dist/transformers/index.js\n');
    return 2;
  }
  const { transformerFor } = await import(pathToFileURL(REGISTRY).href);
  const results = await runCorpus({ ...opts, nodeModules: path.join(ROOT, 'node_modules'), transformerFor });
  process.stdout.write(formatReport(results));
  return results.some((result) => result.failures.length > 0) ? 1 : 0;
}

process.exitCode = await main();
