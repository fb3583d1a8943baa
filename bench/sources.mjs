/**
 * Generated scripts for the transformer pairs (P4-P6): ordinary code in each language with
 * ten flags spread evenly through the file, so no transformer can stop reading early.
 */
import { int, rng, words } from './seeded.mjs';

/**
 * The flags every generated script declares, and the value each pair writes into it.
 * @type {{ name: string, type: 'int' | 'float' | 'string' | 'bool', initial: number | string | boolean, value: number | string | boolean }[]}
 */
export const FLAGS = [
  { name: 'lr', type: 'float', initial: 0.01, value: 0.1 },
  { name: 'batch_size', type: 'int', initial: 32, value: 64 },
  { name: 'epochs', type: 'int', initial: 10, value: 20 },
  { name: 'dropout', type: 'float', initial: 0.5, value: 0.25 },
  { name: 'optimizer', type: 'string', initial: 'adam', value: 'sgd' },
  { name: 'use_bn', type: 'bool', initial: true, value: false },
  { name: 'momentum', type: 'float', initial: 0.9, value: 0.95 },
  { name: 'seed', type: 'int', initial: 42, value: 7 },
  { name: 'run_name', type: 'string', initial: 'baseline', value: 'bench' },
  { name: 'weight_decay', type: 'float', initial: 0.0001, value: 0.001 },
];

/** The values the transformer pairs apply, by flag name. */
export function flagValues() {
  return Object.fromEntries(FLAGS.map((flag) => [flag.name, flag.value]));
}

/**
 * P11's twenty argparse options: the ten flags, and each again with a `_2` name. Switches
 * go from false to true, so the ones without a `default=` (false then) change too.
 */
export const OPTION_FLAGS = FLAGS.map((flag) =>
  flag.type === 'bool' ? { ...flag, initial: false, value: true } : flag,
).flatMap((flag) => [flag, { ...flag, name: `${flag.name}_2` }]);

/** The values P11 applies, by flag name. */
export function optionValues() {
  return Object.fromEntries(OPTION_FLAGS.map((flag) => [flag.name, flag.value]));
}

const PY_TYPES = { int: 'int', float: 'float', string: 'str' };

/**
 * A Python script of at least `bytes` bytes whose twenty flags are argparse options, one
 * function `add_options_k(parser)` each, spread evenly through ordinary code as P4's are.
 * Names with `_` are spelled with `-` as options (`--batch-size`); booleans are `store_true`
 * switches, one of the two without a `default=` (apply adds it).
 * @param {number} bytes
 * @param {number} seed
 */
export function generateArgparseScript(bytes, seed) {
  const next = rng(seed);
  const parts = ['import argparse\n\n\n'];
  let size = parts[0].length;
  let flag = 0;
  for (let i = 0; size < bytes || flag < OPTION_FLAGS.length; i++) {
    const part =
      flag < OPTION_FLAGS.length && size >= (flag * bytes) / OPTION_FLAGS.length
        ? argparseOption(OPTION_FLAGS[flag], flag++, next)
        : pythonBlock(next, i);
    parts.push(part);
    size += part.length;
  }
  parts.push('\nparser = argparse.ArgumentParser()\n');
  return parts.join('');
}

/** @param {Flag} f @param {number} i @param {() => number} next */
function argparseOption(f, i, next) {
  const option = `'--${f.name.replaceAll('_', '-')}'`;
  const help = `help='${words(next, 4)}'`;
  const call =
    f.type === 'bool'
      ? `${option}, action='store_true', ${i % 2 === 0 ? `default=${f.initial ? 'True' : 'False'}, ` : ''}${help}`
      : `${option}, type=${PY_TYPES[f.type]}, default=${literal(f, { t: 'True', f: 'False', intSuffix: '', quote: "'" })}, ${help}`;
  return `def add_options_${i}(parser):\n    parser.add_argument(${call})\n    return parser\n\n\n`;
}

/** @param {number} n */
const float = (n) => (Number.isInteger(n) ? `${n}.0` : String(n));

/** @typedef {(typeof FLAGS)[number]} Flag */

/** @type {Record<string, { flag: (f: Flag, i: number) => string, block: (next: () => number, i: number) => string }>} */
const LANGUAGES = {
  python: {
    flag: (f, i) => `${f.name} = ${literal(f, { t: 'True', f: 'False', intSuffix: '', quote: i % 2 ? '"' : "'" })}\n\n`,
    block: pythonBlock,
  },
  r: {
    flag: (f, i) =>
      `${f.name} <- ${literal(f, { t: 'TRUE', f: 'FALSE', intSuffix: 'L', quote: i % 2 ? "'" : '"' })}\n\n`,
    block: rBlock,
  },
  javascript: {
    flag: (f, i) =>
      `${i % 3 ? 'const' : 'let'} ${f.name} = ${literal(f, { t: 'true', f: 'false', intSuffix: '', quote: "'" })};\n\n`,
    block: jsBlock,
  },
  typescript: {
    flag: (f) =>
      `const ${f.name}: ${TS_TYPES[f.type]} = ${literal(f, { t: 'true', f: 'false', intSuffix: '', quote: "'" })};\n\n`,
    block: tsBlock,
  },
};

