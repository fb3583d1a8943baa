import type * as t from '@babel/types';
import recast from 'recast';
import { describe, expect, it } from 'vitest';
import { javascript } from '../../../transformers/javascript/index.js';
import { transformError } from '../../helpers/errors.js';

const ast = javascript.ast!;
const b = recast.types.builders;

const UNTOUCHED: Record<string, string> = {
  'LF with comments and parentheses':
    '/** doc */\nconst lr = (0.01); // tuned\nconst f = (a) => (a * 2);\nexport default f;\n',
  CRLF: 'const a = 1;\r\n// two\r\nfunction f() {\r\n  return a;\r\n}\r\n',
  'mixed terminators': 'const a = 1;\r\nconst b = 2;\nconst c = 3;\r// end',
  'tabs and odd indentation': 'if (x) {\n\tfoo();\n  \tbar();\n}\n\v\fbaz();\n',
  'BOM and shebang': '\uFEFF#!/usr/bin/env node\nconsole.log(1);\n',
  'U+2028 inside a string and a template': 'const s = "a\u2028b";\nconst t = `c\u2029d\r\ne`;\n',
  JSX: 'const el = <div className="x">{1}</div>;\n',
  'no trailing newline, blank lines, trailing spaces': '\n\nconst a = 1;   \n\n\t\nfoo()',
  script: 'with (Math) { max(1, 2); }\nreturn;\n',
};

function body(tree: unknown): t.Statement[] {
  return (tree as t.File).program.body;
}

describe('javascript AST access (recast)', () => {
  it.each(Object.entries(UNTOUCHED))('prints an untouched %s file byte-identical', (_label, source) => {
    expect(ast.print(ast.parse(source, 'train.js'))).toBe(source);
  });

  it('prints a statement inserted at the top and keeps the rest', () => {
    const source = "import fs from 'node:fs';\n\nconst lr = 0.01; // tuned\nconsole.log(lr);\n";
    const tree = ast.parse(source, 'train.js');
    const log = b.expressionStatement(
      b.callExpression(b.memberExpression(b.identifier('console'), b.identifier('log')), [b.stringLiteral('flags')]),
    );
    body(tree).unshift(log as unknown as t.Statement);
    expect(ast.print(tree)).toBe(`console.log("flags");\n${source}`);
  });

  it('gives inserted lines the file’s own line terminator', () => {
    const source = 'const lr = 0.01;\r\nconsole.log(lr);\r\n';
    const tree = ast.parse(source, 'train.js');
    body(tree).push(b.expressionStatement(b.callExpression(b.identifier('done'), [])) as unknown as t.Statement);
    expect(ast.print(tree)).toBe('const lr = 0.01;\r\nconsole.log(lr);\r\ndone();\r\n');
  });

  it('keeps the rest of a mixed-terminator file when a plugin removes a statement', () => {
    const source = 'const a = 1;\r\nconst b = 2;\nconst c = 3;\r\n';
    const tree = ast.parse(source, 'train.js');
    body(tree).splice(1, 1);
    expect(ast.print(tree)).toBe('const a = 1;\r\nconst c = 3;\r\n');
  });

  it('does not reprint untouched code recast would parenthesise (throw a, b)', () => {
    const source = 'function f() {\n  throw a = 1, b;\n}\nconst lr = 0.1;\n';
    expect(javascript.apply(source, { lr: 0.2 }, { mode: 'ast', file: 'train.js' }).text).toBe(
      source.replace('0.1', '0.2'),
    );
    const tree = ast.parse(source, 'train.js');
    (body(tree)[1] as t.VariableDeclaration).declarations[0]!.init = b.numericLiteral(3) as unknown as t.Expression;
    expect(ast.print(tree)).toBe(source.replace('0.1', '3'));
  });

  it('keeps tab-and-space indentation and finds the literal through it', () => {
    const source = 'function f() {\n  a();\n\t  c();\n}\n\t  const lr = 0.1, s = "x";\n';
    const result = javascript.apply(source, { lr: 2, s: 'y' }, { mode: 'ast', file: 'train.js' });
    expect(result.text).toBe('function f() {\n  a();\n\t  c();\n}\n\t  const lr = 2, s = "y";\n');
    expect(result).toEqual(javascript.apply(source, { lr: 2, s: 'y' }, { mode: 'text', file: 'train.js' }));
  });

  it('treats fields that an ast-types visitor filled in with defaults as unchanged', () => {
    const source = 'class C { m() { return 1; } }\nconst lr = 0.1;\nthrow a, b;\n';
    const tree = ast.parse(source, 'train.js');
    let literals = 0;
    recast.types.visit(tree as never, {
      visitNumericLiteral(path) {
        literals++;
        this.traverse(path);
      },
    });
    expect(literals).toBe(2);
    expect(ast.print(tree)).toBe(source);
    (body(tree)[1] as t.VariableDeclaration).declarations[0]!.init = b.numericLiteral(5) as unknown as t.Expression;
    expect(ast.print(tree)).toBe(source.replace('0.1', '5'));
  });

  it('keeps a spread of a conditional unparenthesised beside an edit, once a visitor read its regex literals', () => {
    // A visitor gives each regex literal a `value` (a fresh RegExp); were that a change, recast
    // would reprint the array around it and write `...(!reset ? [/^mock:/] : [])`.
    const source =
      'function reset(modules, reset) {\n  const skip = [\n    /a/,\n    ...!reset ? [/^mock:/] : []\n  ];\n  modules.x = void 0;\n}\n';
    const tree = ast.parse(source, 'train.js');
    recast.types.visit(tree as never, {
      visitNumericLiteral(path) {
        path.replace(b.numericLiteral(1));
        return false;
      },
    });
    expect(ast.print(tree)).toBe(source.replace('void 0', 'void 1'));
  });

  it('prints the same tree again after further edits', () => {
    const source = 'const a = 1;\r\nconst b = 2;\r\n';
    const tree = ast.parse(source, 'train.js');
    const [first, second] = body(tree) as t.VariableDeclaration[];
    first!.declarations[0]!.init = b.numericLiteral(10) as unknown as t.Expression;
    expect(ast.print(tree)).toBe('const a = 10;\r\nconst b = 2;\r\n');
    second!.declarations[0]!.init = b.numericLiteral(20) as unknown as t.Expression;
    expect(ast.print(tree)).toBe('const a = 10;\r\nconst b = 20;\r\n');
  });

  it('throws a SOURCE error naming file:line:column for a file that does not parse', () => {
    const error = transformError(() => ast.parse('const a = 1;\r\nconst b = ;\r\n', 'src/train.js'));
    expect(error).toMatchObject({
      kind: 'source',
      file: 'src/train.js',
      line: 2,
      message: 'src/train.js:2:11: Unexpected token',
    });
  });
});
