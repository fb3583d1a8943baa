/**
 * Discovery in TypeScript's tree (AST mode) against babel discovery (text mode, `discover`)
 * on sources nobody wrote for the test: random top-level code mixing every literal form,
 * wrapper, annotation and line break, and real files (this project's TypeScript, and
 * JavaScript from node_modules read as TypeScript). Wherever both parsers accept a
 * source, both discoveries give the same sites, or throw the same annotation error.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFlags, type JsFlag, parseSource } from '../../../transformers/javascript/index.js';
import { findTsFlags } from '../../../transformers/typescript/discover.js';
import { parseTypeScript } from '../../../transformers/typescript/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

type Outcome = { flags: JsFlag[] } | { error: string } | { unparsed: true };

/**
 * Each discovery of `source`, or `unparsed` when either parser rejects it. The tree's
 * offsets are moved past a byte order mark, which its text does not hold.
 */
function discoverBoth(source: string, file: string): { babel: Outcome; tree: Outcome } {
  const unparsed = { babel: { unparsed: true }, tree: { unparsed: true } } as const;
  let tree: ReturnType<typeof parseTypeScript>;
  try {
    parseSource(source, file, { typescript: true });
    tree = parseTypeScript(source, file);
  } catch {
    return unparsed;
  }
  const shift = source.startsWith('\uFEFF') ? 1 : 0;
  return {
    babel: outcome(() => findFlags(source, file, { typescript: true })),
    tree: outcome(() =>
      findTsFlags(tree.compilerNode, file).map(({ flag }) => ({
        ...flag,
        start: flag.start + shift,
        end: flag.end + shift,
      })),
    ),
  };
}

function outcome(discover: () => JsFlag[]): Outcome {
  try {
    return { flags: discover() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const word = fc.constantFrom('rate', 'of the model', 'x: y', '"quoted"', 'émoji 🚀', '');
const chars = fc.string({
  unit: fc.constantFrom('a', ' ', "'", '"', '`', '\\', '$', '{', '\n', '🚀', 'é'),
  maxLength: 6,
});

function quoted(text: string, quote: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, quote === '`' ? '\n' : '\\n');
  const inside =
    quote === '`' ? escaped.replace(/`/g, '\\`').replace(/\$\{/g, '\\${') : escaped.replaceAll(quote, `\\${quote}`);
  return `${quote}${inside}${quote}`;
}

const number = fc.oneof(
  fc.nat().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }).map(String),
  fc.nat().map((n) => `0x${n.toString(16).toUpperCase()}`),
  fc.nat(255).map((n) => `0b${n.toString(2)}`),
  fc.nat(511).map((n) => `0o${n.toString(8)}`),
  fc.integer({ min: 1000, max: 99999 }).map((n) => String(n).replace(/(\d)(\d{3})$/, '$1_$2')),
  fc.constantFrom('.5', '5.', '1e3', '1E-7', '1.50'),
);
const signed = fc
  .tuple(fc.constantFrom('', '-', '+', '- ', '-(', '+('), number)
  .map(([sign, n]) => (sign.endsWith('(') ? `${sign}${n})` : `${sign}${n}`));
const string = fc.tuple(chars, fc.constantFrom("'", '"', '`')).map(([text, quote]) => quoted(text, quote));
const other = fc.constantFrom('x', 'f()', '{}', '1 + 2', '`${x}`', 'true && false', 'Infinity', '1n', '!0', '- -1');
const wrapper = fc.constantFrom('(%)', '% as const', '% satisfies unknown', '<any>%', '(%) as number');

const { value: literal } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    signed,
    string,
    fc.constantFrom('true', 'false', 'null'),
    other,
    fc
      .array(fc.oneof(tie('value'), fc.constantFrom(' ', '...xs')), { maxLength: 3 })
      .map((items) => `[${items.join(', ')}]`),
    fc.tuple(tie('value'), wrapper).map(([value, wrap]) => wrap.replace('%', value)),
  ),
}));

