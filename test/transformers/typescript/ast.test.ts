/**
 * The TypeScript `ast` support plugins get from `staged.ast(file)`: a ts-morph SourceFile
 * that prints back byte for byte, takes structural edits in the file's own style, and
 * refuses files that do not parse.
 */
import type { SourceFile } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import type { TransformError } from '../../../transformers/errors.js';
import { typescriptAst } from '../../../transformers/typescript/ast.js';
import { transformError } from '../../helpers/errors.js';

const parse = (source: string, file = 'train.ts') => typescriptAst.parse(source, file) as SourceFile;

function parseError(source: string, file: string): TransformError {
  return transformError(() => parse(source, file));
}

const UNTOUCHED: Record<string, string> = {
  'comments and types': '/** lr */\nexport const lr: number = 0.01; // tuned\ntype T = { a: 1 };\n',
  crlf: 'const a = 1;\r\n\r\nfunction f() {\r\n\treturn a;\r\n}\r\n',
  bom: '\uFEFFconst a = 1;\nconsole.log(a);\n',
  'bom and crlf': '\uFEFF// hi\r\nconst a = [1, 2] as const;\r\n',
  'no final newline, odd spacing': 'const   x=(  3 )satisfies number ;  /* end */',
  'lone CR line breaks': 'const a = 1;\rconst b = 2;\r',
};

describe('typescript ast support', () => {
  it.each(Object.entries(UNTOUCHED))('prints an untouched tree byte-identical: %s', (_, source) => {
    expect(typescriptAst.print(parse(source))).toBe(source);
  });

  it('hands plugins a SourceFile named after the file', () => {
    const sourceFile = parse('export const lr = 0.01;\n', 'src/train.ts');
    expect(sourceFile.getFilePath().endsWith('/src/train.ts')).toBe(true);
    expect(sourceFile.getVariableDeclarationOrThrow('lr').getInitializerOrThrow().getText()).toBe('0.01');
  });

  it('prints a statement a plugin inserts first and keeps the rest', () => {
    const source = '// train\nconst lr = 0.01;\nconsole.log(lr);\n';
    const sourceFile = parse(source);
    sourceFile.insertStatements(0, 'console.log({ lr });');
    expect(typescriptAst.print(sourceFile)).toBe(`console.log({ lr });\n${source}`);
  });

  it('inserts with CRLF into a CRLF file and keeps its byte order mark', () => {
    const body = 'const lr = 0.01;\r\nconsole.log(lr);\r\n';
    const sourceFile = parse(`\uFEFF${body}`);
    sourceFile.insertStatements(0, 'console.log("flags");');
    expect(typescriptAst.print(sourceFile)).toBe(`\uFEFFconsole.log("flags");\r\n${body}`);
  });

  it("indents new code like the file's own code", () => {
    const sourceFile = parse('function main() {\n  return 1;\n}\n');
    sourceFile.addFunction({ name: 'report', statements: ['return 2;'] });
    expect(typescriptAst.print(sourceFile)).toContain('function report() {\n  return 2;\n}');
  });

  it('keeps each tree valid while others of the same name are parsed', () => {
    const first = parse('const a = 1;\n');
    const second = parse('const a = 2;\r\n');
    second.insertStatements(0, 'f();');
    expect(typescriptAst.print(first)).toBe('const a = 1;\n');
    expect(typescriptAst.print(second)).toBe('f();\r\nconst a = 2;\r\n');
  });

  it('parses JSX in .tsx files and type assertions in .ts files', () => {
    const tsx = 'export const view = <div className="a">{1}</div>;\n';
    expect(typescriptAst.print(parse(tsx, 'view.tsx'))).toBe(tsx);
    const ts = 'const n = <number>(1 as unknown);\n';
    expect(typescriptAst.print(parse(ts, 'cast.ts'))).toBe(ts);
    expect(parseError(tsx, 'view.ts').kind).toBe('source');
  });

  it('reports the first syntax error as file:line:column', () => {
    const error = parseError('const a = 1;\nconst b = ;\nlet = {\n', 'src/train.ts');
    expect(error.kind).toBe('source');
    expect(error.message).toBe('src/train.ts:2:11: Expression expected.');
    expect(error.file).toBe('src/train.ts');
    expect(error.line).toBe(2);
  });

  it('counts columns after a byte order mark and across CRLF lines', () => {
    expect(parseError('\uFEFFconst = 1;\n', 'a.ts').message).toMatch(/^a\.ts:1:7: /);
    expect(parseError('a();\r\nb(;\r\n', 'b.mts').message).toMatch(/^b\.mts:2:3: /);
  });
});
