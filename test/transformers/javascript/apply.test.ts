import { describe, expect, it } from 'vitest';
import { applyAst, applyText, babelTextTransformer, javascript } from '../../../transformers/javascript/index.js';
import type { ApplyResult, FlagValue } from '../../../transformers/types.js';
import { transformError } from '../../helpers/errors.js';

/** Applies in both modes, checks they agree on everything, and returns the result. */
function both(source: string, values: Record<string, FlagValue>, typescript = false): ApplyResult {
  const text = applyText(source, values, 'train.js', { typescript });
  const ast = applyAst(source, values, 'train.js', { typescript });
  expect(ast).toEqual(text);
  return text;
}

describe('javascript apply, text and AST mode alike', () => {
  it('splices the new literal into the exact span and reports the edit', () => {
    const source = "import fs from 'node:fs';\n\nconst lr = 0.01;\nlet epochs = 10;\nconsole.log(lr, epochs);\n";
    const result = both(source, { lr: 0.1 });
    expect(result.text).toBe(
      "import fs from 'node:fs';\n\nconst lr = 0.1;\nlet epochs = 10;\nconsole.log(lr, epochs);\n",
    );
    expect(result.edits).toEqual([{ name: 'lr', line: 3, start: 38, end: 42, before: '0.01', after: '0.1' }]);
    expect(result.unused).toEqual([]);
  });

  it('keeps every other byte: BOM, shebang, CRLF, comments, spacing, quotes', () => {
    const source =
      '\uFEFF#!/usr/bin/env node\r\n/** lr = 1 */\r\nconst   lr   =   0.01   ; // learning rate\r\n' +
      "let name = 'run'; // keep 'quotes'\r\nvar layers = [\r\n  64, // first\r\n  32,\r\n];\r\nconsole.log(lr);\r\n";
    const result = both(source, { lr: 0.5, name: 'walk', layers: [8] });
    expect(result.text).toBe(
      '\uFEFF#!/usr/bin/env node\r\n/** lr = 1 */\r\nconst   lr   =   0.5   ; // learning rate\r\n' +
        "let name = 'walk'; // keep 'quotes'\r\nvar layers = [8];\r\nconsole.log(lr);\r\n",
    );
    expect(result.edits.map((e) => [e.name, e.line, e.before, e.after])).toEqual([
      ['lr', 3, '0.01', '0.5'],
      ['name', 4, "'run'", "'walk'"],
      ['layers', 5, '[\r\n  64, // first\r\n  32,\r\n]', '[8]'],
    ]);
  });

  it('keeps mixed line terminators, lone CR and U+2028 inside strings', () => {
    const source = 'const a = 1;\r\nconst b = 2;\nconst s = "x\u2028y";\rconst c = [\r\n  3,\n];\r\n// end\n';
    expect(both(source, { a: 5, c: ['z'] }).text).toBe(
      'const a = 5;\r\nconst b = 2;\nconst s = "x\u2028y";\rconst c = ["z"];\r\n// end\n',
    );
  });

  it('keeps tab indentation and odd leading whitespace', () => {
    const source = '\tconst a = 1;\n\v\f\u00a0const b = `x`;\n\t\t\tconst c = [\n\t\t1];\n';
    expect(both(source, { b: 'y', c: [] }).text).toBe(
      '\tconst a = 1;\n\v\f\u00a0const b = `y`;\n\t\t\tconst c = [];\n',
    );
  });

  it('changes only its declarator in a statement with several', () => {
    expect(both('const a = 1, b = 2, c = 3;\n', { b: 5 }).text).toBe('const a = 1, b = 5, c = 3;\n');
    expect(both('const a=1,b=2;const c=3\n', { b: 'x', c: null }).text).toBe('const a=1,b="x";const c=null\n');
  });

  it('keeps comments next to the literal and parentheses around it', () => {
    const source = 'const a = /* before */ 1 /* after */; // line\nconst b = (2), c = ((3));\nconst d = -(4);\n';
    expect(both(source, { a: 10, b: -1, c: 'q', d: 7 }).text).toBe(
      'const a = /* before */ 10 /* after */; // line\nconst b = (-1), c = (("q"));\nconst d = 7;\n',
    );
  });

  it('keeps TypeScript wrappers (as const, satisfies, annotations) around the literal', () => {
    const source =
      'const a: number = 1;\nconst b = 2 as const;\nconst c = ("x") satisfies string;\nexport const d = [1] as const;\n';
    expect(both(source, { a: -1, b: 3, c: 'y', d: [2, 3] }, true).text).toBe(
      'const a: number = -1;\nconst b = 3 as const;\nconst c = ("y") satisfies string;\nexport const d = [2, 3] as const;\n',
    );
  });

  it('rewrites the first declaration only and leaves nested scopes alone', () => {
    const source = 'var x = 1;\nfunction f() { var x = 1; }\nclass C { x = 1; }\nvar x = 2;\n';
    expect(both(source, { x: 5 }).text).toBe(
      'var x = 5;\nfunction f() { var x = 1; }\nclass C { x = 1; }\nvar x = 2;\n',
    );
  });

  it('keeps the quote style, escaping what it must', () => {
    expect(both("let m = 'resnet';\n", { m: "it's" }).text).toBe("let m = 'it\\'s';\n");
    expect(both('let m = `resnet`;\n', { m: '${x}`' }).text).toBe('let m = `\\${x}\\``;\n');
    expect(both('let m = null;\n', { m: 'a"b' }).text).toBe('let m = "a\\"b";\n');
  });

  it('makes no edit when the value is the one already there, however the literal spells it', () => {
    // Seen in node_modules by the corpus (npm run corpus): writing a file's own defaults
    // must leave it byte-identical, whatever spelling its author chose.
    const source =
      'const n = 1_000, t = 6e4, lr = .01, h = 0x1F;\nconst esc = "\\x1B[", bom = \'\\u{FEFF}\';\n' +
      'const nl = `a\nb`, s = "\\0x";\nconst kinds = [\n\t"a",\n\t"b", // last\n];\n';
    const defaults = Object.fromEntries(
      javascript.discover(source, 'train.js').map((site) => [site.name, site.default]),
    );
    expect(Object.keys(defaults)).toEqual(['n', 't', 'lr', 'h', 'esc', 'bom', 'nl', 's', 'kinds']);
    expect(both(source, defaults)).toEqual({ text: source, edits: [], unused: [] });
    expect(both(source, { ...defaults, n: 1001 }).edits.map((e) => [e.name, e.before, e.after])).toEqual([
      ['n', '1_000', '1001'],
    ]);
  });

  it('still writes a value that differs only as -0 differs from 0, or in one list item', () => {
    expect(both('const z = 0, xs = [1, [2]];\n', { z: -0, xs: [1, [3]] }).text).toBe('const z = -0, xs = [1, [3]];\n');
    expect(both('const z = -0.0;\n', { z: 0 }).text).toBe('const z = 0;\n');
  });

  it('returns names that are not flags as unused, without parsing when none is mentioned', () => {
    expect(both('const lr = 0.1;\nconst _p = 1;\n', { _p: 2, lr: 0.2, nope: 1 }).unused).toEqual(['_p', 'nope']);
    expect(both('this is not javascript', { lr: 1 })).toEqual({
      text: 'this is not javascript',
      edits: [],
      unused: ['lr'],
    });
  });

  it('reports a parse error with file:line:column in both modes', () => {
    for (const mode of ['text', 'ast'] as const) {
      const error = transformError(() =>
        javascript.apply('const lr = 0.1;\nconst = 2;\n', { lr: 1 }, { mode, file: 'train.js' }),
      );
      expect(error).toMatchObject({
        kind: 'source',
        line: 2,
        file: 'train.js',
        message: 'train.js:2:7: Unexpected token',
      });
    }
  });
});

describe('babelTextTransformer', () => {
  const typescript = babelTextTransformer('typescript', ['.ts', '.tsx'], true);

  it('discovers and applies TypeScript in text mode, .tsx included', () => {
    expect(typescript).toMatchObject({ language: 'typescript', extensions: ['.ts', '.tsx'] });
    expect(typescript.discover('const lr: number = 0.1;\n', 'train.ts').map((s) => s.name)).toEqual(['lr']);
    expect(typescript.apply('const lr = <number>0.1;\n', { lr: 2 }, { mode: 'text', file: 'train.ts' }).text).toBe(
      'const lr = <number>2;\n',
    );
    expect(
      typescript.apply('const lr = 0.1;\nconst el = <div />;\n', { lr: 2 }, { mode: 'text', file: 'train.tsx' }).text,
    ).toBe('const lr = 2;\nconst el = <div />;\n');
  });

  it('declares text mode only: the JavaScript and TypeScript transformers add their AST modes', () => {
    expect(typescript.modes).toEqual(['text']);
    expect(javascript.modes).toEqual(['text', 'ast']);
  });
});