const above = fc.oneof(
  word.map((w) => `//| description: ${w}`),
  fc.constantFrom('//| min: 1', '//| choices: [1, 2]', '//| type: float', '// plain', '/** doc */', '//|'),
);
const after = fc.constantFrom('', ' // about it', '  //| not a description', ' /* block */', '; // after a semicolon');
const lineBreak = fc.constantFrom('\n', '\r\n', '\r', '\u2028', '\n\n');

interface Declaration {
  above: string[];
  head: string;
  /** Type annotation, initializer, and what follows its comma up to the next declarator. */
  declarators: [string, string, string, string][];
  after: string;
  underscore: boolean;
}

const declaration: fc.Arbitrary<Declaration> = fc.record({
  above: fc.array(above, { maxLength: 2 }),
  head: fc.constantFrom('const', 'let', 'var', 'export const', 'export let'),
  declarators: fc.array(fc.tuple(fc.constantFrom('', ': number', ': any'), literal, after, lineBreak), {
    minLength: 1,
    maxLength: 3,
  }),
  after,
  underscore: fc.boolean(),
});
const filler = fc.constantFrom(
  'function f() { const inner = 1; }',
  'if (x) { let block = 2; }',
  'interface I { a: 1 }',
  'x = 3;',
  '/* a\n//| fake */',
);

/** The statement of declaration number `i`, whose names are its own, so none is declared twice. */
function render(part: Declaration, i: number, lineEnd: string): string {
  const declarators = part.declarators.map(([type, init, comment, next], j) => {
    const name = `${part.underscore && j === 0 ? '_' : ''}v${i}_${j}`;
    return j === part.declarators.length - 1
      ? `${name}${type} = ${init}`
      : `${name}${type} = ${init},${comment.replace(/^;/, '')}${next}`;
  });
  return [...part.above, `${part.head} ${declarators.join('')};${part.after}`].join(lineEnd) + lineEnd;
}

/** A random module of declarations and other statements, each line ended by a random break. */
const module = fc
  .array(fc.oneof({ weight: 3, arbitrary: declaration }, filler), { minLength: 1, maxLength: 8 })
  .chain((parts) =>
    fc
      .array(lineBreak, { minLength: parts.length, maxLength: parts.length })
      .map((breaks) =>
        parts.map((part, i) => (typeof part === 'string' ? part + breaks[i] : render(part, i, breaks[i]!))).join(''),
      ),
  );

/** This project's TypeScript, and every n-th JavaScript file of node_modules, read as TypeScript. */
function corpus(): { file: string; source: string }[] {
  const walk = (dir: string, keep: (file: string) => boolean): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full, keep);
      return entry.isFile() && keep(full) && statSync(full).size <= 300 * 1024 ? [full] : [];
    });
  const ours = ['src', 'transformers', 'test'].flatMap((dir) =>
    walk(path.join(ROOT, dir), (file) => /\.tsx?$/.test(file)),
  );
  const scripts = walk(path.join(ROOT, 'node_modules'), (file) => /\.[cm]?js$/.test(file)).sort();
  const stride = Math.max(1, Math.ceil(scripts.length / 250));
  const read = (file: string, name: string) => ({ file: name, source: readFileSync(file, 'utf8') });
  return [
    ...ours.map((file) => read(file, path.basename(file))),
    ...scripts.filter((_, i) => i % stride === 0).map((file) => read(file, `${path.basename(file)}.ts`)),
  ];
}

describe('typescript discovery agrees with babel discovery', () => {
  it('on random modules', () => {
    let compared = 0;
    fc.assert(
      fc.property(module, (source) => {
        const { babel, tree } = discoverBoth(source, 'train.ts');
        if ('unparsed' in babel) return;
        compared++;
        expect(tree).toEqual(babel);
      }),
      { numRuns: 400 },
    );
    expect(compared).toBeGreaterThan(300);
  });

  it('on real files', () => {
    const files = corpus();
    let flags = 0;
    const differ: string[] = [];
    for (const { file, source } of files) {
      const { babel, tree } = discoverBoth(source, file);
      if ('flags' in babel) flags += babel.flags.length;
      if (JSON.stringify(tree) !== JSON.stringify(babel)) differ.push(file);
    }
    expect(differ).toEqual([]);
    expect(files.length).toBeGreaterThan(300);
    expect(flags).toBeGreaterThan(200);
  });
});
