import { describe, expect, it } from 'vitest';
import { findFlags } from '../../../transformers/javascript/index.js';
import { javascript } from '../../../transformers/javascript/index.js';
import { transformError } from '../../helpers/errors.js';

const JS = { typescript: false };
const TS = { typescript: true };

function names(source: string, opts = JS, file = 'train.js'): string[] {
  return findFlags(source, file, opts).map((flag) => flag.name);
}

function one(source: string, opts = JS) {
  const flags = findFlags(source, opts.typescript ? 'train.ts' : 'train.js', opts);
  expect(flags).toHaveLength(1);
  return flags[0]!;
}

describe('javascript discovery: what is a flag', () => {
  it.each([
    ['const', 'const lr = 0.01;', 'float', 0.01],
    ['let', 'let epochs = 10;', 'int', 10],
    ['var', "var tag = 'a';", 'string', 'a'],
    ['export const', 'export const lr = 1e-3;', 'float', 0.001],
    ['export let', 'export let on = true;', 'boolean', true],
    ['export var', 'export var none = null;', 'null', null],
    ['numeric separator', 'const steps = 1_000;', 'int', 1000],
    ['hex', 'const mask = 0xFF;', 'int', 255],
    ['hex with an E digit', 'const mask = 0x1E;', 'int', 30],
    ['binary and octal', 'const b = 0b101, o = 0o17;', 'int', 5],
    ['negative int', 'const shift = -3;', 'int', -3],
    ['negative float', 'const m = -0.9;', 'float', -0.9],
    ['unary plus', 'const p = +2;', 'int', 2],
    ['exponent without a dot', 'const big = 1e3;', 'float', 1000],
    ['leading dot', 'const half = .5;', 'float', 0.5],
    ['double quotes', 'const s = "x\\ty";', 'string', 'x\ty'],
    ['template without expressions', 'const s = `a\\nb`;', 'string', 'a\nb'],
    ['false', 'const f = false;', 'boolean', false],
    ['array', "const xs = [1, 'a', -2.5, true, null, [3]];", 'list', [1, 'a', -2.5, true, null, [3]]],
    ['empty array', 'const xs = [];', 'list', []],
    ['parenthesised', 'const p = (0.5);', 'float', 0.5],
  ])('%s', (_label, source, type, value) => {
    const flag = findFlags(source, 'train.js', JS)[0]!;
    expect(flag.type).toBe(type);
    expect(flag.default).toEqual(value);
    expect(flag.line).toBe(1);
    expect(flag.file).toBe('train.js');
  });

  it('finds every declarator of a statement, each with its own line', () => {
    const flags = findFlags('const a = 1,\n  b = "two",\n  c = [3];\n', 'train.js', JS);
    expect(flags.map((f) => [f.name, f.line, f.default])).toEqual([
      ['a', 1, 1],
      ['b', 2, 'two'],
      ['c', 3, [3]],
    ]);
  });

  it('gives the literal span: the sign included, wrappers and parentheses excluded', () => {
    const source = 'const a = -1.5;\nconst b = (2);\nconst c = "q";\nconst d = [1, 2];\n';
    const spans = findFlags(source, 'train.js', JS).map((f) => source.slice(f.start, f.end));
    expect(spans).toEqual(['-1.5', '2', '"q"', '[1, 2]']);
    const ts = 'const e = 10 as const;\nconst f = ("x") satisfies string;\nconst g: number = <number>3;\n';
    expect(findFlags(ts, 'train.ts', TS).map((f) => ts.slice(f.start, f.end))).toEqual(['10', '"x"', '3']);
  });

  it('records the quote of strings and of a list of strings', () => {
    const quotes = findFlags('const a = \'x\', b = "y", c = `z`, d = [1, "w"], e = [1];', 'train.js', JS).map(
      (f) => f.quote,
    );
    expect(quotes).toEqual(["'", '"', '`', '"', undefined]);
  });

  it('reads TypeScript: annotations, as const, satisfies, type wrappers around arrays', () => {
    const source =
      'interface Cfg { lr: number }\ntype Mode = "a" | "b";\nconst lr: number = 0.01;\nexport const mode: Mode = "a";\n' +
      'const n = 10 as const;\nconst s = "x" satisfies string;\nconst xs = [1, 2] as const;\nenum E { A = 1 }\n';
    const flags = findFlags(source, 'train.ts', TS);
    expect(flags.map((f) => [f.name, f.type, f.default])).toEqual([
      ['lr', 'float', 0.01],
      ['mode', 'string', 'a'],
      ['n', 'int', 10],
      ['s', 'string', 'x'],
      ['xs', 'list', [1, 2]],
    ]);
  });

  it('reads .tsx with JSX and .ts with <T> casts', () => {
    expect(names('const n = 1;\nconst el = <div>{n}</div>;\n', TS, 'view.tsx')).toEqual(['n']);
    expect(names('const n = <number>1;\n', TS, 'cast.ts')).toEqual(['n']);
    expect(names('const n = 2;\nconst el = <b>x</b>;\n', JS, 'view.jsx')).toEqual(['n']);
    expect(names('@sealed\nclass Model {}\nexport const lr = 0.1;\n', TS, 'model.ts')).toEqual(['lr']);
  });

  it('reads CommonJS scripts that are not valid modules', () => {
    expect(names('const n = 010;\nwith (Math) { n; }\nif (n) return;\n', JS, 'old.cjs')).toEqual(['n']);
  });
});