const TS_TYPES = { int: 'number', float: 'number', string: 'string', bool: 'boolean' };

/**
 * @param {Flag} f
 * @param {{ t: string, f: string, intSuffix: string, quote: string }} syntax
 */
function literal(f, syntax) {
  if (f.type === 'bool') return f.initial ? syntax.t : syntax.f;
  if (f.type === 'string') return `${syntax.quote}${f.initial}${syntax.quote}`;
  if (f.type === 'int') return `${f.initial}${syntax.intSuffix}`;
  return float(/** @type {number} */ (f.initial));
}

/**
 * A script of at least `bytes` bytes (UTF-8, all ASCII) in `language`, the same for the same seed.
 * Flag k of the ten comes first after k tenths of the size.
 * @param {'python' | 'r' | 'javascript' | 'typescript'} language
 * @param {number} bytes
 * @param {number} seed
 */
export function generateScript(language, bytes, seed) {
  const lang = LANGUAGES[language];
  const next = rng(seed);
  const parts = [];
  let size = 0;
  let flag = 0;
  for (let i = 0; size < bytes || flag < FLAGS.length; i++) {
    const part =
      flag < FLAGS.length && size >= (flag * bytes) / FLAGS.length
        ? lang.flag(FLAGS[flag], flag++)
        : lang.block(next, i);
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

/** @param {() => number} next @param {number} i */
function pythonBlock(next, i) {
  const header =
    i % 5 === 0
      ? `class Model${i}:\n    '''${words(next, 6)}'''\n\n    def __init__(self, size=${int(next, 1, 512)}):\n` +
        `        self.size = size\n        self.pattern = r'\\d+ ${words(next, 1)}'\n\n\n`
      : '';
  return (
    header +
    `# ${words(next, 8)}\n` +
    `def step_${i}(values, scale=${int(next, 1, 9)}):\n` +
    `    """${words(next, 10)}."""\n` +
    `    total = 0.0\n` +
    `    for index, value in enumerate(values):\n` +
    `        if value > ${int(next, 0, 100)}:\n` +
    `            total += value * scale  # ${words(next, 5)}\n` +
    `        else:\n` +
    `            total -= ${next().toFixed(4)}\n` +
    `    labels = {'${words(next, 1)}': ${int(next, 0, 999)}, "${words(next, 1)}": [${int(next, 0, 99)}, ${next().toFixed(3)}, '${words(next, 2)}']}\n` +
    `    return total, labels, f"${words(next, 2)} {total:.3f}"\n\n\n`
  );
}

/** @param {() => number} next @param {number} i */
function rBlock(next, i) {
  return (
    `# ${words(next, 8)}\n` +
    `step_${i} <- function(values, scale = ${int(next, 1, 9)}) {\n` +
    `  total <- 0\n` +
    `  for (value in values) {\n` +
    `    if (value > ${int(next, 0, 100)}) {\n` +
    `      total <- total + value * scale  # ${words(next, 5)}\n` +
    `    } else {\n` +
    `      total <- total - ${next().toFixed(4)}\n` +
    `    }\n` +
    `  }\n` +
    `  labels <- list(a = ${int(next, 0, 999)}L, b = c(${int(next, 0, 99)}, ${next().toFixed(3)}), c = "${words(next, 4)}", d = '${words(next, 1)}')\n` +
    `  paste0("${words(next, 2)} ", format(total, nsmall = 3), labels$c)\n` +
    `}\n\n`
  );
}

/** @param {() => number} next @param {number} i */
function jsBlock(next, i) {
  return (
    `// ${words(next, 8)}\n` +
    `function step_${i}(values, scale = ${int(next, 1, 9)}) {\n` +
    `  let total = 0;\n` +
    `  for (const value of values) {\n` +
    `    if (value > ${int(next, 0, 100)}) {\n` +
    `      total += value * scale; // ${words(next, 5)}\n` +
    `    } else {\n` +
    `      total -= ${next().toFixed(4)};\n` +
    `    }\n` +
    `  }\n` +
    `  const labels = { a: ${int(next, 0, 999)}, 'b': [${int(next, 0, 99)}, ${next().toFixed(3)}, "${words(next, 2)}"], c: \`${words(next, 1)} \${total}\` };\n` +
    `  return [total, labels, /\\d+${words(next, 1)}/g.test(String(total))];\n` +
    `}\n\n`
  );
}

/** @param {() => number} next @param {number} i */
function tsBlock(next, i) {
  return (
    `// ${words(next, 8)}\n` +
    `interface Shape${i} {\n  name: string;\n  size: number;\n  tags?: readonly string[];\n}\n\n` +
    `export function step_${i}(values: number[], scale: number = ${int(next, 1, 9)}): [number, Shape${i}] {\n` +
    `  let total = 0;\n` +
    `  for (const value of values) {\n` +
    `    total += value > ${int(next, 0, 100)} ? value * scale : -${next().toFixed(4)}; // ${words(next, 5)}\n` +
    `  }\n` +
    `  const shape: Shape${i} = { name: '${words(next, 1)}', size: total, tags: ["${words(next, 1)}", \`${words(next, 1)}\`] };\n` +
    `  return [total, shape];\n` +
    `}\n\n`
  );
}
