/**
 * AST mode finds its flags in TypeScript's tree, text mode and `discover` in babel's. Both
 * must agree on every site: name, type, default, line, literal span, quote, and what the
 * annotations and trailing comments add; where babel discovery throws on an annotation,
 * so must the tree's, with the same message.
 */
import { describe, expect, it } from 'vitest';
import { findFlags, type JsFlag } from '../../../transformers/javascript/index.js';
import { findTsFlags } from '../../../transformers/typescript/discover.js';
import { parseTypeScript } from '../../../transformers/typescript/index.js';
import { transformError } from '../../helpers/errors.js';

/** The flags the TypeScript tree gives, for a source without a byte order mark. */
function treeFlags(source: string, file: string): JsFlag[] {
  return findTsFlags(parseTypeScript(source, file).compilerNode, file).map((found) => found.flag);
}

/** Both discoveries of `source`; they must be equal, and are returned for further checks. */
function agree(source: string, file = 'train.ts'): JsFlag[] {
  const babel = findFlags(source, file, { typescript: true });
  expect(treeFlags(source, file)).toEqual(babel);
  return babel;
}

/** `name: literal text` of each flag, to say what a case must find. */
function spans(source: string, flags: readonly JsFlag[]): string[] {
  return flags.map((flag) => `${flag.name}: ${source.slice(flag.start, flag.end)}`);
}