describe('javascript discovery: what is not a flag', () => {
  it.each([
    ['underscore names', 'const _internal = 1;'],
    ['expressions', 'const data = fs.readFileSync("x");'],
    ['identifiers undefined, Infinity, NaN', 'const u = undefined, i = Infinity, n = NaN;'],
    ['template literals with expressions', 'const s = `a${1}`;'],
    ['tagged templates', 'const s = String.raw`a`;'],
    ['bigint', 'const b = 10n;'],
    ['objects', 'const o = { a: 1 };'],
    ['arrays with holes, spreads or expressions', 'const a = [1, , 2], b = [...c], d = [f()];'],
    ['double negation', 'const n = - -1;'],
    ['signed strings', "const s = -'1';"],
    ['declarations without init', 'let later;'],
    ['destructuring', 'const { a } = { a: 1 }, [b] = [2];'],
    ['inside functions', 'function f() { const inner = 1; }'],
    ['inside arrow functions', 'const f = () => { const inner = 1; };'],
    ['inside classes', 'class C { static x = 1; m() { var y = 2; } }'],
    ['inside blocks', '{ const a = 1; }\nif (true) { var b = 2; }\nfor (let i = 0; ;) { break; }'],
    ['assignments', 'let z;\nz = 5;'],
    ['using declarations', 'using res = null;'],
  ])('%s', (_label, source) => {
    expect(names(source)).toEqual([]);
  });

  it('skips declare const in TypeScript', () => {
    expect(
      names('declare const injected: number;\nexport declare let other: string;\nconst batch = 16;\n', TS, 'train.ts'),
    ).toEqual(['batch']);
  });

  it('reads a declaration file as one, with no flags in it', () => {
    // Seen in node_modules by the corpus: `export const x: T;` is valid only in a .d.ts.
    const source = 'export const version: string;\nexport const answer = 42;\nconst local = 1;\n';
    for (const file of ['index.d.ts', 'index.d.mts', 'index.d.cts']) expect(names(source, TS, file)).toEqual([]);
    expect(() => names(source, TS, 'index.ts')).toThrow(/index\.ts:1:29: Missing initializer/);
  });

  it('lets the first declaration of a name decide', () => {
    expect(findFlags('var lr = 0.1;\nvar lr = 0.2;\n', 'train.js', JS).map((f) => f.default)).toEqual([0.1]);
    expect(names('var lr = compute();\nvar lr = 0.2;\n')).toEqual([]);
    expect(names('var lr;\nvar lr = 0.2;\n')).toEqual([]);
    expect(names('var { lr } = cfg;\nvar lr = 0.2;\n')).toEqual([]);
    expect(names('var [, [lr = 1]] = cfg;\nvar lr = 0.2;\n')).toEqual([]);
  });
});

