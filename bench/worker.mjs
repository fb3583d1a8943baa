/**
 * One in-process measurement set (P4-P6), run in a fresh `node --expose-gc` child so that
 * no other pair's heap or JIT state leaks in. Module loading happens before any timing;
 * lazily loaded parts (ts-morph in AST mode) load during the warm-up.
 *
 * argv[2]: JSON { kind, file, dist, runs, warmup, values? } (values default: FLAGS'). Prints one JSON line: the pair's
 * samples (ms per call), or { unavailable } when the transformer cannot be imported,
 * or { error }.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate } from './measure.mjs';
import { flagValues } from './sources.mjs';

/** A sample is the mean of enough calls to last this long, so timer and GC jitter stay small beside it. */
const MIN_SAMPLE_MS = 50;

/** What each kind applies, with which transformer and mode, and the floor it is compared with. */
const KINDS = {
  python: { module: 'python/index.js', name: 'python', mode: 'text', floor: splitLinesFloor },
  r: { module: 'r/index.js', name: 'r', mode: 'text', floor: splitLinesFloor },
  javascript: { module: 'javascript/index.js', name: 'javascript', mode: 'text', floor: babelFloor },
  typescript: { module: 'typescript/index.js', name: 'typescript', mode: 'ast', floor: typescriptFloor },
  // An option's flag name and where its default goes are found anew by each run: discover, then apply.
  argparse: { module: 'python/index.js', name: 'python', mode: 'text', floor: splitLinesFloor, discover: true },
  // A config file's flags are not known before it is read: the pair discovers them, then applies.
  yaml: { module: 'config/yaml.js', name: 'yamlConfig', mode: 'text', floor: yamlFloor, discover: true },
};

/** Keeps every result reachable, so no call can be optimised away. */
let _sink;

async function splitLinesFloor() {
  return (source) => source.split('\n');
}

/** The parser the JavaScript transformer is built on, with the plugins it uses for .js. */
async function babelFloor() {
  const { parse } = await import('@babel/parser');
  return (source) => parse(source, { sourceType: 'module', plugins: ['jsx'] });
}

/**
 * ts-morph's own bundled compiler, the one the AST mode parses with. Parent pointers are
 * on because ts-morph cannot navigate a tree without them.
 */
async function typescriptFloor() {
  const { ts } = await import('ts-morph');
  return (source) => ts.createSourceFile('bench.ts', source, ts.ScriptTarget.Latest, true);
}

/** The library the YAML transformer is built on, parsing the file to data alone. */
async function yamlFloor() {
  const { parse } = await import('yaml');
  return (source) => parse(source);
}

/** @param {string} dist @param {{ module: string, name: string }} kind */
async function loadTransformer(dist, kind) {
  const file = path.join(dist, 'transformers', kind.module);
  try {
    const transformer = (await import(pathToFileURL(file).href))[kind.name];
    if (typeof transformer?.apply !== 'function')
      return { unavailable: `${kind.module} exports no '${kind.name}' transformer` };
    return { transformer };
  } catch (error) {
    return { unavailable: `cannot import dist/transformers/${kind.module}: ${error.message.split('\n')[0]}` };
  }
}

/** @param {{ edits: unknown[], unused: string[] }} result @param {number} count */
function checkApplied(result, count) {
  if (result.edits.length !== count || result.unused.length > 0) {
    throw new Error(
      `the transformer made ${result.edits.length} of ${count} edits (unused: ${result.unused.join(', ') || 'none'})`,
    );
  }
}

/** @param {() => unknown} call */
function once(call) {
  const start = performance.now();
  _sink = call();
  return performance.now() - start;
}

/** @param {() => unknown} call @param {number} iterations */
function sample(call, iterations) {
  globalThis.gc?.();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) _sink = call();
  return (performance.now() - start) / iterations;
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const kind = KINDS[spec.kind];
  const loaded = await loadTransformer(spec.dist, kind);
  if (loaded.unavailable) return loaded;
  const floor = await kind.floor();
  const values = spec.values ?? flagValues();
  const read = () => readFileSync(spec.file, 'utf8');
  const file = path.basename(spec.file);
  const { transformer } = loaded;
  const a = () => {
    const source = read();
    if (kind.discover) _sink = transformer.discover(source, file);
    return transformer.apply(source, values, { mode: kind.mode, file });
  };
  const b = () => floor(read());
  checkApplied(a(), Object.keys(values).length);
  let fastest = Infinity;
  for (let i = 0; i < spec.warmup; i++) fastest = Math.min(fastest, once(a), once(b));
  const iterations = Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(fastest, 0.001)));
  const result = alternate({
    a: () => sample(a, iterations),
    b: () => sample(b, iterations),
    runs: spec.runs,
    warmup: 0,
  });
  return { ...result, iterations, bytes: Buffer.byteLength(read()) };
}

main().then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (error) => process.stdout.write(`${JSON.stringify({ error: error.message.split('\n')[0] })}\n`),
);