describe('typescript discovery in the TypeScript tree', () => {
  it('looks through parentheses where babel keeps no node for them', () => {
    const source =
      "const a = (1);\nconst b = -(2);\nconst c = ((-3));\nconst d = [(4), ('x')];\nconst e = (5) as const;\nconst f = <number>(6);\n";
    expect(spans(source, agree(source))).toEqual(['a: 1', 'b: -(2)', 'c: -3', "d: [(4), ('x')]", 'e: 5', 'f: 6']);
  });

  it('takes one sign on a number and nothing else that computes', () => {
    const source = [
      'const a = - 1;',
      'const b = +0x1F;',
      'const c = - -1;',
      "const d = -'1';",
      'const e = !true;',
      'const f = typeof 1;',
      'const g = -x;',
      'const h = 1n;',
      'const i = Infinity;',
      'const j = void 0;',
      'const k = -0;',
      '',
    ].join('\n');
    const flags = agree(source);
    expect(flags.map((flag) => [flag.name, flag.type, flag.default])).toEqual([
      ['a', 'int', -1],
      ['b', 'int', 31],
      ['k', 'int', -0],
    ]);
  });

  it('reads numbers by their text: separators, radixes, exponents, dots', () => {
    const source =
      'const a = 1_000, b = 0b1010, c = 0O17, d = 0x1E, e = 1e3, f = .5, g = 5., h = 1.50, i = 0xFFFFFFFFFFFFFFFFF, j = 1E-7;\n';
    const flags = agree(source);
    expect(flags.map((flag) => flag.type)).toEqual([
      'int',
      'int',
      'int',
      'int',
      'float',
      'float',
      'float',
      'float',
      'int',
      'float',
    ]);
  });

  it('reads strings and templates, escapes and line breaks cooked', () => {
    const source = [
      "const a = 'it\\'s';",
      'const b = "\\u{1F680}\\x41";',
      'const c = `a\\`b\r\nc`;',
      'const d = `${x}`;',
      "const e = 'line\\\r\ncontinued';",
      '',
    ].join('\r\n');
    const flags = agree(source);
    expect(flags.map((flag) => [flag.default, flag.quote, flag.line])).toEqual([
      ["it's", "'", 1],
      ['\u{1F680}A', '"', 2],
      ['a`b\nc', '`', 3],
      ['linecontinued', "'", 6],
    ]);
  });

  it('reads arrays of literals and refuses holes, spreads and expressions', () => {
    const source = [
      'const a = [1, [2, [\'x\']], "y"];',
      'const b = [1, , 2];',
      'const c = [...d];',
      'const e = [1,];',
      'const f = [x];',
      "const g = [1 as number, 'a' satisfies string];",
      '',
    ].join('\n');
    expect(spans(source, agree(source))).toEqual([
      `a: [1, [2, ['x']], "y"]`,
      'e: [1,]',
      "g: [1 as number, 'a' satisfies string]",
    ]);
  });

  it('lets the first declaration of a name decide, destructuring included', () => {
    const source = [
      'var { a, b: [c, d = 1], ...e } = o;',
      'var a = 1, c = 2;',
      'let [, g] = p;',
      'var e = 3;',
      'var y = "first";',
      'var y = "second";',
      'var _h = 5;',
      'declare const i: number;',
      'declare var j: number;',
      'var j = 6;',
      'export const k = 8, l = "x";',
      'function f2() { const m = 1; }',
      'if (x) { let n = 1; }',
      'const n = 2;',
      'namespace N { export const z = 1; }',
      'let w!: number;',
      '',
    ].join('\n');
    expect(spans(source, agree(source))).toEqual(['y: "first"', 'k: 8', 'l: "x"', 'n: 2']);
  });

  it('skips resources: using declarations are not values', () => {
    const source = 'using r = null;\nconst after = 1;\n';
    expect(spans(source, agree(source))).toEqual(['after: 1']);
  });

  it('finds none in a declaration file, as babel discovery', () => {
    const source = 'export declare const a: number;\nexport const b = 1;\n';
    expect(agree(source, 'types.d.ts')).toEqual([]);
    expect(spans(source, agree(source, 'types.ts'))).toEqual(['b: 1']);
  });

  it('reads JSX sources as babel does for .tsx files', () => {
    const source = 'const a = <div>{1}</div>;\nexport const b = 2;\n';
    expect(spans(source, agree(source, 'view.tsx'))).toEqual(['b: 2']);
  });

  it('takes annotation blocks directly above a declaration or a later declarator', () => {
    const source = [
      '#!/usr/bin/env node',
      '//| description: learning rate',
      '//| min: 0',
      'const lr = 0.1;',
      'const a = 1, //| not an annotation of b',
      '  //| choices: [2, 3]',
      '  b = 2, c = 3; // the comment of c',
      '//| description: not directly above',
      '',
      'const d = 4;  // trailing, after blanks',
      '/* block */ const e = 5; // e: the block leads the line',
      '  //| description: indented',
      '  const f = 6;',
      'const g = 7 /* x */; // after a block comment: not trailing',
      'const h = 8;; // after two semicolons',
      '//| description: above a JSDoc',
      '/** doc */',
      'const i = 9;',
      '//| type: float',
      'const j = 1; //| an annotation is no description',
      '',
    ].join('\n');
    const flags = agree(source);
    expect(flags.map((flag) => [flag.name, flag.description, flag.choices, flag.type])).toEqual([
      ['lr', 'learning rate', undefined, 'float'],
      ['a', undefined, undefined, 'int'],
      ['b', undefined, [2, 3], 'int'],
      ['c', 'the comment of c', undefined, 'int'],
      ['d', 'trailing, after blanks', undefined, 'int'],
      ['e', 'e: the block leads the line', undefined, 'int'],
      ['f', 'indented', undefined, 'int'],
      ['g', undefined, undefined, 'int'],
      ['h', 'after two semicolons', undefined, 'int'],
      ['i', undefined, undefined, 'int'],
      ['j', undefined, undefined, 'float'],
    ]);
    expect(flags[0]!.min).toBe(0);
  });

  it('breaks lines where babel does: CRLF, CR, line and paragraph separators', () => {
    const source =
      'const a = 1;\u2028//| description: after LS\u2028const b = 2;\r//| min: 0\rconst c = 3; // c\u2029const d = 4;\r\n';
    const flags = agree(source);
    expect(flags.map((flag) => [flag.name, flag.line, flag.description, flag.min])).toEqual([
      ['a', 1, undefined, undefined],
      ['b', 3, 'after LS', undefined],
      ['c', 5, 'c', 0],
      ['d', 6, undefined, undefined],
    ]);
  });

  it('throws the annotation errors babel discovery throws, at the same line', () => {
    const cases = [
      'const a = 1;\n//| choices: [1\nconst b = 2;\n',
      '//| type: int\nconst c = "x";\n',
      'const d = 1,\n  //| min: low\n  e = 2;\n',
    ];
    for (const source of cases) {
      const babel = transformError(() => findFlags(source, 'train.ts', { typescript: true }));
      const tree = transformError(() => treeFlags(source, 'train.ts'));
      expect(tree.message).toBe(babel.message);
      expect([tree.kind, tree.file, tree.line]).toEqual([babel.kind, babel.file, babel.line]);
    }
  });
});