describe('javascript discovery: annotations and comments', () => {
  it('reads //| YAML lines directly above a declaration', () => {
    const flag = one('//| description: Learning rate\n//| min: 0\n//| max: 1\nexport const lr = 0.01;\n');
    expect(flag).toMatchObject({ name: 'lr', description: 'Learning rate', min: 0, max: 1, line: 4 });
  });

  it('reads choices and a type override', () => {
    expect(one('//| choices: [adam, sgd]\nconst optimizer = "adam";\n').choices).toEqual(['adam', 'sgd']);
    expect(one('//| type: float\nconst lr = 1;\n').type).toBe('float');
  });

  it('takes a trailing // comment as the description unless the annotation gives one', () => {
    expect(one('const lr = 0.01; // tuned by hand\n').description).toBe('tuned by hand');
    expect(one('//| description: from yaml\nconst lr = 0.01; // trailing\n').description).toBe('from yaml');
    expect(one('//| min: 0\nconst lr = 0.01; // trailing\n')).toMatchObject({ description: 'trailing', min: 0 });
  });

  it('gives a trailing comment to the declarator it follows only', () => {
    const flags = findFlags('const a = 1, // first\n  b = 2, c = 3; // third\n', 'train.js', JS);
    expect(flags.map((f) => f.description)).toEqual(['first', undefined, 'third']);
  });

  it('annotates only declarations that start their line, right below the block', () => {
    expect(one('//| description: gap\n\nconst a = 1;\n').description).toBeUndefined();
    expect(one('//| description: code first\nfoo(); const a = 1;\n').description).toBeUndefined();
    expect(one('x(); //| description: not alone\nconst a = 1;\n').description).toBeUndefined();
    const flags = findFlags(
      '//| description: first\nconst a = 1,\n  //| description: second\n  b = 2;\n',
      'train.js',
      JS,
    );
    expect(flags.map((f) => f.description)).toEqual(['first', 'second']);
  });

  it('ignores block comments and plain comments above', () => {
    expect(one('// just a note\n/*| description: no */\nconst a = 1;\n').description).toBeUndefined();
  });

  it('reports a malformed annotation at its line', () => {
    const error = transformError(() => findFlags('const x = 1;\n//| choices: [a\nconst y = 2;\n', 'train.js', JS));
    expect(error.kind).toBe('source');
    expect(error.message).toMatch(/^train\.js:2: malformed flag annotation/);
    expect(error.line).toBe(2);
  });

  it('rejects an annotation type that cannot hold the default', () => {
    const error = transformError(() => findFlags('//| type: int\nconst lr = 0.5;\n', 'train.js', JS));
    expect(error.message).toBe('train.js:1: flag lr: annotation type int does not fit its default 0.5');
  });
});

describe('javascript discovery: parse errors', () => {
  it('names file:line:column, 1-based, without babel position suffix', () => {
    const error = transformError(() => findFlags('const a = 1;\nconst b = ;\n', 'src/train.js', JS));
    expect(error.kind).toBe('source');
    expect(error.message).toBe('src/train.js:2:11: Unexpected token');
    expect(error).toMatchObject({ file: 'src/train.js', line: 2 });
  });

  it('reports TypeScript syntax in a JavaScript file', () => {
    expect(transformError(() => javascript.discover('const a: number = 1;\n', 'train.js')).message).toMatch(
      /^train\.js:1:8: /,
    );
  });

  it('reports the furthest error when the file is neither module nor script', () => {
    const error = transformError(() => findFlags('with (Math) {}\nconst a = ;\n', 'mixed.js', JS));
    expect(error.message).toMatch(/^mixed\.js:2:11: /);
  });
});
