/**
 * AST mode through ts-morph keeps every byte it did not change: line breaks, byte order
 * marks, comments and wrappers around the literal, other declarators. Each case also
 * gives exactly what text mode gives.
 */
import { describe, expect, it } from 'vitest';
import { typescript } from '../../../transformers/typescript/index.js';
import type { ApplyResult, FlagValue } from '../../../transformers/types.js';
import { transformError } from '../../helpers/errors.js';

function both(source: string, values: Record<string, FlagValue>, file = 'train.ts'): ApplyResult {
  const ast = typescript.apply(source, values, { mode: 'ast', file });
  expect(ast).toEqual(typescript.apply(source, values, { mode: 'text', file }));
  return ast;
}

interface Case {
  source: string;
  values: Record<string, FlagValue>;
  expected: string;
  /** The script's name, whose extension picks the grammar; `train.ts` when not given. */
  file?: string;
}

const CASES: Record<string, Case> = {
  'CRLF line breaks': {
    source: 'const lr = 0.01;\r\nconst epochs = 10;\r\n\r\nconsole.log(lr, epochs);\r\n',
    values: { lr: 0.1, epochs: 20 },
    expected: 'const lr = 0.1;\r\nconst epochs = 20;\r\n\r\nconsole.log(lr, epochs);\r\n',
  },
  'a byte order mark': {
    source: '\uFEFFexport const name: string = "a";\nconst n = 1;\n',
    values: { name: 'b', n: 2 },
    expected: '\uFEFFexport const name: string = "b";\nconst n = 2;\n',
  },
  'comments around the literal': {
    source: '/** learning rate */\nconst lr = /* a */ 0.01 /* b */; // tuned\n// after\n',
    values: { lr: 0.5 },
    expected: '/** learning rate */\nconst lr = /* a */ 0.5 /* b */; // tuned\n// after\n',
  },
  'other declarators of the statement': {
    source: 'let a = 1, b = "x",\n    c = [1, 2]; // three\n',
    values: { b: 'y', c: [3] },
    expected: 'let a = 1, b = "y",\n    c = [3]; // three\n',
  },
  'as const, satisfies and parentheses': {
    source:
      "export const mode = ('a') as const;\nconst n = 2 satisfies number;\nconst m = (-1);\nconst l = [1] as const satisfies readonly number[];\n",
    values: { mode: 'b', n: 3, m: 4, l: [5, 6] },
    expected:
      "export const mode = ('b') as const;\nconst n = 3 satisfies number;\nconst m = (4);\nconst l = [5, 6] as const satisfies readonly number[];\n",
  },
  'quotes and template literals': {
    source: "const a = 'x';\nconst t = `run`;\n",
    values: { a: "it's", t: 'a`${b}' },
    expected: "const a = 'it\\'s';\nconst t = `a\\`\\${b}`;\n",
  },
  'types, enums and generics around': {
    source:
      'interface C<T> { v: T }\nenum E { A = 1 }\nexport const size: number = 3;\nconst f = <T,>(x: T): T => x;\n',
    values: { size: 4 },
    expected:
      'interface C<T> { v: T }\nenum E { A = 1 }\nexport const size: number = 4;\nconst f = <T,>(x: T): T => x;\n',
  },
  'JSX in a .tsx source': {
    source: 'const size = 3;\nexport const view = <div title="a">{size}</div>;\n',
    values: { size: 7 },
    expected: 'const size = 7;\nexport const view = <div title="a">{size}</div>;\n',
    file: 'view.tsx',
  },
  'astral characters before the literal': {
    source: '// 🚀 émoji\nconst tag = "🚀";\nconst lr = 0.01;\n',
    values: { tag: '🌍', lr: 1e-5 },
    expected: '// 🚀 émoji\nconst tag = "🌍";\nconst lr = 0.00001;\n',
  },
};

describe('typescript AST mode', () => {
  it.each(Object.entries(CASES))('keeps every other byte: %s', (_, { source, values, expected, file }) => {
    const result = both(source, values, file);
    expect(result.text).toBe(expected);
    expect(result.edits.map((edit) => edit.name).sort()).toEqual(Object.keys(values).sort());
  });

  it('reports each edit at its offsets in the original source', () => {
    const source = '\uFEFFconst a = 1;\r\nconst b = "x";\r\n';
    const { edits } = both(source, { b: 'y', a: -2 });
    expect(edits).toEqual([
      { name: 'a', line: 1, start: 11, end: 12, before: '1', after: '-2' },
      { name: 'b', line: 2, start: 25, end: 28, before: '"x"', after: '"y"' },
    ]);
  });

  it('returns names that are not flags and leaves the text alone', () => {
    const source = 'const lr = 0.01;\nfunction f() { const inner = 1; }\n';
    expect(both(source, { inner: 2, nope: 1 })).toEqual({ text: source, edits: [], unused: ['inner', 'nope'] });
  });

  it('reads a script by the grammar its extension names, a declaration file as one', () => {
    expect(both('const lr = <number>0.1;\n', { lr: 2 }).text).toBe('const lr = <number>2;\n');
    const declarations = 'export const lr: number;\n';
    expect(both(declarations, { lr: 2 }, 'train.d.ts')).toEqual({ text: declarations, edits: [], unused: ['lr'] });
    expect(() =>
      typescript.apply('const lr = 0.1;\nconst v = <div />;\n', { lr: 2 }, { mode: 'ast', file: 'a.ts' }),
    ).toThrow(/^a\.ts:2:/);
  });

  it('makes no edit when the value is already there', () => {
    const source = 'const lr = 0.1;\n';
    expect(both(source, { lr: 0.1 })).toEqual({ text: source, edits: [], unused: [] });
  });

  it('gives each file its own line breaks when calls alternate', () => {
    expect(both('const a = 1;\r\n', { a: 2 }).text).toBe('const a = 2;\r\n');
    expect(both('const a = 1;\n', { a: 3 }).text).toBe('const a = 3;\n');
    expect(both('\uFEFFconst a = 1;\r\n', { a: 4 }).text).toBe('\uFEFFconst a = 4;\r\n');
  });

  it('refuses a source that does not parse with file:line:column', () => {
    const caught = transformError(() =>
      typescript.apply('const lr = 0.01;\nconst = 2;\n', { lr: 0.1 }, { mode: 'ast', file: 'train.ts' }),
    );
    expect(caught.kind).toBe('source');
    expect(caught).toMatchObject({ file: 'train.ts', line: 2 });
    expect(caught.message).toMatch(/^train\.ts:2:7: /);
  });
});
